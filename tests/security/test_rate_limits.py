"""Every anonymous form is limited per client address and per phone / e-mail (core/ratelimit.py).
A refusal is the form again with what was typed and a clear message, answered 429, and nothing is
written or sent. Here the limits are made small; the defaults are in core/ratelimit.DEFAULTS."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory

from core import ratelimit
from events.models import ResidentBooking
from feedback.models import Case, Category
from tests.events import factories as ef
from volunteers.models import HomeVisit

pytestmark = pytest.mark.django_db
TOO_MANY = "提交了太多次"


def refused(response, *typed):
    html = response.content.decode()
    assert response.status_code == 429
    assert TOO_MANY in html
    for value in typed:
        assert value in html, f"{value} was typed and must still be on the form"


# --- 便民服务日 bookings -------------------------------------------------------------------


def book(offering, phone, name="王大妈", **extra):
    data = {"name": name, "phone": phone, "submission": str(uuid.uuid4())}
    return Client().post(f"/events/offerings/{offering.pk}/book/", data, **extra)


def test_bookings_from_one_address_are_limited_whatever_the_phone(places, rate_limits):
    rate_limits("booking", address=(2, 3600))
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=10)
    assert book(offering, "13800000001").status_code == 302
    assert book(offering, "13800000002").status_code == 302
    refused(book(offering, "13800000003", name="假名字"), "假名字", "13800000003")
    assert ResidentBooking.objects.count() == 2
    assert book(offering, "13800000004", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_bookings_with_one_phone_are_limited_whatever_the_address(places, rate_limits):
    rate_limits("booking", phone=(2, 86400))
    day = ef.day(places["chunshuyuan"])
    offerings = [ef.offering(day, places=10) for _ in range(3)]
    assert book(offerings[0], "13800000001", REMOTE_ADDR="10.0.0.1").status_code == 302
    assert book(offerings[1], "138 0000 0001", REMOTE_ADDR="10.0.0.2").status_code == 302
    refused(book(offerings[2], "13800000001", REMOTE_ADDR="10.0.0.3"), "13800000001")
    assert ResidentBooking.objects.count() == 2


def test_a_double_submit_is_one_attempt_and_a_refused_one_stays_refused(places, rate_limits):
    rate_limits("booking", address=(1, 3600))
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=10)
    data = {"name": "王大妈", "phone": "13800000001", "submission": str(uuid.uuid4())}
    url = f"/events/offerings/{offering.pk}/book/"
    first, again = Client().post(url, data), Client().post(url, data)  # a double click
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    other = {"name": "李大爷", "phone": "13800000002", "submission": str(uuid.uuid4())}
    refused(Client().post(url, other), "李大爷")
    refused(Client().post(url, other), "李大爷")  # the same refused form sent again
    assert ResidentBooking.objects.count() == 1


def test_one_booking_per_phone_per_service_still_holds(places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=10)
    assert book(offering, "13800000001").status_code == 302
    response = book(offering, "13800000001", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200 and "已经预约过" in response.content.decode()


# --- 上门服务 requests -----------------------------------------------------------------------


@pytest.fixture
def home_visits(places):
    leader = ef.volunteer("leader")
    ef.team(places["chunshuyuan"], name="上门服务队", makes_home_visits=True, leader=leader)
    return places["chunshuyuan"]


def ask_visit(community, phone, need="行动不便，想在家理发", **extra):
    data = {
        "community": community.pk,
        "resident_name": "刘奶奶",
        "phone": phone,
        "address": "3 号楼 2 单元",
        "need": need,
        "preferred_time": "上午",
        "submission": str(uuid.uuid4()),
    }
    return Client().post("/volunteers/home-visits/new/", data, **extra)


def test_home_visit_requests_are_limited_per_address_and_per_phone(home_visits, rate_limits):
    rate_limits("home_visit", address=(2, 3600), phone=(2, 86400))
    assert ask_visit(home_visits, "13800002001").status_code == 200
    assert ask_visit(home_visits, "13800002002").status_code == 200
    refused(ask_visit(home_visits, "13800002003", need="想请人上门量血压"), "想请人上门量血压", "13800002003")
    assert ask_visit(home_visits, "13800002001", REMOTE_ADDR="10.0.0.2").status_code == 200
    refused(ask_visit(home_visits, "13800002001", REMOTE_ADDR="10.0.0.3"))
    assert HomeVisit.objects.count() == 3


# --- registration and password reset ------------------------------------------------------------


def register(n, remote_addr="127.0.0.1", **extra):
    data = {
        "username": f"newbie{n}",
        "real_name": "新志愿者",
        "phone": f"136123456{n:02d}",
        "email": f"newbie{n}@example.org",
        "password1": "a-long-pass-2026!",
        "password2": "a-long-pass-2026!",
    }
    data.update(extra)
    return Client().post("/accounts/register/", data, REMOTE_ADDR=remote_addr)


def test_registrations_are_limited_per_address_and_per_phone(db, rate_limits):
    rate_limits("register", address=(2, 3600), phone=(1, 86400))
    assert register(1).status_code == 302
    refused(register(2, phone="13612345601", remote_addr="10.0.0.2"), "newbie2", "13612345601")
    assert register(3).status_code == 302
    refused(register(4), "newbie4", "newbie4@example.org")
    assert get_user_model().objects.count() == 2


def reset(email, **extra):
    return Client().post("/accounts/password-reset/", {"email": email}, **extra)


def test_password_reset_mails_to_one_mailbox_are_limited_from_anywhere(db, rate_limits):
    rate_limits("password_reset", email=(2, 3600))
    volunteer = ef.volunteer("wang")
    for n in range(2):
        assert reset(volunteer.user.email, REMOTE_ADDR=f"10.0.0.{n + 1}").status_code == 302
    refused(reset(volunteer.user.email, REMOTE_ADDR="10.0.0.9"), volunteer.user.email)
    assert len(mail.outbox) == 2


def test_password_reset_requests_from_one_address_are_limited(db, rate_limits):
    rate_limits("password_reset", address=(2, 3600))
    for n in range(2):
        assert reset(f"nobody{n}@example.org").status_code == 302
    refused(reset("nobody9@example.org"), "nobody9@example.org")


# --- 吹哨报到: reports and 附议 ------------------------------------------------------------


@pytest.fixture
def category(db):
    return Category.objects.create(name="路灯", slug="light", respond_hours=24, onsite_days=3, resolve_days=15)


def report(places, category, phone, **extra):
    data = {
        "community": places["sihuan"].pk,
        "category": category.pk,
        "place": "四环胡同28号院",
        "description": "院门口的路灯坏了一个星期，晚上看不清路。",
        "contact_name": "王大妈",
        "contact_phone": phone,
        "consent": "on",
        "website": "",
        "token": str(uuid.uuid4()),
    }
    return Client().post("/feedback/new/", data, **extra)


def test_reports_with_one_phone_are_limited_whatever_the_address(places, category, rate_limits):
    rate_limits("feedback", phone=(1, 86400))
    assert report(places, category, "13812341234", REMOTE_ADDR="10.0.0.1").status_code == 302
    refused(report(places, category, "13812341234", REMOTE_ADDR="10.0.0.2"), "四环胡同28号院")
    assert Case.objects.count() == 1


def test_metoo_on_one_case_from_one_address_is_limited_without_its_cookie(places, category, rate_limits):
    rate_limits("metoo", case=(1, 86400))
    cases = [
        Case.objects.create(
            code=f"SH-2026-00070{n}",
            community=places["sihuan"],
            category=category,
            place="院内",
            description="路灯不亮，晚上看不清路。",
            status=Case.Status.DISPATCHED,
            is_published=True,
        )
        for n in range(2)
    ]
    url = f"/feedback/case/{cases[0].code}/metoo/"
    assert Client().post(url).status_code == 302
    assert Client().post(url).status_code == 429  # a new browser, no cookie: the same address
    assert Client().post(url, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert Client().post(f"/feedback/case/{cases[1].code}/metoo/").status_code == 302
    cases[0].refresh_from_db()
    assert cases[0].metoo_count == 2


# --- the client address --------------------------------------------------------------------


def test_behind_the_proxy_the_address_it_appended_counts_not_what_the_client_wrote(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7")
    assert ratelimit.client_ip(request) == "10.0.0.7"
    settings.PROXY_COUNT = 0  # not behind a proxy: the header is the client's own words
    assert ratelimit.client_ip(request) == "127.0.0.1"


def test_settings_change_one_kind_and_keep_the_other_defaults(settings):
    settings.RATE_LIMITS = {"booking": {"address": (1, 60)}}
    assert ratelimit.limits("booking") == {"address": (1, 60), "phone": ratelimit.DEFAULTS["booking"]["phone"]}
