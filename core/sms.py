"""Text messages to residents, through one backend chosen by ``SMS_BACKEND``.

Contract:

1. A backend is a class with ``send(phone, text)``: True when the message left, False when it was
   deliberately not sent (no gateway); it raises when the gateway failed, so the queue
   (core/notices.py) can try again. A backend may also define ``send_code(phone, code, text)`` for
   one-time codes, which providers send through a template of their own (``AliyunSMSBackend``).
2. ``SMS_BACKEND`` names the class; the old name ``FEEDBACK_SMS_BACKEND`` is still read when
   ``SMS_BACKEND`` is not set (settings.py reads both environment variables the same way).
   Development's default is the console, production's is ``NoSMSBackend``.
3. The console backend writes messages to the log, numbers masked and private links cut
   (``redactors``: apps add theirs, feedback its owner links): development only. It is refused
   when ``DEBUG`` is off, by settings.py at start-up and by the system check ``core.E002``.
4. No log line here carries a full phone number (and the log handler's
   ``core.privacy.PhoneScrubFilter`` masks any other).
"""

import json
import logging

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from core.logsafe import safe
from core.privacy import mask_phone, scrub_phones

logger = logging.getLogger("core.sms")

CONSOLE = "core.sms.ConsoleSMSBackend"
CONSOLES = (CONSOLE, "feedback.sms.ConsoleSMSBackend")  # the old path still names the console

# Functions text -> text that cut secrets out of what the console writes (apps append theirs in ready()).
redactors = []


def backend_path():
    """The configured backend's dotted path (``SMS_BACKEND``, else the old ``FEEDBACK_SMS_BACKEND``)."""
    default = CONSOLE if settings.DEBUG else "core.sms.NoSMSBackend"
    return getattr(settings, "SMS_BACKEND", None) or getattr(settings, "FEEDBACK_SMS_BACKEND", None) or default


def redact(text):
    for redactor in redactors:
        text = redactor(text)
    return str(text)


class ConsoleSMSBackend:
    def send(self, phone, text):
        text = redact(text)  # a private link's secret goes to the phone only, never to a log
        logger.info("SMS to %s: %s", mask_phone(phone), safe(text))
        print(f"[SMS to {mask_phone(phone)}] {safe(text)}")  # noqa: T201 - the console backend's job
        return True


class NoSMSBackend:
    """Production without a gateway: no message leaves, and none is written down."""

    def send(self, phone, text):
        logger.info("SMS to %s not sent: no gateway configured (SMS_BACKEND)", mask_phone(phone))
        return False


class AliyunSMSBackend:
    """Alibaba Cloud SMS (dysmsapi 2017-05-25), configured by environment variables through settings:

    ``ALIYUN_SMS_ACCESS_KEY_ID``, ``ALIYUN_SMS_ACCESS_KEY_SECRET``, ``ALIYUN_SMS_SIGN_NAME`` (the
    approved signature, e.g. 西城社区服务平台), ``ALIYUN_SMS_TEMPLATE_NOTICE`` (a notice template whose
    one variable ``${content}`` carries the text), ``ALIYUN_SMS_TEMPLATE_CODE`` (the verification
    template, variable ``${code}``) and optionally ``ALIYUN_SMS_ENDPOINT``. Providers only send
    approved templates, so every portal message goes through one of these two.
    """

    def __init__(self):
        # Imported here, not at module level: start-up and every other backend stay light.
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as openapi

        missing = [name for name in ALIYUN_SETTINGS if not getattr(settings, name, "")]
        if missing:
            raise ImproperlyConfigured(f"SMS_BACKEND=core.sms.AliyunSMSBackend needs {', '.join(missing)}.")
        config = openapi.Config(
            access_key_id=settings.ALIYUN_SMS_ACCESS_KEY_ID,
            access_key_secret=settings.ALIYUN_SMS_ACCESS_KEY_SECRET,
            endpoint=getattr(settings, "ALIYUN_SMS_ENDPOINT", "") or "dysmsapi.aliyuncs.com",
        )
        self.client = Client(config)
        self.request = models.SendSmsRequest

    def _send(self, phone, template, params):
        request = self.request(
            phone_numbers=phone,
            sign_name=settings.ALIYUN_SMS_SIGN_NAME,
            template_code=template,
            template_param=json.dumps(params, ensure_ascii=False),
        )
        body = self.client.send_sms(request).body
        if getattr(body, "code", "") != "OK":  # the gateway answered but refused: try again later
            raise RuntimeError(f"Aliyun SMS refused: {getattr(body, 'code', '?')} {getattr(body, 'message', '')}")
        return True

    def send(self, phone, text):
        return self._send(phone, settings.ALIYUN_SMS_TEMPLATE_NOTICE, {"content": text})

    def send_code(self, phone, code, text):
        return self._send(phone, settings.ALIYUN_SMS_TEMPLATE_CODE, {"code": code})


ALIYUN = "core.sms.AliyunSMSBackend"
ALIYUN_SETTINGS = (
    "ALIYUN_SMS_ACCESS_KEY_ID",
    "ALIYUN_SMS_ACCESS_KEY_SECRET",
    "ALIYUN_SMS_SIGN_NAME",
    "ALIYUN_SMS_TEMPLATE_NOTICE",
    "ALIYUN_SMS_TEMPLATE_CODE",
)


def check_backend(app_configs=None, **kwargs):
    """System check (manage.py check, migrate, runserver): no console backend in production, even when
    settings are changed in code (the environment's own value is refused by settings.py at start-up);
    the Alibaba Cloud backend with every variable it needs."""
    missing = [name for name in ALIYUN_SETTINGS if not getattr(settings, name, "")]
    if backend_path() == ALIYUN and missing:
        return [
            Error(
                f"SMS_BACKEND={ALIYUN} needs {', '.join(missing)}.",
                hint="Set them in the environment (docs/configuration.md, Text messages and notices).",
                id="core.E003",
            )
        ]
    if not settings.DEBUG and backend_path() in CONSOLES:
        return [
            Error(
                f"SMS_BACKEND={backend_path()} writes residents' messages to the log and is for development only.",
                hint="With DJANGO_DEBUG=false set SMS_BACKEND to your SMS gateway's class, or leave it unset.",
                id="core.E002",
            )
        ]
    return []


def get_backend():
    return import_string(backend_path())()


def deliver(phone, text, code=None):
    """Sends now; raises when the gateway fails (the queue's task calls this and tries again)."""
    backend = get_backend()
    if code is not None and hasattr(backend, "send_code"):
        return backend.send_code(phone, code, text)
    return backend.send(phone, text)


def send_sms(phone, text):
    """Sends now and never raises: for callers that cannot wait for the queue (and for tests)."""
    if not phone:
        return False
    try:
        return deliver(phone, text)
    except Exception as exc:  # a gateway failure must never break the resident's request
        log_failure(phone, exc)
        return False


def log_failure(phone, exc, attempt=None):
    # No traceback: a gateway's error message may hold the number (masked here all the same).
    tried = f" (attempt {attempt})" if attempt else ""
    logger.error(
        "SMS to %s failed%s: %s: %s", mask_phone(phone), tried, type(exc).__name__, safe(scrub_phones(str(exc)))
    )
