"""Web addresses of stories made from their titles: pinyin, lowercase, hyphens, never Chinese.

``slug_from_title("椿树园社区便民服务日")`` → ``"chun-shu-yuan-she-qu-bian-min-fu-wu-ri"``. The result
fits the Story.slug column with room for a ``-2`` suffix, and ``unique_slug`` adds that suffix when
another story already has the address.
"""

import secrets

from django.utils.text import slugify
from pypinyin import lazy_pinyin

MAX_LENGTH = 80  # Story.slug holds 100; the rest is room for "-2", "-3"…


def slug_from_title(title, max_length=MAX_LENGTH):
    """The pinyin of ``title`` as a slug, cut at a syllable; a random one when nothing is left."""
    words = lazy_pinyin(title or "", errors=lambda chars: chars.split())
    slug = slugify(" ".join(words))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-") or f"story-{secrets.token_hex(3)}"


def unique_slug(model, title, exclude_pk=None):
    """``slug_from_title(title)``, with ``-2``, ``-3``… added while another row has it."""
    base = slug_from_title(title)
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
