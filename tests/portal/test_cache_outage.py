"""With the cache down (Redis stopped), every page and form still answers: the cache is an aid,
never a dependency (core/sharedcache.py). /healthz says which dependency is down."""

import uuid
from unittest import mock

import pytest
from django.core.cache.backends.base import BaseCache
from django.db import DatabaseError
from django.test import Client, override_settings

from core import sharedcache
from events.models import ResidentBooking
from feedback.models import Case, Category
from tests.events import factories as ef
from tests.news import factories as nf

pytestmark = pytest.mark.django_db


class BrokenCache(BaseCache):
    """A cache whose server does not answer: every call raises, as redis-py does."""

    calls = 0

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        BrokenCache.calls += 1
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    get = set = add = delete = incr = decr = touch = has_key = clear = _down
    get_many = set_many = delete_many = _down


@pytest.fixture
def cache_down(settings):
    """The default cache (Redis) down; any other alias the settings define stays as it is."""
    BrokenCache.calls = 0
    with override_settings(CACHES={**settings.CACHES, "default": {"BACKEND": f"{__name__}.BrokenCache"}}):
        yield


@pytest.fixture
def client():
    return Client(raise_request_exception=False)  # a failure must show as the 500 a visitor gets


@pytest.fixture
def category(db):
    return Category.objects.create(name="路灯", slug="light", respond_hours=24, onsite_days=3, resolve_days=15)


def test_pages_answer_without_the_cache(client, places, category, cache_down):
    day = ef.day(places["chunshuyuan"])
    for url in ("/", "/feedback/", "/news/", "/events/", day.get_absolute_url(), "/communities/"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response, url
    assert BrokenCache.calls > 0, "the pages did try the cache"


def test_a_report_is_taken_without_the_cache(client, places, category, cache_down):
    data = {
        "community": places["sihuan"].pk,
        "category": category.pk,
        "place": "四环胡同28号院",
        "description": "院门口的路灯坏了一个星期，晚上看不清路。",
        "consent": "on",
        "website": "",
        "token": str(uuid.uuid4()),
    }
    response = client.post("/feedback/new/", data)
    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_a_booking_is_taken_without_the_cache(client, places, cache_down):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=2)
    data = {"name": "王大妈", "phone": "13812341234", "submission": str(uuid.uuid4())}
    response = client.post(f"/events/offerings/{offering.pk}/book/", data)
    assert response.status_code == 302
    assert ResidentBooking.objects.get().status == ResidentBooking.Status.CONFIRMED


def test_metoo_is_counted_without_the_cache(client, places, category, cache_down):
    case = Case.objects.create(
        code="SH-2026-000901",
        community=places["sihuan"],
        category=category,
        place="院内",
        description="路灯不亮，晚上看不清路。",
        status=Case.Status.DISPATCHED,
        is_published=True,
    )
    assert client.post(f"/feedback/case/{case.code}/metoo/").status_code == 302
    case.refresh_from_db()
    assert case.metoo_count == 1


def test_a_photo_gets_its_renditions_without_the_cache(places, cache_down):
    story = nf.story([places["sihuan"]])
    photo = nf.photo(nf.section(story, places["sihuan"]), image=nf.upload(nf.jpeg_bytes(size=(900, 600))))
    photo.refresh_from_db()
    assert [r["w"] for r in photo.renditions] == [480, 800, 900]


def test_healthz_names_the_cache_when_it_is_down(client, cache_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"cache unavailable\n"


def test_healthz_names_each_dependency_that_is_down(client, cache_down):
    with mock.patch("core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\ncache unavailable\n"


def test_healthz_is_ok_when_both_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_after_a_failure_the_process_leaves_the_cache_alone_for_a_while(settings, cache_down, monkeypatch):
    settings.CACHE_RETRY_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(sharedcache.time, "monotonic", lambda: clock[0])
    assert sharedcache.get("k") is None
    assert BrokenCache.calls == 1
    assert sharedcache.get_many(["k"]) == {} and sharedcache.add("k", 1, 5) is False and sharedcache.incr("k") is None
    assert BrokenCache.calls == 1, "within the pause nothing waits for the cache"
    clock[0] += 5.1
    sharedcache.set("k", 1, 5)
    assert BrokenCache.calls == 2


def test_a_missing_counter_is_not_an_outage(db):
    assert sharedcache.incr("never-set") is None
    assert sharedcache.available()
    sharedcache.set("counter", 1, 60)
    assert sharedcache.incr("counter") == 2
