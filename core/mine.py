"""我的事项: a resident without an account opens their own bookings, home-visit requests and reports
with their phone number and a one-time code.

Contract:

1. ``issue(phone)`` makes a 6-digit code (``secrets``), valid ``CODE_MINUTES`` (5), and queues it by
   text message (core.notices, after commit). Only keyed digests (HMAC with SECRET_KEY) of the phone
   and of phone+code are stored (``OneTimeCode``); a new code voids the phone's earlier ones. The
   view asks ``core.ratelimit`` first (scope ``my_code``: per client address and per phone), and
   answers the same whether or not the phone has any records: nothing is looked up before the code
   is verified.
2. ``verify(phone, code)`` locks the phone's latest unused code. Expired, used up (``MAX_TRIES`` 5
   wrong codes) or wrong: a clear message, and a wrong code counts one try (committed before the
   refusal is raised). Right: the code is used up. Every attempt also counts against the client
   address (scope ``my_verify``), so many phones cannot be tried from one place.
3. ``sign_in`` binds the phone to the session (a new session key) for ``SESSION_MINUTES`` (30) from
   the sign-in; ``signed_in_phone(request)`` is the one way any app reads it, and returns None once
   it has expired. Every app's action from 我的事项 looks its row up *with* that phone
   (``get_object_or_404(..., phone=phone)``), so another phone's row is a 404.
4. Each app adds its part of the page with the blocks hook ``my_things_block(request, phone)``
   (core/blocks.py); this module names no app.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notices
from core.models import OneTimeCode

CODE_MINUTES = 5
MAX_TRIES = 5
SESSION_MINUTES = 30
SESSION_PHONE = "my_things_phone"
SESSION_UNTIL = "my_things_until"
SESSION_PENDING = "my_things_pending"


class CodeError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _digest(*parts):
    key = f"core.mine:{settings.SECRET_KEY}".encode()
    return hmac.new(key, ":".join(parts).encode(), hashlib.sha256).hexdigest()


def issue(phone):
    """Makes and queues a new code for ``phone``; voids the earlier ones. Returns the code (for tests)."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(phone_digest=_digest(phone), used_at__isnull=True).update(used_at=now)
        OneTimeCode.objects.create(
            phone_digest=_digest(phone),
            code_digest=_digest(phone, code),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        text = _("【我的事项】验证码 %(code)s，%(minutes)s 分钟内有效。请勿告诉他人；不是您本人操作请忽略。") % {
            "code": code,
            "minutes": CODE_MINUTES,
        }
        notices.send(phone=phone, text=text, code=code)
    return code


def verify(phone, code):
    """Uses up the phone's code when ``code`` is it; raises CodeError with the resident's message otherwise."""
    code = "".join((code or "").split())
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(phone_digest=_digest(phone), used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            problem = _("请先获取验证码。")
        elif row.tries >= MAX_TRIES:
            problem = _("输错次数太多，这个验证码已作废，请重新获取。")
        elif row.expires_at <= timezone.now():
            problem = _("验证码已过期（%(minutes)s 分钟内有效），请重新获取。") % {"minutes": CODE_MINUTES}
        elif not hmac.compare_digest(row.code_digest, _digest(phone, code)):
            row.tries += 1
            row.save(update_fields=["tries"])
            left = MAX_TRIES - row.tries
            if left:
                problem = _("验证码不对，请核对短信里的 6 位数字，还可以再试 %(n)s 次。") % {"n": left}
            else:
                problem = _("验证码不对，输错次数太多，这个验证码已作废，请重新获取。")
        else:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return
    raise CodeError(problem)  # after the block: the wrong try stays counted


def sign_in(request, phone):
    request.session.cycle_key()
    request.session.pop(SESSION_PENDING, None)
    request.session[SESSION_PHONE] = phone
    request.session[SESSION_UNTIL] = time.time() + SESSION_MINUTES * 60


def sign_out(request):
    for key in (SESSION_PHONE, SESSION_UNTIL, SESSION_PENDING):
        request.session.pop(key, None)


def signed_in_phone(request):
    """The phone this session signed in with, or None (never signed in, or more than 30 minutes ago)."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return None
    if request.session.get(SESSION_UNTIL, 0) <= time.time():
        sign_out(request)
        return None
    return phone
