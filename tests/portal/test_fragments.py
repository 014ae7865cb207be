"""The fragment cache (core/fragments.py): a page drawn from kept fragments is the page drawn
afresh, for every mode, language and visitor; a change refreshes the fragments of its app and
leaves the others; a visitor's own fragment is theirs alone; a kept page reads (almost) nothing."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import fragments
from events.models import ServiceDay
from feedback.models import Case
from news.models import ColumnIssue, Story
from tests import factories
from tests.news import factories as nf
from volunteers.models import Team

# What differs between two renders anyway: per-visitor form values, and the charts' element ids.
VOLATILE = re.compile(r'(name="(?:csrfmiddlewaretoken|submission)" value="|chart-)[^"]*(")')
MODES = {
    "中文": {},
    "English": {"django_language": "en"},
    "长辈模式": {"elder": "1"},
    "高对比、大字": {"contrast": "high", "fontsize": "l"},
}


@pytest.fixture
def demo(settings, db):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    settings.PAGE_CACHE_SECONDS = 0  # every answer rendered: what is kept here is the fragments


def demo_pages():
    """Every public page with fragments, on the demo's rows."""
    story = Story.objects.published().order_by("-published_at").first()
    issue = ColumnIssue.objects.filter(stories__isnull=False).select_related("column").first()
    day = ServiceDay.objects.upcoming().first()
    solved = Case.objects.published().solved().first()
    return [
        "/",
        "/news/",
        "/news/?page=2",
        story.get_absolute_url(),
        issue.get_absolute_url(),
        "/events/",
        day.get_absolute_url(),
        Team.objects.order_by("pk").first().get_absolute_url(),
        "/feedback/",
        f"/feedback/track/{solved.code}/",
        "/search/?q=%E7%A4%BE%E5%8C%BA",
        day.community.get_absolute_url(),
        day.community.street.get_absolute_url(),
    ]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return VOLATILE.sub(r"\1…\2", response.content.decode())


def visitor(cookies, user=None):
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    if user is not None:
        client.force_login(user)
    return client


def test_a_page_from_kept_fragments_is_the_page_drawn_afresh(demo, settings):
    from django.contrib.auth import get_user_model

    volunteer = get_user_model().objects.get(username="volunteer-demo")
    pages = demo_pages()
    signed_in = ["/", ServiceDay.objects.upcoming().first().get_absolute_url(), "/volunteers/me/"]
    for mode, cookies in MODES.items():
        for user, urls in ((None, pages), (volunteer, signed_in)):
            settings.FRAGMENT_CACHE_SECONDS = 0
            fresh = {url: page(visitor(cookies, user), url) for url in urls}
            settings.FRAGMENT_CACHE_SECONDS = 60
            for url in urls:
                page(visitor(cookies, user), url)  # made and kept
                kept = page(visitor(cookies, user), url)
                assert kept == fresh[url], f"{url} [{mode}, {user or 'anonymous'}] differs when drawn from fragments"
        fragments.clear()


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/", 0), ("/news/", 0), ("/events/", 0), ("/feedback/", 0), ("/search/?q=%E7%A4%BE%E5%8C%BA", 0)],
)
def test_a_kept_page_reads_nothing(demo, url, queries, django_assert_num_queries):
    page(Client(), url)
    with django_assert_num_queries(queries):
        page(Client(), url)


def test_a_kept_story_team_or_case_reads_only_its_own_row(demo, django_assert_num_queries):
    story = Story.objects.published().first()
    team = Team.objects.first()
    case = Case.objects.published().solved().first()
    for url in (story.get_absolute_url(), team.get_absolute_url(), f"/feedback/track/{case.code}/"):
        page(Client(), url)
        with django_assert_num_queries(1):
            page(Client(), url)


def test_a_report_leaves_the_news_fragments_and_a_story_refreshes_them(demo, django_assert_num_queries):
    page(Client(), "/news/")
    page(Client(), "/feedback/")
    solved = Case.objects.published().solved().first()
    Case.objects.get(pk=solved.pk).save()  # a feedback row changes
    with django_assert_num_queries(0):
        page(Client(), "/news/")  # news fragments kept
    assert len(page(Client(), "/feedback/")) > 0
    story = nf.story([solved.community], title="胡同里的新鲜事：修好了路灯")
    assert story.title in page(Client(), "/news/")
    assert story.title in page(Client(), "/")


def test_a_volunteers_own_page_is_never_shown_to_another(demo):
    from volunteers.models import Volunteer

    first = Volunteer.objects.select_related("user").filter(user__isnull=False).first()
    other_user = factories.user("volunteer-second")
    Volunteer.objects.create(user=other_user, real_name="李第二", phone="13800009999", community=first.community)
    assert first.real_name in page(visitor({}, first.user), "/volunteers/me/")
    theirs = page(visitor({}, other_user), "/volunteers/me/")
    assert first.real_name not in theirs
    assert "李第二" in theirs


def test_a_kept_fragment_gives_each_visitor_a_working_csrf_token(demo):
    assert Case.objects.published().open().exists()
    page(Client(), "/feedback/")
    resident = Client(enforce_csrf_checks=True)
    html = resident.get("/feedback/").content.decode()
    metoo = r'action="(/feedback/case/[^"]+/metoo/)">\s*<input [^>]*name="csrfmiddlewaretoken" value="([^"]+)"'
    form = re.search(metoo, html)
    assert form, "the board shows a 附议 form"
    answer = resident.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)})
    assert answer.status_code == 302


def test_a_scheduled_publication_retires_fragments_made_before_it():
    versions = (("news", 1),)
    made, due, now = 1000.0, [1030.0], 1050.0  # FRAGMENT_CACHE_SECONDS is 60
    assert not fragments._fresh((versions, made, []), versions, due, now)
    assert fragments._fresh((versions, 1040.0, []), versions, due, now)  # made after it: the story is in it
    assert fragments._fresh((versions, made, []), versions, [1100.0], now)  # not due yet
    assert not fragments._fresh((versions, made, []), (("news", 2),), [], now)  # news changed
    assert not fragments._fresh((versions, made, []), versions, [], 1061.0)  # older than 60 s


def test_pending_messages_draw_the_page_for_this_visitor(demo, settings):
    open_case = Case.objects.published().open().first()
    resident = Client()
    page(resident, "/feedback/")
    answer = resident.post(f"/feedback/case/{open_case.code}/metoo/")
    assert answer.status_code == 302
    html = resident.get(answer["Location"]).content.decode()
    assert "已附议" in html


def test_a_parameter_the_page_does_not_read_is_drawn_afresh_and_never_kept(demo, django_assert_num_queries):
    page(Client(), "/news/?page=1")
    with django_assert_num_queries(0):
        page(Client(), "/news/?page=1")
    page(Client(), "/news/?page=1&next=%2F%2Fevil.example")
    with CaptureQueriesContext(connection) as drawn:
        html = page(Client(), "/news/?page=1&next=%2F%2Fevil.example")
    assert len(drawn.captured_queries) > 0, "drawn afresh, not kept"
    assert "evil.example" not in page(Client(), "/news/?page=1")
    assert "/news/" in html


def test_a_process_keeps_fragments_up_to_its_byte_limit():
    local = fragments._Local(limit=100)
    for n in range(5):
        local.put(f"k{n}", ((), 0.0, [b"x" * 30]))
    assert local.bytes <= 100
    assert local.get("k0") is None
    assert local.get("k4") is not None


def _stored(versions, made, html="<p>kept</p>"):
    from core import pagecache

    return (versions, made, pagecache._split(html.encode()))


@pytest.mark.parametrize("lock_taken", [True, False])
def test_an_old_fragment_is_drawn_once_while_the_others_get_the_last_copy(rf, db, lock_taken, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from core import sharedcache

    request = rf.get("/")
    request.user = AnonymousUser()
    versions, _due = fragments.generations.current(("news",))
    key = fragments._key(request, "old", ())
    now = timezone.now().timestamp()
    sharedcache.set(key, _stored(tuple(sorted(versions.items())), now - 90), 120)  # past its 60 s, rows the same
    if lock_taken:
        sharedcache.add(f"{key}:rebuild", 1, 5)  # another request is drawing it
    drawn = []
    html = fragments.get_or_render(request, "old", ("news",), (), lambda: drawn.append(1) or "<p>new</p>")
    if lock_taken:
        assert (html, drawn) == ("<p>kept</p>", [])
    else:
        assert (html, drawn) == ("<p>new</p>", [1])
        assert sharedcache.get(f"{key}:rebuild") is None  # let go once drawn


def test_a_fragment_whose_rows_changed_is_never_given_out(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from core import pagecache, sharedcache

    request = rf.get("/")
    request.user = AnonymousUser()
    versions, _due = fragments.generations.current(("news",))
    key = fragments._key(request, "changed", ())
    sharedcache.set(key, _stored(tuple(sorted(versions.items())), timezone.now().timestamp() - 90), 120)
    sharedcache.add(f"{key}:rebuild", 1, 5)
    pagecache.bump("news")
    html = fragments.get_or_render(request, "changed", ("news",), (), lambda: "<p>new</p>")
    assert html == "<p>new</p>"


def test_an_address_no_page_answers_keeps_nothing(demo):
    assert Client().get("/no-such-page/").status_code == 404
    page(Client(), "/news/")
    kept = list(fragments._local.items)
    headers = [key for key in kept if key.startswith("fragment:site-header")]
    assert len(headers) == 1, "one frame kept: the news list's, none for the 404"
