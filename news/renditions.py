"""Responsive renditions of a stored photo, made once when the photo is saved.

sorl-thumbnail draws the renditions; their URLs and sizes are stored on the row
(a JSON list), so a page with many photos needs no thumbnail look-ups while it
renders: the number of SQL queries stays the same whatever the number of photos.
"""

import logging

from sorl.thumbnail import get_thumbnail

from core.logsafe import safe

logger = logging.getLogger(__name__)

WIDTHS = (480, 800, 1200)


def make_renditions(image_field):
    """[{"w", "h", "url"}...] from small to large, never wider than the original."""
    if not image_field:
        return []
    try:
        original_width = image_field.width
    except (OSError, ValueError):
        logger.warning("cannot read %s for renditions", safe(image_field.name))
        return []
    renditions = []
    for width in WIDTHS:
        if width >= original_width:
            break
        thumb = get_thumbnail(image_field, f"{width}", quality=82, format="WEBP")
        renditions.append({"w": thumb.width, "h": thumb.height, "url": thumb.url})
    renditions.append({"w": image_field.width, "h": image_field.height, "url": image_field.url})
    return renditions


def srcset(renditions):
    return ", ".join(f"{r['url']} {r['w']}w" for r in renditions)
