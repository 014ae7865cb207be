"""Text messages and logs: no full phone number in a log line, and no console backend in production."""

import logging
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from core.sms import check_backend
from feedback import sms
from tests.security.test_phone_scrub import digits

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13812341234"
PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "portal.example.org"}


def run(code, command=("shell", "-c"), **variables):
    ours = ("DJANGO_", "DATABASE_URL", "FEEDBACK_", "SMS_")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *command, *([code] if code else [])],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_console_backend():
    # Refused where the settings are read, so gunicorn, migrate and every command stop alike.
    result = run(None, command=("check",), **PRODUCTION, FEEDBACK_SMS_BACKEND="feedback.sms.ConsoleSMSBackend")
    assert result.returncode != 0
    assert "FEEDBACK_SMS_BACKEND" in result.stderr and "Traceback" not in result.stderr


def test_production_without_a_gateway_sends_no_text_messages():
    result = run("from feedback import conf; print(conf.sms_backend())", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "core.sms.NoSMSBackend"


def test_the_new_name_is_refused_alike_and_the_old_class_path_too():
    result = run(None, command=("check",), **PRODUCTION, SMS_BACKEND="core.sms.ConsoleSMSBackend")
    assert result.returncode != 0
    assert "SMS_BACKEND=core.sms.ConsoleSMSBackend" in result.stderr and "Traceback" not in result.stderr


def test_the_system_check_also_covers_settings_set_in_code(settings):
    from django.core import checks

    settings.DEBUG = False
    settings.SMS_BACKEND = "feedback.sms.ConsoleSMSBackend"
    assert [e.id for e in checks.run_checks()] == ["core.E002"]
    settings.SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"
    assert check_backend() == []
    settings.DEBUG = True
    settings.SMS_BACKEND = "feedback.sms.ConsoleSMSBackend"
    assert check_backend() == []  # development: the console is the point


def test_console_backend_masks_the_phone(settings, caplog, capsys):
    settings.SMS_BACKEND = "feedback.sms.ConsoleSMSBackend"
    with caplog.at_level(logging.INFO, logger="core.sms"):
        assert sms.send_sms(PHONE, "您的诉求 SH-2026-000001 有新进展")
    logged = " ".join(r.getMessage() for r in caplog.records) + capsys.readouterr().out
    assert "SH-2026-000001" in logged and "138****1234" in logged
    assert PHONE not in digits(logged)


class FailingGateway:
    def send(self, phone, text):
        raise ValueError(f"gateway refused number {phone}")


def test_a_failing_gateway_logs_no_phone(settings, caplog):
    settings.SMS_BACKEND = "tests.feedback.test_sms_privacy.FailingGateway"
    with caplog.at_level(logging.INFO, logger="core.sms"):
        assert sms.send_sms(PHONE, "text") is False
    assert caplog.records and PHONE not in digits(caplog.text)


def test_no_log_line_carries_a_full_phone_number():
    """Whoever logs it: the filter on the portal's log handler masks it, traceback included."""
    handler = next(h for h in logging.getLogger().handlers if h.filters and h.get_name() == "console")
    stream = StringIO()
    old = handler.setStream(stream)
    try:
        logger = logging.getLogger("volunteers.anything")
        logger.warning("booking for %s failed", PHONE)
        try:
            raise RuntimeError(f"gateway said no to +86 {PHONE}")
        except RuntimeError:
            logger.exception("call to (010)66001234 failed")
    finally:
        handler.setStream(old)
    out = stream.getvalue()
    assert "booking for 138****1234 failed" in out and "RuntimeError" in out
    assert PHONE not in digits(out) and "66001234" not in digits(out)
