from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A functional department (职能部门) that 'reports for duty' when a community blows the whistle."""

    class Kind(models.TextChoices):
        HOUSING = "housing", _("房管所")
        CITY_MANAGEMENT = "city", _("城管办")
        ENVIRONMENT = "environment", _("环境卫生")
        GREENING = "greening", _("园林绿化")
        TRAFFIC = "traffic", _("交通")
        PROPERTY = "property", _("物业")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True, help_text=_("例如：椿树街道房管所"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    street = models.ForeignKey(
        "communities.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("服务街道"),
        help_text=_("留空表示服务全区。"),
    )
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")

    def __str__(self):
        return self.name
