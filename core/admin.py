from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import twofactor

User = get_user_model()

# Authenticators are managed by their owners (两步验证 page) and reset from the accounts list;
# the library's own device admin (English, shows keys) stays out of the staff desk.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class PortalUserChangeForm(UserChangeForm):
    def clean_email(self):
        # The database allows one account per address, whatever its case (volunteers/migrations/0002).
        email = self.cleaned_data.get("email", "")
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("这个邮箱已经用于另一个账号：一个邮箱只能用于一个账号。"), code="email_taken")
        return email


class PortalUserAdmin(UserAdmin):
    form = PortalUserChangeForm
    actions = [twofactor.reset]
    list_display = (*UserAdmin.list_display, "two_factor")

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(enrolled))

    @admin.display(description=_("两步验证"), boolean=True, ordering="has_two_factor")
    def two_factor(self, obj):
        return obj.has_two_factor

    def has_reset_two_factor_permission(self, request):
        return request.user.is_superuser


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
