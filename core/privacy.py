"""Personal data shown in part: one masking rule for every app.

Who may see data in full is each app's rule (``communities.privacy``, ``feedback.admin.contact``);
how the rest is hidden is decided here, once.
"""

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


def mask_name(name):
    """王** : the first character, one star for each of the others (at least one)."""
    return f"{name[0]}{'*' * max(1, len(name) - 1)}" if name else ""


def mask_email(email):
    """w***@example.org: the first character of the mailbox and the whole domain."""
    if not email:
        return email
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def scrub_phones(text):
    """Public text with any phone number a resident typed into it masked."""
    text = PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text or "")
    return LANDLINE_RE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
