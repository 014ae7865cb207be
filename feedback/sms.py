"""Text messages to residents, through a backend chosen by ``FEEDBACK_SMS_BACKEND``.

A gateway is a class with ``send(phone, text)``. The console backend (development's default)
writes messages to the log so development needs no gateway; it is refused when ``DEBUG`` is off
(``check_backend``, run when the app is ready), since a log is no place for residents' numbers.
Without a gateway, production's default sends nothing (``NoSMSBackend``). No log line here
carries a full phone number (and the log handler's ``core.privacy.PhoneScrubFilter`` masks any
other).
"""

import logging

from django.conf import settings
from django.core.checks import Error
from django.utils.module_loading import import_string

from core.logsafe import safe
from core.privacy import mask_phone, scrub_phones
from feedback import conf
from feedback.owner import redact

logger = logging.getLogger("feedback.sms")

CONSOLE = "feedback.sms.ConsoleSMSBackend"


class ConsoleSMSBackend:
    def send(self, phone, text):
        text = redact(text)  # a private link's secret goes to the phone only, never to a log
        logger.info("SMS to %s: %s", mask_phone(phone), safe(text))
        print(f"[SMS to {mask_phone(phone)}] {safe(text)}")  # noqa: T201 - the console backend's job
        return True


class NoSMSBackend:
    """Production without a gateway: no message leaves, and none is written down."""

    def send(self, phone, text):
        logger.info("SMS to %s not sent: no gateway configured (FEEDBACK_SMS_BACKEND)", mask_phone(phone))
        return False


def check_backend(app_configs=None, **kwargs):
    """System check (manage.py check, migrate, runserver): no console backend in production, even when
    settings are changed in code. The environment's own value is refused by settings.py at start-up."""
    if not settings.DEBUG and conf.sms_backend() == CONSOLE:
        return [
            Error(
                f"FEEDBACK_SMS_BACKEND={CONSOLE} writes residents' messages to the log and is for development only.",
                hint="With DJANGO_DEBUG=false set FEEDBACK_SMS_BACKEND to your SMS gateway's class, or leave it unset.",
                id="feedback.E001",
            )
        ]
    return []


def get_backend():
    return import_string(conf.sms_backend())()


def send_sms(phone, text):
    if not phone:
        return False
    try:
        return get_backend().send(phone, text)
    except Exception as exc:  # a gateway failure must never break the resident's request
        # No traceback: a gateway's error message may hold the number (masked here all the same).
        logger.error("SMS to %s failed: %s: %s", mask_phone(phone), type(exc).__name__, scrub_phones(str(exc)))
        return False
