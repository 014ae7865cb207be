"""The staff desk's admin site: Django's, with optional two-factor login (core/twofactor.py), and a first
page (工作台) that lists what needs the person and their models grouped by job (core/desk.py)."""

from django.contrib import admin
from django.urls import path

from core import desk, twofactor


class PortalAdminSite(admin.AdminSite):
    login_form = twofactor.StaffLoginForm
    login_template = "admin/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and twofactor.satisfied(request)

    def login(self, request, extra_context=None):
        # Signed in without the code (e.g. on the volunteers' page): say what is missing.
        needs_code = request.user.is_authenticated and request.user.is_staff and not twofactor.satisfied(request)
        return super().login(request, {**(extra_context or {}), "needs_code": needs_code})

    def each_context(self, request):
        return {**super().each_context(request), "desk_words": desk.EDITOR_WORDS}

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        return app_list if app_label else desk.group_apps(app_list)

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "todos": desk.todos(request)})

    def get_urls(self):
        extra = [path("two-factor/", self.admin_view(self.two_factor), name="two_factor")]
        return extra + super().get_urls()

    def two_factor(self, request):
        return twofactor.manage(request, self)
