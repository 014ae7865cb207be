"""Small forms for the workflow panel on the admin change pages (one per move)."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Department
from core.widgets import MultiplePhotoInput
from feedback.forms import MultipleImageField
from feedback.models import Case


def spot_photos():
    """现场照片: optional, taken with the phone's camera or picked from its gallery."""
    return MultipleImageField(label=_("现场照片（可选，可拍照）"), widget=MultiplePhotoInput, max_files=6)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptForm(VersionForm):
    note = forms.CharField(
        label=_("给居民的说明（可选）"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = spot_photos()


class DeclineForm(VersionForm):
    reason = forms.ChoiceField(label=_("原因"), choices=Case.DeclineReason.choices)
    note = forms.CharField(
        label=_("给居民的说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("居民会看到。")
    )


class DispatchForm(VersionForm):
    lead = forms.ModelChoiceField(label=_("主办部门"), queryset=Department.objects.none())
    assisting = forms.ModelMultipleChoiceField(
        label=_("协办部门"), queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("补充说明（可选）"), required=False, max_length=500)
    photos = spot_photos()

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(Q(street__isnull=True) | Q(street_id=case.community.street_id))
        self.fields["lead"].queryset = departments
        self.fields["assisting"].queryset = departments

    def clean(self):
        data = super().clean()
        if data.get("lead") and data.get("lead") in (data.get("assisting") or []):
            self.add_error("assisting", _("主办部门不用再选为协办。"))
        return data


class ResolveForm(VersionForm):
    note = forms.CharField(label=_("办理结果（居民会看到）"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(VersionForm):
    note = forms.CharField(label=_("备注"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    public = forms.BooleanField(label=_("居民可见"), required=False)


class OnSiteForm(forms.Form):
    people = forms.CharField(label=_("到场人员"), max_length=200, help_text=_("例如：房管所 2 人"))
    when = forms.DateTimeField(
        label=_("到场时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    note = forms.CharField(label=_("现场情况（可选）"), required=False, max_length=500)
    photos = spot_photos()

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class PlanForm(forms.Form):
    plan = forms.CharField(
        label=_("处置方案"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("和居民商量好的方案，居民会看到。"),
    )
    photos = spot_photos()


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("处置结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleImageField(label=_("处置后照片（至少一张，最多 6 张）"), widget=MultiplePhotoInput, max_files=6)
