"""One booking form for several services of one day (events.booking.book_many, events.views.book_many_view)."""

import uuid

import pytest

from events.models import ResidentBooking
from tests.events import factories as ef
from tests.feedback.sms_backend import LocmemSMSBackend

pytestmark = pytest.mark.django_db
PHONE = "13812341234"


@pytest.fixture
def day(places):
    return ef.day(places["chunshuyuan"], title="椿树园便民服务日")


@pytest.fixture
def services(day):
    haircut = ef.offering(day, places=2, service_type=ef.service_type("理发"), sort_order=1)
    doctor = ef.offering(day, places=1, service_type=ef.service_type("义诊"), sort_order=2)
    ResidentBooking.objects.create(
        offering=doctor,
        name="先到的",
        phone="13900000000",
        status="confirmed",
        seat=1,
        number=1,
        submission=uuid.uuid4(),
    )
    law = ef.offering(day, places=3, service_type=ef.service_type("法律咨询"), sort_order=3)
    walk_in = ef.offering(day, service_type=ef.service_type("磨刀"), sort_order=4)
    return {"haircut": haircut, "doctor": doctor, "law": law, "walk_in": walk_in}


def post(client, day, offerings, name="王大妈", phone=PHONE, submission=None):
    return client.post(
        f"/events/{day.pk}/book/",
        {
            "offerings": [o.pk for o in offerings],
            "name": name,
            "phone": phone,
            "submission": submission or str(uuid.uuid4()),
        },
    )


def test_the_day_page_offers_one_form_with_what_each_choice_brings(client, day, services):
    page = client.get(day.get_absolute_url()).content.decode()
    assert "一次预约多项服务" in page
    assert "理发（还剩 2 个名额）" in page and "义诊（已约满，可排队候补）" in page
    assert "磨刀（" not in page  # a walk-in service is not in the form
    assert page.count('name="offerings"') == 3


def test_one_service_has_no_multi_form(client, places):
    lone = ef.day(places["chunshuyuan"])
    ef.offering(lone, places=2)
    assert "一次预约多项服务" not in client.get(lone.get_absolute_url()).content.decode()


def test_two_services_one_full_goes_to_the_waiting_list(
    client, day, services, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    submission = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, day, [services["haircut"], services["doctor"]], submission=submission)
    assert response.status_code == 302 and response.url == f"/events/{day.pk}/booked/{submission}/"
    mine = {b.offering_id: b for b in ResidentBooking.objects.filter(phone=PHONE)}
    assert mine[services["haircut"].pk].status == "confirmed"
    assert mine[services["doctor"].pk].status == "waitlisted" and mine[services["doctor"].pk].number == 2
    assert {b.name for b in mine.values()} == {"王大妈"}
    page = client.get(response.url).content.decode()
    assert "理发" in page and "义诊" in page and "候补" in page and "我的事项" in page
    assert len(LocmemSMSBackend.outbox) == 2  # one text per service
    # the same form again (a double click): the same bookings, nothing new
    again = post(client, day, [services["haircut"], services["doctor"]], submission=submission)
    assert again.url == response.url and ResidentBooking.objects.filter(phone=PHONE).count() == 2


def test_a_refused_service_is_reported_and_the_others_are_booked(client, day, services):
    post(client, day, [services["law"]])  # booked before, with the same phone
    response = post(client, day, [services["haircut"], services["law"]])
    assert response.status_code == 302
    assert ResidentBooking.objects.filter(phone=PHONE, offering=services["haircut"]).exists()
    page = client.get(response.url).content.decode()
    assert "“法律咨询”没有预约上：这个手机号已经预约过这项服务了。" in page


def test_nothing_booked_keeps_what_was_typed(client, day, services):
    post(client, day, [services["law"]])
    response = post(client, day, [services["law"]], name="王大妈")
    assert response.status_code == 409
    page = response.content.decode()
    assert "没有预约上" in page and "王大妈" in page


def test_bad_input(client, day, services):
    response = post(client, day, [], name="李大爷", phone="12345")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请至少勾选一项服务" in page and "11 位手机号" in page and "李大爷" in page
    other_day = ef.day(day.community)
    stranger = ef.offering(other_day, places=2)
    response = post(client, day, [services["haircut"], stranger])  # a service of another day
    assert response.status_code == 400 and "请重新勾选" in response.content.decode()
    assert not ResidentBooking.objects.filter(phone=PHONE).exists()
    assert client.get(f"/events/{day.pk}/book/").status_code == 405


def test_throttled_like_single_bookings(client, day, services, rate_limits):
    rate_limits("booking", address=(1, 3600))
    assert post(client, day, [services["haircut"]]).status_code == 302
    response = post(client, day, [services["law"]], phone="13900001111")
    assert response.status_code == 429 and "13900001111" in response.content.decode()


def test_the_results_page_needs_the_forms_own_number(client, day, services):
    assert client.get(f"/events/{day.pk}/booked/{uuid.uuid4()}/").status_code == 404


def test_the_single_booking_page_points_to_my_things(client, day, services):
    response = client.post(
        f"/events/offerings/{services['haircut'].pk}/book/",
        {"name": "王", "phone": PHONE, "submission": str(uuid.uuid4())},
    )
    page = client.get(response.url).content.decode()
    assert "唯一入口" not in page and 'href="/my/"' in page
