"""How often one client address, and one phone number or e-mail address, may use each anonymous form.

Contract: every anonymous form that writes or sends something (a report, 附议, a booking, a
home-visit request, a registration, a password-reset e-mail) calls ``allow(request, scope, ...)``
once its input is valid and before it acts. A refusal is the form again, with what was typed and
``MESSAGE`` on it, answered 429. Each attempt counts against one counter per (scope, client
address) and one per (scope, phone / e-mail / ...) given, each a fixed window in the shared cache;
the attempt is refused when any of them is over its limit. So fake phone numbers from one address
meet the address limit, and one phone number from many addresses meets its own. Logging in is
django-axes' job, not this module's. Looking a case up by its tracking code is counted the same
way (scope ``track``, before the lookup, so a refusal says nothing about the code: feedback/owner.py).

Limits: ``DEFAULTS`` below, overridden per scope and kind by ``settings.RATE_LIMITS``, e.g.
``RATE_LIMITS = {"booking": {"address": (10, 3600)}}`` (count, seconds).

The client address is read by ``core.client.client_ip``, the one rule login throttling and the
audit log use too (the entry ``DJANGO_PROXY_COUNT`` places from the end of X-Forwarded-For).
With the cache down every attempt is let through (core/sharedcache.py): the forms keep working.
"""

import hashlib

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import client as core_client
from core import sharedcache

DEFAULTS = {
    # reports of problems (feedback): a household reports a few things a day, not dozens
    "feedback": {"address": (5, 3600), "phone": (5, 86400), "email": (5, 86400)},
    # Open311 (feedback/open311/): a client's key carries a hotline's whole day, so its limit is per
    # key, not per household; a resident's phone or e-mail still meets the report form's own limit.
    "open311_write": {"address": (600, 3600), "client": (600, 3600), "phone": (5, 86400), "email": (5, 86400)},
    # anonymous reads of the API: a polling system every minute is fine, a scraper is not
    "open311_read": {"address": (600, 3600)},
    # 附议: per address, and per address on the same case (cookies are easy to drop)
    "metoo": {"address": (20, 3600), "case": (3, 86400)},
    # every lookup by tracking code (public page, lookup form, private page), found or not, so the
    # answers cannot sort real codes from made-up ones; the same page again is not a new lookup
    "track": {"address": (60, 3600)},
    # 补充情况 from a resident's private link: a few a day, not a flood onto the public timeline
    "resident_note": {"address": (10, 3600), "case": (10, 86400)},
    # service-day bookings: places are few, one phone books each service once anyway
    "booking": {"address": (5, 3600), "phone": (5, 86400)},
    "home_visit": {"address": (3, 3600), "phone": (3, 86400)},
    # 我的事项: each code is a text message (a phone must not be flooded), and each code check is one
    # guess at six digits (the code itself allows 5 tries; this bounds trying many phones from one place)
    "my_code": {"address": (10, 3600), "phone": (5, 3600)},
    "my_verify": {"address": (30, 3600)},
    "register": {"address": (5, 3600), "phone": (3, 86400), "email": (3, 86400)},
    # each one sends an e-mail: a mailbox must not be flooded from anywhere
    "password_reset": {"address": (5, 3600), "email": (3, 3600)},
}

MESSAGE = _("这个网络或这个联系方式在短时间内提交了太多次，请过一段时间再试，或直接打电话给社区。")


def client_ip(request):
    """The client's address as every guard reads it (core.client), "unknown" where none can be known."""
    return core_client.client_ip(request) or "unknown"


def limits(scope):
    """{kind: (count, seconds)} for ``scope``: the defaults with the settings' changes."""
    return {**DEFAULTS.get(scope, {}), **getattr(settings, "RATE_LIMITS", {}).get(scope, {})}


def allow(request, scope, submission=None, **identities):
    """True while this client address and each identity given (``phone=``, ``email=``, ``case=``;
    empty ones are skipped) are under the scope's limits. Counts this attempt against every one.

    ``submission`` names this very submission (the form's one-time token, or what makes a second
    copy fail, like a username): the same submission again while the first is let through — a double
    click, a retry — is not a new attempt and is not counted; the view makes it harmless. A refused
    submission sent again is counted again."""
    scope_limits = limits(scope)
    seen = f"rl:{scope}:seen:{_digest('submission', submission)}" if submission else None
    if seen and not sharedcache.add(seen, 1, max(seconds for _count, seconds in scope_limits.values())):
        return True  # let through before (or the cache is down: then nothing is refused anyway)
    allowed = True
    for kind, value in {"address": client_ip(request), **identities}.items():
        if not value:
            continue
        count, seconds = scope_limits[kind]  # a kind without a limit is a mistake in the caller
        if _hits(f"rl:{scope}:{kind}:{_digest(kind, value)}", seconds) > count:
            allowed = False
    if seen and not allowed:
        sharedcache.delete(seen)
    return allowed


def per_address(request, value):
    """An identity that is one thing from one address (a case 附议'd from this address)."""
    return f"{value}@{client_ip(request)}"


def _digest(kind, value):
    """Keys hold no phone number or e-mail address in clear; the same contact written twice is one."""
    normal = "".join(str(value).split()).lower()
    if kind == "phone":
        normal = "".join(c for c in normal if c.isdigit())
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


def _hits(key, seconds):
    sharedcache.add(key, 0, seconds)
    hits = sharedcache.incr(key)
    if hits is None:  # expired between add and incr, or the cache is down (then nothing is refused)
        sharedcache.set(key, 1, seconds)
        hits = 1
    return hits
