import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Street
from core.forms import ContentSelect, TranslatedNameChoiceField, mark_required
from core.images import check_image
from feedback.intake import MAX_PHOTOS
from feedback.models import Case, Category
from feedback.workflow import RESIDENT_NOTE_MAX

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
CODE_RE = re.compile(r"[\w-]+")  # any FEEDBACK_CODE_PREFIX, never a "/"


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Up to MAX_PHOTOS photos, each checked by content (never by its name)."""

    widget = MultipleImageInput

    def __init__(self, *args, max_files=MAX_PHOTOS, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        return data

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > self.max_files:
            raise ValidationError(_("最多上传 %(n)s 张照片。") % {"n": self.max_files})
        errors = []
        for upload in files:
            try:
                check_image(upload)
            except ValidationError as exc:
                text = " ".join(exc.messages)
                errors.append(ValidationError(_("%(file)s：%(problem)s") % {"file": upload.name, "problem": text}))
        if errors:
            raise ValidationError(errors)
        return files


def community_choices():
    """Communities grouped by street: a plain <select> with <optgroup>s works without JavaScript."""
    groups = {}
    for community in Community.objects.select_related("street").order_by("street__sort_order", "sort_order", "name"):
        groups.setdefault(community.street.name, []).append((community.pk, community.name))
    return [("", _("请选择所在社区")), *groups.items()]


class CaseForm(forms.Form):
    community = forms.TypedChoiceField(
        label=_("所在社区"), coerce=int, help_text=_("按街道分组，选问题所在的社区。"), widget=ContentSelect
    )
    # In the order of the page, so the error summary at the top reads in the same order.
    place = forms.CharField(
        label=_("具体地点"), max_length=100, help_text=_("例如：四环胡同28号院；写到门牌号或明显的参照物。")
    )
    category = TranslatedNameChoiceField(
        label=_("问题类别"), queryset=Category.objects.active(), empty_label=_("请选择问题类别")
    )
    description = forms.CharField(
        label=_("问题描述"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("发生了什么、影响到谁、持续多久了。至少 10 个字。请不要在这里写姓名和电话。"),
    )
    photos = MultipleImageField(
        label=_("现场照片（可选，最多 6 张）"),
        help_text=_("JPG、PNG、WebP 或手机 HEIC 照片。照片会去掉拍摄位置等信息后保存。"),
        widget=MultipleImageInput(attrs={"accept": "image/*"}),
    )
    contact_name = forms.CharField(label=_("怎么称呼您（可选）"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("手机或电话（可选）"),
        max_length=20,
        required=False,
        help_text=_("只给负责的社区工作人员看，绝不公开。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("电子邮箱（可选）"),
        required=False,
        # The case's column (a form's EmailField alone would take 320 characters).
        max_length=Case._meta.get_field("contact_email").max_length,
        help_text=_("留了邮箱，办理进展会发到这里。"),
    )
    consent = forms.BooleanField(
        label=_("我同意工作人员用上面的联系方式联系我，了解和反馈办理情况"),
        required=False,
        help_text=_("不留联系方式也可以匿名反映，凭查询码查看进度。"),
    )
    website = forms.CharField(
        label=_("请勿填写此项"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )
    token = forms.UUIDField(
        label=_("表单编号"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("表单已过期，请刷新页面后重新提交。"),
            "invalid": _("表单已过期，请刷新页面后重新提交。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = community_choices()
        if not self.is_bound and "token" not in self.initial:
            self.initial["token"] = uuid.uuid4()
        mark_required(self)

    def clean_community(self):
        community = Community.objects.select_related("street").filter(pk=self.cleaned_data["community"]).first()
        if community is None:
            raise ValidationError(_("请选择所在社区。"))
        return community

    def clean_contact_phone(self):
        phone = re.sub(r"[\s]", "", self.cleaned_data.get("contact_phone", ""))
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("电话号码格式不对，请填写 11 位手机号，或带区号的固定电话（如 010-66001234）。"))
        return phone

    def clean(self):
        data = super().clean()
        has_contact = any(data.get(k) for k in ("contact_name", "contact_phone", "contact_email"))
        if has_contact and not data.get("consent"):
            self.add_error(
                "consent", _("您留了联系方式：如果同意我们联系您，请勾选这一项；不同意的话请清空联系方式，匿名反映。")
            )
        return data

    @property
    def is_spam(self):
        return bool(self.data.get("website"))


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对办理结果满意吗？"), choices=Case.Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("想说的话（可选）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选“不满意”会重新交给社区办理（办结后 15 天内）。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self)


class ResidentNoteForm(forms.Form):
    note = forms.CharField(
        label=_("补充情况"),
        max_length=RESIDENT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例如问题有了变化、具体位置、方便上门的时间。会公开显示在办理经过里，请不要写姓名和电话。"),
        error_messages={
            "required": _("请写下要补充的情况。"),
            "max_length": _("补充情况最多 %(limit_value)s 个字（现在 %(show_value)s 个）。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self)


class TrackLookupForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        help_text=_("提交后页面上显示的查询码，例如 SH-2026-000123。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_RE.fullmatch(code):  # it becomes part of a URL
            raise ValidationError(_("查询码只含字母、数字和短横线，例如 SH-2026-000123。"))
        return code


class StreetFilterForm(forms.Form):
    street = forms.ModelChoiceField(
        label=_("街道"),
        queryset=Street.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("全部街道"),
        widget=ContentSelect,
    )
