"""The newsroom in the Django admin, scoped and with the publishing rules enforced on the server.

Workers draft and submit for review; editors with ``news.publish_story`` publish,
schedule and withdraw. Every state change goes through ``news.workflow``. A story
can only be changed by someone whose scope covers ALL its communities.
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from communities import scope
from communities.admin_scope import ScopedAdminMixin, ScopedInlineMixin
from news import preview, stories, workflow
from news.models import Column, ColumnIssue, Correction, Photo, Story, StorySection, Tag

Status = Story.Status


def covers_whole_story(user, story):
    """True when the user's scope covers every community of the story (always for district admins)."""
    if story is None or scope.is_district_admin(user):
        return True
    allowed = scope.scoped_communities(user).values("pk")
    return not story.communities.exclude(pk__in=allowed).exists() and (
        not StorySection.objects.filter(story=story).exclude(community__in=allowed).exists()
    )


def stored_status(story):
    """The status in the database (not what a form or a history version claims)."""
    if story.pk is None:
        return None
    return Story.objects.filter(pk=story.pk).values_list("status", flat=True).first()


class StoryAdminForm(forms.ModelForm):
    user = None  # set by StoryAdmin.get_form

    class Meta:
        model = Story
        fields = [
            "title",
            "subtitle",
            "slug",
            "lead",
            "body",
            "communities",
            "column_issue",
            "tags",
            "source",
            "author",
            "responsible_editor",
            "cover",
            "cover_alt",
            "status",
            "published_at",
            "is_featured",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "communities" in self.fields:
            self.fields["communities"].required = True
            self.fields["communities"].help_text = _("至少选择一个社区；社区段落所属的社区会自动加入。")
        if "status" in self.fields and self.user is not None:
            allowed = workflow.allowed_statuses(self.user, self.instance)
            self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]
            if not workflow.can_publish(self.user):
                self.fields["status"].help_text = _("社区工作者可以保存草稿或提交审核，由街道编辑发布。")

    def clean(self):
        data = super().clean()
        new_status = data.get("status", self.instance.status)
        old_status = stored_status(self.instance)
        try:
            workflow.check_change(self.user, old_status, new_status)
        except workflow.WorkflowError as exc:
            self.add_error("status", str(exc))
        if new_status == Status.PUBLISHED and not data.get("published_at"):
            data["published_at"] = timezone.now()
            self.instance.published_at = data["published_at"]
        return data


class StorySectionInline(ScopedInlineMixin, admin.StackedInline):
    model = StorySection
    extra = 1
    fields = ["community", "heading", "body", "order"]
    show_change_link = True
    verbose_name = _("社区段落")
    verbose_name_plural = _("社区段落（保存后点段落旁的“修改”上传照片）")


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["note", "corrected_at"]


@admin.register(Story)
class StoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = StoryAdminForm
    list_display = ["title", "status_label", "published_at", "column_issue", "is_featured"]
    list_filter = [
        "status",
        ("communities__street", admin.RelatedOnlyFieldListFilter),
        ("communities", admin.RelatedOnlyFieldListFilter),
        "column_issue__column",
        "is_featured",
    ]
    list_select_related = ["column_issue__column"]
    search_fields = ["title", "subtitle", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["communities", "tags", "column_issue"]
    readonly_fields = ["preview_links", "created_by", "created_at", "updated_at"]
    inlines = [StorySectionInline, CorrectionInline]
    actions = ["submit_for_review", "publish_now", "withdraw"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "lead", "body"]}),
        (_("归属"), {"fields": ["communities", "column_issue", "tags"]}),
        (_("署名"), {"fields": ["source", "author", "responsible_editor"]}),
        (_("封面"), {"fields": ["cover", "cover_alt"]}),
        (_("发布"), {"fields": ["status", "published_at", "is_featured", "preview_links"]}),
        (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # Any of the story's communities in scope makes it visible (read-only unless all are).
        return super(ScopedAdminMixin, self).get_queryset(request).visible_to(request.user)

    def get_changeform_initial_data(self, request):
        # A slug fixed when the add form is drawn: a double submit hits the unique slug, not a second story.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("slug", f"{timezone.localdate():%Y%m%d}-{secrets.token_hex(3)}")
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_change_permission(self, request, obj=None):
        return (
            super().has_change_permission(request, obj)
            and workflow.can_edit(request.user, obj)
            and covers_whole_story(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and covers_whole_story(request.user, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not workflow.can_publish(request.user):
            actions.pop("publish_now", None)
            actions.pop("withdraw", None)
        return actions

    @admin.display(description=_("状态"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return gettext("定时发布（%(time)s）") % {
                "time": timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
            }
        return obj.get_status_display()

    @admin.display(description=_("预览"))
    def preview_links(self, obj):
        if not obj or not obj.pk:
            return gettext("保存后可以预览。")
        hours = preview_hours()
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a><br>{}<br><input type="text" readonly size="70" '
            'value="{}" aria-label="{}">',
            reverse("admin:news_story_preview", args=[obj.pk]),
            gettext("按发布后的样子预览"),
            gettext("分享预览链接（%(hours)s 小时内有效，无需登录）：") % {"hours": hours},
            self._absolute(preview.preview_url(obj)),
            gettext("预览链接"),
        )

    @staticmethod
    def _absolute(url):
        from django.conf import settings

        return settings.SITE_URL + url

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        try:  # the form did this already; never trust one layer
            workflow.check_change(request.user, stored_status(obj), obj.status)
        except workflow.WorkflowError as exc:
            raise PermissionDenied(str(exc)) from None
        obj._change_reason = gettext("在工作台修改")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        stories.cover_sections(form.instance)

    # --- actions: every one through news.workflow -------------------------
    def _apply(self, request, queryset, move, done):
        count = 0
        for story in queryset:
            if not covers_whole_story(request.user, story):
                self.message_user(request, gettext("《%(t)s》超出您的管辖范围。") % {"t": story.title}, messages.ERROR)
                continue
            try:
                move(request.user, story)
            except workflow.WorkflowError as exc:
                self.message_user(request, f"《{story.title}》：{exc}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("提交审核"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset, workflow.submit, gettext("已提交审核 %(n)s 篇。"))

    @admin.action(description=_("发布（未到发布时间的按时自动出现）"), permissions=["change"])
    def publish_now(self, request, queryset):
        self._apply(request, queryset, workflow.publish, gettext("已发布 %(n)s 篇。"))

    @admin.action(description=_("撤回"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._apply(request, queryset, workflow.withdraw, gettext("已撤回 %(n)s 篇。"))

    # --- preview ------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="news_story_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        from news.views import story_context

        story = self.get_queryset(request).filter(pk=object_id).first()
        if story is None:
            raise Http404
        return TemplateResponse(request, "news/story_detail.html", story_context(request, story.pk, preview=True))


def preview_hours():
    from django.conf import settings

    return settings.NEWS_PREVIEW_MAX_AGE // 3600


class PhotoInline(admin.StackedInline):
    model = Photo
    extra = 1
    fields = ["image", "thumb", "caption", "alt_text", "is_file_photo", "role", "order"]
    readonly_fields = ["thumb"]

    @admin.display(description=_("当前照片"))
    def thumb(self, obj):
        if obj and obj.renditions:
            small = obj.renditions[0]
            return format_html('<img src="{}" width="160" alt="{}">', small["url"], obj.alt_text)
        return "—"


@admin.register(StorySection)
class StorySectionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Reached from a story's section (“修改”): where photos are uploaded."""

    scope_path = "community"
    list_display = ["heading", "story", "community", "order"]
    list_select_related = ["story", "community"]
    search_fields = ["heading", "story__title"]
    fields = ["story", "community", "heading", "body", "order"]
    readonly_fields = ["story"]
    inlines = [PhotoInline]

    def has_module_permission(self, request):
        return False  # reached through the story, never on its own

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not (
            workflow.can_edit(request.user, obj.story) and covers_whole_story(request.user, obj.story)
        ):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not workflow.can_edit(request.user, obj.story):  # guarded above as well
            raise Http404
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            from django.http import HttpResponseRedirect

            self.message_user(request, gettext("段落“%(h)s”已保存。") % {"h": obj.heading}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:news_story_change", args=[obj.story_id]))
        return super().response_change(request, obj)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class ColumnIssueInline(admin.TabularInline):
    model = ColumnIssue
    extra = 0
    fields = ["number", "date", "headline"]


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    inlines = [ColumnIssueInline]


@admin.register(ColumnIssue)
class ColumnIssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "date", "headline"]
    list_filter = ["column"]
    list_select_related = ["column"]
    search_fields = ["headline", "column__name", "number"]
    date_hierarchy = "date"
