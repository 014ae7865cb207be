from django.utils.translation import gettext_lazy as _

# The module, not the class: a second AppConfig class here would stop Django choosing this app's own.
from core import registry


def _perms(model, *actions):
    return [f"news.{action}_{model}" for action in actions]


class NewsConfig(registry.PortalAppConfig):
    name = "news"
    verbose_name = _("新闻资讯")
    hooks = ("search", "sitemaps", "blocks", "demo", "scale", "bench", "desk")

    def ready(self):
        from communities import roles

        Role = roles.Role
        # Community workers draft and submit for review (object limits: news.workflow and the scope).
        roles.grant(
            Role.COMMUNITY_WORKER,
            *_perms("story", "view", "add", "change"),
            *_perms("storysection", "view", "add", "change", "delete"),
            *_perms("photo", "view", "add", "change", "delete"),
            *_perms("correction", "view"),
            *_perms("tag", "view"),
            *_perms("column", "view"),
            *_perms("columnissue", "view"),
        )
        # Street editors also publish, schedule and withdraw.
        roles.grant(
            Role.STREET_EDITOR,
            *_perms("story", "view", "add", "change", "delete", "publish"),
            *_perms("storysection", "view", "add", "change", "delete"),
            *_perms("photo", "view", "add", "change", "delete"),
            *_perms("correction", "view", "add", "change", "delete"),
            *_perms("tag", "view", "add", "change"),
            *_perms("column", "view"),
            *_perms("columnissue", "view", "add", "change"),
        )
