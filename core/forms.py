"""Shared form helpers."""

from django.utils.translation import gettext_lazy as _


def mark_required(form):
    """Say “（必填）” in the label of every required field that does not say so already.

    Required fields are marked in words, never only by colour or an asterisk (WCAG 1.3.1, 3.3.2).
    """
    for field in form.fields.values():
        label = str(field.label or "")
        if field.required and label and "必填" not in label and "(required)" not in label:
            field.label = _("%(label)s（必填）") % {"label": field.label}
