"""The resident's own link to their case: the one way to rate it, reopen it or add information.

Contract:

1. At submission the case gets a secret of 176 bits (``secrets.token_urlsafe(22)``). The case keeps
   only its sha256 (``Case.owner_digest``); the secret is shown on the page after submitting and
   sent to the phone or e-mail left (``feedback.notify.submitted``), and never stored or logged:
   ``RedactPrivateLinks`` (on the console handler in settings.LOGGING) and the console SMS gateway
   cut it out of every line that holds a private path.
2. The private page is ``/feedback/mine/<code>/<secret>/`` (and its POSTs below it). ``matches``
   compares digests in constant time; a wrong secret, an unknown code and a case from before the
   private links (no digest) are the same 404.
3. A double submit (the same form token again) must lead to the same link, yet the secret cannot be
   read back from its digest. So the secret a form token gets is decided once, in the shared cache,
   for ``REMEMBER_SECONDS``; it is shown again only when its digest is the case's. Later, or with the
   cache down, the second answer says the link was shown and sent the first time.
4. The short public code reads the public timeline only. Every lookup by code (the public page, the
   lookup form, the private page) counts against the ``track`` rate limit of the client address
   before anything is looked up, so a refusal is the same for a real code and a made-up one
   (``lookup_allowed``).

Nothing here imports the models: settings.LOGGING loads ``RedactPrivateLinks`` before the apps.
"""

import hashlib
import hmac
import logging
import re
import secrets

from django.urls import reverse

from core import ratelimit, sharedcache

REMEMBER_SECONDS = 15 * 60  # a double click, a retry after a timeout: minutes, not days
_PRIVATE_PATH = re.compile(r"(/feedback/mine/[^/\s]+/)[^/\s?#\"'<>]+")


def new_secret():
    return secrets.token_urlsafe(22)


def digest(secret):
    return hashlib.sha256(str(secret).encode()).hexdigest()


def matches(case, secret):
    """True when ``secret`` is the case's own (a case without a digest has no owner link)."""
    return bool(case.owner_digest) and hmac.compare_digest(case.owner_digest, digest(secret))


def secret_for_submission(token):
    """The secret of the case this form token makes: the same for every copy of one submission."""
    secret = new_secret()
    if token is None:
        return secret
    key = _remember_key(token)
    sharedcache.add(key, secret, REMEMBER_SECONDS)
    return sharedcache.get(key) or secret  # the cache down: this copy's own (a second copy shows none)


def remembered(token, case):
    """The secret this form token got, if it is still remembered and is this case's; else ""."""
    if token is None:
        return ""
    secret = sharedcache.get(_remember_key(token))
    return secret if secret and matches(case, secret) else ""


def _remember_key(token):
    return f"feedback:owner:{digest(token)}"


def path(case, secret):
    return reverse("feedback:mine", args=[case.code, secret])


def lookup_allowed(request, code, secret=None):
    """Counts one lookup by code against the client address's budget; False when it is spent.

    The same page again from the same address is the same lookup (a resident reloading their case is
    not guessing), so it is not counted twice; every other code, and every other secret for a code,
    is a new one."""
    what = f"{code.strip().upper()}/{digest(secret)}" if secret is not None else code.strip().upper()
    return ratelimit.allow(request, "track", submission=ratelimit.per_address(request, what))


def redact(text):
    """``text`` with the secret of any private path in it replaced by "…"."""
    return _PRIVATE_PATH.sub(r"\1…", str(text))


class RedactPrivateLinks(logging.Filter):
    """Private links leave no secret in a log line: Django's own "Bad Request: <path>" included."""

    def filter(self, record):
        message = record.getMessage()
        if "/feedback/mine/" in message:
            record.msg, record.args = redact(message), ()
        return True
