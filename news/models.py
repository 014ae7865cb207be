from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from core import textsearch
from core.images import CleanImageField
from core.lang import is_chinese
from news.renditions import make_renditions
from news.sanitize import EDITOR_EXTENSIONS, clean_html
from news.slugs import unique_slug

DEFAULT_SOURCE = "北京市西城区委宣传部(区文明办)"


def rich_text_field(verbose_name, **kwargs):
    """A rich-text body: the editor in the admin, nh3 on the form and again on save."""
    return ProseEditorField(
        verbose_name, config={"extensions": EDITOR_EXTENSIONS}, sanitize=clean_html, blank=True, **kwargs
    )


class Tag(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True)
    slug = models.SlugField(_("网址名"), max_length=50, unique=True, help_text=_("用于网址，例如 bianmin-fuwu。"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("标签")
        verbose_name_plural = _("标签")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:tag", args=[self.slug])


class Column(models.Model):
    name = models.CharField(_("专栏名称"), max_length=50, unique=True, help_text=_("例如：走社区·看新貌"))
    slug = models.SlugField(_("网址名"), max_length=50, unique=True)
    description = models.TextField(_("专栏简介"), blank=True, help_text=_("纯文本，显示在专栏页顶部。"))
    cover = CleanImageField(_("封面图片"), upload_to="news/columns/", blank=True)
    cover_alt = models.CharField(_("封面图片说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100, help_text=_("数字小的排在前面。"))

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("专栏")
        verbose_name_plural = _("专栏")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:column", args=[self.slug])


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n):
    """28 → 二十八 (for 第二十八期); plain digits above 999."""
    if n < 0 or n > 999:
        return str(n)
    if n < 10:
        return CHINESE_DIGITS[n]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = ""
    if hundreds:
        text += CHINESE_DIGITS[hundreds] + "百"
        if tens:
            text += CHINESE_DIGITS[tens] + "十"
        elif ones:
            text += "零"
    elif tens:
        text += ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    if ones:
        text += CHINESE_DIGITS[ones]
    return text


class ColumnIssue(models.Model):
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="issues", verbose_name=_("专栏"))
    number = models.PositiveIntegerField(_("期数"), help_text=_("第几期，例如 28。"))
    date = models.DateField(_("出刊日期"))
    headline = models.CharField(_("本期主题"), max_length=200)
    lead = models.TextField(_("本期导语"), blank=True, help_text=_("纯文本。"))

    class Meta:
        ordering = ["column", "-number"]
        verbose_name = _("专栏期次")
        verbose_name_plural = _("专栏期次")
        constraints = [
            models.UniqueConstraint(
                fields=["column", "number"],
                name="columnissue_unique_number_per_column",
                violation_error_message=_("这个专栏已经有这一期了：请换一个期数，或在稿件里直接填这一期。"),
            ),
        ]

    def __str__(self):
        return f"{self.column.name} {self.label}"

    def get_absolute_url(self):
        return reverse("news:issue", args=[self.column.slug, self.number])

    @property
    def label(self):
        # Chinese numerals belong to Chinese pages only: 第二十八期, Issue 28.
        return _("第%(n)s期") % {"n": chinese_number(self.number) if is_chinese() else self.number}


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Visible to residents: published, and its time has come (scheduled stories appear on their own)."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())

    def visible_to(self, user):
        """The stories a staff user's scope covers: any of the story's communities."""
        from communities import scope

        if scope.is_district_admin(user):
            return self
        return self.filter(pk__in=scope.filter_by_scope(Story.objects.all(), user, "communities").values("pk"))

    def for_list(self):
        return self.select_related("column_issue__column").order_by("-published_at", "-pk")

    def search(self, terms):
        """Stories whose search text holds every one of ``terms`` (see ``textsearch.filter_terms``)."""
        return textsearch.filter_terms(self, terms)


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    slug = models.SlugField(
        _("网址名"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("网址的最后一段，保存时由标题的拼音自动生成，一般不用填。发布后再改，旧链接就打不开了。"),
    )
    # A random key drawn with the add form: pressing 保存 twice saves one story, not two.
    add_token = models.CharField(
        _("新建表单标识"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        error_messages={"unique": _("这篇稿件已经保存过了（可能按了两次保存），请到稿件列表里打开它。")},
    )
    lead = models.TextField(_("导语"), blank=True, help_text=_("纯文本，列表和分享时显示的摘要。"))
    body = rich_text_field(_("正文"))
    source = models.CharField(_("来源"), max_length=100, default=DEFAULT_SOURCE)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    responsible_editor = models.CharField(_("责任编辑"), max_length=50, blank=True)
    cover = CleanImageField(
        _("封面图片"), upload_to="news/covers/", blank=True, help_text=_("JPG、PNG、WebP 或手机 HEIC，不超过 10 MB。")
    )
    cover_alt = models.CharField(
        _("封面照片说明（给看不见图的人听）"),
        max_length=200,
        blank=True,
        help_text=_("读屏软件会把这句话读给看不见图的居民听，例如“志愿者为老人理发”。"),
    )
    cover_renditions = models.JSONField(_("封面图片尺寸"), default=list, blank=True, editable=False)
    column_issue = models.ForeignKey(
        ColumnIssue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("专栏期次"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="stories", verbose_name=_("标签"))
    communities = models.ManyToManyField(
        "communities.Community", blank=True, related_name="stories", verbose_name=_("涉及社区")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("发布时间"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("填写将来的时间即为定时发布，到时自动出现在网站上。发布时不填则为当前时间。"),
    )
    is_featured = models.BooleanField(_("首页推荐"), default=False)
    search_text = models.TextField(_("检索文本"), blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "cover_renditions", "add_token"])
    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        permissions = [("publish_story", _("可以发布、定时发布和撤回稿件"))]
        indexes = [
            # Every public list: published stories, newest first (also counts them for the paginator).
            models.Index(
                fields=["-published_at", "-id"], condition=Q(status="published"), name="story_published_newest_idx"
            ),
            # The desk's lines and the list's status filter: stories in review (or drafts), last changed first
            # (without it PostgreSQL read all 20,000 stories twice for the desk's 200 in review).
            models.Index(fields=["status", "-updated_at", "-id"], name="story_status_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="story_published_has_time",
                violation_error_message=_("已发布的稿件必须有发布时间。"),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Story, self.title, exclude_pk=self.pk)
        self.body = clean_html(self.body)
        new_cover = bool(self.cover) and not self.cover._committed
        if not self.cover:
            self.cover_renditions = []
        self.search_text = self._search_text(include_sections=self.pk is not None)
        super().save(*args, **kwargs)
        if new_cover or (self.cover and not self.cover_renditions):
            self.cover_renditions = make_renditions(self.cover)
            Story.objects.filter(pk=self.pk).update(cover_renditions=self.cover_renditions)

    def get_absolute_url(self):
        return reverse("news:story", args=[self.slug])

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at and self.published_at > timezone.now()

    def _search_text(self, include_sections=True):
        parts = [self.title, self.subtitle, self.lead, strip_tags(self.body)]
        if include_sections:
            for heading, body, community in self.sections.values_list("heading", "body", "community__name"):
                parts += [heading, strip_tags(body), community]
        return textsearch.index_text(*parts)

    def reindex(self):
        """Recompute search_text after sections changed."""
        self.search_text = self._search_text()
        Story.objects.filter(pk=self.pk).update(search_text=self.search_text)


class StorySection(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="sections", verbose_name=_("稿件"))
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="story_sections", verbose_name=_("社区")
    )
    heading = models.CharField(_("小标题"), max_length=200, help_text=_("例如：椿树街道椿树园社区：红色领航·椿满园"))
    body = rich_text_field(_("正文"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0, help_text=_("数字小的排在前面。"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("社区段落")
        verbose_name_plural = _("社区段落")

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)
        self.story.communities.add(self.community_id)
        self.story.reindex()

    def get_absolute_url(self):
        return f"{self.story.get_absolute_url()}#section-{self.pk}"

    def delete(self, *args, **kwargs):
        story = self.story
        result = super().delete(*args, **kwargs)
        story.reindex()
        return result


class Photo(models.Model):
    class Role(models.TextChoices):
        NONE = "", _("普通照片")
        BEFORE = "before", _("整治前")
        AFTER = "after", _("整治后")

    section = models.ForeignKey(StorySection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("段落"))
    image = CleanImageField(
        _("照片"), upload_to="news/photos/", help_text=_("JPG、PNG、WebP 或手机 HEIC，不超过 10 MB；位置信息会被去除。")
    )
    caption = models.CharField(_("图片说明"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("照片说明（给看不见图的人听）"),
        max_length=200,
        help_text=_("必填。读屏软件会把这句话读给看不见图的居民听，例如“志愿者为老人理发”。"),
    )
    is_file_photo = models.BooleanField(
        _("资料图片"),
        default=False,
        help_text=_("照片不是这次活动拍的（以前拍的、别处来的）就勾上，页面上会标明“资料图片”。"),
    )
    role = models.CharField(
        _("整治前/整治后"),
        max_length=10,
        choices=Role.choices,
        default=Role.NONE,
        blank=True,
        help_text=_("选了“整治前”“整治后”的照片会左右并排显示，方便居民对比。"),
    )
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("从图片库选用"),
        help_text=_("用以前稿件里的照片：选中后不用再上传，照片说明也一起带过来。"),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    renditions = models.JSONField(_("图片尺寸"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("照片")
        verbose_name_plural = _("图片库")

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        if self.reused_from_id and not self.image:
            self.take_from(self.reused_from)
        new_image = bool(self.image) and not self.image._committed
        super().save(*args, **kwargs)
        if new_image or not self.renditions:
            self.renditions = make_renditions(self.image)
            Photo.objects.filter(pk=self.pk).update(renditions=self.renditions)

    def take_from(self, source):
        """Reuse ``source``'s stored picture (no second file), and its words where these are empty."""
        self.reused_from = source
        self.image = source.image.name
        self.renditions = list(source.renditions)
        self.caption = self.caption or source.caption
        self.alt_text = self.alt_text or source.alt_text
        self.is_file_photo = self.is_file_photo or source.is_file_photo

    @property
    def largest(self):
        return self.renditions[-1] if self.renditions else None


class Correction(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("稿件"))
    note = models.TextField(_("更正说明"), help_text=_("纯文本，写明更正了什么。"))
    corrected_at = models.DateTimeField(_("更正时间"), default=timezone.now)

    class Meta:
        ordering = ["corrected_at", "pk"]
        verbose_name = _("更正")
        verbose_name_plural = _("更正")

    def __str__(self):
        return self.note[:40]
