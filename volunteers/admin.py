from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities import scope
from communities.admin_scope import ScopedInlineMixin, ScopedModelAdmin
from communities.privacy import phone_for
from events import signals
from events.admin import ServiceDayAdmin
from volunteers import exports
from volunteers.hours import accept_visit, complete_visit, mark_attended, mark_no_show
from volunteers.models import HomeVisit, HoursEntry, Role, Signup, Skill, Team, Volunteer
from volunteers.signup import SignupError, notify_day_cancelled, promote_waiting


class RequestUserMixin:
    """Remembers who is looking, for the phone column."""

    def get_queryset(self, request):
        self._viewer = request.user
        return super().get_queryset(request)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Volunteer)
class VolunteerAdmin(RequestUserMixin, ScopedModelAdmin):
    list_display = ["real_name", "shown_phone", "community", "anonymised", "created_at"]
    list_filter = ["anonymised", "community__street"]
    search_fields = ["real_name"]
    list_select_related = ["community"]
    filter_horizontal = ["skills"]
    readonly_fields = ["shown_phone", "user", "anonymised"]

    def get_queryset(self, request):
        # A worker also sees the volunteers who signed up for their community's days.
        qs = Volunteer.objects.all()
        self._viewer = request.user
        if scope.is_district_admin(request.user):
            return qs
        communities = scope.scoped_communities(request.user).values("pk")
        return qs.filter(
            Q(community__in=communities)
            | Q(signups__role__day__community__in=communities)
            | Q(teams__community__in=communities)
        ).distinct()

    def _covers(self, request, obj):
        return obj is None or phone_for(request.user, "x" * 11, obj.community_id) == "x" * 11

    def get_fields(self, request, obj=None):
        fields = ["real_name", "community", "skills", "user", "anonymised"]
        return (
            ["real_name", "phone", *fields[1:]]
            if self._covers(request, obj)
            else ["real_name", "shown_phone", *fields[1:]]
        )

    @admin.display(description=_("手机号"))
    def shown_phone(self, obj):
        return phone_for(self._viewer, obj.phone, obj.community_id)


@admin.register(Team)
class TeamAdmin(ScopedModelAdmin):
    list_display = ["name", "community", "founded_year", "makes_home_visits"]
    list_filter = ["makes_home_visits", "community__street"]
    search_fields = ["name", "specialty"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["community"]
    autocomplete_fields = ["leader", "members"]
    actions = ["export_signups_csv", "export_signups_xlsx", "export_hours_xlsx"]

    def _signups(self, queryset):
        return Signup.objects.filter(Q(role__team__in=queryset) | Q(volunteer__teams__in=queryset)).distinct()

    @admin.action(description=_("导出所选服务队的报名（CSV）"))
    def export_signups_csv(self, request, queryset):
        return exports.as_csv(
            "team-signups", exports.SIGNUP_HEADER, exports.signup_rows(request.user, self._signups(queryset))
        )

    @admin.action(description=_("导出所选服务队的报名（Excel）"))
    def export_signups_xlsx(self, request, queryset):
        return exports.as_xlsx(
            "team-signups", exports.SIGNUP_HEADER, exports.signup_rows(request.user, self._signups(queryset))
        )

    @admin.action(description=_("导出所选服务队的服务时长（Excel）"))
    def export_hours_xlsx(self, request, queryset):
        entries = HoursEntry.objects.filter(team__in=queryset)
        return exports.as_xlsx("team-hours", exports.HOURS_HEADER, exports.hours_rows(request.user, entries))


@admin.register(Signup)
class SignupAdmin(RequestUserMixin, ScopedModelAdmin):
    scope_path = "role__day__community"
    list_display = ["number", "volunteer", "shown_phone", "role", "day_date", "status", "created_at"]
    list_filter = ["status", "role__day__community", "role__day__date"]
    search_fields = ["volunteer__real_name", "role__title", "role__day__title"]
    list_select_related = ["volunteer", "role__day"]
    date_hierarchy = "role__day__date"
    actions = ["attended", "no_show", "export_csv", "export_xlsx"]
    fields = [
        "role",
        "volunteer",
        "shown_phone",
        "status",
        "number",
        "seat",
        "signed_up_by",
        "created_at",
        "cancelled_at",
        "promoted_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("日期"), ordering="role__day__date")
    def day_date(self, obj):
        return obj.role.day.date

    @admin.display(description=_("手机号"))
    def shown_phone(self, obj):
        return phone_for(self._viewer, obj.volunteer.phone, obj.role.day.community_id, obj.volunteer.community_id)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("标记为已到岗（记入时长）"), permissions=["change"])
    def attended(self, request, queryset):
        n = mark_attended(list(queryset), request.user)
        messages.success(request, _("%(n)s 人标记为已到岗，时长已记入。") % {"n": n})

    @admin.action(description=_("标记为未到岗"), permissions=["change"])
    def no_show(self, request, queryset):
        n = mark_no_show(list(queryset), request.user)
        messages.success(request, _("%(n)s 人标记为未到岗。") % {"n": n})

    @admin.action(description=_("导出所选报名（CSV）"))
    def export_csv(self, request, queryset):
        return exports.as_csv("signups", exports.SIGNUP_HEADER, exports.signup_rows(request.user, queryset))

    @admin.action(description=_("导出所选报名（Excel）"))
    def export_xlsx(self, request, queryset):
        return exports.as_xlsx("signups", exports.SIGNUP_HEADER, exports.signup_rows(request.user, queryset))


@admin.register(HoursEntry)
class HoursEntryAdmin(ScopedModelAdmin):
    list_display = ["date", "volunteer", "kind", "hours", "team", "community", "note", "entered_by"]
    list_filter = ["kind", "community__street", "team"]
    date_hierarchy = "date"
    search_fields = ["volunteer__real_name", "note"]
    list_select_related = ["volunteer", "team", "community", "entered_by"]
    autocomplete_fields = ["volunteer"]
    fields = ["volunteer", "kind", "hours", "date", "team", "community", "note"]
    actions = ["export_csv", "export_xlsx"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(k, v) for k, v in HoursEntry.Kind.choices if k in ("correction", "history")]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # append-only: corrections are new entries
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("导出所选时长记录（CSV）"), permissions=["view"])
    def export_csv(self, request, queryset):
        return exports.as_csv("hours", exports.HOURS_HEADER, exports.hours_rows(request.user, queryset))

    @admin.action(description=_("导出所选时长记录（Excel）"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return exports.as_xlsx("hours", exports.HOURS_HEADER, exports.hours_rows(request.user, queryset))


@admin.register(HomeVisit)
class HomeVisitAdmin(RequestUserMixin, ScopedModelAdmin):
    list_display = ["resident_name", "shown_phone", "address", "status", "team", "preferred_time", "created_at"]
    list_filter = ["status", "community__street"]
    search_fields = ["resident_name", "address", "need"]
    list_select_related = ["team", "community"]
    autocomplete_fields = ["volunteers"]
    actions = ["accept", "complete"]
    fields = [
        "community",
        "resident_name",
        "phone",
        "address",
        "need",
        "preferred_time",
        "status",
        "team",
        "volunteers",
        "hours",
        "visited_on",
    ]
    readonly_fields = ["status"]

    @admin.display(description=_("联系电话"))
    def shown_phone(self, obj):
        return phone_for(self._viewer, obj.phone, obj.community_id)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.requested_by = request.user
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Team:
            kwargs["queryset"] = Team.objects.filter(makes_home_visits=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("由所填服务队接单"), permissions=["change"])
    def accept(self, request, queryset):
        for visit in queryset.select_related("team"):
            try:
                if visit.team is None:
                    raise SignupError(_("请先在上门服务里选择接单服务队。"))
                accept_visit(visit, visit.team)
            except SignupError as exc:
                messages.error(request, f"{visit}：{exc.message}")

    @admin.action(description=_("标记完成并给上门志愿者记时长"), permissions=["change"])
    def complete(self, request, queryset):
        for visit in queryset:
            try:
                complete_visit(visit, request.user)
            except SignupError as exc:
                messages.error(request, f"{visit}：{exc.message}")
            else:
                messages.success(request, _("已完成：%(v)s") % {"v": visit})


# The volunteer side of the service-day admin. Events imports no app above it, so its ServiceDayAdmin
# gets the roles inline and the sign-up exports from here, and tells us of saves by events.signals.


class RoleInline(ScopedInlineMixin, admin.TabularInline):
    model = Role
    extra = 1
    fields = ["title", "description", "places", "start_time", "end_time", "skill", "team", "sort_order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Team:
            kwargs["queryset"] = Team.objects.filter(community__in=scope.scoped_communities(request.user))
        elif db_field.related_model is Skill:
            kwargs["queryset"] = Skill.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _day_signups(queryset):
    return Signup.objects.filter(role__day__in=queryset)


@admin.action(description=_("导出所选服务日的报名（CSV）"))
def export_signups_csv(modeladmin, request, queryset):
    rows = exports.signup_rows(request.user, _day_signups(queryset))
    return exports.as_csv("signups", exports.SIGNUP_HEADER, rows)


@admin.action(description=_("导出所选服务日的报名（Excel）"))
def export_signups_xlsx(modeladmin, request, queryset):
    rows = exports.signup_rows(request.user, _day_signups(queryset))
    return exports.as_xlsx("signups", exports.SIGNUP_HEADER, rows)


ServiceDayAdmin.inlines = [*ServiceDayAdmin.inlines, RoleInline]
ServiceDayAdmin.actions = [*ServiceDayAdmin.actions, export_signups_csv, export_signups_xlsx]


def day_cancelled(sender, day, **kwargs):
    notify_day_cancelled(day)
    return [_("已通知报名的志愿者：服务日取消。")]


def day_changed(sender, day, **kwargs):
    # More places on a role: move the waiting list up at once, in order.
    said = []
    for role in Role.objects.filter(day=day):
        promoted = promote_waiting(role.pk)
        if promoted:
            said.append(_("“%(role)s”有 %(n)s 人从候补转为正式报名，已通知。") % {"role": role.title, "n": promoted})
    return said


signals.service_day_cancelled.connect(day_cancelled, dispatch_uid="volunteers_day_cancelled")
signals.service_day_changed.connect(day_changed, dispatch_uid="volunteers_day_changed")
