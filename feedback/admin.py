import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from communities import scope
from communities.admin_scope import ScopedInlineMixin
from feedback import admin_forms as wf
from feedback.models import Case, CaseError, CasePhoto, Category, DispatchTask, TimelineEntry
from feedback.privacy import mask_phone

S = Case.Status


def can_see_contact(user, case):
    """Only staff of the case's own community (its workers, its street's editors) see contact data."""
    role = scope.role_of(user)
    return role in (scope.Role.COMMUNITY_WORKER, scope.Role.STREET_EDITOR) and scope.covers_community(
        user, case.community_id
    )


def masked_name(name):
    return f"{name[0]}{'*' * max(1, len(name) - 1)}" if name else ""


def contact_for(user, case):
    """(name, phone, email) as this user may see them."""
    if can_see_contact(user, case):
        return case.contact_name, case.contact_phone, case.contact_email
    email = case.contact_email
    if email:
        local, _sep, domain = email.partition("@")
        email = f"{local[:1]}***@{domain}"
    return masked_name(case.contact_name), mask_phone(case.contact_phone), email


def _overdue_badge(flag):
    return format_html('<strong class="fb-admin-overdue">{}</strong>', _("超期")) if flag else "—"


TYPED_KEY = "feedback_typed"


def keep_typed(request, kind, pk, move):
    """Remember what was typed into a workflow form that failed, so the next page shows it again."""
    prefix = f"{move}-"
    typed = {
        key[len(prefix) :]: request.POST.getlist(key)
        for key in request.POST
        if key.startswith(prefix) and not key.endswith("version")
    }
    request.session[TYPED_KEY] = {"kind": kind, "pk": pk, "move": move, "typed": typed}


def typed_initial(request, kind, pk, move):
    stored = request.session.get(TYPED_KEY)
    if not stored or (stored["kind"], stored["pk"], stored["move"]) != (kind, pk, move):
        return {}
    return {key: values if key == "assisting" else values[0] for key, values in stored["typed"].items() if values}


def forget_typed(request):
    request.session.pop(TYPED_KEY, None)


class WorkflowMovesMixin:
    """One POST endpoint per workflow move on a scoped object: look it up, check, validate, apply, redirect.

    Subclasses set `moves` (name -> (title, form class, statuses)) and `typed_kind`, and implement
    `apply_move`; `move_form` may pass extra arguments to the form.
    """

    moves = {}
    typed_kind = ""

    def move_form(self, request, obj, move, form_class):
        return form_class(request.POST, request.FILES, prefix=move)

    def apply_move(self, request, obj, move, data):
        raise NotImplementedError

    def move_view(self, request, object_id, move):
        if request.method != "POST":
            return require_POST(lambda r: None)(request)
        obj = self.get_object(request, str(object_id))
        if obj is None or move not in self.moves:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        title, form_class, _statuses = self.moves[move]
        form = self.move_form(request, obj, move, form_class)
        opts = self.model._meta
        target = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
                for f, e in form.errors.items()
            )
            messages.error(request, _("%(move)s未完成：%(errors)s") % {"move": title, "errors": errors})
            keep_typed(request, self.typed_kind, obj.pk, move)
            return redirect(target)
        try:
            self.apply_move(request, obj, move, form.cleaned_data)
        except CaseError as exc:
            messages.error(request, exc.message)
            keep_typed(request, self.typed_kind, obj.pk, move)
        else:
            messages.success(request, _("已%(move)s。") % {"move": title})
        return redirect(target)


class OverdueFilter(admin.SimpleListFilter):
    title = _lazy("是否超期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _lazy("超期")), ("no", _lazy("未超期"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        now = timezone.now()
        if queryset.model is DispatchTask:
            late = Q(done_at__isnull=True, deadline__lt=now) | Q(done_at__gt=F("deadline"))
        else:
            late_task = DispatchTask.objects.filter(case=OuterRef("pk"), round=OuterRef("round")).filter(
                Q(done_at__isnull=True, deadline__lt=now) | Q(done_at__gt=F("deadline"))
            )
            late = Exists(late_task) | Q(responded_at__isnull=True, respond_deadline__lt=now)
        return queryset.filter(late) if self.value() == "yes" else queryset.exclude(late)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "respond_hours", "onsite_days", "resolve_days", "is_active", "sort_order"]
    list_editable = ["respond_hours", "onsite_days", "resolve_days", "is_active", "sort_order"]
    prepopulated_fields = {}
    search_fields = ["name", "slug"]


class TaskInline(ScopedInlineMixin, admin.TabularInline):
    model = DispatchTask
    extra = 0
    can_delete = False
    fields = [
        "round",
        "department",
        "is_lead",
        "status",
        "onsite_deadline",
        "onsite_at",
        "onsite_people",
        "deadline",
        "done_at",
        "overdue",
    ]
    readonly_fields = fields
    verbose_name_plural = _lazy("派单任务（吹哨）")

    @admin.display(description=_lazy("超期"))
    def overdue(self, obj):
        return _overdue_badge(obj.is_overdue)

    def has_add_permission(self, request, obj=None):
        return False


class PhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = CasePhoto
    extra = 0
    fields = ["role", "image", "alt_text", "order", "task"]
    readonly_fields = ["task"]
    max_num = 20


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "role", "department_name", "note", "is_public"]
    readonly_fields = fields
    verbose_name_plural = _lazy("办理记录（只能追加，不能修改）")

    @admin.display(description=_lazy("部门"))
    def department_name(self, obj):
        return obj.department_name

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task__department")


CASE_MOVES = {
    # name: (title, form, statuses it applies to)
    "accept": (_lazy("受理"), wf.AcceptForm, {S.SUBMITTED, S.REOPENED}),
    "decline": (_lazy("不予受理"), wf.DeclineForm, {S.SUBMITTED}),
    "dispatch": (_lazy("吹哨派单"), wf.DispatchForm, {S.ACCEPTED}),
    "resolve": (_lazy("办结"), wf.ResolveForm, {S.PLANNED}),
    "note": (_lazy("添加备注"), wf.NoteForm, set(S.values)),
}


@admin.register(Case)
class CaseAdmin(WorkflowMovesMixin, admin.ModelAdmin):
    moves = CASE_MOVES
    typed_kind = "case"
    change_form_template = "admin/feedback/case/change_form.html"
    list_display = ["code", "place", "community", "category", "status", "overdue", "created_at", "is_published"]
    list_filter = [OverdueFilter, "status", "category", "community__street", "is_published"]
    search_fields = ["code", "place"]
    date_hierarchy = "created_at"
    list_select_related = ["community", "category"]
    inlines = [TaskInline, PhotoInline, TimelineInline]
    fields = [
        "code",
        "community",
        "category",
        "place",
        "description",
        "status",
        "decline_reason",
        "round",
        "created_at",
        "respond_deadline",
        "responded_at",
        "dispatched_at",
        "resolved_at",
        "closed_at",
        "rating",
        "rating_comment",
        "metoo_count",
        "is_published",
        "public_summary",
    ]
    readonly_fields = [f for f in fields if f not in ("is_published", "public_summary")]
    actions = ["export_csv"]

    class Media:
        css = {"all": ["css/feedback-admin.css"]}

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return (
            Case.objects.visible_to(request.user)
            .filter(pk__in=qs.values("pk"))
            .prefetch_related(Prefetch("tasks", queryset=DispatchTask.objects.select_related("department")))
            .select_related("community__street", "category")
        )

    def get_list_display(self, request):
        user = request.user

        @admin.display(description=_lazy("联系电话"))
        def phone(obj):
            return contact_for(user, obj)[1] or "—"

        return [*self.list_display, phone]

    @admin.display(description=_lazy("超期"))
    def overdue(self, obj):
        return _overdue_badge(obj.is_overdue)

    def has_add_permission(self, request):
        return False  # cases come from residents (or staff filling the public form for a caller)

    def has_delete_permission(self, request, obj=None):
        return False  # no resident's report is ever lost

    def _in_scope(self, request, obj):
        return obj is None or Case.objects.visible_to(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        if scope.role_of(request.user) == scope.Role.DEPARTMENT_OFFICER:
            return False
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/move/<slug:move>/",
                self.admin_site.admin_view(self.move_view),
                name="feedback_case_move",
            ),
            path("<int:object_id>/story/", self.admin_site.admin_view(self.story_view), name="feedback_case_story"),
            *super().get_urls(),
        ]

    def workflow_forms(self, request, case):
        if not self.has_change_permission(request, case):
            return []
        forms = []
        for name, (title, form_class, statuses) in CASE_MOVES.items():
            if case.status in statuses:
                kwargs = {"case": case} if form_class is wf.DispatchForm else {}
                initial = {**typed_initial(request, "case", case.pk, name), "version": case.version}
                forms.append((name, title, form_class(initial=initial, prefix=name, **kwargs)))
        forget_typed(request)
        return forms

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        case = self.get_object(request, object_id)
        if case is not None:
            name, phone, email = contact_for(request.user, case)
            extra_context.update(
                workflow_forms=self.workflow_forms(request, case),
                move_base=reverse("admin:feedback_case_move", args=[case.pk, "x"])[:-2],
                contact={
                    "name": name,
                    "phone": phone,
                    "email": email,
                    "consent": case.contact_consent,
                    "purged": case.contacts_purged_at,
                    "full": can_see_contact(request.user, case),
                },
                story_url=reverse("admin:feedback_case_story", args=[case.pk])
                if case.status in (S.RESOLVED, S.CONFIRMED) and self.has_change_permission(request, case)
                else None,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def move_form(self, request, case, move, form_class):
        kwargs = {"case": case} if form_class is wf.DispatchForm else {}
        return form_class(request.POST, prefix=move, **kwargs)

    def apply_move(self, request, case, move, data):
        case.version = data["version"]
        if move == "accept":
            case.accept(request.user, data["note"])
        elif move == "decline":
            case.decline(request.user, data["reason"], data["note"])
        elif move == "dispatch":
            case.dispatch(request.user, data["lead"], list(data["assisting"]), data["note"])
        elif move == "resolve":
            case.resolve(request.user, data["note"])
        elif move == "note":
            case.add_note(request.user, data["note"], public=data["public"])

    def story_view(self, request, object_id):
        if request.method != "POST":
            return require_POST(lambda r: None)(request)
        case = self.get_object(request, str(object_id))
        if case is None:
            raise Http404
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        from feedback.to_story import case_to_story

        try:
            story = case_to_story(case, request.user)
        except CaseError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("admin:feedback_case_change", args=[case.pk]))
        messages.success(request, _("已生成新闻草稿《%(title)s》，请编辑完善后发布。") % {"title": story.title})
        return redirect(reverse("admin:news_story_change", args=[story.pk]))

    @admin.action(description=_lazy("导出所选诉求（CSV，电话按权限打码）"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="feedback-cases.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("查询码"),
                _("街道"),
                _("社区"),
                _("类别"),
                _("地点"),
                _("状态"),
                _("提交时间"),
                _("办结时间"),
                _("评价"),
                _("联系人"),
                _("联系电话"),
                _("超期"),
            ]
        )
        for case in queryset.select_related("community__street", "category"):
            name, phone, _email = contact_for(request.user, case)
            writer.writerow(
                [
                    case.code,
                    case.community.street.name,
                    case.community.name,
                    case.category.name,
                    case.place,
                    case.get_status_display(),
                    timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(case.resolved_at).strftime("%Y-%m-%d %H:%M") if case.resolved_at else "",
                    case.get_rating_display(),
                    name,
                    phone,
                    _("是") if case.is_overdue else "",
                ]
            )
        return response


TASK_MOVES = {
    "onsite": (_lazy("到场报到"), wf.OnSiteForm, DispatchTask.Status.DISPATCHED),
    "plan": (_lazy("确定方案"), wf.PlanForm, DispatchTask.Status.ON_SITE),
    "complete": (_lazy("完成处置"), wf.CompleteForm, DispatchTask.Status.PLANNED),
}


@admin.register(DispatchTask)
class DispatchTaskAdmin(WorkflowMovesMixin, admin.ModelAdmin):
    moves = TASK_MOVES
    typed_kind = "task"
    change_form_template = "admin/feedback/dispatchtask/change_form.html"
    list_display = [
        "case_code",
        "case_place",
        "department",
        "is_lead",
        "status",
        "onsite_deadline",
        "deadline",
        "overdue",
    ]
    list_filter = [OverdueFilter, "status", "is_lead", "department"]
    search_fields = ["case__code", "case__place"]
    list_select_related = ["case", "department"]
    fields = [
        "case_code",
        "case_place",
        "case_description",
        "case_photos",
        "department",
        "is_lead",
        "round",
        "status",
        "created_at",
        "onsite_deadline",
        "onsite_at",
        "onsite_people",
        "plan",
        "planned_at",
        "deadline",
        "result",
        "done_at",
        "overdue",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/feedback-admin.css"]}

    @admin.display(description=_lazy("查询码"), ordering="case__code")
    def case_code(self, obj):
        return obj.case.code

    @admin.display(description=_lazy("地点"))
    def case_place(self, obj):
        return obj.case.place

    @admin.display(description=_lazy("问题描述"))
    def case_description(self, obj):
        return obj.case.public_text

    @admin.display(description=_lazy("现场照片"))
    def case_photos(self, obj):
        photos = [(p.image.url, p.get_role_display(), p.alt_text) for p in obj.case.photos.all()]
        if not photos:
            return "—"
        return format_html_join(
            "", '<a href="{0}"><img class="fb-admin-thumb" src="{0}" alt="{1}：{2}" width="160"></a> ', photos
        )

    @admin.display(description=_lazy("超期"))
    def overdue(self, obj):
        return _overdue_badge(obj.is_overdue)

    def get_queryset(self, request):
        return DispatchTask.objects.visible_to(request.user).select_related("case", "department")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _in_scope(self, request, obj):
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/move/<slug:move>/",
                self.admin_site.admin_view(self.move_view),
                name="feedback_dispatchtask_move",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        task = self.get_object(request, object_id)
        own = (
            task is not None
            and scope.role_of(request.user) == scope.Role.DEPARTMENT_OFFICER
            and scope.get_scope(request.user).department_id == task.department_id
            and task.round == task.case.round
        )
        forms = []
        if own:
            for name, (title, form_class, status) in TASK_MOVES.items():
                if task.status == status:
                    initial = typed_initial(request, "task", task.pk, name)
                    forms.append((name, title, form_class(initial=initial or None, prefix=name)))
        forget_typed(request)
        extra_context["workflow_forms"] = forms
        if task is not None:
            extra_context["move_base"] = reverse("admin:feedback_dispatchtask_move", args=[task.pk, "x"])[:-2]
        return super().change_view(request, object_id, form_url, extra_context)

    def apply_move(self, request, task, move, data):
        if move == "onsite":
            task.report_on_site(request.user, data["people"], data["when"], data["note"])
        elif move == "plan":
            task.record_plan(request.user, data["plan"])
        elif move == "complete":
            task.complete(request.user, data["result"], data["photos"])
