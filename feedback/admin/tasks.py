"""A department's tasks (派单任务) in the admin: what the officer sees and the moves 报到, 方案, 完成."""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _lazy

from communities.admin_scope import ScopedAdminMixin
from core.thumbs import thumbnail_tag
from feedback import workflow
from feedback.admin import forms as wf
from feedback.admin.moves import WorkflowMovesMixin, forget_typed, typed_initial
from feedback.admin.overdue import OverdueFilter, overdue_badge
from feedback.models import DispatchTask

TASK_MOVES = {
    "onsite": (_lazy("到场报到"), wf.OnSiteForm, DispatchTask.Status.DISPATCHED),
    "plan": (_lazy("确定方案"), wf.PlanForm, DispatchTask.Status.ON_SITE),
    "complete": (_lazy("完成处置"), wf.CompleteForm, DispatchTask.Status.PLANNED),
}


@admin.register(DispatchTask)
class DispatchTaskAdmin(ScopedAdminMixin, WorkflowMovesMixin, admin.ModelAdmin):
    # Community staff by the case's community; officers their own department's tasks.
    scope_path = "case__community"
    scope_department_path = "department"
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
        photos = obj.case.photos.all()
        if not photos:
            return "—"
        return format_html_join(
            " ", "{}", ((thumbnail_tag(p.image, f"{p.get_role_display()}：{p.alt_text}"),) for p in photos)
        )

    @admin.display(description=_lazy("超期"))
    def overdue(self, obj):
        return overdue_badge(obj.is_overdue)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "department")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
        forms = []
        if task is not None and workflow.is_own_task(request.user, task):
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
            workflow.report_on_site(
                task, data["people"], data["when"], data["note"], by=request.user, photos=data["photos"]
            )
        elif move == "plan":
            workflow.record_plan(task, data["plan"], by=request.user, photos=data["photos"])
        elif move == "complete":
            workflow.complete(task, data["result"], data["photos"], by=request.user)
