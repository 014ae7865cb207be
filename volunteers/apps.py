from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿服务")

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
