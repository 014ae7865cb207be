"""The anonymous page cache (core/pagecache.py): hits, misses, fresh per-visitor tokens,
invalidation, and who never gets a shared page. Runs on local memory and, when REDIS_URL is set
(the PostgreSQL CI run), on Redis too."""

import os
import re
import threading
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory

from core import pagecache, sharedcache
from news.models import Story
from tests.events import factories as ef
from tests.news import factories as nf

BACKENDS = ["locmem"] + (["redis"] if os.environ.get("REDIS_URL") else [])
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')


@pytest.fixture(params=BACKENDS, autouse=True)
def backend(request, settings):
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": f"test-pagecache-{uuid.uuid4().hex}",
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_RECHECK_SECONDS = 0  # every request asks the shared cache (see the last tests)
    pagecache._own_change.value = None  # no change made through this process yet
    cache.clear()
    yield request.param
    cache.clear()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_anonymous_visit_is_a_hit_with_the_same_page(places, client):
    nf.story([places["sihuan"]], title="四环胡同路面修好了")
    first = get(client, "/")
    assert first["X-Page-Cache"] == "miss"
    second = get(Client(), "/")
    assert second["X-Page-Cache"] == "hit"
    assert "四环胡同路面修好了" in second.content.decode()
    strip = lambda r: TOKEN.sub("", r.content.decode())  # noqa: E731
    assert strip(first) == strip(second)
    assert second["Content-Type"].startswith("text/html")
    assert second["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in second


def test_key_holds_language_and_display_preferences(places, client):
    get(client, "/news/")
    elder = Client()
    elder.cookies["elder"] = "1"
    page = get(elder, "/news/")
    assert page["X-Page-Cache"] == "miss"
    assert "mode-elder" in page.content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    page = get(english, "/news/")
    assert page["X-Page-Cache"] == "miss"
    assert 'lang="en"' in page.content.decode()
    assert get(Client(), "/news/?page=1")["X-Page-Cache"] == "miss"
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"


def test_cached_page_gives_each_visitor_a_working_csrf_token(places):
    first = Client(enforce_csrf_checks=True)
    get(first, "/news/")
    second = Client(enforce_csrf_checks=True)
    page = get(second, "/news/")
    assert page["X-Page-Cache"] == "hit"
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1
    assert "csrftoken" in page.cookies, "a hit sets the visitor's CSRF cookie"
    assert "\x00" not in page.content.decode()
    token = tokens.pop()
    # A real POST with the token from the cached page is accepted ...
    answer = second.post("/display/", {"name": "elder", "value": "1", "next": "/news/", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert answer.cookies["elder"].value == "1"
    # ... and the first visitor's token is not the second visitor's: it would be refused.
    first_token = TOKEN.search(get(first, "/news/").content.decode()).group(1)
    third = Client(enforce_csrf_checks=True)
    get(third, "/news/")
    refused = third.post("/display/", {"name": "elder", "value": "1", "next": "/", "csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403


def test_booking_forms_get_a_new_submission_number_on_every_hit(places):
    day = ef.day(places["chunshuyuan"])
    ef.offering(day, places=5)
    url = day.get_absolute_url()
    numbers = set()
    for _ in range(3):
        page = get(Client(), url)
        found = SUBMISSION.findall(page.content.decode())
        assert len(found) == 1
        numbers.add(uuid.UUID(found[0]))
    assert page["X-Page-Cache"] == "hit"
    assert len(numbers) == 3


def test_publishing_in_the_admin_shows_on_the_home_page_at_once(places, client, admin_user):
    story = nf.story([places["sihuan"]], title="刚刚发布的新闻", status=Story.Status.REVIEW, published_at=None)
    visitor = Client()
    assert "刚刚发布的新闻" not in get(visitor, "/").content.decode()
    assert get(visitor, "/")["X-Page-Cache"] == "hit"
    publish_in_the_admin_and_see_it_at_once(client, admin_user, story, visitor)


def publish_in_the_admin_and_see_it_at_once(client, admin_user, story, visitor):
    client.force_login(admin_user)
    client.post("/admin/news/story/", {"action": "publish_now", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.is_public
    page = get(visitor, "/")
    assert page["X-Page-Cache"] == "miss"
    assert story.title in page.content.decode()


def test_a_change_saved_outside_any_request_invalidates_too(places):
    story = nf.story([places["sihuan"]], title="旧标题")
    get(Client(), story.get_absolute_url())
    story.title = "新标题"
    story.save()
    assert "新标题" in get(Client(), story.get_absolute_url()).content.decode()


def test_a_signup_changes_places_left_at_once(places, client):
    day = ef.day(places["chunshuyuan"])
    role = ef.role(day, places=3)
    volunteer = ef.volunteer("alice")
    url = day.get_absolute_url()
    assert "还差 3 人" in get(Client(), url).content.decode()
    assert get(Client(), url)["X-Page-Cache"] == "hit"
    client.force_login(volunteer.user)
    assert client.post(f"/volunteers/roles/{role.pk}/signup/").status_code == 302
    page = get(Client(), url)
    assert "还差 2 人" in page.content.decode()


def test_logged_in_visitors_never_get_or_fill_the_cache(places, client, admin_user):
    client.force_login(admin_user)
    for _ in range(2):
        response = get(client, "/")
        assert "X-Page-Cache" not in response
    assert get(Client(), "/")["X-Page-Cache"] == "miss"


def test_pending_messages_and_unknown_cookies_bypass(places):
    get(Client(), "/")
    visitor = Client()
    visitor.cookies["messages"] = "something"
    assert "X-Page-Cache" not in get(visitor, "/")


def test_pages_off_the_list_and_errors_are_not_cached(places):
    for _ in range(2):
        assert "X-Page-Cache" not in get(Client(), "/feedback/new/")  # one-time form token
    for _ in range(2):
        response = Client().get("/news/no-such-story/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response


def test_display_and_language_posts_do_not_invalidate(places, client):
    get(Client(), "/")
    client.post("/display/", {"name": "elder", "value": "1", "next": "/"})
    assert get(Client(), "/")["X-Page-Cache"] == "hit"
    before = pagecache.generation_and_due()[0]
    nf.story([places["sihuan"]])
    assert pagecache.generation_and_due()[0] > before


def test_zero_seconds_turns_it_off(places, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Page-Cache" not in get(Client(), "/")


def test_a_bump_by_another_process_retires_this_processs_copy(places):
    get(Client(), "/news/")
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"
    cache.incr(pagecache.GENERATION_KEY)  # what another worker's save does
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss"
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"


def test_a_busy_process_rechecks_the_shared_generation_a_few_times_a_second(places, settings, monkeypatch):
    settings.PAGE_CACHE_RECHECK_SECONDS = 0.2
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    get(Client(), "/news/")
    asked = []

    class Spy:
        def __getattr__(self, name):
            return getattr(cache, name)

        def get_many(self, keys):
            asked.append(keys)
            return cache.get_many(keys)

    monkeypatch.setattr(sharedcache, "cache", Spy())
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"
    assert asked == [], "within the window a hit needs no round trip"
    cache.incr(pagecache.GENERATION_KEY)  # another process's change ...
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"  # ... is seen within the window,
    clock[0] += 0.3
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss"  # not later
    assert asked
    nf.story([places["sihuan"]], title="本进程刚保存的新闻")  # a change through this process: at once
    assert "本进程刚保存的新闻" in get(Client(), "/news/").content.decode()


# --- Only content changes invalidate --------------------------------------------------------


def generation():
    return pagecache.generation_and_due()[0]


def test_anonymous_posts_that_change_no_content_keep_everyones_cache(places, client):
    """Logout with one's own CSRF token, a POST to a login-only action: each redirects, and once
    they each emptied every visitor's cache (a dozen a second cut the cached rate by three quarters)."""
    day = ef.day(places["chunshuyuan"])
    role = ef.role(day, places=3)
    get(Client(), "/news/")
    before = generation()
    visitor = Client(enforce_csrf_checks=True)
    token = TOKEN.search(get(visitor, "/news/").content.decode()).group(1)
    assert visitor.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    for _ in range(3):
        response = Client().post(f"/volunteers/roles/{role.pk}/signup/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert generation() == before
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"


def test_a_repeated_metoo_keeps_the_cache_and_a_new_one_shows_at_once(places, client):
    from feedback.models import Case, Category

    category = Category.objects.create(name="路灯", slug="light")
    case = Case.objects.create(
        code="SH-2026-000777",
        community=places["sihuan"],
        category=category,
        place="院内",
        description="路灯不亮，晚上看不清路。",
        status=Case.Status.DISPATCHED,
        is_published=True,
    )
    assert get(Client(), "/feedback/").status_code == 200
    # A 附议 counts with QuerySet.update(), which sends no signal: the write itself invalidates.
    assert client.post(f"/feedback/case/{case.code}/metoo/").status_code == 302
    page = get(Client(), "/feedback/")
    assert page["X-Page-Cache"] == "miss" and "1 人附议" in page.content.decode()
    before = generation()
    for _ in range(3):  # the same browser again: nothing is counted, nothing invalidated
        assert client.post(f"/feedback/case/{case.code}/metoo/").status_code == 302
    assert generation() == before
    assert get(Client(), "/feedback/")["X-Page-Cache"] == "hit"


def test_a_content_save_changes_the_generation(places):
    before = generation()
    nf.story([places["sihuan"]], title="新保存的新闻")
    assert generation() != before


# --- Keyed on the parameters each page reads -------------------------------------------------


def test_parameters_no_page_reads_do_not_make_a_new_page(places):
    nf.story([places["sihuan"]], title="四环胡同路面修好了")
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss"
    for url in ("/news/?utm=1", "/news/?zz=2", "/news/?utm_source=x&q=spam"):
        page = get(Client(), url)
        assert page["X-Page-Cache"] == "hit", url
    # the page never echoes what it ignores: not in the search box, not in the display forms' next
    assert "spam" not in get(Client(), "/news/?q=spam").content.decode()
    assert "?q=spam" not in get(Client(), "/events/?q=spam&month=2026-03").content.decode()


def test_parameters_a_page_reads_make_their_own_page_in_any_order(places):
    for i in range(25):
        nf.story([places["sihuan"]], title=f"第{i}条新闻")
    first = get(Client(), "/news/")
    second = get(Client(), "/news/?page=2")
    assert second["X-Page-Cache"] == "miss"
    assert first.content != second.content
    assert get(Client(), "/news/?page=2&utm=1")["X-Page-Cache"] == "hit"
    assert get(Client(), "/news/?street=chunshu&page=2")["X-Page-Cache"] == "miss"
    assert get(Client(), "/news/?page=2&street=chunshu")["X-Page-Cache"] == "hit"
    assert get(Client(), "/search/?q=新闻")["X-Page-Cache"] == "miss"
    assert get(Client(), "/search/?q=路面")["X-Page-Cache"] == "miss"
    assert get(Client(), "/search/?x=1&q=路面")["X-Page-Cache"] == "hit"


def test_every_cacheable_page_declares_its_parameters():
    assert pagecache.CACHEABLE, "the list of shared pages"
    for name, parameters in pagecache.CACHEABLE.items():
        assert isinstance(parameters, frozenset), name
        assert all(p.isidentifier() for p in parameters), name


# --- One rebuild at a time: the others serve the last copy ------------------------------------


def page_key(path):
    """The key an anonymous visitor's page at ``path`` is stored under (it must be stored)."""
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = django_settings.LANGUAGE_CODE
    key = pagecache._key(request)
    assert cache.get(key) is not None, "the page is stored under this key"
    return key


def rebuilding_elsewhere(path):
    """Another request (in this process or another one) holds the page's rebuild lock."""
    assert cache.add(pagecache.REBUILD_KEY + page_key(path), "another request", 30)


def test_while_another_request_rebuilds_a_page_others_get_the_last_copy(places):
    nf.story([places["sihuan"]], title="四环胡同路面修好了")
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss"
    cache.incr(pagecache.GENERATION_KEY)  # another worker's change: the copy is no longer fresh
    rebuilding_elsewhere("/news/")
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = get(visitor, "/news/")
        assert page["X-Page-Cache"] == "stale"
        assert "四环胡同路面修好了" in page.content.decode()
        token = TOKEN.search(page.content.decode()).group(1)  # the visitor's own, as on a hit
        answer = visitor.post("/display/", {"name": "elder", "value": "1", "next": "/", "csrfmiddlewaretoken": token})
        assert answer.status_code == 302


def test_once_the_rebuild_stored_the_new_page_nobody_gets_the_old_one(places):
    get(Client(), "/news/")
    cache.incr(pagecache.GENERATION_KEY)
    lock = pagecache.REBUILD_KEY + page_key("/news/")
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss", "the lock was free: this request rebuilt it"
    assert cache.get(lock) is None, "and let go of the lock"
    assert cache.add(lock, "another request", 30)  # a rebuild that has stored but not yet let go
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"


def test_without_the_lock_every_request_renders_a_stale_page(places, settings):
    settings.PAGE_CACHE_STAMPEDE_LOCK = False
    get(Client(), "/news/")
    cache.incr(pagecache.GENERATION_KEY)
    rebuilding_elsewhere("/news/")
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss"


def made_earlier(path, seconds):
    """The stored page as if it had been made ``seconds`` earlier (and this process held no copy)."""
    key = page_key(path)
    gen, made, parts, headers = cache.get(key)
    cache.set(key, (gen, made - seconds, parts, headers), 600)
    pagecache._local.clear()


def test_freshness_is_judged_by_the_time_the_page_was_made(places):
    get(Client(), "/news/")
    made_earlier("/news/", 61)  # still in the cache, but older than 60 s
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss"
    assert get(Client(), "/news/")["X-Page-Cache"] == "hit"


def test_a_stale_copy_is_served_up_to_twice_the_cache_time_old(places):
    get(Client(), "/news/")
    rebuilding_elsewhere("/news/")
    made_earlier("/news/", 115)
    assert get(Client(), "/news/")["X-Page-Cache"] == "stale"
    made_earlier("/news/", 10)  # 125 s: beyond 2 × 60 s, this visitor renders the page
    assert get(Client(), "/news/")["X-Page-Cache"] == "miss"


def test_whoever_made_a_change_through_this_process_never_gets_the_old_copy(places, client, admin_user):
    story = nf.story([places["sihuan"]], title="刚刚发布的新闻", status=Story.Status.REVIEW, published_at=None)
    visitor = Client()
    assert "刚刚发布的新闻" not in get(visitor, "/").content.decode()
    rebuilding_elsewhere("/")  # e.g. after another worker's change, before this one
    publish_in_the_admin_and_see_it_at_once(client, admin_user, story, visitor)


def test_a_page_whose_rebuild_finds_it_gone_is_served_to_nobody(places):
    story = nf.story([places["sihuan"]], title="要撤下的新闻")
    url = story.get_absolute_url()
    get(Client(), url)
    key = page_key(url)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.REVIEW)  # taken down elsewhere ...
    cache.incr(pagecache.GENERATION_KEY)  # ... by another worker
    assert Client().get(url).status_code == 404  # this request took the lock and rebuilt: gone
    assert cache.get(pagecache.REBUILD_KEY + key) is None, "the lock is free again"
    assert cache.get(key) is None, "the old page was dropped"
    assert cache.add(pagecache.REBUILD_KEY + key, "another request", 30)
    assert Client().get(url).status_code == 404, "not the old page, even while another rebuilds"


class CountedView:
    """A page for the middleware alone (no database): it counts its renders and, while ``hold``
    is set, keeps each render waiting until ``release``, so every concurrent request has made its
    choice (render, or serve a copy) while the first render is still under way."""

    def __init__(self):
        self.renders = 0
        self.finished = 0
        self.state = threading.Condition()
        self.release = threading.Event()
        self.release.set()

    def __call__(self, request):
        with self.state:
            self.renders += 1
            number = self.renders
            self.state.notify_all()
        assert self.release.wait(timeout=30), "released"
        return HttpResponse(f"<html><body>render {number}</body></html>", content_type="text/html; charset=utf-8")

    def done(self):
        with self.state:
            self.finished += 1
            self.state.notify_all()

    def all_decided(self, n):
        """Wait until each of the n requests either rendered (and waits inside) or was answered."""
        with self.state:
            assert self.state.wait_for(lambda: self.renders + self.finished == n, timeout=30)


def stale_page_requested_at_once(n):
    """n threads ask for the home page at once, just after another worker's change: the answers'
    X-Page-Cache values and how often the page was rendered."""
    view = CountedView()
    middleware = pagecache.PageCacheMiddleware(view)
    assert middleware(RequestFactory().get("/"))["X-Page-Cache"] == "miss"
    cache.incr(pagecache.GENERATION_KEY)
    view.renders = 0
    view.release.clear()
    start = threading.Barrier(n)
    answers, errors = [], []

    def visit():
        try:
            start.wait(timeout=30)
            response = middleware(RequestFactory().get("/"))
            answers.append(response["X-Page-Cache"])
        except Exception as exc:  # noqa: BLE001 - reported below, a thread cannot fail the test
            errors.append(exc)
        finally:
            view.done()

    threads = [threading.Thread(target=visit) for _ in range(n)]
    for thread in threads:
        thread.start()
    view.all_decided(n)
    view.release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return sorted(answers), view.renders


def test_a_stale_popular_page_is_rendered_once_while_the_others_get_the_last_copy():
    answers, renders = stale_page_requested_at_once(8)
    assert renders == 1
    assert answers == ["miss"] + ["stale"] * 7


def test_without_the_lock_each_concurrent_request_renders_the_page(settings):
    """The control: the same requests without the lock render the page once each (a stampede)."""
    settings.PAGE_CACHE_STAMPEDE_LOCK = False
    answers, renders = stale_page_requested_at_once(8)
    assert renders == 8
    assert answers == ["miss"] * 8


def test_a_rebuild_that_raises_lets_go_of_the_lock_and_the_old_copy():
    view = CountedView()
    middleware = pagecache.PageCacheMiddleware(view)
    middleware(RequestFactory().get("/"))
    key = page_key("/")
    cache.incr(pagecache.GENERATION_KEY)

    def broken(request):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        pagecache.PageCacheMiddleware(broken)(RequestFactory().get("/"))
    assert cache.get(pagecache.REBUILD_KEY + key) is None
    assert cache.get(key) is None
    assert middleware(RequestFactory().get("/"))["X-Page-Cache"] == "miss", "the next request rebuilds"
