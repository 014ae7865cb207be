"""English without Chinese interface: every public page of the demo district, read in English, holds
Chinese only inside content marked lang="zh-Hans" (tests/portal/english.py says what counts), says
once that the content is written in Chinese, and shows dates, weekdays and issue numbers in English."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from core import lang
from events.models import ServiceDay
from feedback.models import Case
from news.models import ColumnIssue
from tests.portal.english import chinese_outside_content

NOTE = "written in Chinese and shown as written"


def english_client():
    """English as the language switcher sets it (plain URLs ignore Accept-Language on purpose:
    core.middleware.SiteLanguageMiddleware); the browser's header says English too."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)


def public_pages():
    upcoming = ServiceDay.objects.upcoming().first()
    past = ServiceDay.objects.filter(date__lt=datetime.date.today()).first()
    courtyard = Case.objects.filter(place__contains="28").first()
    return [
        "/",
        "/news/",
        "/news/zou-shequ-28/",
        "/news/columns/zou-shequ/",
        "/news/columns/zou-shequ/28/",
        "/news/tags/weilao/",
        "/events/",
        upcoming.get_absolute_url(),
        past.get_absolute_url(),
        "/volunteers/",
        "/volunteers/teams/lishuangjun/",
        "/feedback/",
        "/feedback/new/",
        "/feedback/track/",
        courtyard.get_absolute_url(),
        "/communities/",
        "/communities/chunshu/",
        "/communities/shichahai/sihuan/",
        "/search/?q=义剪",
        "/accessibility/",
    ]


def test_every_public_page_in_english_has_no_chinese_interface(demo):
    problems = {}
    client = english_client()
    for url in public_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en"' in html, url
        leaks = chinese_outside_content(html)
        if leaks:
            problems[url] = leaks
        assert html.count(NOTE) == 1, url
    assert problems == {}


def test_the_chinese_pages_have_no_language_note(demo, client):
    html = client.get("/").content.decode()
    assert NOTE not in html and "language-note" not in html


def test_english_dates_weekdays_issue_numbers_and_names(demo):
    client = english_client()
    day = ServiceDay.objects.upcoming().filter(offerings__partner_unit__name="宣南律师事务所").first()
    html = client.get(day.get_absolute_url()).content.decode()
    with translation.override("en"):
        assert f"<dd>{lang.local_date(day.date, 'full')}</dd>" in html  # Saturday 12 December 2026
    assert 'Provided by: <span lang="zh-Hans">宣南律师事务所</span>' in html
    assert "Legal advice" in html  # the service type's name from the catalogue
    home = client.get("/").content.decode()
    assert "· Issue 28</a>" in home and "Issue 二十八" not in home
    assert "Needs Nursing and first aid" in home or "Needs Haircut" in home
    issue = ColumnIssue.objects.get(number=28)
    with translation.override("zh-hans"):
        assert issue.label == "第二十八期"
    with translation.override("en"):
        assert issue.label == "Issue 28"


def test_local_date_per_language():
    saturday = datetime.date(2026, 12, 12)
    with translation.override("en"):
        assert lang.local_date(saturday, "day") == "Sat 12 Dec"
        assert lang.local_date(saturday, "date") == "12 December 2026"
        assert lang.local_date(saturday, "full") == "Saturday 12 December 2026"
    with translation.override("zh-hans"):
        assert lang.local_date(saturday, "day") == "12月12日 星期六"
        assert lang.local_date(saturday, "date") == "2026年12月12日"
    assert lang.local_date(None) == ""


def test_mark_chinese_only_marks_chinese_on_other_pages():
    with translation.override("en"):
        assert lang.mark_chinese("宣南<律所>") == '<span lang="zh-Hans">宣南&lt;律所&gt;</span>'
        assert lang.mark_chinese("12345") == "12345"
    with translation.override("zh-hans"):
        assert lang.mark_chinese("宣南律所") == "宣南律所"


def test_timeline_in_english_on_the_track_page(demo):
    courtyard = Case.objects.filter(place__contains="28").first()
    html = english_client().get(courtyard.get_absolute_url()).content.decode()
    assert "Resident report: Damaged paving" in html
    assert "(lead)" in html and "(assisting)" in html and "reported on site" in html
    timeline = html.split('<ol class="fb-timeline">', 1)[1].split("</ol>", 1)[0]
    assert "居民反映" not in timeline and "社区吹哨" not in timeline and "到现场报到" not in timeline


def test_the_leak_finder_sees_interface_chinese_and_leaves_marked_content():
    html = (
        '<html lang="en"><head><title>四环社区</title></head><body>'
        '<p>Received 收到</p><p lang="zh-Hans">居民反映<b>路面</b></p><img alt="照片">'
        '<button aria-label="搜索">Go</button><script>var a = "中文";</script></body></html>'
    )
    assert chinese_outside_content(html) == ["html/body/p: 'Received 收到'", "<button aria-label='搜索'>"]
