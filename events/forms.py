import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

PHONE_RE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


def clean_phone(value):
    value = re.sub(r"[\s]", "", value or "")
    if not PHONE_RE.match(value):
        raise forms.ValidationError(_("请填写 11 位手机号，或带区号的固定电话，例如 010-66001234。"))
    return value


class BookingForm(forms.Form):
    name = forms.CharField(label=_("姓名（必填）"), max_length=50)
    phone = forms.CharField(
        label=_("手机号（必填）"),
        max_length=20,
        help_text=_("只给社区工作人员看，用于有变化时通知您。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, offering=None, **kwargs):
        self.offering = offering
        kwargs.setdefault("initial", {}).setdefault("submission", uuid.uuid4())
        kwargs.setdefault("auto_id", f"id_o{offering.pk}_%s" if offering else "id_%s")
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写姓名。"))
        return name

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])
