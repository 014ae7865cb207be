import re
import uuid

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core import lang

PHONE_RE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


def clean_phone(value):
    value = re.sub(r"[\s]", "", value or "")
    if not PHONE_RE.match(value):
        raise forms.ValidationError(_("请填写 11 位手机号，或带区号的固定电话，例如 010-66001234。"))
    return value


class ResidentForm(forms.Form):
    """Who books: a name and a phone, once per form, and the form's own number (a double submit books once)."""

    name = forms.CharField(label=_("姓名（必填）"), max_length=50)
    phone = forms.CharField(
        label=_("手机号（必填）"),
        max_length=20,
        help_text=_("只给社区工作人员看，用于有变化时通知您。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写姓名。"))
        return name

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class BookingForm(ResidentForm):
    def __init__(self, *args, offering=None, **kwargs):
        self.offering = offering
        kwargs.setdefault("auto_id", f"id_o{offering.pk}_%s" if offering else "id_%s")
        super().__init__(*args, **kwargs)


class MultiBookingForm(ResidentForm):
    """One form for several services of one day: the resident ticks them and gives name and phone once."""

    offerings = forms.TypedMultipleChoiceField(
        label=_("要预约的服务（可多选）"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少勾选一项服务。"),
            "invalid_choice": _("所选的服务已有变化，请重新勾选。"),
        },
    )
    field_order = ["offerings", "name", "phone"]

    def __init__(self, *args, offerings=None, **kwargs):
        kwargs.setdefault("auto_id", "id_many_%s")
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _("只给社区工作人员看。预约结果和有变化时的通知会用短信发到这个手机号。")
        # Choices from the day's offerings already read for the page: no query of its own.
        self.fields["offerings"].choices = [(offering.pk, _choice_label(offering)) for offering in offerings or ()]


def _choice_label(offering):
    """“理发（还剩 3 个名额）” or “理发（已约满，可排队候补）”: what ticking it will bring, before the button."""
    # The service's name in the reader's language where the catalogue knows it, else marked as Chinese;
    # translated_name escapes it, and the sentences around it come from our catalogue.
    service = lang.translated_name(offering.service_type)
    left = getattr(offering, "places_left", None)
    if left is None:
        return service
    if left:
        return mark_safe(_("%(service)s（还剩 %(n)s 个名额）") % {"service": service, "n": left})  # noqa: S308
    return mark_safe(_("%(service)s（已约满，可排队候补）") % {"service": service})  # noqa: S308
