"""Names and phone numbers never appear publicly: masking and scrubbing helpers."""

import re

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?(\d{3,4})[\s-]?(\d{4})(?!\d)")


def mask_phone(phone):
    """138****1234: the first three and last four digits, the rest hidden."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def scrub(text):
    """Public text with any phone number a resident typed into it masked."""
    text = PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text or "")
    return LANDLINE_RE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
