"""Notices to residents (a text message, an e-mail) that never block or fail the request that causes them.

Contract:

1. ``send(phone=..., email=..., subject=..., text=...)`` is called inside the action's transaction.
   Nothing is sent then: after the transaction commits (``transaction.on_commit``) one task per
   channel given is enqueued through Django's Tasks API (the ``django-tasks`` backport; settings.TASKS,
   the database backend by default, run by ``manage.py db_worker``). An action that rolls back sends
   nothing; a queue that cannot take the task is logged, never raised to the resident.
2. The task (``deliver``) sends through ``core.sms`` or Django's mail. When the gateway fails it
   enqueues itself again, after 1, 2, 4, 8… minutes where the backend can defer (at once where it
   cannot, as the immediate backend in tests), until ``NOTICE_ATTEMPTS`` (5) tries; the last failure
   is logged with the number masked. A backend that deliberately sends nothing (no gateway) is not a
   failure.
3. What the queue stores is sealed: the phone, the address and the text (which may hold a one-time
   code or a private link's secret) are encrypted with a key derived from SECRET_KEY (Fernet), so
   the task table holds nothing a reader of the database could use. A task sealed under another
   SECRET_KEY is dropped with a log line.
"""

import base64
import datetime
import hashlib
import json
import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core import sms
from core.privacy import mask_phone

logger = logging.getLogger("core.notices")

SMS, EMAIL = "sms", "email"


def _fernet():
    key = hashlib.sha256(f"core.notices:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(message):
    return _fernet().encrypt(json.dumps(message, ensure_ascii=False).encode()).decode()


def unseal(token):
    return json.loads(_fernet().decrypt(token.encode()))


def send(*, phone="", email="", subject="", text, code=None):
    """Queues ``text`` to ``phone`` and/or ``email`` once the current transaction commits.

    ``code`` marks a one-time code (providers send those through their own template)."""
    for channel, to in ((SMS, phone), (EMAIL, email)):
        if to:
            sealed = seal({"to": to, "subject": subject, "text": text, "code": code})
            transaction.on_commit(lambda channel=channel, sealed=sealed: enqueue(channel, sealed))


def enqueue(channel, sealed, attempt=1):
    try:
        if attempt > 1 and getattr(deliver.get_backend(), "supports_defer", False):
            later = timezone.now() + datetime.timedelta(minutes=2 ** (attempt - 2))
            deliver.using(run_after=later).enqueue(channel, sealed, attempt)
        else:
            deliver.enqueue(channel, sealed, attempt)
    except Exception as exc:  # the queue's trouble is never the resident's: the action has been done
        logger.error("notice (%s) could not be queued: %s", channel, type(exc).__name__)


@task()
def deliver(channel, sealed, attempt=1):
    """Sends one sealed notice; on failure enqueues itself again until NOTICE_ATTEMPTS is reached."""
    try:
        message = unseal(sealed)
    except InvalidToken:
        logger.error("notice (%s) dropped: sealed under another SECRET_KEY", channel)
        return False
    to = message["to"]
    try:
        if channel == SMS:
            return bool(sms.deliver(to, message["text"], code=message.get("code")))
        send_mail(message["subject"], message["text"], None, [to])
        return True
    except Exception as exc:
        attempts = getattr(settings, "NOTICE_ATTEMPTS", 5)
        if channel == SMS:
            sms.log_failure(to, exc, attempt)
        else:
            logger.error("e-mail notice failed (attempt %s): %s", attempt, type(exc).__name__)
        if attempt < attempts:
            enqueue(channel, sealed, attempt + 1)
        else:
            who = mask_phone(to) if channel == SMS else "an e-mail address"
            logger.error("notice (%s) to %s given up after %s attempts", channel, who, attempt)
        return False
