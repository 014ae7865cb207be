"""seed_scale at a tiny scale: the counts it promises, filled search columns, and pages that answer."""

import pytest
from django.core.management import CommandError, call_command

from communities.models import Community, PartnerUnit, Street
from events.models import ServiceDay
from feedback.models import Case, DispatchTask, TimelineEntry
from news.models import Photo, Story
from ops.scale import SIZES, scaled
from volunteers.models import Role, Signup, Team, Volunteer

SCALE = 0.002


@pytest.fixture
def seeded(db, settings, tmp_path):
    call_command("seed_scale", scale=SCALE)


def test_counts_match_the_scale(seeded):
    assert Street.objects.count() == 2  # at least two streets and three communities each, whatever the scale
    assert Community.objects.count() == 6
    assert PartnerUnit.objects.count() == scaled("partner_units", SCALE)
    assert Story.objects.count() == scaled("stories", SCALE, minimum=6) == 40
    assert ServiceDay.objects.count() == scaled("service_days", SCALE, minimum=4)
    assert Volunteer.objects.count() == scaled("volunteers", SCALE, minimum=10) == 40
    assert Signup.objects.count() == scaled("signups", SCALE, minimum=10) == 120
    assert Team.objects.count() == scaled("teams", SCALE, minimum=2)
    assert Case.objects.count() == scaled("cases", SCALE) == 200
    assert SIZES["cases"] == 100000
    # Every story has sections, dispatched cases have tasks, every case has a timeline.
    assert not Story.objects.filter(sections__isnull=True).exists()
    assert Photo.objects.exists()
    assert Role.objects.count() == 3 * ServiceDay.objects.count()
    assert DispatchTask.objects.exists()
    assert TimelineEntry.objects.values("case").distinct().count() == Case.objects.count()


def test_search_text_is_what_a_save_would_store(seeded):
    for story in Story.objects.order_by("pk")[:10]:
        stored = set(story.search_text.split())
        assert stored == set(story._search_text().split())
    day = ServiceDay.objects.first()
    before = day.search_text
    day.save()
    assert set(before.split()) == set(day.search_text.split())


def test_seats_never_exceed_places(seeded):
    for role in Role.objects.with_taken():
        assert role.taken <= role.places


def test_second_run_refuses_or_skips(seeded, capsys):
    with pytest.raises(CommandError):
        call_command("seed_scale", scale=SCALE)
    call_command("seed_scale", scale=SCALE, if_empty=True)
    assert "already there" in capsys.readouterr().out
    assert Story.objects.count() == 40


def test_bad_scale_is_refused(db):
    with pytest.raises(CommandError, match="scale"):
        call_command("seed_scale", scale=0)


def bench_pages():
    from ops.management.commands import bench

    return bench.pages()


# Queries per page on the seeded data set: the same as the small-data pins in each app's tests
# where those data have every kind of row (home and community page there lack some blocks' rows).
PINNED = {
    "floor": 0,
    "home": 12,  # + the 社区名录 block: the streets and their communities
    "community page": 8,
    "news list": 7,
    "story page": 10,
    "column issue": 5,
    "search": 3,
    "service-day list": 5,
    "service-day page": 3,  # was 6: each role loaded its day (one query per role); now none
    "team page": 5,
    "feedback board": 8,
    "case tracking": 5,  # the code's case for the frame, then the case drawn in its fragment (+3 prefetches)
}


@pytest.mark.urls("tests.portal.floor_urls")
def test_bench_pages_answer_with_pinned_query_counts(seeded, client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    pages = bench_pages()
    assert set(pages) == set(PINNED)
    for name, resolve in pages.items():
        path = resolve()
        assert path, name
        with django_assert_num_queries(PINNED[name]):
            response = client.get(path)
        assert response.status_code == 200, name


# The signed-in rows of the bench (ops/benchvisitors.py) on the seeded data set. They differ from the
# small-data pins of tests/portal/test_staff_scale.py only where a page has rows of another kind here
# (a desk line with something waiting reads its first rows; a filtered list with no row reads no photos).
PINNED_SIGNED_IN = {
    "desk (district admin)": 18,
    "story list (district admin)": 11,
    "story search (district admin)": 11,
    "case list (district admin)": 12,
    "case list, filtered (district admin)": 12,
    "case search (district admin)": 12,
    "case page (district admin)": 13,
    "desk (community worker)": 16,
    "story list (community worker)": 11,
    "story search (community worker)": 11,
    "case list (community worker)": 13,
    "case list, filtered (community worker)": 10,  # none late and waiting at this scale: no rows to prefetch for
    "case search (community worker)": 13,
    "case page (community worker)": 14,
    # A volunteer's second visit, as the bench measures it: the page from kept fragments (core/fragments.py);
    # drawn afresh they cost what tests/portal/test_staff_scale.py pins.
    "home (volunteer)": 2,
    "service-day page (volunteer)": 3,
    "我的报名 (volunteer)": 3,
}


def test_signed_in_bench_pages_answer_with_pinned_query_counts(seeded, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ops import benchvisitors
    from ops.management.commands import bench

    rows = bench.signed_in_pages()
    assert {name for name, _, _ in rows} == set(PINNED_SIGNED_IN)
    users = {kind: benchvisitors.visitor(kind) for kind in benchvisitors.VISITORS}
    assert benchvisitors.visitor(benchvisitors.VOLUNTEER) == users[benchvisitors.VOLUNTEER]  # made once
    counted = {}
    for name, kind, resolve in rows:
        path = resolve(users[kind])
        assert path, name
        client.cookies[settings.SESSION_COOKIE_NAME] = benchvisitors.session_cookie(users[kind]).split("=", 1)[1]
        client.get(path)  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, name
        assert response.context["request"].user == users[kind], name
        counted[name] = len(captured)
    assert counted == PINNED_SIGNED_IN


def test_floor_is_not_served_by_default(client):
    assert client.get("/floor").status_code == 404


def test_story_page_weighs_at_most_100_kb_compressed(seeded, client):
    """HTML + CSS + JS of the heaviest kind of story page, gzipped as WhiteNoise serves them (photos excluded)."""
    import gzip
    import re

    from django.conf import settings
    from django.contrib.staticfiles import finders

    html = client.get(bench_pages()["story page"]()).content
    assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html)
    files = [(css or js).decode() for css, js in assets]
    assert any(f.endswith(".css") for f in files) and any(f.endswith(".js") for f in files)
    total = len(gzip.compress(html, 9))
    for url in files:
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, url
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), 9))
    assert total <= 100 * 1024, f"{total / 1024:.1f} KB"
