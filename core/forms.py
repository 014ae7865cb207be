"""Shared form helpers."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import lang


def mark_required(form):
    """Say “（必填）” in the label of every required field that does not say so already.

    Required fields are marked in words, never only by colour or an asterisk (WCAG 1.3.1, 3.3.2).
    """
    for field in form.fields.values():
        label = str(field.label or "")
        if field.required and label and "必填" not in label and "(required)" not in label:
            field.label = _("%(label)s（必填）") % {"label": field.label}


class UsernameLengthMixin:
    """For login forms: a username longer than the account's column is refused before any backend sees it.

    Django's AuthenticationForm sets the username's max_length after the field is built, so the
    length is shown to the browser but never checked; the name then reaches authenticate(), where
    django-axes stores a failed login's username in a varchar(255) (PostgreSQL refuses: a 500).
    """

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        limit = self.fields["username"].max_length
        if limit and len(username) > limit:
            raise ValidationError(
                _("用户名最多 %(limit)d 个字符，请检查后重新输入。"), code="max_length", params={"limit": limit}
            )
        return username


class ContentSelect(forms.Select):
    """A <select> of names people typed (streets, communities, categories): on a page in another
    language, each Chinese option says lang="zh-Hans" (core.lang), so screen readers read it right."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if not lang.is_chinese() and lang.CHINESE.search(str(option["label"])):
            option["attrs"] = {**option["attrs"], "lang": "zh-Hans"}
        return option


class TranslatedNameChoiceField(forms.ModelChoiceField):
    """Choices from a short list staff keep (problem categories): names the catalogue knows are shown
    in the reader's language (core.lang.translated_name), the rest as typed and marked."""

    widget = ContentSelect

    def label_from_instance(self, obj):
        return gettext(str(obj))


class PhoneForm(forms.Form):
    """我的事项, step 1: the mobile number that receives the one-time code."""

    phone = forms.CharField(
        label=_("手机号（必填）"),
        max_length=20,
        help_text=_("预约、申请上门服务或反映问题时留下的手机号。我们会发一条 6 位数字的验证码。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("请填写手机号。")},
    )

    def clean_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data["phone"])
        if not re.fullmatch(r"1[3-9]\d{9}", phone):
            raise ValidationError(_("请填写 11 位手机号（验证码只能发到手机）。"))
        return phone


class CodeForm(forms.Form):
    """我的事项, step 2: the 6 digits received."""

    code = forms.CharField(
        label=_("短信验证码（必填）"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("请填写短信里的 6 位验证码。")},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(_("验证码是 6 位数字，请核对短信。"))
        return code
