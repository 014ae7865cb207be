import calendar
import datetime
import uuid

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.images import CleanImageField
from core.textsearch import index_text


class ServiceType(models.Model):
    """The managed list of services a day can offer (义诊, 理发, 法律咨询...)."""

    name = models.CharField(_("名称"), max_length=30, unique=True, help_text=_("例如：义诊、理发、法律咨询"))
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100, help_text=_("数字小的排在前面。"))

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("服务项目类型")
        verbose_name_plural = _("服务项目类型")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        ServiceDay.objects.filter(offerings__service_type=self).distinct().reindex()


class RecurringSchedule(models.Model):
    """ "Every month, second Saturday, 9:00–11:30, fitness plaza": generates the coming days."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("星期一")
        TUESDAY = 1, _("星期二")
        WEDNESDAY = 2, _("星期三")
        THURSDAY = 3, _("星期四")
        FRIDAY = 4, _("星期五")
        SATURDAY = 5, _("星期六")
        SUNDAY = 6, _("星期日")

    class Week(models.IntegerChoices):
        FIRST = 1, _("第一个")
        SECOND = 2, _("第二个")
        THIRD = 3, _("第三个")
        FOURTH = 4, _("第四个")
        LAST = -1, _("最后一个")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="service_schedules", verbose_name=_("社区")
    )
    title = models.CharField(_("服务日名称"), max_length=100, help_text=_("例如：椿树园社区便民服务日"))
    week = models.SmallIntegerField(_("每月第几个"), choices=Week.choices, default=Week.SECOND)
    weekday = models.SmallIntegerField(_("星期几"), choices=Weekday.choices, default=Weekday.SATURDAY)
    start_time = models.TimeField(_("开始时间"), default=datetime.time(9, 0))
    end_time = models.TimeField(_("结束时间"), default=datetime.time(11, 30))
    place = models.CharField(_("地点"), max_length=200, help_text=_("例如：椿树园小区健身广场"))
    description = models.TextField(_("介绍"), blank=True)
    months_ahead = models.PositiveSmallIntegerField(_("提前生成几个月"), default=3)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["community", "title"]
        verbose_name = _("定期服务日安排")
        verbose_name_plural = _("定期服务日安排")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="schedule_ends_after_start")
        ]

    def __str__(self):
        return f"{self.title}（{self.get_week_display()}{self.get_weekday_display()}）"

    def date_in(self, year, month):
        days = [week[self.weekday] for week in calendar.monthcalendar(year, month) if week[self.weekday] != 0]
        day = days[-1] if self.week == self.Week.LAST else days[self.week - 1]
        return datetime.date(year, month, day)

    def coming_dates(self, today=None):
        today = today or timezone.localdate()
        year, month = today.year, today.month
        for _i in range(self.months_ahead + 1):
            date = self.date_in(year, month)
            if date >= today:
                yield date
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def generate(self, today=None):
        """Create the missing coming days; safe to run again (one day per schedule and date)."""
        created = []
        for date in self.coming_dates(today):
            day, was_created = ServiceDay.objects.get_or_create(
                schedule=self,
                date=date,
                defaults={
                    "community": self.community,
                    "title": self.title,
                    "start_time": self.start_time,
                    "end_time": self.end_time,
                    "place": self.place,
                    "description": self.description,
                    "status": ServiceDay.Status.PUBLISHED,
                },
            )
            if was_created:
                created.append(day)
        return created


# What of a day's services its search text holds (ServiceDay._search_text, ServiceDayQuerySet.reindex).
SERVICE_SEARCH_FIELDS = ("service_type__name", "service_type__description", "note")


class ServiceDayQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees: published and cancelled days (cancelled ones say so)."""
        return self.exclude(status=ServiceDay.Status.PLANNED)

    def upcoming(self, today=None):
        return self.visible().filter(date__gte=today or timezone.localdate()).order_by("date", "start_time")

    def past(self, today=None):
        return self.visible().filter(date__lt=today or timezone.localdate()).order_by("-date", "-start_time")

    def for_list(self):
        return self.select_related("community__street").annotate(offering_count=Count("offerings", distinct=True))

    def reindex(self):
        """Recompute these days' search_text (after a service type changed): two queries and a bulk
        update, however many days."""
        days = list(self.only("pk", "title", "place", "description"))
        services = {}
        rows = ServiceOffering.objects.filter(day__in=days).values_list("day_id", *SERVICE_SEARCH_FIELDS)
        for day_id, *row in rows:
            services.setdefault(day_id, []).extend(row)
        for day in days:
            day.search_text = index_text(day.title, day.place, day.description, *services.get(day.pk, []))
        ServiceDay.objects.bulk_update(days, ["search_text"], batch_size=500)


class ServiceDay(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中（不公开）")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="service_days", verbose_name=_("社区")
    )
    title = models.CharField(_("名称"), max_length=100)
    date = models.DateField(_("日期"), db_index=True)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(
        _("地点"), max_length=200, help_text=_("写清楚怎么找到，例如：椿树园小区健身广场（小区北门进）")
    )
    description = models.TextField(_("介绍"), blank=True)
    cover = CleanImageField(
        _("封面图片"), upload_to="events/", blank=True, width_field="cover_width", height_field="cover_height"
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(_("封面图片说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(
        _("取消原因"), max_length=200, blank=True, help_text=_("取消服务日时填写，会告知所有已报名的人。")
    )
    cutoff_hours = models.PositiveSmallIntegerField(
        _("取消截止（开始前小时数）"),
        default=24,
        help_text=_("志愿者和居民在服务日开始前多少小时之前可以自行取消报名。"),
    )
    schedule = models.ForeignKey(
        RecurringSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="days",
        verbose_name=_("定期安排"),
    )
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceDayQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("便民服务日")
        verbose_name_plural = _("便民服务日")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="serviceday_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["schedule", "date"],
                condition=Q(schedule__isnull=False),
                name="serviceday_one_per_schedule_date",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.date:%Y-%m-%d}）"

    def save(self, *args, **kwargs):
        self.search_text = self._search_text(include_offerings=self.pk is not None)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def _search_text(self, include_offerings=True):
        """Title, place, description and the services offered (SERVICE_SEARCH_FIELDS): a resident
        searching 义剪 finds the day that offers it."""
        parts = [self.title, self.place, self.description]
        if include_offerings:
            for row in self.offerings.values_list(*SERVICE_SEARCH_FIELDS):
                parts += row
        return index_text(*parts)

    def reindex(self):
        """Recompute search_text after the day's services changed."""
        self.search_text = self._search_text()
        ServiceDay.objects.filter(pk=self.pk).update(search_text=self.search_text)

    def _at(self, time):
        return timezone.make_aware(datetime.datetime.combine(self.date, time))

    @property
    def starts_at(self):
        return self._at(self.start_time)

    @property
    def ends_at(self):
        return self._at(self.end_time)

    @property
    def cutoff_at(self):
        return self.starts_at - datetime.timedelta(hours=self.cutoff_hours)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_open(self):
        """Sign-ups and bookings are taken until the day starts."""
        return self.status == self.Status.PUBLISHED and timezone.now() < self.starts_at

    def can_cancel_now(self):
        return timezone.now() < self.cutoff_at


class ServiceOffering(models.Model):
    day = models.ForeignKey(ServiceDay, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("服务日"))
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, verbose_name=_("服务项目"))
    partner_unit = models.ForeignKey(
        "communities.PartnerUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("提供单位"),
    )
    station = models.CharField(_("摊位"), max_length=50, blank=True, help_text=_("例如：1 号桌、东侧帐篷"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    resident_places = models.PositiveSmallIntegerField(
        _("居民预约名额"), null=True, blank=True, help_text=_("需要预约的服务填写名额；留空表示无需预约。")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["day", "sort_order", "pk"]
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        constraints = [
            models.CheckConstraint(
                condition=Q(resident_places__isnull=True) | Q(resident_places__gte=1), name="offering_places_positive"
            )
        ]

    def __str__(self):
        return f"{self.service_type} · {self.day}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.day.reindex()

    def get_absolute_url(self):
        return self.day.get_absolute_url() + f"#offering-{self.pk}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.day.reindex()
        return result

    @property
    def bookable(self):
        return bool(self.resident_places)


class BookingQuerySet(models.QuerySet):
    def holding_place(self):
        return self.filter(seat__isnull=False)

    def waitlisted(self):
        return self.filter(status=ResidentBooking.Status.WAITLISTED).order_by("number")


class ResidentBooking(models.Model):
    """A resident's place for a service that needs booking: no account, a queue number and a cancel link."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已预约")
        WAITLISTED = "waitlisted", _("候补")
        CANCELLED = "cancelled", _("已取消")

    offering = models.ForeignKey(
        ServiceOffering, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("服务项目")
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    number = models.PositiveIntegerField(_("排队号"), help_text=_("按提交先后编号。"))
    seat = models.PositiveSmallIntegerField(_("名额序号"), null=True, blank=True, editable=False)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.UUIDField(_("提交编号"), unique=True, editable=False, help_text=_("防止重复提交。"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("递补时间"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["offering", "number"]
        verbose_name = _("居民预约")
        verbose_name_plural = _("居民预约")
        constraints = [
            models.UniqueConstraint(fields=["offering", "number"], name="booking_unique_number"),
            models.UniqueConstraint(fields=["offering", "seat"], name="booking_unique_seat"),
            models.CheckConstraint(
                condition=Q(status="confirmed", seat__isnull=False) | (~Q(status="confirmed") & Q(seat__isnull=True)),
                name="booking_seat_iff_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.offering} · {self.number} 号"

    def get_absolute_url(self):
        return reverse("events:booking", args=[self.token])
