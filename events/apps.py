from django.utils.translation import gettext_lazy as _

# The module, not the class: a second AppConfig class here would stop Django choosing this app's own.
from core import registry


class EventsConfig(registry.PortalAppConfig):
    name = "events"
    verbose_name = _("便民服务日")
    hooks = ("search", "sitemaps", "blocks", "demo", "scale", "bench", "retention", "desk")

    def ready(self):
        from communities import roles

        day_perms = [
            f"events.{a}_{m}"
            for m in ("serviceday", "serviceoffering", "recurringschedule")
            for a in ("view", "add", "change", "delete")
        ]
        for role in (roles.Role.STREET_EDITOR, roles.Role.COMMUNITY_WORKER):
            roles.grant(role, *day_perms, "events.view_servicetype", "events.view_residentbooking")
