"""The shared cache (Redis in production), failing open: every use of the cache goes through here.

Contract: nothing the portal keeps in the cache is needed to answer a request. Pages render
without the page cache, figures are computed afresh, a rate limit lets the request through. So
when the cache does not answer, each function here logs it and returns its "nothing there"
answer (``None``, ``{}``, ``False``) instead of raising: a Redis outage slows the portal down, it
never turns a page into a 500.

After a failure this process leaves the cache alone for ``CACHE_RETRY_SECONDS`` (5), so an
outage costs one timeout per process in that time, not one per call (settings give Redis a short
socket timeout for the same reason). ``/healthz`` asks the cache directly and says when it is down.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

_down_until = 0.0  # monotonic time; shared by the process's threads: one failure is enough to know


def _retry_seconds():
    return getattr(settings, "CACHE_RETRY_SECONDS", 5)


def _call(method, default, *args):
    global _down_until
    if time.monotonic() < _down_until:
        return default
    try:
        return getattr(cache, method)(*args)
    except Exception as exc:
        if method == "incr" and isinstance(exc, ValueError):  # Django's answer for a missing key
            return None
        _down_until = time.monotonic() + _retry_seconds()
        logger.warning("cache unavailable, going on without it for %s s: %s %r", _retry_seconds(), method, exc)
        return default


def available():
    """False while this process leaves the cache alone after a failure."""
    return time.monotonic() >= _down_until


def reset():
    """Forget a failure (tests; otherwise a cache that came back is tried again after the pause)."""
    global _down_until
    _down_until = 0.0


def get(key, default=None):
    return _call("get", default, key, default)


def get_many(keys):
    return _call("get_many", {}, keys)


def set(key, value, timeout):  # noqa: A001 - the cache's own word
    _call("set", None, key, value, timeout)


def add(key, value, timeout):
    """True when the key was not there and now holds ``value``; False when it was, or the cache is down."""
    return _call("add", False, key, value, timeout)


def delete(key):
    _call("delete", None, key)


def incr(key):
    """The key's value plus one, or None when the key is missing (or the cache is down)."""
    return _call("incr", None, key)
