"""A refused booking is answered in the service's own row (the form posts to its anchor), what was
typed stays, and a service that cannot be booked says so instead of offering the form."""

import re
import uuid

import pytest

from events.models import ResidentBooking
from tests.events import factories as ef

pytestmark = pytest.mark.django_db


def row(html, offering):
    match = re.search(rf'<li class="offering" id="offering-{offering.pk}">(.*?)</li>', html, re.S)
    assert match, f"no row for offering {offering.pk}"
    return match.group(1)


def book(client, offering, phone="13812345678", name="王大妈"):
    return client.post(
        f"/events/offerings/{offering.pk}/book/", {"name": name, "phone": phone, "submission": str(uuid.uuid4())}
    )


def test_the_form_posts_to_its_own_row(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=5)
    html = client.get(offering.day.get_absolute_url()).content.decode()
    assert f'action="/events/offerings/{offering.pk}/book/#msg-offering-{offering.pk}"' in row(html, offering)


def test_booking_twice_is_answered_in_the_row_with_what_was_typed(client, places):
    day = ef.day(places["chunshuyuan"])
    offering = ef.offering(day, places=5)
    other = ef.offering(day, places=5)
    book(client, offering)
    response = book(client, offering, name="王大妈二次")
    assert response.status_code == 200
    html = response.content.decode()
    inside = row(html, offering)
    assert "已经预约过" in inside and 'role="alert"' in inside and "data-focus-message" in inside
    assert "王大妈二次" in inside  # nothing typed is lost
    assert "已经预约过" not in row(html, other) and html.count("已经预约过") == 1
    assert ResidentBooking.objects.count() == 1


def test_bad_input_is_summarised_in_the_form_and_focused(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=5)
    response = book(client, offering, phone="123")
    assert response.status_code == 400
    inside = row(response.content.decode(), offering)
    assert 'id="error-summary"' in inside and "data-focus-message" in inside and "11 位手机号" in inside


def test_services_that_cannot_be_booked_say_so_instead_of_a_form(client, places):
    community = places["chunshuyuan"]
    cancelled = ef.offering(ef.day(community, status="cancelled", cancel_reason="大风"), places=5)
    past = ef.offering(ef.day(community, days_ahead=-1), places=5)
    for offering, words in [(cancelled, "这个服务日已取消"), (past, "预约已截止")]:
        inside = row(client.get(offering.day.get_absolute_url()).content.decode(), offering)
        assert "不能预约" in inside and words in inside
        assert "<form" not in inside


def test_a_full_service_offers_the_waiting_list(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=1)
    book(client, offering)
    inside = row(client.get(offering.day.get_absolute_url()).content.decode(), offering)
    assert "已约满，可以排队候补" in inside and "排队候补" in inside and "<form" in inside


def test_a_refused_cancellation_is_answered_beside_the_cancel_button(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"], days_ahead=1, cutoff_hours=48), places=5)
    book(client, offering)
    booking = ResidentBooking.objects.get()
    response = client.post(f"/events/bookings/{booking.token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/events/bookings/{booking.token}/#msg-booking-cancel"
    html = client.get(response["Location"]).content.decode()
    box = html[html.index('id="booking-cancel"') :]
    assert box.index("已过取消截止时间") < box.index("取消预约")
    assert "data-focus-message" in box


def test_a_service_booked_in_this_browser_says_so_before_the_form(client, places):
    day = ef.day(places["chunshuyuan"])
    offering = ef.offering(day, places=5)
    other = ef.offering(day, places=5)
    response = book(client, offering)
    booking = ResidentBooking.objects.get()
    assert response.cookies["ev_booked"]["httponly"]
    html = client.get(day.get_absolute_url()).content.decode()
    inside = row(html, offering)
    assert "您在这台设备上已预约" in inside and f'href="/events/bookings/{booking.token}/"' in inside
    # Booking for someone else in the family stays possible, folded away.
    assert "<details" in inside and "为家里其他人另外预约" in inside
    assert "已预约" not in row(html, other) and "<details" not in row(html, other)
    # Another browser sees nothing of it; a cancelled booking is no longer shown.
    from django.test import Client

    assert "已预约" not in row(Client().get(day.get_absolute_url()).content.decode(), offering)
    client.post(f"/events/bookings/{booking.token}/")
    assert "已预约" not in row(client.get(day.get_absolute_url()).content.decode(), offering)


def test_a_forged_or_stale_cookie_shows_nothing(client, places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=5)
    client.cookies["ev_booked"] = f"{uuid.uuid4()}:forged"
    assert "已预约" not in row(client.get(offering.day.get_absolute_url()).content.decode(), offering)


def test_the_remembered_bookings_cost_one_query(client, places):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    day = ef.day(places["chunshuyuan"])
    offerings = [ef.offering(day, places=5) for _ in range(3)]
    for n, offering in enumerate(offerings):
        book(client, offering, phone=f"1381234567{n}")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(day.get_absolute_url()).content.decode()
    assert all("您在这台设备上已预约" in row(html, o) for o in offerings)
    assert len(ctx.captured_queries) == 3 + 1  # the page's own three, and this browser's bookings
