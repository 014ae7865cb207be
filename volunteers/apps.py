from django.utils.translation import gettext_lazy as _

# The module, not the class: a second AppConfig class here would stop Django choosing this app's own.
from core import registry


class VolunteersConfig(registry.PortalAppConfig):
    name = "volunteers"
    verbose_name = _("志愿服务")
    hooks = ("search", "sitemaps", "blocks", "demo", "scale", "bench", "retention", "desk")

    def ready(self):
        from communities import roles

        perms = [
            *(f"volunteers.{a}_{m}" for m in ("team", "homevisit", "role") for a in ("view", "add", "change")),
            "volunteers.delete_role",
            "volunteers.view_volunteer",
            "volunteers.view_skill",
            "volunteers.view_signup",
            "volunteers.change_signup",
            "volunteers.view_hoursentry",
            "volunteers.add_hoursentry",
        ]
        for role in (roles.Role.STREET_EDITOR, roles.Role.COMMUNITY_WORKER):
            roles.grant(role, *perms)
