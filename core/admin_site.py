"""The staff desk's admin site: Django's, with optional two-factor login (core/twofactor.py)."""

from django.contrib import admin
from django.urls import path

from core import twofactor


class PortalAdminSite(admin.AdminSite):
    login_form = twofactor.StaffLoginForm
    login_template = "admin/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and twofactor.satisfied(request)

    def login(self, request, extra_context=None):
        # Signed in without the code (e.g. on the volunteers' page): say what is missing.
        needs_code = request.user.is_authenticated and request.user.is_staff and not twofactor.satisfied(request)
        return super().login(request, {**(extra_context or {}), "needs_code": needs_code})

    def get_urls(self):
        extra = [path("two-factor/", self.admin_view(self.two_factor), name="two_factor")]
        return extra + super().get_urls()

    def two_factor(self, request):
        return twofactor.manage(request, self)
