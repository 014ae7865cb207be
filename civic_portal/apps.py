from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CivicPortalConfig(AppConfig):
    default = True
    name = "civic_portal"
    verbose_name = "Civic portal"

    def ready(self):
        from civic_portal import audit, pagecache

        audit.connect()
        pagecache.connect()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (two-factor login for staff who enrol)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "civic_portal.admin_site.PortalAdminSite"
