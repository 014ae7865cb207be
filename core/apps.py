from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core import checks


class CoreConfig(AppConfig):
    """Shared site code every app may use: it imports no app of the portal."""

    default = True
    name = "core"
    verbose_name = "Civic portal core"

    def ready(self):
        from core import audit, pagecache, registry, sms

        audit.connect()
        pagecache.connect()
        checks.register(registry.check)
        checks.register(sms.check_backend)  # no console SMS backend in production


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (two-factor login for staff who enrol)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "core.admin_site.PortalAdminSite"
