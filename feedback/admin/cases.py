"""Cases (居民诉求) in the admin: the list, the page with its tasks, photos and timeline, and the community's moves."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from communities import scope
from communities.admin_scope import InScopeFilter, ScopedAdminMixin, ScopedInlineMixin
from core.paginator import LargeListAdmin
from core.params import id_or_none
from core.privacy import scrub_phones
from core.thumbs import thumbnail_tag
from feedback import duplicates, workflow
from feedback.admin import forms as wf
from feedback.admin.contact import can_see_contact, contact_for, text_for
from feedback.admin.export import cases_csv
from feedback.admin.moves import WorkflowMovesMixin, forget_typed, typed_initial
from feedback.admin.overdue import CaseOverdueFilter, overdue_badge
from feedback.models import Case, CaseError, CasePhoto, DispatchTask, TimelineEntry
from feedback.to_story import case_to_story

S = Case.Status


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
        return overdue_badge(obj.is_overdue)

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row is titled with the task's name (its case's code, its department): read with the rows.
        return super().get_queryset(request).select_related("case", "department")


class PhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = CasePhoto
    extra = 0
    fields = ["preview", "role", "image", "alt_text", "order", "task"]
    readonly_fields = ["preview", "task"]
    max_num = 20

    @admin.display(description=_lazy("照片"))
    def preview(self, obj):
        return thumbnail_tag(obj.image, obj.alt_text or obj.get_role_display()) if obj and obj.pk else "—"

    def get_fields(self, request, obj=None):
        # Who may only look sees the picture, not a file name and an upload button.
        fields = super().get_fields(request, obj)
        return fields if self.has_change_permission(request, obj) else [f for f in fields if f != "image"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task__case", "task__department")  # the task column


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "role", "department_name", "note_shown", "is_public"]
    readonly_fields = fields
    verbose_name_plural = _lazy("办理记录（只能追加，不能修改）")
    whole_text = False  # set per request: Django makes a fresh inline for each

    def get_formset(self, request, obj=None, **kwargs):
        self.whole_text = obj is not None and can_see_contact(request.user, obj)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_lazy("部门"))
    def department_name(self, obj):
        return obj.department_name

    @admin.display(description=_lazy("说明"))
    def note_shown(self, obj):
        text = obj.plain_text  # the portal's sentence in the reader's language, then the note as typed
        return text if self.whole_text else scrub_phones(text)

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
class CaseAdmin(ScopedAdminMixin, WorkflowMovesMixin, LargeListAdmin, admin.ModelAdmin):
    # Community staff by the case's community; officers see (never change) cases dispatched to them.
    scope_path = "community"
    scope_department_path = "tasks__department"
    moves = CASE_MOVES
    typed_kind = "case"
    change_form_template = "admin/feedback/case/change_form.html"
    list_display = [
        "code",
        "photo",
        "place",
        "community",
        "category",
        "status",
        "overdue",
        "created_at",
        "is_published",
    ]
    # 100,000 cases: a date filter instead of a date hierarchy (which reads every row's date), the
    # bounded count of core.paginator, no whole-table count.
    list_filter = [
        CaseOverdueFilter,
        "status",
        "category",
        ("community__street", InScopeFilter),
        ("created_at", admin.DateFieldListFilter),
        "is_published",
    ]
    search_fields = ["code", "place"]
    list_select_related = ["community", "category"]
    inlines = [TaskInline, PhotoInline, TimelineInline]
    fields = [
        "code",
        "community",
        "category",
        "place",
        "description_shown",
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
        "duplicate_of",
        "source",
        "api_client",
        "lat",
        "long",
        "media_url",
        "is_published",
        "public_summary",
    ]
    readonly_fields = [f for f in fields if f not in ("is_published", "public_summary")]
    actions = ["export_csv"]

    class Media:
        css = {"all": ["css/feedback-admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("tasks", queryset=DispatchTask.objects.select_related("department")), "photos")
            .select_related("community__street", "category")
        )

    def get_object(self, request, object_id, from_field=None):
        # change_view reads the case for its extra context, then Django's view reads it again: on a GET
        # (nothing changes) the second read is the first one's case.
        key = (object_id, from_field)
        read = getattr(request, "_civic_case", None)
        if request.method in ("GET", "HEAD") and read is not None and read[0] == key:
            return read[1]
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            case.viewer = request.user  # for description_shown: the admin is shared, the object is not
        request._civic_case = (key, case)
        return case

    @admin.display(description=_lazy("问题描述"))
    def description_shown(self, obj):
        viewer = getattr(obj, "viewer", None)
        return text_for(viewer, obj, obj.description) if viewer else scrub_phones(obj.description)

    def get_list_display(self, request):
        user = request.user

        @admin.display(description=_lazy("联系电话"))
        def phone(obj):
            return contact_for(user, obj)[1] or "—"

        return [*self.list_display, phone]

    @admin.display(description=_lazy("超期"))
    def overdue(self, obj):
        return overdue_badge(obj.is_overdue)

    @admin.display(description=_lazy("照片"))
    def photo(self, obj):
        photos = list(obj.photos.all())  # prefetched with the list
        if not photos:
            return "—"
        return thumbnail_tag(photos[0].image, photos[0].alt_text or obj.place, link=False)

    def has_add_permission(self, request):
        return False  # cases come from residents (or staff filling the public form for a caller)

    def has_delete_permission(self, request, obj=None):
        return False  # no resident's report is ever lost

    def has_change_permission(self, request, obj=None):
        if scope.role_of(request.user) == scope.Role.DEPARTMENT_OFFICER:
            return False  # officers work on their tasks, not on the case
        return super().has_change_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/move/<slug:move>/",
                self.admin_site.admin_view(self.move_view),
                name="feedback_case_move",
            ),
            path("<int:object_id>/story/", self.admin_site.admin_view(self.story_view), name="feedback_case_story"),
            path("<int:object_id>/merge/", self.admin_site.admin_view(self.merge_view), name="feedback_case_merge"),
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
                likely_duplicates=self.likely_duplicates(request, case),
                merge_url=reverse("admin:feedback_case_merge", args=[case.pk]),
                story_url=reverse("admin:feedback_case_story", args=[case.pk])
                if case.status in (S.RESOLVED, S.CONFIRMED) and self.has_change_permission(request, case)
                else None,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def move_form(self, request, case, move, form_class):
        kwargs = {"case": case} if form_class is wf.DispatchForm else {}
        return form_class(request.POST, request.FILES, prefix=move, **kwargs)

    def apply_move(self, request, case, move, data):
        case.version = data["version"]
        if move == "accept":
            workflow.accept(case, data["note"], by=request.user, photos=data["photos"])
        elif move == "decline":
            workflow.decline(case, data["reason"], data["note"], by=request.user)
        elif move == "dispatch":
            workflow.dispatch(
                case, data["lead"], list(data["assisting"]), data["note"], by=request.user, photos=data["photos"]
            )
        elif move == "resolve":
            workflow.resolve(case, data["note"], by=request.user)
        elif move == "note":
            workflow.add_note(case, data["note"], public=data["public"], by=request.user)

    def likely_duplicates(self, request, case):
        """Open cases in the viewer's scope that may be the same problem (feedback.duplicates), while
        this one can still be merged into one of them."""
        if case.status not in (S.SUBMITTED, S.ACCEPTED) or not self.has_change_permission(request, case):
            return []
        visible = Case.objects.visible_to(request.user).filter(duplicate_of__isnull=True)
        return duplicates.for_staff(case, visible)

    def _case_to_change(self, request, object_id):
        """The case a POST here may change: 404 outside the viewer's scope, 403 without the right to change it."""
        case = self.get_object(request, str(object_id))
        if case is None:
            raise Http404
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        return case

    def merge_view(self, request, object_id):
        """POST: merge this case into the one named by ``into`` (both in the viewer's scope)."""
        if request.method != "POST":
            return require_POST(lambda r: None)(request)
        case = self._case_to_change(request, object_id)
        into = self.get_queryset(request).filter(pk=id_or_none(request.POST.get("into"))).first()
        back = redirect(reverse("admin:feedback_case_change", args=[case.pk]))
        if into is None:
            messages.error(request, _("没有找到要合并到的诉求。"))
            return back
        case.version = id_or_none(request.POST.get("version")) or 0
        try:
            workflow.merge(case, into, by=request.user)
        except CaseError as exc:
            messages.error(request, exc.message)
            return back
        messages.success(
            request, _("已把 %(code)s 合并到 %(into)s，居民会收到通知。") % {"code": case.code, "into": into.code}
        )
        return redirect(reverse("admin:feedback_case_change", args=[into.pk]))

    def story_view(self, request, object_id):
        if request.method != "POST":
            return require_POST(lambda r: None)(request)
        case = self._case_to_change(request, object_id)
        try:
            story = case_to_story(case, request.user)
        except CaseError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("admin:feedback_case_change", args=[case.pk]))
        messages.success(request, _("已生成新闻草稿《%(title)s》，请编辑完善后发布。") % {"title": story.title})
        return redirect(reverse("admin:news_story_change", args=[story.pk]))

    @admin.action(description=_lazy("导出所选诉求（CSV，电话按权限打码）"))
    def export_csv(self, request, queryset):
        return cases_csv(request.user, queryset)
