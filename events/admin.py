from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from communities import scope
from communities.admin_scope import ScopedInlineMixin, ScopedModelAdmin
from communities.models import PartnerUnit
from communities.privacy import phone_for
from core.thumbs import thumbnail_tag
from events import booking, notices, signals
from events.models import RecurringSchedule, ResidentBooking, ServiceDay, ServiceOffering, ServiceType

# What residents who booked are told about when it changes (with the status, for a cancellation).
NOTICED = ("status", "date", "start_time", "end_time", "place")


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


class OfferingInline(ScopedInlineMixin, admin.TabularInline):
    model = ServiceOffering
    extra = 1
    fields = ["service_type", "partner_unit", "station", "resident_places", "note", "sort_order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is PartnerUnit:
            kwargs["queryset"] = PartnerUnit.objects.filter(
                community__in=scope.scoped_communities(request.user)
            ).select_related("community")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ServiceDay)
class ServiceDayAdmin(ScopedModelAdmin):
    """A day with its services. Apps above events add their parts (volunteers: the roles inline and
    the sign-up exports) and hear of saves through events.signals."""

    list_display = ["title", "cover_thumb", "date", "start_time", "community", "status"]
    list_filter = ["status", "community__street", "date"]
    date_hierarchy = "date"
    search_fields = ["title", "place", "community__name"]
    list_select_related = ["community"]
    inlines = [OfferingInline]
    fieldsets = [
        (None, {"fields": ["community", "title", "date", "start_time", "end_time", "place", "description"]}),
        (_("封面"), {"fields": ["cover", "cover_alt"]}),
        (_("状态"), {"fields": ["status", "cancel_reason", "cutoff_hours"]}),
    ]

    @admin.display(description=_("封面"))
    def cover_thumb(self, obj):
        return thumbnail_tag(obj.cover, obj.cover_alt or obj.title, link=False) if obj.cover else "—"

    def save_model(self, request, obj, form, change):
        before = ServiceDay.objects.filter(pk=obj.pk).values(*NOTICED).first() if change else None
        super().save_model(request, obj, form, change)
        if obj.is_cancelled and not (before and before["status"] == ServiceDay.Status.CANCELLED):
            told = notices.day_cancelled(obj)
            if told:
                messages.info(request, _("已给 %(n)s 位预约的居民发短信：服务日取消。") % {"n": told})
            for message in signals.send(signals.service_day_cancelled, obj):
                messages.info(request, message)
        elif (
            before
            and obj.status == ServiceDay.Status.PUBLISHED
            and any(before[name] != getattr(obj, name) for name in NOTICED if name != "status")
        ):
            told = notices.day_changed(obj)
            if told:
                messages.info(request, _("已给 %(n)s 位预约的居民发短信：时间或地点有变化。") % {"n": told})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        promoted = booking.promote_waiting(form.instance)  # more places on a service: the waiting list moves up
        if promoted:
            messages.info(request, _("%(n)s 位候补的居民转为正式预约，已发短信通知。") % {"n": promoted})
        for message in signals.send(signals.service_day_changed, form.instance):
            messages.info(request, message)


@admin.register(RecurringSchedule)
class RecurringScheduleAdmin(ScopedModelAdmin):
    list_display = ["title", "community", "week", "weekday", "start_time", "end_time", "active"]
    list_filter = ["active", "community__street"]
    list_select_related = ["community"]
    actions = ["generate_days"]

    @admin.action(description=_("生成接下来几个月的服务日"))
    def generate_days(self, request, queryset):
        created = sum(len(schedule.generate()) for schedule in queryset.filter(active=True))
        messages.success(request, _("新生成 %(n)s 个服务日（已有的不会重复生成）。") % {"n": created})


@admin.register(ResidentBooking)
class ResidentBookingAdmin(ScopedModelAdmin):
    scope_path = "offering__day__community"
    list_display = ["number", "name", "shown_phone", "status", "offering", "created_at"]
    list_filter = ["status", "offering__day__community__street"]
    search_fields = ["name", "offering__day__title"]
    list_select_related = ["offering__day", "offering__service_type"]
    fields = ["offering", "number", "name", "shown_phone", "status", "created_at", "cancelled_at", "promoted_at"]
    readonly_fields = fields

    @admin.display(description=_("手机号"))
    def shown_phone(self, obj):
        return phone_for(self._request_user, obj.phone, obj.offering.day.community_id)

    def get_queryset(self, request):
        self._request_user = request.user
        return super().get_queryset(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
