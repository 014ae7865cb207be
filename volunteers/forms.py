from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm, UserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from core.forms import UsernameLengthMixin, mark_required
from events.forms import clean_phone
from volunteers.models import Skill, Volunteer


class RegistrationForm(UserCreationForm):
    real_name = forms.CharField(
        label=_("真实姓名（必填）"), max_length=50, help_text=_("用于服务证明，不在公开页面显示全名。")
    )
    phone = forms.CharField(
        label=_("手机号（必填）"),
        max_length=20,
        help_text=_("只有您所在社区的工作人员能看到。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱（必填）"),
        # The account's column (a form's EmailField alone would take 320 characters).
        max_length=get_user_model()._meta.get_field("email").max_length,
        help_text=_("候补递补、服务提醒和找回密码都会发到这里。"),
    )
    community = forms.ModelChoiceField(
        label=_("所在社区（选填）"), queryset=Community.objects.select_related("street"), required=False
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("技能（选填）"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username"]
        labels = {"username": _("用户名（必填）")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_email(self):
        # Whether the address has an account is never said here: volunteers/registration.py answers alike.
        return self.cleaned_data["email"].strip().lower()

    def save(self, commit=True):
        """The account, inactive until its owner opens the link mailed to the address, and its profile."""
        with transaction.atomic():
            user = super().save(commit=False)
            user.email = self.cleaned_data["email"]
            user.first_name = self.cleaned_data["real_name"]
            user.is_active = False
            user.save()
            volunteer = Volunteer.objects.create(
                user=user,
                real_name=self.cleaned_data["real_name"],
                phone=self.cleaned_data["phone"],
                community=self.cleaned_data.get("community"),
            )
            volunteer.skills.set(self.cleaned_data.get("skills") or [])
        return user


class ProfileForm(forms.ModelForm):
    phone = forms.CharField(
        label=_("手机号（必填）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = Volunteer
        fields = ["real_name", "phone", "community", "skills"]
        labels = {"real_name": _("真实姓名（必填）"), "community": _("所在社区（选填）"), "skills": _("技能（选填）")}
        widgets = {"skills": forms.CheckboxSelectMultiple}

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class HomeVisitForm(forms.ModelForm):
    submission = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        from volunteers.models import HomeVisit

        model = HomeVisit
        fields = ["community", "resident_name", "phone", "address", "need", "preferred_time"]
        labels = {
            "community": _("所在社区（必填）"),
            "resident_name": _("需要服务的居民姓名（必填）"),
            "phone": _("联系电话（必填）"),
            "address": _("上门地址（必填）"),
            "need": _("需要什么服务（必填）"),
            "preferred_time": _("希望的时间（选填）"),
        }
        help_texts = {"phone": _("只给社区工作人员和接单的服务队看。")}
        widgets = {"need": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        import uuid

        kwargs.setdefault("initial", {}).setdefault("submission", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(teams__makes_home_visits=True).distinct()

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self)


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self)
