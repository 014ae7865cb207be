import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.textsearch import index_text

# Star levels (星级) by total service hours.
STAR_THRESHOLDS = [100, 300, 600, 1000, 1500]


def star_level(hours):
    hours = hours or 0
    return sum(1 for threshold in STAR_THRESHOLDS if hours >= threshold)


def next_star(hours):
    hours = hours or 0
    return next((t for t in STAR_THRESHOLDS if hours < t), None)


class Skill(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True, help_text=_("例如：理发、医护、法律、摄影"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("技能")
        verbose_name_plural = _("技能")

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("账号"),
    )
    real_name = models.CharField(_("真实姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, help_text=_("仅本社区工作人员可见完整号码。"))
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("所在社区"),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="volunteers", verbose_name=_("技能"))
    anonymised = models.BooleanField(_("已注销"), default=False, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_path = "community"

    class Meta:
        ordering = ["real_name", "pk"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self):
        return self.real_name

    @property
    def display_name(self):
        """What the public may see: the family name and a star, never the full name."""
        if self.anonymised:
            return _("已注销志愿者")
        return f"{self.real_name[:1]}**" if self.real_name else ""

    def total_hours(self):
        return self.hours_entries.aggregate(total=Sum("hours"))["total"] or Decimal("0")

    @property
    def certificate_number(self):
        return f"XC-ZY-{self.pk:06d}"

    def anonymise(self):
        """Account deletion: the hours stay (in totals), the person goes."""
        self.real_name = str(_("已注销志愿者"))
        self.phone = ""
        self.anonymised = True
        self.user = None
        self.save()
        self.skills.clear()


class Team(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    slug = models.SlugField(_("网址名"), max_length=60, unique=True)
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="teams", verbose_name=_("所属社区")
    )
    leader = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("队长"),
    )
    founded_year = models.PositiveSmallIntegerField(_("成立年份"), null=True, blank=True)
    specialty = models.CharField(_("服务特色"), max_length=100, blank=True, help_text=_("例如：义剪、上门探望"))
    description = models.TextField(_("介绍"), blank=True)
    makes_home_visits = models.BooleanField(_("提供上门服务"), default=False)
    members = models.ManyToManyField(Volunteer, blank=True, related_name="teams", verbose_name=_("队员"))
    search_text = models.TextField(editable=False, blank=True)

    scope_path = "community"

    class Meta:
        ordering = ["name"]
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = index_text(self.name, self.specialty, self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("volunteers:team", args=[self.slug])

    def total_hours(self):
        return HoursEntry.objects.filter(team=self).aggregate(total=Sum("hours"))["total"] or Decimal("0")

    @property
    def public_leader_name(self):
        """The leader as the team page shows them. Volunteers' names are masked in public (李**), a
        leader's too, except where the team publishes the name itself: a team named after its
        leader (李双军志愿服务队) or whose description names them already shows the name, so the
        page says it whole rather than contradict itself. An anonymised leader is never named."""
        leader = self.leader
        if leader is None:
            return ""
        if not leader.anonymised and leader.real_name and leader.real_name in f"{self.name} {self.description}":
            return leader.real_name
        return leader.display_name


class RoleQuerySet(models.QuerySet):
    def open(self):
        from events.models import ServiceDay

        return self.filter(day__status=ServiceDay.Status.PUBLISHED, day__date__gte=timezone.localdate())

    def with_taken(self):
        return self.annotate(taken=models.Count("signups", filter=Q(signups__seat__isnull=False)))


class Role(models.Model):
    day = models.ForeignKey(
        "events.ServiceDay", on_delete=models.CASCADE, related_name="roles", verbose_name=_("服务日")
    )
    title = models.CharField(_("岗位"), max_length=50, help_text=_("例如：理发助手、引导、秩序维护"))
    description = models.CharField(_("要做什么"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(_("需要人数"), default=2)
    start_time = models.TimeField(_("开始时间"), null=True, blank=True, help_text=_("留空表示与服务日相同。"))
    end_time = models.TimeField(_("结束时间"), null=True, blank=True, help_text=_("留空表示与服务日相同。"))
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("需要技能"), related_name="roles"
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("仅限本队"),
        help_text=_("填写后只有该服务队队员可以报名。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    objects = RoleQuerySet.as_manager()
    scope_path = "day__community"

    class Meta:
        ordering = ["day", "sort_order", "pk"]
        verbose_name = _("志愿岗位")
        verbose_name_plural = _("志愿岗位")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="role_places_positive"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="role_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.day}"

    def get_absolute_url(self):
        return self.day.get_absolute_url() + f"#role-{self.pk}"

    @property
    def starts(self):
        return self.start_time or self.day.start_time

    @property
    def ends(self):
        return self.end_time or self.day.end_time

    @property
    def hours(self):
        start = datetime.datetime.combine(self.day.date, self.starts)
        end = datetime.datetime.combine(self.day.date, self.ends)
        return Decimal(round((end - start).total_seconds() / 3600, 1)).quantize(Decimal("0.1"))

    def overlaps(self, other):
        return self.day.date == other.day.date and self.starts < other.ends and other.starts < self.ends

    @property
    def places_left(self):
        taken = getattr(self, "taken", None)
        if taken is None:
            taken = self.signups.filter(seat__isnull=False).count()
        return max(self.places - taken, 0)


class SignupQuerySet(models.QuerySet):
    def holding_place(self):
        return self.filter(seat__isnull=False)

    def waitlisted(self):
        return self.filter(status=Signup.Status.WAITLISTED).order_by("number")

    def active(self):
        return self.filter(status__in=[Signup.Status.CONFIRMED, Signup.Status.WAITLISTED])


class Signup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已确认")
        WAITLISTED = "waitlisted", _("候补")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已到岗")
        NO_SHOW = "no_show", _("未到岗")

    HOLDS_SEAT = ("confirmed", "attended", "no_show")

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="signups", verbose_name=_("岗位"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups", verbose_name=_("志愿者"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    number = models.PositiveIntegerField(_("报名序号"), help_text=_("按报名先后编号，候补按此顺序递补。"))
    seat = models.PositiveSmallIntegerField(_("名额序号"), null=True, blank=True, editable=False)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代报名人"),
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("递补时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    objects = SignupQuerySet.as_manager()
    scope_path = "role__day__community"

    class Meta:
        ordering = ["role", "number"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "role"], name="signup_one_per_volunteer_role"),
            models.UniqueConstraint(fields=["role", "number"], name="signup_unique_number"),
            # The backstop: a place (seat) can be held by one signup only, so even a
            # bug in the locking code cannot put more people on a role than seats exist.
            models.UniqueConstraint(fields=["role", "seat"], name="signup_unique_seat"),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "attended", "no_show"], seat__isnull=False)
                | (Q(status__in=["waitlisted", "cancelled"]) & Q(seat__isnull=True)),
                name="signup_seat_iff_holding",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.role}"

    def get_absolute_url(self):
        return reverse("volunteers:me")


class HoursEntry(models.Model):
    """Append-only: a correction is a new entry (possibly negative), never an edit."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("服务日到岗")
        HOME_VISIT = "home_visit", _("上门服务")
        CORRECTION = "correction", _("更正")
        HISTORY = "history", _("历史记录补录")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="hours_entries", verbose_name=_("志愿者")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    hours = models.DecimalField(_("小时数"), max_digits=6, decimal_places=1, help_text=_("更正时可填负数。"))
    date = models.DateField(_("服务日期"), default=timezone.localdate)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours_entries",
        verbose_name=_("计入服务队"),
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    signup = models.ForeignKey(
        Signup, on_delete=models.PROTECT, null=True, blank=True, related_name="hours_entries", verbose_name=_("报名")
    )
    home_visit = models.ForeignKey(
        "HomeVisit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hours_entries",
        verbose_name=_("上门服务"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    scope_path = "community"

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("服务时长记录")
        verbose_name_plural = _("服务时长记录")
        constraints = [
            models.UniqueConstraint(
                fields=["signup"], condition=Q(kind="attendance"), name="hours_one_attendance_per_signup"
            ),
            models.UniqueConstraint(
                fields=["home_visit", "volunteer"], condition=Q(kind="home_visit"), name="hours_one_per_visit_volunteer"
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.hours} 小时（{self.get_kind_display()}）"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("HoursEntry is append-only; add a correction entry instead.")
        super().save(*args, **kwargs)


class HomeVisit(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("待接单")
        ACCEPTED = "accepted", _("已接单")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="home_visits", verbose_name=_("社区")
    )
    resident_name = models.CharField(_("居民姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    address = models.CharField(_("地址"), max_length=200)
    need = models.TextField(_("需要什么服务"), help_text=_("例如：行动不便，需要上门理发"))
    preferred_time = models.CharField(_("希望的时间"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_visits",
        verbose_name=_("接单服务队"),
        limit_choices_to={"makes_home_visits": True},
    )
    volunteers = models.ManyToManyField(Volunteer, blank=True, related_name="home_visits", verbose_name=_("上门志愿者"))
    hours = models.DecimalField(_("每人时长"), max_digits=4, decimal_places=1, null=True, blank=True)
    visited_on = models.DateField(_("上门日期"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代为登记的工作人员"),
    )
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope_path = "community"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("上门服务")
        verbose_name_plural = _("上门服务")

    def __str__(self):
        return f"{self.resident_name} · {self.need[:20]}"
