from django.utils.translation import gettext_lazy as _

# The module, not the class: a second AppConfig class here would stop Django choosing this app's own.
from core import registry


class CommunitiesConfig(registry.PortalAppConfig):
    name = "communities"
    verbose_name = _("街道与社区")
    hooks = ("blocks", "demo", "scale")

    def ready(self):
        from communities import roles

        roles.connect()
