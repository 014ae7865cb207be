"""Counting requests per client address in the shared cache (Redis in production)."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind our reverse proxy the address it appended last."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope, request, limit):
    """True while this client has made fewer than ``limit[0]`` hits in ``limit[1]`` seconds."""
    count, seconds = limit
    key = f"feedback:rl:{scope}:{client_ip(request)}"
    cache.add(key, 0, seconds)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        hits = 1
    return hits <= count
