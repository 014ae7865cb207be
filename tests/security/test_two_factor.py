"""Optional two-factor login for staff (core/twofactor.py)."""

import logging
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

LOGIN = "/admin/login/?next=/admin/"


def code(device, steps=0):
    """The code the authenticator app shows now (or ``steps`` periods later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong(device):
    right = {code(device, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def enrolled(account):
    return TOTPDevice.objects.create(user=account, name="authenticator", confirmed=True)


def login(client, account, otp_token=None):
    data = {"username": account.username, "password": factories.PASSWORD}
    if otp_token is not None:
        data["otp_token"] = otp_token
    return client.post(LOGIN, data)


@pytest.mark.django_db
def test_staff_enrol_with_a_scanned_code(client, editor_chunshu, settings, caplog):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # retry at once after the wrong code
    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    client.force_login(editor_chunshu)
    index = client.get("/admin/").content.decode()
    assert 'href="/admin/two-factor/"' in index

    page = client.get("/admin/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="two-factor-qr"' in html and "<svg" in html.split("two-factor-qr")[1] and "扫描" in html
    pending = TOTPDevice.objects.get(user=editor_chunshu)
    assert not pending.confirmed
    assert "otpauth" not in html  # the key is inside the QR code and the grouped secret, nowhere else
    # A second visit shows the same key: the app scanned earlier still works.
    client.get("/admin/two-factor/")
    assert TOTPDevice.objects.filter(user=editor_chunshu).count() == 1

    refused = client.post("/admin/two-factor/", {"action": "enrol", "code": wrong(pending)})
    assert refused.status_code == 400
    assert "验证码不正确或已过期" in refused.content.decode()
    pending.refresh_from_db()
    assert not pending.confirmed

    done = client.post("/admin/two-factor/", {"action": "enrol", "code": code(pending)}, follow=True)
    assert "两步验证已启用" in done.content.decode()
    pending.refresh_from_db()
    assert pending.confirmed
    assert "otp-enrolled user=editor-chunshu" in caplog.text
    # The session that enrolled stays in.
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_login_asks_for_the_code_after_enrolment(client, editor_chunshu):
    device = enrolled(editor_chunshu)

    without = login(client, editor_chunshu)
    assert without.status_code == 200
    assert "请同时填写验证器应用里显示的6位验证码" in without.content.decode()
    assert client.get("/admin/").status_code == 302

    used = code(device)
    ok = login(client, editor_chunshu, used)
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    # The same code cannot be used twice.
    replay = login(Client(), editor_chunshu, used)
    assert replay.status_code == 200
    assert "验证码不正确或已过期" in replay.content.decode()


@pytest.mark.axes
@pytest.mark.django_db
def test_wrong_code_is_refused_with_a_message_and_counts_as_a_failed_login(client, editor_chunshu, settings, caplog):
    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    device = enrolled(editor_chunshu)
    answer = login(client, editor_chunshu, wrong(device))
    assert answer.status_code == 200
    assert "验证码不正确或已过期" in answer.content.decode()
    assert client.get("/admin/").status_code == 302
    assert "login-failed user=editor-chunshu" in caplog.text

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, editor_chunshu, wrong(device))
    locked = login(client, editor_chunshu, code(device))
    assert locked.status_code == 429
    assert "登录尝试次数过多" in locked.content.decode()


@pytest.mark.django_db
def test_staff_without_an_authenticator_log_in_as_before(client, editor_chunshu, worker_sihuan):
    enrolled(worker_sihuan)  # someone else's device changes nothing for the editor
    answer = login(client, editor_chunshu)
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_code_does_not_reach_the_admin(client, editor_chunshu):
    # e.g. a staff member who signed in on the volunteers' login page
    enrolled(editor_chunshu)
    client.force_login(editor_chunshu)
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")
    page = client.get(answer["Location"]).content.decode()
    assert "请再登录一次，并填写验证器应用里显示的6位验证码" in page


@pytest.mark.django_db
def test_remove_the_authenticator_with_a_current_code(client, editor_chunshu, caplog):
    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    device = enrolled(editor_chunshu)
    assert login(client, editor_chunshu, code(device)).status_code == 302

    page = client.get("/admin/two-factor/").content.decode()
    assert "两步验证已启用" in page and "two-factor-qr" not in page

    refused = client.post("/admin/two-factor/", {"action": "remove", "code": wrong(device)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=editor_chunshu, confirmed=True).exists()

    device.throttle_reset()
    removed = client.post("/admin/two-factor/", {"action": "remove", "code": code(device, steps=1)}, follow=True)
    assert "两步验证已关闭" in removed.content.decode()
    # The page now offers a fresh key to enrol again; nothing confirmed is left.
    assert not TOTPDevice.objects.filter(user=editor_chunshu, confirmed=True).exists()
    assert "otp-removed user=editor-chunshu" in caplog.text

    client.logout()
    assert login(client, editor_chunshu).status_code == 302


@pytest.mark.django_db
def test_an_administrator_resets_a_lost_authenticator(client, admin_user, editor_chunshu, caplog):
    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    enrolled(editor_chunshu)
    client.force_login(admin_user)
    listing = client.get("/admin/auth/user/").content.decode()
    assert "关闭所选账号的两步验证" in listing
    answer = client.post("/admin/auth/user/", {"action": "reset", "_selected_action": [editor_chunshu.pk]}, follow=True)
    assert "已为 1 个账号关闭两步验证" in answer.content.decode()
    assert not TOTPDevice.objects.filter(user=editor_chunshu).exists()
    assert "otp-reset user=editor-chunshu by=district-admin" in caplog.text
    assert login(Client(), editor_chunshu).status_code == 302


@pytest.mark.django_db
def test_two_factor_page_needs_csrf(editor_chunshu):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_chunshu)
    client.get("/admin/two-factor/")
    answer = client.post("/admin/two-factor/", {"action": "enrol", "code": "123456"})
    assert answer.status_code == 403
    assert not TOTPDevice.objects.filter(user=editor_chunshu, confirmed=True).exists()
