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

    def ready(self):
        from django.contrib.admin import helpers, options
        from django.db import models

        from core.thumbs import thumbnail_tag
        from core.widgets import PhotoInput

        # Every image field on the desk is a 选择照片 / 拍照 button showing the stored picture: set
        # before the admin modules are discovered, since each ModelAdmin copies these defaults.
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.ImageField] = {"widget": PhotoInput}

        # A read-only image (a page the person may only view) shows the picture, not its file path.
        stock = helpers.display_for_field

        def display_for_field(value, field, empty_value_display, *args, **kwargs):
            if isinstance(field, models.ImageField) and value:
                return thumbnail_tag(value, str(field.verbose_name))
            return stock(value, field, empty_value_display, *args, **kwargs)

        helpers.display_for_field = display_for_field

        # The yes/no icon of a list's boolean column: Django looks its file up in the static manifest for
        # every row (7 % of the story list's time); there are three icons, the same all the process long.
        from django.contrib.admin.templatetags import admin_list
        from django.core.signals import setting_changed

        stock_icon = admin_list._boolean_icon
        icons = {}

        def boolean_icon(field_val):
            key = (type(field_val), field_val)
            if key not in icons:
                icons[key] = stock_icon(field_val)
            return icons[key]

        admin_list._boolean_icon = boolean_icon
        setting_changed.connect(lambda **kwargs: icons.clear(), weak=False)  # STATIC_URL, STORAGES in tests
        super().ready()
