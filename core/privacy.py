"""Personal data shown in part: one masking rule for every app."""

import re


def mask_phone(phone):
    """138****1234: the first three and last four digits, the rest hidden."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
