from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.images import CleanImageField


class District(models.Model):
    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(_("网址名"), max_length=50, unique=True)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("区")
        verbose_name_plural = _("区")

    def __str__(self):
        return self.name


class Street(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("所属区"))
    name = models.CharField(_("名称"), max_length=50, help_text=_("例如：椿树街道"))
    slug = models.SlugField(
        _("网址名"), max_length=50, unique=True, help_text=_("用于网址，只能用小写字母、数字和连字符，例如 chunshu。")
    )
    description = models.TextField(_("简介"), blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100, help_text=_("数字小的排在前面。"))

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="street_unique_name_per_district")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:street", args=[self.slug])


class Community(models.Model):
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("所属街道"))
    name = models.CharField(_("名称"), max_length=50, help_text=_("例如：椿树园社区"))
    slug = models.SlugField(
        _("网址名"), max_length=50, help_text=_("用于网址，在同一街道内不能重复，例如 chunshuyuan。")
    )
    description = models.TextField(_("简介"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, help_text=_("社区办公电话，会在公开页面显示。"))
    brand = models.CharField(
        _("党建品牌"), max_length=50, blank=True, help_text=_("社区党建品牌名称，例如：红色领航·椿满园")
    )
    cover = CleanImageField(
        _("封面图片"), upload_to="communities/", blank=True, width_field="cover_width", height_field="cover_height"
    )
    # Stored so pages never open the file to learn its size.
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        _("封面图片说明"), max_length=200, blank=True, help_text=_("为看不见图片的读者描述图片内容。")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100, help_text=_("数字小的排在前面。"))

    class Meta:
        ordering = ["street__sort_order", "sort_order", "name"]
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        constraints = [
            models.UniqueConstraint(fields=["street", "slug"], name="community_unique_slug_per_street"),
            models.UniqueConstraint(fields=["street", "name"], name="community_unique_name_per_street"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:community", args=[self.street.slug, self.slug])


class PartnerUnit(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        HEALTH = "health", _("卫生服务站")
        LAW = "law", _("律师事务所")
        SCHOOL = "school", _("学校")
        SHOP = "shop", _("商户门店")
        OTHER = "other", _("其他")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="partner_units", verbose_name=_("所在社区")
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    description = models.TextField(_("简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True, help_text=_("仅工作人员可见。"))
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        ordering = ["community", "name"]
        verbose_name = _("辖区单位")
        verbose_name_plural = _("辖区单位")
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="partnerunit_unique_name_per_community"),
        ]

    def __str__(self):
        return self.name


class Department(models.Model):
    """A functional department (职能部门) that 'reports for duty' when a community blows the whistle.

    A district unit like the partner units, so it lives with the places: staff scope points at it, and
    the feedback app dispatches cases to it."""

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
        Street,
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


class StaffScope(models.Model):
    """What part of the district a staff account may see and change."""

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("区级管理员")
        STREET_EDITOR = "street_editor", _("街道编辑")
        COMMUNITY_WORKER = "community_worker", _("社区工作者")
        DEPARTMENT_OFFICER = "department_officer", _("职能部门工作人员")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_scope", verbose_name=_("账号")
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("街道"), help_text=_("街道编辑填写。")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("社区"),
        help_text=_("社区工作者填写。"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("职能部门"),
        help_text=_("职能部门工作人员填写。"),
    )

    class Meta:
        ordering = ["role", "user__username"]
        verbose_name = _("工作人员权限范围")
        verbose_name_plural = _("工作人员权限范围")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="district_admin", street__isnull=True, community__isnull=True, department__isnull=True)
                    | Q(role="street_editor", street__isnull=False, community__isnull=True, department__isnull=True)
                    | Q(role="community_worker", street__isnull=True, community__isnull=False, department__isnull=True)
                    | Q(
                        role="department_officer", street__isnull=True, community__isnull=True, department__isnull=False
                    )
                ),
                name="staffscope_place_matches_role",
                violation_error_message=_("所选角色与所填的街道、社区或部门不一致。"),
            ),
        ]

    def __str__(self):
        place = self.street or self.community or self.department or _("全区")
        return f"{self.user} · {self.get_role_display()} · {place}"
