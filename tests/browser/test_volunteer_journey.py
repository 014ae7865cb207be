"""A volunteer registers, signs up, sees it on 我的报名, cancels; the first waitlisted is promoted and emailed."""

import re

import pytest
from django.core import mail

from tests.events import factories as ef
from volunteers.models import Signup

pytestmark = pytest.mark.browser


def test_register_sign_up_cancel_promotes_waitlisted(page, screenshot, transactional_db, places, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    mail.outbox = []
    day = ef.day(places["chunshuyuan"], days_ahead=10, title="椿树园社区便民服务日", place="椿树园小区健身广场")
    role = ef.role(day, title="引导", places=1)
    bob = ef.volunteer("bob", real_name="鲍勃")

    page.goto("/accounts/register/")
    page.fill("#id_username", "xiaoli")
    page.fill("#id_real_name", "李小丽")
    page.fill("#id_phone", "13612345678")
    page.fill("#id_email", "xiaoli@example.org")
    page.fill("#id_password1", "a-long-pass-2026!")
    page.fill("#id_password2", "a-long-pass-2026!")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/register/sent/")
    assert page.get_by_role("heading", name="请查收邮件").is_visible()
    (activation,) = mail.outbox
    assert activation.to == ["xiaoli@example.org"]
    page.goto(re.search(r"https?://\S+/accounts/activate/\S+/", activation.body).group(0))
    page.get_by_role("button", name="确认邮箱，完成注册").click()
    page.wait_for_url("**/volunteers/me/")
    assert page.get_by_text("注册成功").is_visible()
    mail.outbox = []

    page.goto(day.get_absolute_url())
    screenshot(page, "volunteers-day-1280")
    page.get_by_role("button", name="报名这个岗位").click()
    page.wait_for_url("**/volunteers/me/")
    assert page.get_by_role("heading", name="我的报名").is_visible()
    assert page.get_by_text("报名成功").is_visible()
    item = page.locator(".signup-item").filter(has_text="引导")
    assert item.get_by_text("已确认").is_visible()
    screenshot(page, "volunteers-me-1280")

    # Bob arrives later: the one place is taken, so he waits.
    from volunteers.signup import sign_up

    assert sign_up(role.pk, bob).status == Signup.Status.WAITLISTED

    item.get_by_role("button", name="取消报名").click()
    page.wait_for_url("**/volunteers/me/")
    assert page.get_by_text("已取消报名").is_visible()
    assert Signup.objects.get(volunteer=bob).status == Signup.Status.CONFIRMED
    assert [m.to for m in mail.outbox] == [[bob.user.email]]
    assert "引导" in mail.outbox[0].subject
