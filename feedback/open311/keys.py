"""API keys of outside systems: random, shown once, stored as their SHA-256 only."""

import hashlib
import secrets

from django.utils import timezone

from feedback.models import ApiClient

KEY_BYTES = 32


def digest(key):
    return hashlib.sha256(str(key).encode()).hexdigest()


def issue(client):
    """Give ``client`` a new key (replacing any earlier one) and return it: the only time it is seen."""
    key = secrets.token_urlsafe(KEY_BYTES)
    client.key_digest = digest(key)
    client.key_hint = key[:6]
    return key


def client_for(key):
    """The active client this key belongs to, or None (unknown, revoked or no key at all)."""
    if not key or len(key) > 200:
        return None
    client = ApiClient.objects.active().filter(key_digest=digest(key)).first()
    if client is not None:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
