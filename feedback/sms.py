"""Text messages to residents, through a backend chosen by ``FEEDBACK_SMS_BACKEND``.

A gateway is a class with ``send(phone, text)``; the console backend (the
default) writes messages to the log so development needs no gateway.
"""

import logging

from django.utils.module_loading import import_string

from core.logsafe import safe
from feedback import conf
from feedback.owner import redact

logger = logging.getLogger("feedback.sms")


class ConsoleSMSBackend:
    def send(self, phone, text):
        text = redact(text)  # a private link's secret goes to the phone only, never to a log
        logger.info("SMS to %s: %s", safe(phone), safe(text))
        print(f"[SMS to {safe(phone)}] {safe(text)}")  # noqa: T201 - the console backend's job
        return True


def get_backend():
    return import_string(conf.sms_backend())()


def send_sms(phone, text):
    if not phone:
        return False
    try:
        return get_backend().send(phone, text)
    except Exception:  # a gateway failure must never break the resident's request
        logger.exception("SMS gateway failed")
        return False
