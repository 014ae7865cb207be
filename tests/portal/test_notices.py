"""Notices (core/notices.py): queued after commit, sealed in the queue, tried again when a gateway fails."""

import uuid

import pytest
from django.core import mail
from django.db import transaction

from core import notices, sms
from events import booking
from events.models import ResidentBooking, ServiceDay
from tests.adminform import unchanged_post
from tests.events import factories as ef
from tests.feedback.sms_backend import LocmemSMSBackend

pytestmark = pytest.mark.django_db
PHONE = "13812341234"


@pytest.fixture
def outbox(settings):
    settings.SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    return LocmemSMSBackend.outbox


class FlakyGateway:
    """Fails the first ``fail`` sends, then delivers into ``sent``."""

    fail = 2
    calls = 0
    sent = []

    def send(self, phone, text):
        FlakyGateway.calls += 1
        if FlakyGateway.calls <= FlakyGateway.fail:
            raise ConnectionError(f"gateway down for {phone}")
        FlakyGateway.sent.append((phone, text))
        return True


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = "tests.portal.test_notices.FlakyGateway"
    FlakyGateway.calls, FlakyGateway.sent = 0, []
    return FlakyGateway


def test_nothing_is_sent_before_the_commit_and_nothing_after_a_rollback(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notices.send(phone=PHONE, text="您好")
        assert outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert outbox == [(PHONE, "您好")]
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notices.send(phone=PHONE, text="不会发出")
                raise RuntimeError
        except RuntimeError:
            pass
    assert outbox == []


def test_sms_and_email_both_leave(outbox, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices.send(phone=PHONE, email="wang@example.org", subject="主题", text="正文")
    assert outbox == [(PHONE, "正文")]
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("主题", "正文", ["wang@example.org"])]


def test_a_failing_gateway_is_tried_again_until_it_delivers(flaky, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        notices.send(phone=PHONE, text="第三次才到")
    assert flaky.calls == 3 and flaky.sent == [(PHONE, "第三次才到")]
    assert PHONE not in caplog.text  # the failures are logged masked
    assert "138****1234" in caplog.text


def test_it_gives_up_after_the_set_number_of_attempts(flaky, settings, django_capture_on_commit_callbacks, caplog):
    settings.NOTICE_ATTEMPTS = 2
    flaky.fail = 10
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notices.send(phone=PHONE, text="x")
    finally:
        flaky.fail = 2
    assert flaky.calls == 2 and flaky.sent == []
    assert "given up after 2 attempts" in caplog.text


def test_the_database_queue_stores_notices_sealed_and_defers_retries(
    settings, flaky, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        notices.send(phone=PHONE, text="验证码 123456")
    (row,) = DBTaskResult.objects.all()
    stored = str(row.args_kwargs)
    assert PHONE not in stored and "123456" not in stored  # sealed
    channel, sealed, attempt = row.args_kwargs["args"]
    assert notices.unseal(sealed)["to"] == PHONE
    # What the worker does: run it. The gateway fails, so the task enqueues itself for later.
    notices.deliver.call(channel, sealed, attempt)
    retry = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert retry.args_kwargs["args"][2] == 2 and retry.run_after is not None


def test_a_queue_that_refuses_never_breaks_the_request(settings, outbox, django_capture_on_commit_callbacks, caplog):
    settings.TASKS = {"default": {"BACKEND": "no.such.Backend"}}
    with django_capture_on_commit_callbacks(execute=True):
        notices.send(phone=PHONE, text="x")
    assert outbox == [] and "could not be queued" in caplog.text


def test_a_notice_sealed_under_another_key_is_dropped(settings, outbox):
    sealed = notices.seal({"to": PHONE, "subject": "", "text": "x", "code": None})
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert notices.deliver.call("sms", sealed) is False and outbox == []


def test_codes_go_through_the_providers_code_template(settings):
    class Templated:
        sent = []

        def send(self, phone, text):
            self.sent.append(("text", text))
            return True

        def send_code(self, phone, code, text):
            self.sent.append(("code", code))
            return True

    backend = Templated()
    settings.SMS_BACKEND = "x"
    original = sms.get_backend
    sms.get_backend = lambda: backend
    try:
        sms.deliver(PHONE, "验证码 654321", code="654321")
        sms.deliver(PHONE, "通知")
    finally:
        sms.get_backend = original
    assert backend.sent == [("code", "654321"), ("text", "通知")]


def test_the_aliyun_backend_names_what_is_missing(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_BACKEND = "core.sms.AliyunSMSBackend"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = ""
    with pytest.raises(ImproperlyConfigured, match="ALIYUN_SMS_ACCESS_KEY_ID"):
        sms.AliyunSMSBackend()
    (error,) = sms.check_backend()
    assert error.id == "core.E003" and "ALIYUN_SMS_ACCESS_KEY_ID" in error.msg


def test_the_aliyun_backend_sends_a_template(settings):
    for name in ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SIGN_NAME", "TEMPLATE_NOTICE", "TEMPLATE_CODE"):
        setattr(settings, f"ALIYUN_SMS_{name}", f"value-{name}")
    backend = sms.AliyunSMSBackend()
    sent = []

    class Body:
        code, message = "OK", "OK"

    class Answer:
        body = Body()

    backend.client.send_sms = lambda request: sent.append(request) or Answer()
    backend.send_code(PHONE, "123456", "验证码 123456")
    (request,) = sent
    assert (request.phone_numbers, request.template_code, request.sign_name) == (
        PHONE,
        "value-TEMPLATE_CODE",
        "value-SIGN_NAME",
    )
    assert '"123456"' in request.template_param
    Body.code = "isv.BUSINESS_LIMIT_CONTROL"
    with pytest.raises(RuntimeError):  # a refusal is a failure: the queue tries again
        backend.send(PHONE, "通知")


# --- what residents who booked are told -------------------------------------------------------------


@pytest.fixture
def day(places):
    return ef.day(places["sihuan"], days_ahead=10, title="四环社区便民服务日", place="四环胡同口")


def test_booking_confirmed_and_waitlisted_texts(day, outbox, django_capture_on_commit_callbacks):
    haircut = ef.offering(day, places=1, service_type=ef.service_type("理发"))
    with django_capture_on_commit_callbacks(execute=True):
        first = booking.book(haircut.pk, "王", PHONE, uuid.uuid4())
        second = booking.book(haircut.pk, "李", "13900001111", uuid.uuid4())
    (_, confirmed), (_, waiting) = outbox
    assert "您已预约四环社区便民服务日的理发，1 号" in confirmed and "四环胡同口" in confirmed
    assert f"/events/bookings/{first.token}/" in confirmed and "/my/" in confirmed
    assert "候补" in waiting and "排队号 2" in waiting and f"/events/bookings/{second.token}/" in waiting


def test_a_day_cancelled_or_moved_in_the_admin_tells_who_booked(
    client, admin_user, day, outbox, django_capture_on_commit_callbacks
):
    haircut = ef.offering(day, places=2, service_type=ef.service_type("理发"))
    booking.book(haircut.pk, "王", PHONE, uuid.uuid4())
    client.force_login(admin_user)
    url = f"/admin/events/serviceday/{day.pk}/change/"
    form = _admin_form(client, url)
    form.update(place=["四环社区活动室"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(outbox) == 1 and "时间或地点有变化" in outbox[0][1] and "四环社区活动室" in outbox[0][1]
    form = _admin_form(client, url)
    form.update(status=[ServiceDay.Status.CANCELLED], cancel_reason=["大风预警"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form)
    assert len(outbox) == 2 and "已取消，原因：大风预警" in outbox[1][1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _admin_form(client, url))  # saved again, still cancelled: no second text
    assert len(outbox) == 2


def test_more_places_in_the_admin_promote_and_tell(client, admin_user, day, outbox, django_capture_on_commit_callbacks):
    haircut = ef.offering(day, places=1, service_type=ef.service_type("理发"))
    booking.book(haircut.pk, "王", PHONE, uuid.uuid4())
    waiting = booking.book(haircut.pk, "李", "13900001111", uuid.uuid4())
    client.force_login(admin_user)
    url = f"/admin/events/serviceday/{day.pk}/change/"
    form = _admin_form(client, url)
    key = next(k for k, v in form.items() if k.endswith("-resident_places") and v == ["1"])
    form[key] = ["2"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form)
    assert ResidentBooking.objects.get(pk=waiting.pk).status == "confirmed"
    assert [to for to, text in outbox if "从候补转为正式预约" in text] == ["13900001111"]


def _admin_form(client, url):
    return unchanged_post(client.get(url).content.decode())
