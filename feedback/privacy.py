"""Names and phone numbers never appear publicly: masking and scrubbing helpers."""

import re

from core.privacy import mask_phone  # noqa: F401 - the feedback app's callers import it from here

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?(\d{3,4})[\s-]?(\d{4})(?!\d)")


def scrub(text):
    """Public text with any phone number a resident typed into it masked."""
    text = PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text or "")
    return LANDLINE_RE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
