from django.utils.translation import gettext_lazy as _

# The module, not the class: a second AppConfig class here would stop Django choosing this app's own.
from core import registry, sms
from feedback import owner


class FeedbackConfig(registry.PortalAppConfig):
    name = "feedback"
    verbose_name = _("吹哨报到")
    hooks = ("blocks", "demo", "scale", "bench", "retention", "desk")

    def ready(self):
        from communities import roles

        sms.redactors.append(owner.redact)  # the console SMS backend never logs a private link's secret

        crud = ("view", "add", "change", "delete")
        roles.grant(roles.Role.STREET_EDITOR, "feedback.view_case", "feedback.change_case", "feedback.view_category")
        roles.grant(roles.Role.STREET_EDITOR, "feedback.view_dispatchtask")
        roles.grant(roles.Role.STREET_EDITOR, "feedback.view_timelineentry", "feedback.view_casephoto")
        roles.grant(roles.Role.STREET_EDITOR, "feedback.add_casephoto", "feedback.change_casephoto")
        roles.grant(roles.Role.COMMUNITY_WORKER, "feedback.view_case", "feedback.change_case", "feedback.view_category")
        roles.grant(roles.Role.COMMUNITY_WORKER, "feedback.view_dispatchtask")
        roles.grant(roles.Role.COMMUNITY_WORKER, "feedback.view_timelineentry", "feedback.view_casephoto")
        roles.grant(roles.Role.COMMUNITY_WORKER, "feedback.add_casephoto", "feedback.change_casephoto")
        roles.grant(roles.Role.DEPARTMENT_OFFICER, "feedback.view_dispatchtask", "feedback.change_dispatchtask")
        roles.grant(roles.Role.DEPARTMENT_OFFICER, "feedback.view_case", "feedback.view_category")
        roles.grant(roles.Role.DISTRICT_ADMIN, *(f"feedback.{a}_category" for a in crud))
