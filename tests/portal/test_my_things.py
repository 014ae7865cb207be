"""我的事项 (core/mine.py): one-time codes, the signed-in page, and every action scoped to the phone."""

import re
import time
import uuid

import pytest
from django.utils import timezone

from core import mine
from core.models import OneTimeCode
from events.models import ResidentBooking
from feedback.models import Case, TimelineEntry
from tests.events import factories as ef
from tests.feedback.sms_backend import LocmemSMSBackend
from volunteers.models import HomeVisit

pytestmark = pytest.mark.django_db

ALICE = "13811112222"
BOB = "13933334444"


@pytest.fixture
def outbox(settings):
    settings.SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    return LocmemSMSBackend.outbox


def ask_code(client, phone, capture):
    with capture(execute=True):
        return client.post("/my/code/", {"phone": phone})


def last_code(outbox, phone):
    texts = [text for to, text in outbox if to == phone]
    return re.search(r"验证码 (\d{6})", texts[-1]).group(1)


def sign_in(client, phone, outbox, capture):
    ask_code(client, phone, capture)
    response = client.post("/my/verify/", {"code": last_code(outbox, phone)})
    assert response.status_code == 302 and response["Location"] == "/my/"
    return response


# --- the code ---------------------------------------------------------------------------------------


def test_a_code_is_sent_stored_hashed_and_opens_the_page(client, outbox, django_capture_on_commit_callbacks):
    page = client.get("/my/")
    assert page.status_code == 200 and "发送验证码" in page.content.decode()
    response = ask_code(client, ALICE, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    code = last_code(outbox, ALICE)
    row = OneTimeCode.objects.get()
    assert code not in row.code_digest and ALICE not in row.phone_digest  # only keyed digests are kept
    page = client.get("/my/")
    assert "138****2222" in page.content.decode() and "第二步" in page.content.decode()
    assert client.post("/my/verify/", {"code": code}).status_code == 302
    page = client.get("/my/")
    assert "便民服务日预约" in page.content.decode() and "我反映的问题" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert OneTimeCode.objects.get().used_at is not None


def test_the_answer_is_the_same_for_a_phone_with_records_and_without(
    client, places, outbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    offering = ef.offering(ef.day(places["sihuan"]), places=3)
    ResidentBooking.objects.create(
        offering=offering, name="王", phone=ALICE, status="confirmed", seat=1, number=1, submission=uuid.uuid4()
    )
    pages = []
    for phone in (ALICE, BOB):
        visitor = Client()
        response = ask_code(visitor, phone, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        page = visitor.get("/my/").content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        pages.append(page.replace("138****2222", "PHONE").replace("139****4444", "PHONE"))
    assert pages[0] == pages[1]
    assert len(outbox) == 2  # both numbers got a code: nothing says which one has bookings


def test_wrong_code_counts_and_five_wrong_void_the_code(client, outbox, django_capture_on_commit_callbacks):
    ask_code(client, ALICE, django_capture_on_commit_callbacks)
    right = last_code(outbox, ALICE)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = client.post("/my/verify/", {"code": wrong})
    assert response.status_code == 400 and "还可以再试 4 次" in response.content.decode()
    for _ in range(4):
        response = client.post("/my/verify/", {"code": wrong})
    assert "已作废" in response.content.decode()
    response = client.post("/my/verify/", {"code": right})  # even the right one: the code is used up
    assert response.status_code == 400 and "已作废" in response.content.decode()
    assert mine.signed_in_phone(_request(client)) is None


def test_an_expired_code_is_refused(client, outbox, django_capture_on_commit_callbacks):
    ask_code(client, ALICE, django_capture_on_commit_callbacks)
    OneTimeCode.objects.update(expires_at=timezone.now())
    response = client.post("/my/verify/", {"code": last_code(outbox, ALICE)})
    assert response.status_code == 400 and "已过期" in response.content.decode()


def test_a_new_code_voids_the_old_one(client, outbox, django_capture_on_commit_callbacks):
    ask_code(client, ALICE, django_capture_on_commit_callbacks)
    old = last_code(outbox, ALICE)
    ask_code(client, ALICE, django_capture_on_commit_callbacks)
    if old == last_code(outbox, ALICE):
        pytest.skip("the two random codes happened to be equal")
    assert client.post("/my/verify/", {"code": old}).status_code == 400


def test_bad_input_gets_a_clear_message(client, outbox):
    response = client.post("/my/code/", {"phone": "010-66001234"})
    assert response.status_code == 400 and "11 位手机号" in response.content.decode()
    assert outbox == []
    response = client.post("/my/verify/", {"code": "123456"})  # no code asked for: back to step 1
    assert response.status_code == 302 and response["Location"] == "/my/"


def test_codes_are_throttled_per_phone_and_per_address(client, outbox, rate_limits, django_capture_on_commit_callbacks):
    rate_limits("my_code", phone=(2, 3600), address=(3, 3600))
    assert ask_code(client, ALICE, django_capture_on_commit_callbacks).status_code == 302
    assert ask_code(client, ALICE, django_capture_on_commit_callbacks).status_code == 302
    refused = ask_code(client, ALICE, django_capture_on_commit_callbacks)
    assert refused.status_code == 429 and ALICE in refused.content.decode()  # what was typed stays
    assert ask_code(client, BOB, django_capture_on_commit_callbacks).status_code == 429  # the address's 3rd+
    assert len(outbox) == 2


def test_verifying_is_throttled_per_address(client, outbox, rate_limits, django_capture_on_commit_callbacks):
    rate_limits("my_verify", address=(2, 3600))
    ask_code(client, ALICE, django_capture_on_commit_callbacks)
    client.post("/my/verify/", {"code": "000000"})
    client.post("/my/verify/", {"code": "000001"})
    response = client.post("/my/verify/", {"code": last_code(outbox, ALICE)})
    assert response.status_code == 429


def test_the_sign_in_expires(client, outbox, django_capture_on_commit_callbacks):
    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    session = client.session
    session[mine.SESSION_UNTIL] = time.time() - 1
    session.save()
    page = client.get("/my/")
    assert "发送验证码" in page.content.decode() and "便民服务日预约" not in page.content.decode()


def test_sign_out(client, outbox, django_capture_on_commit_callbacks):
    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    client.post("/my/sign-out/")
    assert "发送验证码" in client.get("/my/").content.decode()


def test_get_on_actions_is_405(client):
    for url in ("/my/code/", "/my/verify/", "/my/sign-out/", "/events/my/bookings/1/cancel/"):
        assert client.get(url).status_code == 405


def _request(client):
    class R:
        session = client.session

    return R


# --- what the page shows and does -------------------------------------------------------------------


@pytest.fixture
def things(places, make_case):
    day = ef.day(places["sihuan"], days_ahead=10)
    haircut = ef.offering(day, places=1, service_type=ef.service_type("理发"))
    mine_booking = ResidentBooking.objects.create(
        offering=haircut,
        name="王",
        phone=ALICE,
        status="confirmed",
        seat=1,
        number=1,
        submission=uuid.uuid4(),
    )
    bobs = ResidentBooking.objects.create(
        offering=haircut,
        name="李",
        phone=BOB,
        status="waitlisted",
        number=2,
        submission=uuid.uuid4(),
    )
    visit = HomeVisit.objects.create(
        community=places["sihuan"], resident_name="王", phone=ALICE, address="四环胡同", need="上门理发"
    )
    bobs_visit = HomeVisit.objects.create(
        community=places["sihuan"], resident_name="李", phone=BOB, address="西海", need="上门量血压"
    )
    case = make_case(contact_name="王", contact_phone=ALICE, consent=True)
    bobs_case = make_case(contact_name="李", contact_phone=BOB, consent=True)
    return {
        "booking": mine_booking,
        "bobs": bobs,
        "visit": visit,
        "bobs_visit": bobs_visit,
        "case": case,
        "bobs_case": bobs_case,
    }


@pytest.fixture
def make_case(places, db):
    from feedback.intake import submit_case
    from feedback.models import Category

    category = Category.objects.get_or_create(
        name="路面破损", slug="road", defaults={"respond_hours": 24, "onsite_days": 3, "resolve_days": 15}
    )[0]

    def make(**fields):
        case, _ = submit_case(
            community=places["sihuan"],
            category=category,
            place="四环胡同28号院",
            description="地面破损。",
            token=uuid.uuid4(),
            **fields,
        )
        return case

    return make


def test_one_phone_sees_only_its_own_things(client, things, outbox, django_capture_on_commit_callbacks):
    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    page = client.get("/my/").content.decode()
    assert f"my-booking-{things['booking'].pk}" in page and f"my-booking-{things['bobs'].pk}" not in page
    assert "上门理发" in page and "上门量血压" not in page
    assert things["case"].code in page and things["bobs_case"].code not in page


def test_forged_posts_for_someone_elses_rows_are_404(client, things, outbox, django_capture_on_commit_callbacks):
    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    assert client.post(f"/events/my/bookings/{things['bobs'].pk}/cancel/").status_code == 404
    assert client.post(f"/volunteers/my/home-visits/{things['bobs_visit'].pk}/cancel/").status_code == 404
    assert (
        client.post(
            f"/feedback/my/{things['bobs_case'].code}/note/", {f"n{things['bobs_case'].pk}-note": "x"}
        ).status_code
        == 404
    )
    assert ResidentBooking.objects.get(pk=things["bobs"].pk).status == "waitlisted"
    assert HomeVisit.objects.get(pk=things["bobs_visit"].pk).status == "requested"


def test_actions_without_a_sign_in_go_back_to_the_code(client, things):
    response = client.post(f"/events/my/bookings/{things['booking'].pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert ResidentBooking.objects.get(pk=things["booking"].pk).status == "confirmed"


def test_cancel_a_booking_promotes_the_next_and_tells_them(client, things, outbox, django_capture_on_commit_callbacks):
    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/my/bookings/{things['booking'].pk}/cancel/")
    assert response.status_code == 302
    assert ResidentBooking.objects.get(pk=things["booking"].pk).status == "cancelled"
    assert ResidentBooking.objects.get(pk=things["bobs"].pk).status == "confirmed"
    ((to, text),) = [m for m in outbox if m[0] == BOB]
    assert "从候补转为正式预约" in text and "理发" in text


def test_cancel_a_home_visit_request_only_while_no_team_took_it(
    client, things, outbox, django_capture_on_commit_callbacks
):
    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    client.post(f"/volunteers/my/home-visits/{things['visit'].pk}/cancel/")
    assert HomeVisit.objects.get(pk=things["visit"].pk).status == "cancelled"
    HomeVisit.objects.filter(pk=things["visit"].pk).update(status="accepted")
    response = client.post(f"/volunteers/my/home-visits/{things['visit'].pk}/cancel/", follow=True)
    assert "请直接打电话给社区" in response.content.decode()
    assert HomeVisit.objects.get(pk=things["visit"].pk).status == "accepted"


def test_the_reporter_adds_information_and_rates(client, things, outbox, django_capture_on_commit_callbacks):
    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    case = things["case"]
    client.post(f"/feedback/my/{case.code}/note/", {f"n{case.pk}-note": "坑又大了一些。"})
    assert TimelineEntry.objects.filter(case=case, note="坑又大了一些。").exists()
    # not resolved yet: rating is refused with the workflow's reason, nothing changes
    response = client.post(f"/feedback/my/{case.code}/rate/", {f"r{case.pk}-rating": "satisfied"}, follow=True)
    assert response.status_code == 200 and Case.objects.get(pk=case.pk).rating == ""
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED, resolved_at=timezone.now())
    page = client.get("/my/").content.decode()
    assert "评价办理结果" in page
    client.post(f"/feedback/my/{case.code}/rate/", {f"r{case.pk}-rating": "satisfied"})
    assert Case.objects.get(pk=case.pk).status == Case.Status.CONFIRMED


def test_query_count_of_the_signed_in_page_is_pinned(
    client, places, make_case, outbox, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_things(n):
        for _ in range(n):
            offering = ef.offering(ef.day(places["sihuan"], days_ahead=5), places=2)
            ResidentBooking.objects.create(
                offering=offering, name="王", phone=ALICE, status="confirmed", seat=1, number=1, submission=uuid.uuid4()
            )
            HomeVisit.objects.create(
                community=places["sihuan"], resident_name="王", phone=ALICE, address="x", need="理发"
            )
            make_case(contact_name="王", contact_phone=ALICE, consent=True)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/my/").status_code == 200
        return len(ctx.captured_queries)

    sign_in(client, ALICE, outbox, django_capture_on_commit_callbacks)
    add_things(1)
    few = count()
    add_things(6)
    assert count() == few == 4  # the session, then one query each: bookings, home visits, cases
