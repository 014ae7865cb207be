"""Signed, expiring preview links for drafts (django.core.signing.TimestampSigner)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "news.story.preview"


def _signer():
    return signing.TimestampSigner(salt=SALT)


def make_token(story):
    return _signer().sign(str(story.pk))


def preview_url(story):
    return reverse("news:preview", args=[make_token(story)])


class PreviewExpired(Exception):
    pass


class PreviewInvalid(Exception):
    pass


def story_id_from(token, max_age=None):
    """The story id in ``token``; PreviewExpired or PreviewInvalid otherwise."""
    max_age = settings.NEWS_PREVIEW_MAX_AGE if max_age is None else max_age
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise PreviewExpired from None
    except signing.BadSignature:
        raise PreviewInvalid from None
    if not value.isdigit():
        raise PreviewInvalid
    return int(value)
