"""Pictures as pictures on the staff desk: a small rendition of a stored image (sorl-thumbnail),
and the ``<img>`` a list or a read-only field shows in place of a file path."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from sorl.thumbnail import get_thumbnail

DESK_SIZE = "160x160"


def thumbnail_url(image, size=DESK_SIZE):
    """The URL of a small copy of ``image`` (a FieldFile), or None when the file cannot be read."""
    if not image or not getattr(image, "name", None):
        return None
    try:
        return get_thumbnail(image, size, quality=80).url
    except Exception:  # a missing or broken file: the desk says so instead of failing the page
        return None


def thumbnail_tag(image, alt, size=DESK_SIZE, link=True):
    """``<img>`` of ``image`` with ``alt``, linked to the full picture; "—" when there is none."""
    url = thumbnail_url(image, size)
    if url is None:
        return _("（无法显示图片）") if image else "—"
    if not link:
        return format_html('<img src="{}" alt="{}" class="desk-thumb" loading="lazy">', url, alt)
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" class="desk-thumb" loading="lazy"></a>', image.url, url, alt
    )
