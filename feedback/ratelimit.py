"""Counting requests per client address in the shared cache (Redis in production)."""

from django.core.cache import cache

from core.client import client_ip


def allow(scope, request, limit):
    """True while this client has made fewer than ``limit[0]`` hits in ``limit[1]`` seconds."""
    count, seconds = limit
    key = f"feedback:rl:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, seconds)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        hits = 1
    return hits <= count
