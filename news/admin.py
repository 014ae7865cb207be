"""The newsroom in the Django admin, scoped and with the publishing rules enforced on the server.

One page per story: the story's own words, then its community sections, each with its photos
(django-nested-admin), all editable and uploadable before the first save, in reading order.
Workers draft and submit for review; editors with ``news.publish_story`` publish, schedule and
withdraw. Every state change goes through ``news.workflow``. A story can only be changed by
someone whose scope covers ALL its communities; its sections and photos follow the same rule.
The 预览 button posts the unsaved form to ``draft_preview_view`` (see its docstring).
"""

import base64
import io
import secrets

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from nested_admin.templatetags import nested_admin as nested_admin_tags
from PIL import Image, ImageOps
from simple_history.admin import SimpleHistoryAdmin

from communities import scope
from communities.admin_scope import InScopeFilter, ScopedAdminMixin, ScopedInlineMixin
from core.paginator import LargeListAdmin
from news import preview, revisions, stories, workflow
from news.models import Column, ColumnIssue, Correction, Photo, Story, StorySection, Tag
from news.sanitize import clean_html

Status = Story.Status


def _formsetsort(formset, arg):
    """nested-admin's ``formsetsort`` filter with a stable sort: its own compares the forms themselves
    when two share a position (sections saved before ordering existed all have 0) and fails."""
    if not arg:
        return list(formset)
    placed, unplaced = [], []
    for item in formset:
        position = item.form[arg].data
        (placed if position not in (None, "", "-1") else unplaced).append((position, item))
    placed.sort(key=lambda pair: int(pair[0]) if str(pair[0]).lstrip("-").isdigit() else 0)
    return [item for _position, item in placed + unplaced]


nested_admin_tags.register.filters["formsetsort"] = _formsetsort


def covers_whole_story(user, story):
    """True when the user's scope covers every community of the story (always for district admins)."""
    if story is None or story.pk is None or scope.is_district_admin(user):
        return True
    allowed = scope.scoped_communities(user).values("pk")
    return not story.communities.exclude(pk__in=allowed).exists() and (
        not StorySection.objects.filter(story=story).exclude(community__in=allowed).exists()
    )


def may_edit_story(user, story):
    return workflow.can_edit(user, story) and covers_whole_story(user, story)


def stored_status(story):
    """The status in the database (not what a form or a history version claims)."""
    if story.pk is None:
        return None
    return Story.objects.filter(pk=story.pk).values_list("status", flat=True).first()


def library_photos(user):
    """The photos a user may reuse: those of sections in their scope."""
    return scope.filter_by_scope(Photo.objects.all(), user, "section__community")


def rich_text(html):
    """Stored rich text shown as readers see it (sanitised again: never trust the row)."""
    if not html:
        return "—"
    return format_html('<div class="story-readonly prose">{}</div>', mark_safe(clean_html(html)))  # noqa: S308 - nh3


# --- the story form -------------------------------------------------------------------------


class StoryAdminForm(forms.ModelForm):
    user = None  # set by StoryAdmin.get_form

    column = forms.ModelChoiceField(
        Column.objects.all(),
        required=False,
        label=_("专栏"),
        empty_label=_("不属于专栏"),
        help_text=_("属于哪个专栏，例如“走社区·看新貌”。不属于专栏就不用选。"),
    )
    issue_number = forms.IntegerField(
        min_value=1,
        max_value=9999,
        required=False,
        label=_("期数"),
        help_text=_("第几期，例如 28。这一期还没有的，保存时自动新建。"),
    )

    class Meta:
        model = Story
        fields = [
            "title",
            "subtitle",
            "slug",
            "lead",
            "body",
            "communities",
            "tags",
            "source",
            "author",
            "responsible_editor",
            "cover",
            "cover_alt",
            "status",
            "published_at",
            "is_featured",
            "add_token",
        ]
        widgets = {"add_token": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "communities" in self.fields:
            self.fields["communities"].required = False
            self.fields["communities"].help_text = _(
                "社区段落所属的社区会自动加入，一般不用选；没有社区段落的稿件请在这里选。"
            )
        if "add_token" in self.fields and not self.instance.add_token:
            self.initial.setdefault("add_token", secrets.token_hex(16))
        issue = self.instance.column_issue if self.instance.column_issue_id else None
        if issue is not None and "column" in self.fields:
            self.initial.setdefault("column", issue.column_id)
            self.initial.setdefault("issue_number", issue.number)
        if "status" in self.fields and self.user is not None:
            allowed = workflow.allowed_statuses(self.user, self.instance)
            self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]
            if not workflow.can_publish(self.user):
                self.fields["status"].help_text = _("社区工作者可以保存草稿或提交审核，由街道编辑发布。")
                # A forged 已发布 / 已撤回 (or 保存并发布) gets the workflow's words, not “not a valid choice”.
                self.fields["status"].error_messages["invalid_choice"] = _(
                    "您没有发布权限：请把稿件提交审核，由街道编辑发布。"
                )

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
        self._clean_issue(data)
        # The sections' formset decides whether communities were needed (a story without sections).
        self.instance._chosen_communities = None if "communities" in self.errors else data.get("communities", ())
        return data

    def _clean_issue(self, data):
        if "column" not in self.fields:
            return
        column, number = data.get("column"), data.get("issue_number")
        self.issue_to_create = None
        if column is None and number is None:
            self.instance.column_issue = None
        elif column is None:
            self.add_error("column", _("填了期数，请再选是哪个专栏。"))
        elif number is None:
            self.add_error("issue_number", _("选了专栏，请再填第几期。"))
        else:
            issue = ColumnIssue.objects.filter(column=column, number=number).first()
            if issue is None and not self.user.has_perm("news.add_columnissue"):
                self.add_error(
                    "issue_number", _("这一期还没有建立，您不能新建专栏期次：请联系街道编辑，或先不选专栏。")
                )
            elif issue is None:
                self.issue_to_create = (column, number)
            else:
                self.instance.column_issue = issue

    def issue_for(self, story):
        """The column issue chosen on the form, made now if it is new; ``(issue, created)``."""
        if not getattr(self, "issue_to_create", None):
            return story.column_issue, False
        column, number = self.issue_to_create
        day = timezone.localdate(story.published_at) if story.published_at else timezone.localdate()
        return ColumnIssue.objects.get_or_create(
            column=column, number=number, defaults={"date": day, "headline": story.title[:200]}
        )


# --- sections and their photos ----------------------------------------------------------------


class FollowsStory:
    """An inline changed with its story: the story's workflow and whole-scope rules decide."""

    @staticmethod
    def _story(obj):
        if isinstance(obj, Story) or obj is None:
            return obj
        return obj.story if getattr(obj, "story_id", None) else None

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_edit_story(request.user, self._story(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit_story(request.user, self._story(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_edit_story(request.user, self._story(obj))

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: nothing to reorder (and no order field in the form). This instance lives one request.
            self.sortable_field_name = None
        return super().get_formset(request, obj, **kwargs)


class PhotoInlineForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "reused_from", "caption", "alt_text", "is_file_photo", "role", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A photo is uploaded or picked from the library; the words then come with it.
        self.fields["image"].required = False
        self.fields["alt_text"].required = False

    def clean(self):
        data = super().clean()
        source = data.get("reused_from")
        if not data.get("image") and source is None:
            self.add_error("image", _("请选择照片上传，或从图片库选用一张。"))
        if not data.get("alt_text") and not (source and source.alt_text):
            self.add_error("alt_text", _("请用一句话说明照片里有什么，读屏软件会读给看不见图的居民听。"))
        return data

    def _post_clean(self):
        super()._post_clean()
        source = self.cleaned_data.get("reused_from") if hasattr(self, "cleaned_data") else None
        if source is not None and not self.cleaned_data.get("image") and not self.errors:
            self.instance.take_from(source)


class PhotoInline(FollowsStory, nested_admin.NestedStackedInline):
    model = Photo
    form = PhotoInlineForm
    extra = 1
    sortable_field_name = "order"
    fields = ["thumb", "image", "reused_from", "alt_text", "caption", "is_file_photo", "role", "order"]
    readonly_fields = ["thumb"]
    autocomplete_fields = ["reused_from"]
    verbose_name = _("照片")
    verbose_name_plural = _("照片")
    classes = ["story-photos"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reused_from":
            kwargs["queryset"] = library_photos(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("当前照片"))
    def thumb(self, obj):
        return photo_thumb(obj)


def photo_thumb(obj, width=160):
    if obj and obj.renditions:
        return format_html(
            '<img class="story-thumb" src="{}" width="{}" alt="{}">', obj.renditions[0]["url"], width, obj.alt_text
        )
    return "—"


class SectionFormSet(nested_admin.formsets.NestedInlineFormSet):
    def clean(self):
        super().clean()
        chosen = getattr(self.instance, "_chosen_communities", None)
        if chosen is None or any(self.errors):
            return
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not live and not chosen:
            raise ValidationError(
                _("请至少写一个社区段落（选好段落的社区），或在“专栏和社区”里选择这篇稿件涉及的社区。"),
                code="no_community",
            )


class StorySectionInline(FollowsStory, ScopedInlineMixin, nested_admin.NestedStackedInline):
    model = StorySection
    formset = SectionFormSet
    extra = 1
    sortable_field_name = "order"
    fields = ["community", "heading", "body", "order"]
    inlines = [PhotoInline]
    verbose_name = _("社区段落")
    verbose_name_plural = _("社区段落（按居民读到的顺序；每段可以加照片）")
    classes = ["story-sections"]

    def get_fields(self, request, obj=None):
        if obj is not None and not may_edit_story(request.user, obj):
            return ["community", "heading", "body_html", "order"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "body_html"]

    @admin.display(description=_("正文"))
    def body_html(self, obj):
        return rich_text(obj.body)


class CorrectionInline(nested_admin.NestedTabularInline):
    model = Correction
    extra = 0
    fields = ["note", "corrected_at"]
    is_sortable = False


# --- the story admin ------------------------------------------------------------------------


READER_FIELDS = ["title", "subtitle", "lead", "cover_thumb", "cover", "cover_alt", "body", "add_token"]


@admin.register(Story)
class StoryAdmin(ScopedAdminMixin, nested_admin.NestedModelAdminMixin, LargeListAdmin, SimpleHistoryAdmin):
    form = StoryAdminForm
    list_display = ["title", "status_label", "published_at", "column_issue", "is_featured"]
    # 20,000 stories: places from the scope (not every story's distinct places), a date filter instead of
    # a date hierarchy, the bounded count of core.paginator.
    list_filter = [
        "status",
        ("communities__street", InScopeFilter),
        ("communities", InScopeFilter),
        "column_issue__column",
        ("published_at", admin.DateFieldListFilter),
        "is_featured",
    ]
    list_select_related = ["column_issue__column"]
    search_fields = ["title", "subtitle", "lead", "slug"]
    autocomplete_fields = ["communities", "tags"]
    readonly_fields = [
        "preview_links",
        "created_by",
        "created_at",
        "updated_at",
        "body_html",
        "column_issue",
        "cover_thumb",
    ]
    inlines = [StorySectionInline, CorrectionInline]
    actions = ["submit_for_review", "publish_now", "withdraw"]
    object_history_template = "admin/news/story/object_history.html"
    # Reading order first (this fieldset, then the sections), the desk's questions after them.
    fieldsets = [
        (None, {"fields": READER_FIELDS}),
        (_("专栏和社区"), {"fields": [("column", "issue_number"), "communities", "tags"]}),
        (_("发布"), {"fields": ["status", "published_at", "is_featured", "preview_links"]}),
        (_("署名"), {"fields": ["source", "author", "responsible_editor"]}),
        (_("高级"), {"fields": ["slug"], "classes": ["collapse"]}),
        (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/story-admin.css"]}

    def get_queryset(self, request):
        # Any of the story's communities in scope makes it visible (read-only unless all are).
        return super(ScopedAdminMixin, self).get_queryset(request).visible_to(request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing to show yet beside the upload
            return [(None, {"fields": [f for f in READER_FIELDS if f != "cover_thumb"]}), *self.fieldsets[1:]]
        if self.has_change_permission(request, obj):
            return self.fieldsets
        # Read-only: the words as residents read them, the column issue as one line.
        readonly = [(None, {"fields": ["title", "subtitle", "lead", "cover_thumb", "cover_alt", "body_html"]})]
        readonly.append((_("专栏和社区"), {"fields": ["column_issue", "communities", "tags"]}))
        return readonly + [fs for fs in self.fieldsets[2:] if fs[0] != _("高级")]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit_story(request.user, obj)

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

    @admin.display(description=_("正文"))
    def body_html(self, obj):
        return rich_text(obj.body)

    @admin.display(description=_("当前封面"))
    def cover_thumb(self, obj):
        if obj and obj.cover_renditions:
            url = obj.cover_renditions[0]["url"]
            return format_html('<img class="story-thumb" src="{}" width="240" alt="{}">', url, obj.cover_alt)
        return "—"

    @admin.display(description=_("预览"))
    def preview_links(self, obj):
        if not obj or not obj.pk:
            return gettext("按下面的“预览”按钮，不用保存就能看到发布后的样子。")
        hours = preview_hours()
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a><br>{}<br><input type="text" readonly size="70" '
            'value="{}" aria-label="{}">',
            reverse("admin:news_story_preview", args=[obj.pk]),
            gettext("按已保存的样子预览"),
            gettext("分享预览链接（%(hours)s 小时内有效，无需登录）：") % {"hours": hours},
            self._absolute(preview.preview_url(obj)),
            gettext("预览链接"),
        )

    @staticmethod
    def _absolute(url):
        from django.conf import settings

        return settings.SITE_URL + url

    # --- saving ----------------------------------------------------------------------------
    QUICK_STATUS = {"_publish": Status.PUBLISHED, "_submit_review": Status.REVIEW}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # “保存并发布” / “提交审核” are the status field and 保存 in one press.
        if request.method == "POST":
            for button, status in self.QUICK_STATUS.items():
                if button in request.POST:
                    request.POST = request.POST.copy()
                    request.POST["status"] = status
                    break
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["story_can_publish"] = workflow.can_publish(request.user)
        context["story_is_published"] = bool(obj and obj.status == Status.PUBLISHED)
        context["story_draft_preview_url"] = (
            reverse("admin:news_story_draft_preview", args=[obj.pk])
            if obj
            else reverse("admin:news_story_draft_preview_add")
        )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        try:  # the form did this already; never trust one layer
            workflow.check_change(request.user, stored_status(obj), obj.status)
        except workflow.WorkflowError as exc:
            raise PermissionDenied(str(exc)) from None
        if hasattr(form, "issue_for"):
            obj.column_issue, created = form.issue_for(obj)
            if created and not getattr(request, "_story_preview", False):
                self.message_user(
                    request, gettext("已新建专栏期次：%(issue)s。") % {"issue": obj.column_issue}, messages.SUCCESS
                )
        obj._change_reason = gettext("在工作台修改")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        stories.cover_sections(form.instance)

    def _public_message(self, request, obj):
        if "_publish" in request.POST and obj.is_public:
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
                    gettext("《%(t)s》已发布，居民现在就能看到：") % {"t": obj.title},
                    obj.get_absolute_url(),
                    gettext("打开看看"),
                ),
                messages.SUCCESS,
            )

    def response_add(self, request, obj, post_url_continue=None):
        self._public_message(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._public_message(request, obj)
        return super().response_change(request, obj)

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

    # --- urls ---------------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("draft-preview/", view(self.draft_preview_view), name="news_story_draft_preview_add"),
            path("<int:object_id>/draft-preview/", view(self.draft_preview_view), name="news_story_draft_preview"),
            path("<int:object_id>/preview/", view(self.preview_view), name="news_story_preview"),
            path("<int:object_id>/history/compare/", view(self.compare_view), name="news_story_compare"),
            path(
                "<int:object_id>/history/<int:history_id>/restore/",
                view(self.restore_view),
                name="news_story_restore",
            ),
            *super().get_urls(),
        ]

    # --- preview ------------------------------------------------------------------------------
    def preview_view(self, request, object_id):
        """The saved story as residents will see it."""
        if not self.has_view_permission(request):
            raise Http404
        from news.views import story_context

        story = self.get_queryset(request).filter(pk=object_id).first()
        if story is None:
            raise Http404
        return TemplateResponse(request, "news/story_detail.html", story_context(request, story.pk, preview=True))

    def _editable_story(self, request, object_id):
        """(story or None for a new one) the user may edit; 404 outside scope, 403 without the right."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        story = self.get_queryset(request).filter(pk=object_id).first()
        if story is None:
            raise Http404
        if not self.has_change_permission(request, story):
            raise PermissionDenied
        return story

    def draft_preview_view(self, request, object_id=None):
        """The story as posted by the form, unsaved, drawn by the real story template.

        The form and every formset (sections, photos) are validated exactly as 保存 would; the
        story is then saved inside a transaction that is rolled back once the page is drawn, so
        the real template and its queries see it and nothing is kept. New uploads never reach the
        media storage: each is drawn as a downscaled ``data:`` image instead. The page shows the
        story in a frame at phone width (390 px) or desktop width.
        """
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:news_story_changelist"))
        request._story_preview = True
        obj = self._editable_story(request, object_id)
        add = obj is None
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(request, obj, change=not add, fields=flatten_fieldsets(fieldsets))
        form = form_class(request.POST, request.FILES, instance=obj)
        form_valid = form.is_valid()
        story = self.save_form(request, form, change=not add) if form_valid else form.instance
        formsets, _inlines = self._create_formsets(request, story, change=not add)
        if not (form_valid and all_valid(formsets)):
            return TemplateResponse(
                request,
                "admin/news/story/preview_errors.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("预览前请先改正"),
                    "errors": form_errors(form, formsets),
                },
            )
        stage_uploads(form, formsets)
        from news.views import story_context

        with transaction.atomic():
            self.save_model(request, story, form, not add)
            self.save_related(request, form, formsets, not add)
            html = render_to_string("news/story_detail.html", story_context(request, story.pk, preview=True), request)
            transaction.set_rollback(True)
        response = TemplateResponse(
            request,
            "admin/news/story/draft_preview.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("预览：%(t)s") % {"t": story.title},
                "story_html": html,
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response

    # --- revisions ----------------------------------------------------------------------------
    def _versions(self, request, object_id):
        story = self.get_queryset(request).filter(pk=object_id).first()
        if story is None or not self.has_view_permission(request, story):
            raise Http404
        return story, story.history.order_by("-history_date", "-history_id")

    def compare_view(self, request, object_id):
        story, versions = self._versions(request, object_id)
        versions = list(versions.select_related("history_user")[:200])
        by_id = {v.history_id: v for v in versions}
        try:
            old = by_id[int(request.GET.get("old", ""))]
            new = by_id[int(request.GET.get("new", ""))]
        except (KeyError, ValueError):
            if len(versions) < 2:
                messages.info(request, gettext("这篇稿件只有一个版本，还没有可以对比的。"))
                return HttpResponseRedirect(reverse("admin:news_story_history", args=[story.pk]))
            new, old = versions[0], versions[1]
        if old.history_date > new.history_date:
            old, new = new, old
        return TemplateResponse(
            request,
            "admin/news/story/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("对比两个版本：%(t)s") % {"t": story.title},
                "opts": self.opts,
                "original": story,
                "story": story,
                "versions": versions,
                "old": old,
                "new": new,
                "rows": revisions.compare(old, new),
                "can_restore": self.has_change_permission(request, story),
            },
        )

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, history_id):
        return _restore(self, request, object_id, history_id)


def _restore(model_admin, request, object_id, history_id):
    story, versions = model_admin._versions(request, object_id)
    version = get_object_or_404(versions, history_id=history_id)
    if not model_admin.has_change_permission(request, story):
        raise PermissionDenied
    skipped = revisions.restore(story, version, request.user)
    when = timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M")
    model_admin.message_user(
        request, gettext("已恢复到 %(t)s 的版本（文字；照片和发布状态不变）。") % {"t": when}, messages.SUCCESS
    )
    if skipped:
        model_admin.message_user(
            request,
            gettext("这些段落的社区不在您的管辖范围内，没有恢复：%(h)s") % {"h": "、".join(skipped)},
            messages.WARNING,
        )
    return HttpResponseRedirect(reverse("admin:news_story_change", args=[story.pk]))


def form_errors(form, formsets):
    """[(where, message)...] for the preview's error page, in the order of the form."""
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else gettext("稿件")
        found += [(label, e) for e in errors]
    for formset in formsets:
        where = formset.model._meta.verbose_name
        found += [(where, e) for e in formset.non_form_errors()]
        for index, sub in enumerate(formset.forms, 1):
            for name, errors in sub.errors.items():
                label = sub.fields[name].label if name in sub.fields else ""
                found += [(f"{where} {index} · {label}", e) for e in errors]
    return found


PREVIEW_SIDE = 1200


def preview_rendition(upload):
    """A just-uploaded photo as one ``data:`` rendition, never written to the media storage."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=75)
        width, height = image.size
    upload.seek(0)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return [{"w": width, "h": height, "url": f"data:image/jpeg;base64,{data}"}]


def stage_uploads(form, formsets):
    """Swap every new upload of a preview for a stored-looking name and a ``data:`` rendition."""
    cover = form.cleaned_data.get("cover")
    if isinstance(cover, UploadedFile):
        form.instance.cover_renditions = preview_rendition(cover)
        form.instance.cover = "news/preview/cover.jpg"
    for formset in formsets:
        if formset.model is not Photo:
            continue
        for sub in formset.forms:
            image = (getattr(sub, "cleaned_data", None) or {}).get("image")
            if isinstance(image, UploadedFile):
                sub.instance.renditions = preview_rendition(image)
                sub.instance.image = "news/preview/photo.jpg"


def preview_hours():
    from django.conf import settings

    return settings.NEWS_PREVIEW_MAX_AGE // 3600


# --- the image library ----------------------------------------------------------------------


@admin.register(Photo)
class PhotoLibraryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """图片库: every section photo in the editor's scope, to find and reuse with its words."""

    scope_path = "section__community"
    list_display = ["thumb", "alt_text", "caption", "story_title", "is_file_photo"]
    list_display_links = ["thumb", "alt_text"]
    list_filter = ["is_file_photo", "role"]
    list_select_related = ["section__story"]
    search_fields = ["caption", "alt_text", "section__heading", "section__story__title"]
    fields = ["large", "alt_text", "caption", "is_file_photo", "story_title"]
    readonly_fields = ["large", "story_title"]
    list_per_page = 40

    def has_add_permission(self, request):
        return False  # photos arrive with their story

    def has_delete_permission(self, request, obj=None):
        return False  # removed from the story they belong to

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or may_edit_story(request.user, obj.section.story)
        )

    @admin.display(description=_("照片"))
    def thumb(self, obj):
        return photo_thumb(obj, width=120)

    @admin.display(description=_("照片"))
    def large(self, obj):
        return photo_thumb(obj, width=480)

    @admin.display(description=_("所在稿件"), ordering="section__story__title")
    def story_title(self, obj):
        story = obj.section.story
        return format_html('<a href="{}">{}</a>', reverse("admin:news_story_change", args=[story.pk]), story.title)

    def changelist_view(self, request, extra_context=None):
        extra = {"title": gettext("图片库：可以在稿件的照片里“从图片库选用”"), **(extra_context or {})}
        return super().changelist_view(request, extra)


# --- the rest of the desk ---------------------------------------------------------------------


@admin.register(StorySection)
class StorySectionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Old links to a section's own page land here; photos are now edited on the story's page."""

    scope_path = "community"
    list_display = ["heading", "story", "community", "order"]
    list_select_related = ["story", "community"]
    search_fields = ["heading", "story__title"]
    fields = ["story", "community", "heading", "body", "order"]
    readonly_fields = ["story"]

    def has_module_permission(self, request):
        return False  # reached through the story, never on its own

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_edit_story(request.user, obj.story):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not workflow.can_edit(request.user, obj.story):  # guarded above as well
            raise Http404
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
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
