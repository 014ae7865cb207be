"""Optional two-factor login for staff (django-otp, TOTP).

A staff member enrols an authenticator app on the admin's 两步验证 page (scan the QR code,
confirm with a code); from then on the admin login asks for the 6-digit code as well, and the
admin refuses a session that did not give it (a login through the volunteers' page included).
Staff without an authenticator log in as before. Wrong codes count as failed logins for
django-axes, so the same throttling applies.
"""

import base64

import segno
from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from core.forms import UsernameLengthMixin

DEVICE_NAME = "authenticator"


def confirmed_device(user):
    """The user's confirmed authenticator, or None (most staff)."""
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def satisfied(request):
    """True unless the user has an authenticator and this session has not given its code."""
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    if request.method not in ("GET", "HEAD"):  # a POST may give the code or add an authenticator
        return not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # Every admin page asks twice (the view's guard, then the page's menus): one query per GET.
    if "_civic_twofactor" not in request.__dict__:
        request._civic_twofactor = not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return request._civic_twofactor


def check_code(device, code):
    """None when the code is right; otherwise the message to show. Codes are used once only."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return _("验证码错误次数过多，请等几秒钟，再输入验证器应用里当前显示的6位数字。")
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == 6) or not device.verify_token(code):
        return _("验证码不正确或已过期：请输入验证器应用里当前显示的6位数字。")
    return None


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("6位验证码"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
        )
        super().__init__(**kwargs)


class StaffLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin login: username and password, and the code when the account has an authenticator."""

    otp_token = CodeField(
        required=False,
        label=gettext_lazy("验证码（启用了两步验证的账号填写）"),
        help_text=gettext_lazy("没有启用两步验证的账号请留空。"),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        device = confirmed_device(user)
        if device is None:
            return cleaned
        code = cleaned.get("otp_token", "")
        if not code.strip():
            raise ValidationError(
                _("这个账号启用了两步验证：请同时填写验证器应用里显示的6位验证码。"), code="otp_required"
            )
        problem = check_code(device, code)
        if problem:
            # A failed login for django-axes (and the audit log), like a wrong password.
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
            raise ValidationError(problem, code="otp_invalid")
        user.otp_device = device  # django-otp marks the session verified when the login completes
        return cleaned


class ConfirmForm(forms.Form):
    code = CodeField()


def _secret(device):
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_http_methods(["GET", "POST"])
def manage(request, site):
    """Enrol (scan, confirm with a code) or remove (with a current code) one's authenticator."""
    user = request.user
    device = confirmed_device(user)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if action == "remove" and device is not None:
            problem = check_code(device, form.cleaned_data["code"])
            if problem is None:
                TOTPDevice.objects.filter(user=user).delete()
                name = user.get_username()
                audit.event("otp-removed", user=name, by=name, ip=audit.client_address(request))
                messages.success(request, _("两步验证已关闭：以后登录只需用户名和密码。"))
                return redirect("admin:two_factor")
            form.add_error("code", problem)
        elif action == "enrol" and device is None:
            pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
            if pending is None:
                form.add_error(None, _("请先用验证器应用扫描本页的二维码，再输入验证码。"))
            else:
                problem = check_code(pending, form.cleaned_data["code"])
                if problem is None:
                    pending.confirmed = True
                    pending.save(update_fields=["confirmed"])
                    otp_login(request, pending)
                    audit.event("otp-enrolled", user=user.get_username(), ip=audit.client_address(request))
                    messages.success(request, _("两步验证已启用：以后登录工作台时，需要同时输入验证器里的6位数字。"))
                    return redirect("admin:two_factor")
                form.add_error("code", problem)
        else:
            form.add_error(None, _("这一步已经完成了，请刷新页面看看现在的状态。"))
    context = {**site.each_context(request), "title": _("两步验证"), "device": device, "form": form}
    if device is None:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if pending is None:
            pending = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        context["qr_svg"] = segno.make(pending.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
        context["secret"] = _secret(pending)
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "admin/two_factor.html", context, status=status)


def reset(modeladmin, request, queryset):
    """Admin action on accounts: remove their authenticators (a lost phone)."""
    users = list(queryset.filter(totpdevice__isnull=False).distinct())
    TOTPDevice.objects.filter(user__in=users).delete()
    for user in users:
        by = request.user.get_username()
        audit.event("otp-reset", user=user.get_username(), by=by, ip=audit.client_address(request))
    modeladmin.message_user(
        request,
        _("已为 %(count)d 个账号关闭两步验证，他们下次登录只需用户名和密码，可重新启用。") % {"count": len(users)},
        messages.SUCCESS,
    )


reset.short_description = gettext_lazy("关闭所选账号的两步验证（手机丢失时）")
reset.allowed_permissions = ("reset_two_factor",)
