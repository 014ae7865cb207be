import datetime
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import ResidentBooking, ServiceDay
from tests.events import factories as ef

pytestmark = pytest.mark.django_db


def build(community, n):
    """n days, each with three offerings (one bookable) and two roles."""
    days = []
    for i in range(n):
        day = ef.day(community, days_ahead=3 + i)
        unit = ef.factories.partner_unit(community)
        ef.offering(day, places=5, partner_unit=unit)
        ef.offering(day, partner_unit=unit)
        ef.offering(day)
        ef.role(day)
        ef.role(day, skill=ef.skill("医护"))
        days.append(day)
    return days


def count_queries(client, url):
    cache.clear()  # the rendering's own queries, not the feedback figures kept by an earlier visit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/events/", 5),
        # 3: the roles no longer load their day one by one (volunteers.blocks hands them the page's day)
        ("/events/{day}/", 3),
        ("/events/{day}/calendar.ics", 1),
        ("/events/communities/{community}.ics", 2),
        ("/", None),
        # + the news and feedback blocks of the community page
        ("/communities/chunshu/chunshuyuan/", 6),
    ],
)
def test_query_counts_pinned_at_two_sizes(client, places, url, expected):
    community = places["chunshuyuan"]
    small = build(community, 1)
    url = url.format(day=small[0].pk, community=community.pk)
    few = count_queries(client, url)
    build(community, 12)
    many = count_queries(client, url)
    assert few == many
    if expected is not None:
        assert many == expected


def test_list_filters_by_street_and_community(client, places):
    ef.day(places["chunshuyuan"], title="椿树园服务日")
    ef.day(places["sihuan"], title="四环服务日")
    ef.day(places["chunshuyuan"], title="筹备中", status=ServiceDay.Status.PLANNED)
    html = client.get("/events/").content.decode()
    assert "椿树园服务日" in html and "四环服务日" in html and "筹备中" not in html
    html = client.get("/events/?street=shichahai").content.decode()
    assert "四环服务日" in html and "椿树园服务日" not in html
    html = client.get(f"/events/?community={places['chunshuyuan'].pk}").content.decode()
    assert "椿树园服务日" in html and "四环服务日" not in html
    assert client.get("/events/?month=bad&page=1").status_code == 200
    assert client.get("/events/?page=99").status_code == 404


def test_month_calendar_shows_days(client, places):
    day = ef.day(places["chunshuyuan"], days_ahead=40, title="下月服务日")
    html = client.get(f"/events/?month={day.date:%Y-%m}").content.decode()
    assert day.get_absolute_url() in html


def test_planned_day_is_404(client, places):
    day = ef.day(places["chunshuyuan"], status=ServiceDay.Status.PLANNED)
    assert client.get(f"/events/{day.pk}/").status_code == 404
    assert client.get(f"/events/{day.pk}/calendar.ics").status_code == 404


def test_detail_shows_services_units_roles_places_and_no_phone(client, places):
    community = places["chunshuyuan"]
    day = ef.day(community, place="椿树园小区健身广场")
    unit = ef.factories.partner_unit(community, name="椿树社区卫生服务站", contact_phone="13911112222")
    ef.offering(day, places=3, partner_unit=unit, service_type=ef.service_type("义诊"))
    ef.role(day, title="引导", places=4)
    volunteer = ef.volunteer("phoneperson", phone="13755556666")
    ef.confirmed(ef.role(day, title="秩序"), volunteer)
    html = client.get(day.get_absolute_url()).content.decode()
    for text in ("义诊", "椿树社区卫生服务站", "引导", "还差 4 人", "椿树园小区健身广场", "预约名额：还剩 3 个"):
        assert text in html
    assert "13911112222" not in html and "13755556666" not in html


def test_cancelled_day_shows_reason(client, places):
    day = ef.day(places["chunshuyuan"], status="cancelled", cancel_reason="因大风停办")
    html = client.get(day.get_absolute_url()).content.decode()
    assert "因大风停办" in html


def test_ics_for_one_day_and_community_feed(client, places):
    day = ef.day(places["chunshuyuan"], title="椿树园便民服务日")
    response = client.get(f"/events/{day.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "椿树园便民服务日" in body
    feed = client.get(f"/events/communities/{places['chunshuyuan'].pk}.ics").content.decode()
    assert feed.count("BEGIN:VEVENT") == 1


def book(client, offering, name="张阿姨", phone="13900001111", submission=None):
    return client.post(
        f"/events/offerings/{offering.pk}/book/",
        {"name": name, "phone": phone, "submission": submission or str(uuid.uuid4())},
    )


def test_booking_gives_queue_number_and_cancel_link(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=1)
    response = book(client, offering)
    booking = ResidentBooking.objects.get()
    assert response.status_code == 302 and response.url == f"/events/bookings/{booking.token}/"
    page = client.get(response.url).content.decode()
    assert "1 号" in page and "取消预约" in page
    book(client, offering, phone="13900002222")
    second = ResidentBooking.objects.get(phone="13900002222")
    assert second.status == "waitlisted" and second.number == 2
    client.post(f"/events/bookings/{booking.token}/")
    second.refresh_from_db()
    assert second.status == "confirmed" and second.seat == 1


def test_booking_double_submit_creates_one(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=5)
    token = str(uuid.uuid4())
    first = book(client, offering, submission=token)
    second = book(client, offering, submission=token)
    assert first.url == second.url
    assert ResidentBooking.objects.count() == 1


def test_booking_bad_input_keeps_what_was_typed(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=5)
    response = book(client, offering, name="李大爷", phone="12345")
    assert response.status_code == 400
    html = response.content.decode()
    assert "11 位手机号" in html and "李大爷" in html
    assert not ResidentBooking.objects.exists()


def test_booking_refusals(client, places):
    cancelled = ef.offering(ef.day(places["chunshuyuan"], status="cancelled"), places=5)
    no_places = ef.offering(ef.day(places["chunshuyuan"]))
    planned = ef.offering(ef.day(places["chunshuyuan"], status="planned"), places=5)
    assert "已取消" in book(client, cancelled).content.decode()
    assert "无需预约" in book(client, no_places).content.decode()
    assert book(client, planned).status_code == 404
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=5)
    book(client, offering)
    assert "已经预约过" in book(client, offering).content.decode()
    assert ResidentBooking.objects.count() == 1
    assert client.get(f"/events/offerings/{offering.pk}/book/").status_code == 405


def test_booking_cancel_after_cutoff_refused(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"], days_ahead=1, cutoff_hours=48), places=5)
    book(client, offering)
    booking = ResidentBooking.objects.get()
    client.post(f"/events/bookings/{booking.token}/")
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert client.get(f"/events/bookings/{uuid.uuid4()}/").status_code == 404


def test_schedule_generates_idempotently(places):
    from events.models import RecurringSchedule

    schedule = RecurringSchedule.objects.create(
        community=places["chunshuyuan"], title="每月便民服务日", place="健身广场", months_ahead=3
    )
    today = datetime.date(2026, 1, 1)
    created = schedule.generate(today)
    assert [d.date for d in created] == [
        datetime.date(2026, 1, 10),
        datetime.date(2026, 2, 14),
        datetime.date(2026, 3, 14),
        datetime.date(2026, 4, 11),
    ]
    assert schedule.generate(today) == []
    schedule.week = RecurringSchedule.Week.LAST
    assert schedule.date_in(2026, 1) == datetime.date(2026, 1, 31)


def test_generate_command_is_safe_to_rerun(places):
    from django.core.management import call_command

    from events.models import RecurringSchedule

    RecurringSchedule.objects.create(community=places["chunshuyuan"], title="每月服务日", place="广场")
    call_command("generate_service_days")
    n = ServiceDay.objects.count()
    assert n >= 3
    call_command("generate_service_days")
    assert ServiceDay.objects.count() == n


def test_search_and_sitemaps(places):
    from events.search import search
    from events.sitemaps import SITEMAPS

    ef.day(places["chunshuyuan"], title="椿树园便民服务日", description="义诊和理发")
    results = search(["义诊"], 10)
    assert len(results) == 1 and set(results[0]) == {"kind", "title", "url", "snippet", "date", "score"}
    assert search(["不存在的词"], 10) == []
    assert len(SITEMAPS["servicedays"]().items()) == 1


def _month_start(months_ahead):
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + months_ahead
    return datetime.date(index // 12, index % 12 + 1, 1)


def test_calendar_opens_on_the_month_of_the_next_service_day(client, places):
    later = ef.day(places["chunshuyuan"], date=_month_start(2) + datetime.timedelta(days=4), title="两个月后的服务日")
    html = client.get("/events/").content.decode()
    assert f"{later.date.year} 年 {later.date.month} 月日历" in html
    # Phones read the month as a list of cards, wider screens as a grid: both link the day.
    assert html.count(later.get_absolute_url()) == 3  # agenda, month list, month grid
    # Asked for a month, it shows that month, empty or not.
    this_month = _month_start(0)
    html = client.get(f"/events/?month={this_month:%Y-%m}").content.decode()
    assert f"{this_month.year} 年 {this_month.month} 月日历" in html and "这个月没有服务日。" in html


def test_calendar_stays_on_this_month_while_it_has_a_day_left(client, places):
    ef.day(places["chunshuyuan"], days_ahead=0, title="今天的服务日")
    ef.day(places["chunshuyuan"], date=_month_start(2), title="以后的服务日")
    today = timezone.localdate()
    assert f"{today.year} 年 {today.month} 月日历" in client.get("/events/").content.decode()


def test_calendar_without_any_upcoming_day_shows_this_month(client, places):
    ef.day(places["chunshuyuan"], days_ahead=-400, title="去年的服务日")
    today = timezone.localdate()
    html = client.get("/events/").content.decode()
    assert f"{today.year} 年 {today.month} 月日历" in html and "近期没有安排服务日。" in html


def test_month_links_point_back_and_forward(client, places):
    html = client.get("/events/?month=2026-01").content.decode()
    assert 'class="month-link month-prev" rel="prev" href="?month=2025-12"' in html
    assert 'class="month-link month-next" rel="next" href="?month=2026-02"' in html
