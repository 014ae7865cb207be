"""Staff pages at any scale: the case and story lists (with filters and search), a case's page and the
工作台 cost the same number of queries with 3 or 30 of everything, for a district administrator and a
community worker; and the list counts stay cheap on a large table (core.paginator)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import StaffScope
from core import fragments
from feedback import workflow
from tests import factories
from tests.feedback.conftest import jpeg
from tests.news import factories as nf

Role = StaffScope.Role


@pytest.fixture
def district_admin(places):
    return factories.staff(Role.DISTRICT_ADMIN, "district-admin-scope")


# Queries per page and role (session, user, two-factor, permissions, scope, the list's bounded count and
# rows, the rows' prefetches, the filters' choices): pinned, and the same with 3 or 30 of everything.
# Before core.paginator: case list 16 (district) and 17 + one per row (worker: the phone column asked
# the scope for each row), story list 15, case page 28 / 32. Case page 28 / 29 before the scope check was
# answered once per GET (it was asked for the case, each inline and each permission) and the case read once;
# every page one more before the two-factor check was answered once per GET.
QUERIES = {
    "district_admin": {
        "case list": 12,
        "case list, filtered": 12,
        "case list, search": 12,
        "story list": 11,
        "story list, search": 11,
        "case page": 14,
        "desk": 15,
    },
    "worker_sihuan": {
        "case list": 13,
        "case list, filtered": 13,
        "case list, search": 13,
        "story list": 11,
        "story list, search": 11,
        "case page": 15,
        "desk": 14,
    },
}


def fill(places, make_case, fangguan, worker_sihuan, n):
    """``n`` cases (a third dispatched, each with a photo) and ``n`` stories in 四环 and 西海."""
    from feedback.models import CasePhoto

    for i in range(n):
        community = places["xihai"] if i % 3 == 0 else places["sihuan"]
        case = make_case(community=community, place=f"四环胡同{i}号", contact_phone="13812341234", consent=True)
        CasePhoto.objects.create(case=case, image=jpeg(), alt_text="路面")
        if i % 3 == 2:  # 四环's worker dispatches their own cases
            workflow.accept(case, "", by=worker_sihuan)
            workflow.dispatch(case, fangguan, [], "", by=worker_sihuan)
        nf.story([community], title=f"四环社区新闻{i}", status="published")


def staff_pages(case_pk, category_pk):
    cases = reverse("admin:feedback_case_changelist")
    return {
        "case list": cases,
        "case list, filtered": f"{cases}?status__exact=submitted&overdue=no&category__id__exact={category_pk}",
        "case list, search": f"{cases}?q=胡同",
        "story list": reverse("admin:news_story_changelist"),
        "story list, search": reverse("admin:news_story_changelist") + "?q=新闻",
        "case page": reverse("admin:feedback_case_change", args=[case_pk]),
        "desk": reverse("admin:index"),
    }


def count_queries(client, path):
    client.get(path)  # warm the per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("role", ["district_admin", "worker_sihuan"])
def test_staff_pages_cost_the_same_with_ten_times_the_rows(
    client, request, places, make_case, category, fangguan, worker_sihuan, role
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    fill(places, make_case, fangguan, worker_sihuan, 3)
    from feedback.models import Case

    case = Case.objects.filter(status=Case.Status.DISPATCHED).order_by("pk").first()  # with tasks and timeline
    pages = staff_pages(case.pk, category.pk)
    few = {name: count_queries(client, path) for name, path in pages.items()}
    fill(places, make_case, fangguan, worker_sihuan, 27)
    many = {name: count_queries(client, path) for name, path in pages.items()}
    assert few == many == QUERIES[role]


def test_a_big_list_counts_up_to_its_bound_and_says_so(client, places, make_case, worker_sihuan, monkeypatch):
    """Past ``exact_up_to`` rows the list stops counting: "超过 N" on SQLite (PostgreSQL shows its planner's
    estimate, "约 N"), the pages still work and the count costs one bounded query."""
    from core.paginator import LargeTablePaginator

    monkeypatch.setattr(LargeTablePaginator, "exact_up_to", 4)
    for i in range(6):
        make_case(place=f"四环胡同{i}号")
    client.force_login(worker_sihuan)
    text = client.get(reverse("admin:feedback_case_changelist")).content.decode()
    if connection.vendor == "postgresql":  # the planner's estimate, never fewer than the 5 rows counted
        assert re.search(r"约 [\d,]+ 条居民诉求", text)
    else:
        assert "超过 4 条居民诉求" in text
    assert "6 居民诉求" not in text
    monkeypatch.setattr(LargeTablePaginator, "exact_up_to", 10)
    text = client.get(reverse("admin:feedback_case_changelist")).content.decode()
    assert "6 居民诉求" in text and "超过 10" not in text


def test_the_desk_stops_counting_past_its_bound(client, places, make_case, worker_sihuan, monkeypatch):
    from core import desk

    monkeypatch.setattr(desk, "COUNTED_UP_TO", 3)
    for i in range(5):
        make_case(place=f"四环胡同{i}号")
    client.force_login(worker_sihuan)
    text = client.get(reverse("admin:index")).content.decode()
    assert "3+ 件" in text and "还有很多，看全部" in text
    assert "5 件" not in text


# A signed-in volunteer's pages, never from the page cache: pinned, and the same with 3 or 30 sign-ups,
# days and roles (the day's roles, each with another volunteer's sign-up, one of them this volunteer's).
# Drawn afresh (no kept fragment), and from kept fragments (core/fragments.py): the session, the
# user, the page's own row (the day, the volunteer).
VOLUNTEER_QUERIES = {"home": 10, "service-day page": 7, "我的报名": 10}
VOLUNTEER_KEPT = {"home": 2, "service-day page": 3, "我的报名": 3}


def test_a_volunteers_pages_cost_the_same_with_ten_times_the_rows(client, places, settings):
    from django.core.cache import cache

    from tests.events import factories as ef
    from volunteers import signup as rules
    from volunteers.models import HoursEntry

    community = places["sihuan"]
    me = ef.volunteer("volunteer-me")
    team = ef.team(community, leader=me)
    team.members.add(me)
    day = ef.day(community, days_ahead=3)

    def grow(n):
        for i in range(n):
            role = ef.role(day, places=5, title=f"岗位{ef.Role.objects.count()}")
            ef.confirmed(role, ef.volunteer())
            other_day = ef.day(community, days_ahead=10 + ef.Role.objects.count())
            rules.sign_up(ef.role(other_day).pk, me)
            if not me.signups.filter(role__day=day).exists():
                rules.sign_up(role.pk, me)  # one of the day's roles: the page shows it as mine
            HoursEntry.objects.create(volunteer=me, hours=2, community=community, team=team)
            nf.story([community], title=f"四环新闻{ef.Role.objects.count()}")

    pages = {"home": "/", "service-day page": day.get_absolute_url(), "我的报名": "/volunteers/me/"}
    client.force_login(me.user)

    def counted(kept):
        cache.clear()  # the rendering's own queries, not figures another visit kept
        fragments.clear()
        settings.FRAGMENT_CACHE_SECONDS = 60 if kept else 0
        return {name: count_queries(client, path) for name, path in pages.items()}

    grow(3)
    few = counted(kept=False), counted(kept=True)
    grow(27)
    assert few == (counted(kept=False), counted(kept=True)) == (VOLUNTEER_QUERIES, VOLUNTEER_KEPT)


def test_the_big_lists_search_finds_codes_in_any_case_and_every_word(client, places, make_case, admin_user):
    first = make_case(place="四环胡同28号院")
    make_case(place="西海南沿5号")
    client.force_login(admin_user)
    url = reverse("admin:feedback_case_changelist")
    assert first.code in client.get(url, {"q": first.code.lower()}).content.decode()
    text = client.get(url, {"q": "四环 28号"}).content.decode()
    assert first.code in text and "西海南沿" not in text
    assert "西海南沿" not in client.get(url, {"q": '"四环胡同"'}).content.decode()
    assert client.get(url, {"q": '"'}).status_code == 200
    story = nf.story([places["sihuan"]], title="四环社区的新台阶", slug="sihuan-steps")
    text = client.get(reverse("admin:news_story_changelist"), {"q": "SIHUAN-steps"}).content.decode()
    assert story.title in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_big_lists_row_checkbox_is_the_html_django_renders(places, make_case, language):
    """LargeListAdmin writes the row checkbox out instead of rendering Django's widget: the same HTML."""
    from django.contrib import admin
    from django.utils import translation

    from feedback.models import Case

    case = make_case(place='四环胡同<1>号 "东"')
    case_admin = admin.site._registry[Case]
    with translation.override(language):
        ours = case_admin.action_checkbox(case)
        djangos = admin.ModelAdmin.action_checkbox(case_admin, case)
    assert ours == djangos
    assert 'name="_selected_action"' in ours and "&lt;1&gt;" in ours
