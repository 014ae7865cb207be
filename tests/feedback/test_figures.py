import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import figures
from feedback.models import Case, CasePhoto, DispatchTask
from tests.feedback.conftest import jpeg

S = Case.Status
BASE = timezone.now() - timedelta(days=40)


def make(community, category, *, status, responded_after_h=None, resolved_after_d=None, rating="", day=0, **extra):
    created = BASE + timedelta(days=day)
    return Case.objects.create(
        code=f"SH-2026-{uuid.uuid4().int % 10**6:06d}",
        community=community,
        category=category,
        place="院内",
        description="问题描述足够长。",
        status=status,
        decline_reason="duplicate" if status == S.DECLINED else "",
        created_at=created,
        respond_deadline=created + timedelta(hours=24),
        responded_at=None if responded_after_h is None else created + timedelta(hours=responded_after_h),
        resolved_at=None if resolved_after_d is None else created + timedelta(days=resolved_after_d),
        rating=rating,
        **extra,
    )


@pytest.fixture
def known(places, category, fangguan, settings):
    settings.FEEDBACK_MIN_CASES_FOR_RATE = 2
    sihuan = places["sihuan"]
    c1 = make(sihuan, category, status=S.CONFIRMED, responded_after_h=2, resolved_after_d=2, rating="satisfied")
    make(sihuan, category, status=S.CONFIRMED, responded_after_h=30, resolved_after_d=4, rating="basic")
    make(sihuan, category, status=S.DECLINED, responded_after_h=1)
    make(sihuan, category, status=S.SUBMITTED)
    make(places["chunshuyuan"], category, status=S.RESOLVED, responded_after_h=1, resolved_after_d=1)
    DispatchTask.objects.create(
        case=c1,
        department=fangguan,
        is_lead=True,
        status="done",
        created_at=c1.created_at,
        onsite_deadline=c1.created_at + timedelta(days=1),
        deadline=c1.created_at + timedelta(days=1),
        done_at=c1.created_at + timedelta(days=2),
    )
    return places


def test_three_rates_on_a_known_data_set(known):
    data = figures.compute()
    shichahai = next(r for r in data["by_street"] if r.name == "什刹海街道")
    assert shichahai.total == 4
    assert shichahai.response_rate == pytest.approx(2 / 4)
    assert shichahai.resolution_rate == pytest.approx(2 / 3)
    assert shichahai.satisfaction_rate == pytest.approx(1.0)
    assert shichahai.median_days == pytest.approx(3.0)
    assert shichahai.overdue == 1
    chunshu = next(r for r in data["by_street"] if r.name == "椿树街道")
    assert chunshu.total == 1 and chunshu.response_rate is None  # below the minimum
    dept = data["by_department"][0]
    assert dept.name == "什刹海街道房管所" and dept.total == 1 and dept.overdue == 1
    overall = data["overall"]
    assert overall.total == 5 and overall.response_rate == pytest.approx(3 / 5)
    assert overall.resolution_rate == pytest.approx(3 / 4)
    assert overall.satisfaction_rate == pytest.approx(1.0)


def test_board_shows_rates_and_svg(client, known):
    html = client.get("/feedback/").content.decode()
    assert "<svg" in html and "响应率" in html
    assert "67%" in html and "50%" in html
    assert "件数太少" in html


def test_board_speaks_plain_words_and_folds_the_details(client, known):
    html = client.get("/feedback/").content.decode()
    start = html.index('class="fb-headline"')
    headline = html[start : html.index("</section>", start)]
    for words in ("收到的问题", "已经解决", "居民满意", "一般多少天办完", "按时答复", "超过期限的任务"):
        assert words in headline
    assert "办结用时中位数" not in headline and "超期任务" not in headline and "响应率" not in headline
    # Every table and chart sits in a fold with a plain-word heading, after the big numbers.
    details = html[html.index('id="fb-details"') :]
    assert html.count('<table class="table fb-table stack-table"') == details.count("<table") == 4
    for summary in ("每个月收到多少、办完多少", "各街道办得怎么样", "各社区办得怎么样", "各部门办得怎么样"):
        assert f"<summary>{summary}</summary>" in details
    # Each cell names its column, for the stacked cards on a phone.
    assert 'data-label="一般多少天办完"' in details


def test_charts_keep_their_text_size_at_any_width(client, known):
    html = client.get("/feedback/").content.decode()
    charts = re.findall(r"<svg class=\"fb-chart\".*?</svg>", html)
    assert len(charts) == 3  # months, streets, departments
    for chart in charts:
        assert "viewBox" not in chart  # nothing scales the text down on a phone
        sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', chart)]
        assert sizes and min(sizes) >= 16


def test_board_street_filter(client, known):
    response = client.get("/feedback/?street=chunshu")
    assert response.status_code == 200
    assert client.get("/feedback/?street=nowhere").status_code == 200


def test_figures_csv_is_for_staff_only(client, known, admin_user):
    assert client.get("/feedback/figures.csv").status_code == 302
    client.force_login(admin_user)
    body = client.get("/feedback/figures.csv").content.decode("utf-8-sig")
    assert "什刹海街道,4,50.0%,66.7%,100.0%,1,3.0" in body


def published_solved(places, category, n):
    for i in range(n):
        case = make(
            places["sihuan"] if i % 2 else places["chunshuyuan"],
            category,
            status=S.CONFIRMED,
            responded_after_h=1,
            resolved_after_d=3,
            rating="satisfied",
            day=i,
            is_published=True,
        )
        CasePhoto.objects.create(case=case, role="after", image=jpeg(f"{i}.jpg"))
    make(places["sihuan"], category, status=S.DISPATCHED, responded_after_h=1, is_published=True)


@pytest.mark.parametrize("n", [2, 12])
def test_board_query_count_is_fixed(client, places, category, n, django_assert_num_queries):
    published_solved(places, category, n)
    with django_assert_num_queries(8):
        assert client.get("/feedback/").status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_track_query_count_is_fixed(client, walk, make_case, n, django_assert_num_queries):
    cases = [walk(make_case(), "resolved") for _ in range(n)]
    with django_assert_num_queries(5):  # the code's case, then the case drawn with its timeline, tasks, photos
        assert client.get(f"/feedback/track/{cases[-1].code}/").status_code == 200
    with django_assert_num_queries(1):  # from its kept fragment (core/fragments.py): the code's case only
        assert client.get(f"/feedback/track/{cases[-1].code}/").status_code == 200


def test_metoo_once_per_browser_and_rate_limited(client, places, category, rate_limits):
    case = make(places["sihuan"], category, status=S.DISPATCHED, responded_after_h=1, is_published=True)
    assert client.post(f"/feedback/case/{case.code}/metoo/").status_code == 302
    client.post(f"/feedback/case/{case.code}/metoo/")
    case.refresh_from_db()
    assert case.metoo_count == 1
    assert "您已附议" in client.get("/feedback/").content.decode()
    rate_limits("metoo", address=(2, 3600))  # the first browser used one
    other = make(places["sihuan"], category, status=S.DISPATCHED, responded_after_h=1, is_published=True)
    from django.test import Client

    fresh_browser = Client()
    assert fresh_browser.post(f"/feedback/case/{other.code}/metoo/").status_code == 302
    third = make(places["sihuan"], category, status=S.ACCEPTED, responded_after_h=1, is_published=True)
    assert Client().post(f"/feedback/case/{third.code}/metoo/").status_code == 429


def test_metoo_refused_on_unpublished_or_solved(client, places, category):
    hidden = make(places["sihuan"], category, status=S.DISPATCHED, responded_after_h=1)
    solved = make(places["sihuan"], category, status=S.CONFIRMED, responded_after_h=1, is_published=True)
    assert client.post(f"/feedback/case/{hidden.code}/metoo/").status_code == 404
    assert client.post(f"/feedback/case/{solved.code}/metoo/").status_code == 404


def test_photos_keep_their_size_and_a_lost_file_breaks_no_page(client, places, category, settings):
    published_solved(places, category, 2)
    photo = CasePhoto.objects.order_by("pk").first()
    assert (photo.width, photo.height) != (None, None)  # stored on upload: pages never open the file
    html = client.get("/feedback/").content.decode()
    assert f'width="{photo.width}" height="{photo.height}"' in html

    # A restore without media, a moved volume: the file is gone.
    import os

    os.remove(photo.image.path)
    CasePhoto.objects.filter(pk=photo.pk).update(width=None, height=None)
    CasePhoto.objects.get(pk=photo.pk)  # loading the row does not fail
    client.raise_request_exception = False
    for url in ("/feedback/", f"/feedback/track/{photo.case.code}/", photo.case.community.get_absolute_url()):
        assert client.get(url).status_code == 200, url


def test_figures_are_recomputed_by_one_process_while_others_serve_the_last(places, category, monkeypatch):
    from django.core.cache import cache

    from core import pagecache

    published_solved(places, category, 2)
    first = figures.cached()
    assert first["overall"].total == 3
    make(places["sihuan"], category, status=S.CONFIRMED, responded_after_h=1, resolved_after_d=1, rating="satisfied")
    pagecache.bump("feedback")  # what a save does
    # Another process holds the recompute lock: this one answers with the last figures at once.
    cache.add("figures:v2::" + ":computing", 1, 60)
    monkeypatch.setattr(figures, "compute", lambda **kw: pytest.fail("recomputed while another process does"))
    assert figures.cached()["overall"].total == 3
    # The lock released, the next visitor recomputes and sees the new case.
    cache.delete("figures:v2::" + ":computing")
    monkeypatch.undo()
    assert figures.cached()["overall"].total == 4
