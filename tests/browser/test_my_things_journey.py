"""On a phone, without an account: book two services of one day in one form (one is full, so the
waiting list), get promoted when someone cancels and read the text message, open 我的事项 with the
one-time code from the message, cancel one booking and rate one's own report."""

import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import booking
from events.models import ResidentBooking
from feedback.intake import submit_case
from feedback.models import Case, Category
from tests.events import factories as ef
from tests.feedback.sms_backend import LocmemSMSBackend

pytestmark = pytest.mark.browser

RESIDENT = "13612345678"


def no_sideways_scroll(tab):
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390


def test_book_two_services_get_promoted_then_open_my_things(phone_page, screenshot, transactional_db, places, settings):
    settings.SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"
    outbox = LocmemSMSBackend.outbox
    outbox.clear()
    day = ef.day(places["sihuan"], days_ahead=10, title="四环社区便民服务日", place="四环胡同口")
    haircut = ef.offering(day, places=2, service_type=ef.service_type("理发"), sort_order=1)
    doctor = ef.offering(day, places=1, service_type=ef.service_type("义诊"), sort_order=2)
    first_comer = booking.book(doctor.pk, "张大爷", "13900000000", uuid.uuid4())
    category = Category.objects.create(name="路面破损", slug="road", respond_hours=24, onsite_days=3, resolve_days=15)
    case, _secret = submit_case(
        community=places["sihuan"],
        category=category,
        place="四环胡同28号院",
        description="院内地面破损。",
        contact_name="王大妈",
        contact_phone=RESIDENT,
        consent=True,
        token=uuid.uuid4(),
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED, resolved_at=timezone.now())
    outbox.clear()
    tab = phone_page

    # One form, two services, name and phone once.
    tab.goto(day.get_absolute_url())
    form = tab.locator("#book-many")
    form.get_by_label("理发（还剩 2 个名额）").check()
    form.get_by_label("义诊（已约满，可排队候补）").check()
    form.get_by_label("姓名（必填）").fill("王大妈")
    form.get_by_label("手机号（必填）").fill(RESIDENT)
    no_sideways_scroll(tab)
    form.get_by_role("button", name="预约所选服务").click()
    tab.wait_for_url(re.compile(r"/events/\d+/booked/"))
    expect(tab.get_by_role("heading", name="预约结果")).to_be_visible()
    expect(tab.locator(".my-item").filter(has_text="理发").get_by_text("已预约")).to_be_visible()
    expect(tab.locator(".my-item").filter(has_text="义诊").get_by_text("候补", exact=True)).to_be_visible()
    no_sideways_scroll(tab)
    screenshot(tab, "my-things-booked-390")
    assert [to for to, _text in outbox] == [RESIDENT, RESIDENT]

    # The first comer cancels: the resident moves up and is told by text message.
    booking.cancel_booking(first_comer.token)
    mine = ResidentBooking.objects.get(offering=doctor, phone=RESIDENT)
    assert mine.status == ResidentBooking.Status.CONFIRMED
    promotion = [text for to, text in outbox if to == RESIDENT and "从候补转为正式预约" in text]
    assert len(promotion) == 1 and "义诊" in promotion[0]

    # 我的事项: the phone number, then the code from the text message.
    tab.goto("/my/")
    tab.get_by_label("手机号（必填）").fill(RESIDENT)
    tab.get_by_role("button", name="发送验证码").click()
    expect(tab.get_by_role("heading", name="第二步：填写验证码")).to_be_visible()
    code = re.search(r"验证码 (\d{6})", outbox[-1][1]).group(1)
    tab.get_by_label("短信验证码（必填）").fill(code)
    tab.get_by_role("button", name="验证并查看").click()
    expect(tab.get_by_role("heading", name="便民服务日预约")).to_be_visible()
    no_sideways_scroll(tab)
    screenshot(tab, "my-things-390")

    haircut_item = tab.locator(".my-item").filter(has_text="理发")
    haircut_item.get_by_role("button", name=re.compile("取消预约")).click()
    expect(tab.get_by_text("已取消“理发”的预约")).to_be_visible()
    assert ResidentBooking.objects.get(offering=haircut, phone=RESIDENT).status == ResidentBooking.Status.CANCELLED
    assert ResidentBooking.objects.get(offering=doctor, phone=RESIDENT).status == ResidentBooking.Status.CONFIRMED

    case_item = tab.locator(f"#my-case-{case.pk}")
    case_item.get_by_label("满意", exact=True).check()
    case_item.get_by_role("button", name="提交评价").click()
    expect(tab.get_by_text("谢谢您的评价")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == Case.Status.CONFIRMED
    no_sideways_scroll(tab)
