import re
from html import unescape

from django.db import models
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from communities import scope
from communities.models import Department
from core.images import CleanImageField
from core.lang import mark_chinese
from core.privacy import scrub_phones


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Category(models.Model):
    """A kind of problem, with the default time limits every dispatch gets."""

    name = models.CharField(_("名称"), max_length=50, unique=True, help_text=_("例如：路面破损"))
    slug = models.SlugField(
        _("网址名"),
        max_length=50,
        unique=True,
        help_text=_("用于网址，例如 accessibility（/feedback/new/?category=…）。"),
    )
    description = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("显示在居民填写的表单里。"))
    respond_hours = models.PositiveSmallIntegerField(
        _("响应时限（小时）"), default=24, help_text=_("提交后多少小时内须受理或答复。")
    )
    onsite_days = models.PositiveSmallIntegerField(
        _("到场时限（天）"), default=3, help_text=_("派单后多少天内部门须到现场报到。")
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("办结时限（天）"), default=15, help_text=_("派单后多少天内须办结。")
    )
    group = models.CharField(
        _("分组"),
        max_length=50,
        blank=True,
        help_text=_("把相近的类别归在一起，例如：市容环境；对外接口（Open311）里显示为服务分组。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100, help_text=_("数字小的排在前面。"))
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后居民不能再选择这个类别。"))

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        constraints = [
            models.CheckConstraint(condition=models.Q(resolve_days__gte=1), name="category_resolve_days_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('feedback:new')}?category={self.slug}"


# --- Cases -------------------------------------------------------------------


def _scrub(instance, *names):
    """Store these fields without phone numbers (a mask can be a character longer than the number)."""
    for name in names:
        limit = instance._meta.get_field(name).max_length
        setattr(instance, name, scrub_phones(getattr(instance, name))[:limit])


class CaseError(Exception):
    """A move the rules do not allow; the message is shown to the person who tried it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class CaseConflict(CaseError):
    """Someone else changed the case first."""


class Actor(models.TextChoices):
    RESIDENT = "resident", _("居民")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    STREET_EDITOR = "street_editor", _("街道工作人员")
    DISTRICT_ADMIN = "district_admin", _("区级管理员")
    DEPARTMENT_OFFICER = "department_officer", _("职能部门")
    SYSTEM = "system", _("系统")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases a staff member may see: by community, or (officers) by their department's tasks."""
        return scope.filter_by_scope(self, user, "community", department_path="tasks__department")

    def published(self):
        return self.filter(is_published=True).exclude(status__in=[Case.Status.SUBMITTED, Case.Status.DECLINED])

    def solved(self):
        return self.filter(status__in=[Case.Status.RESOLVED, Case.Status.CONFIRMED])

    def open(self):
        # Named, not excluded: a NOT IN cannot use the status index (18,000 open among 100,000 cases).
        closed = {Case.Status.RESOLVED, Case.Status.CONFIRMED, Case.Status.DECLINED}
        return self.filter(status__in=[status for status in Case.Status.values if status not in closed])

    def overdue(self, now=None, per_row=False):
        """Late: not answered by the response deadline, or a task of the current round late (Case.is_overdue).

        ``per_row``: for a list already narrowed to a few thousand rows (open cases, a status filter).
        PostgreSQL runs an EXISTS inside an OR by hashing every late task of the district first (49,000
        of 126,000 at district scale: ~15 ms, per query, however few cases are asked about); a
        one-row subquery asked ``IS NOT NULL`` cannot be hashed, so each candidate case looks up its
        own tasks through task_late_by_case_idx instead (the desk's late line: 20 ms -> 3 ms). Over the
        whole table the hash is the cheaper plan, so that stays the default. Same rows either way.
        """
        now = now or timezone.now()
        late_task = DispatchTask.objects.overdue(now).filter(case=models.OuterRef("pk"), round=models.OuterRef("round"))
        if per_row:
            first = late_task.order_by().values("pk")[:1]
            has_late_task = models.Q(IsNull(models.Subquery(first), False))
        else:
            has_late_task = models.Q(models.Exists(late_task))
        return self.filter(has_late_task | models.Q(responded_at__isnull=True, respond_deadline__lt=now))

    def with_public_relations(self):
        return self.select_related("community__street", "category")

    def with_resolution(self):
        """Annotates ``resolution``: what was done, as told to residents (the note of the latest
        public 办结 entry, stored without phone numbers), read in the same query."""
        latest = TimelineEntry.objects.filter(
            case=models.OuterRef("pk"), action=TimelineEntry.Action.RESOLVED, is_public=True
        ).order_by("-created_at", "-pk")
        return self.annotate(resolution=models.Subquery(latest.values("note")[:1]))


class Case(models.Model):
    """A resident's report (居民诉求) and everything done about it."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("平台表单")
        API = "api", _("对外接口")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        DECLINED = "declined", _("不予受理")
        DISPATCHED = "dispatched", _("已吹哨")
        ON_SITE = "on_site", _("已报到")
        PLANNED = "planned", _("方案已定")
        RESOLVED = "resolved", _("已办结")
        CONFIRMED = "confirmed", _("居民已确认")
        REOPENED = "reopened", _("居民不满意，重新办理")

    class DeclineReason(models.TextChoices):
        NOT_ACCEPTED = "not_accepted", _("不予受理")
        DUPLICATE = "duplicate", _("重复诉求")
        OUT_OF_AREA = "out_of_area", _("非本辖区")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    code = models.CharField(_("查询码"), max_length=20, unique=True, editable=False)
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="cases", verbose_name=_("社区")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类别"))
    place = models.CharField(_("地点"), max_length=100, help_text=_("例如：四环胡同28号院"))
    description = models.TextField(_("问题描述"), max_length=2000)
    contact_name = models.CharField(_("联系人姓名"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_consent = models.BooleanField(
        _("同意联系"), default=False, help_text=_("居民同意工作人员用所留联系方式联系本人。")
    )
    contacts_purged_at = models.DateTimeField(_("联系方式清除时间"), null=True, blank=True, editable=False)

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decline_reason = models.CharField(_("不予受理原因"), max_length=20, choices=DeclineReason.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1, editable=False)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    respond_deadline = models.DateTimeField(_("响应期限"), null=True, blank=True)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("吹哨时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    rating = models.CharField(_("居民评价"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    is_published = models.BooleanField(
        _("公开展示"), default=False, help_text=_("勾选后在“吹哨报到”公开栏展示（不含姓名和电话）。")
    )
    public_summary = models.CharField(
        _("公开摘要"), max_length=200, blank=True, help_text=_("公开栏里显示的一句话，留空则显示问题描述。")
    )
    metoo_count = models.PositiveIntegerField(_("附议人数"), default=0, editable=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.PORTAL, editable=False)
    api_client = models.ForeignKey(
        "feedback.ApiClient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        editable=False,
        verbose_name=_("接口客户端"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        editable=False,
        verbose_name=_("合并到"),
        help_text=_("与另一条诉求是同一件事时，合并到那一条继续办理；居民会收到那一条的进展。"),
    )
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False)
    media_url = models.URLField(
        _("照片链接"),
        blank=True,
        editable=False,
        help_text=_("对外接口提交的照片地址（只接受允许的网站，平台不会去下载）。"),
    )
    submit_token = models.UUIDField(_("提交令牌"), null=True, blank=True, unique=True, editable=False)
    owner_digest = models.CharField(
        _("专属链接摘要"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("居民专属链接中密钥的 SHA-256 摘要（不保存密钥本身）；早于专属链接的诉求为空。"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("居民诉求")
        verbose_name_plural = _("居民诉求")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="case_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(source="portal", api_client__isnull=True)
                | models.Q(source="api", api_client__isnull=False),
                name="case_api_source_has_client",
            ),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90),
                name="case_lat_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(long__isnull=True) | models.Q(long__gte=-180, long__lte=180),
                name="case_long_in_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "is_published"], name="case_status_published_idx")]

    def __str__(self):
        return f"{self.code} · {self.place}"

    def save(self, *args, **kwargs):
        # Public by nature (the board's heading, the summary, the comment in the public timeline):
        # stored without phone numbers, so no page, export or story can show one (core.privacy).
        _scrub(self, "place", "public_summary", "rating_comment")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:track", args=[self.code])

    # --- derived facts ---

    @property
    def is_anonymous(self):
        return not (self.contact_name or self.contact_phone or self.contact_email)

    @property
    def public_text(self):
        return scrub_phones(self.public_summary or self.description)

    @property
    def can_be_rated(self):
        return self.status == self.Status.RESOLVED

    @property
    def takes_resident_notes(self):
        return self.status not in (self.Status.CONFIRMED, self.Status.DECLINED)

    def current_tasks(self):
        return [t for t in self.tasks.all() if t.round == self.round]

    @property
    def is_overdue(self):
        now = timezone.now()
        if self.responded_at is None and self.respond_deadline and self.respond_deadline < now:
            return True
        return any(t.is_overdue for t in self.current_tasks())


class DispatchTaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks a staff member may see: by the case's community, or (officers) their department's."""
        return scope.filter_by_scope(self, user, "case__community", department_path="department")

    def overdue(self, now=None):
        now = now or timezone.now()
        return self.filter(
            models.Q(done_at__isnull=True, deadline__lt=now) | models.Q(done_at__gt=models.F("deadline"))
        )


class DispatchTask(models.Model):
    """One department's part of a dispatch (吹哨): its own deadline, 报到, plan and result."""

    class Status(models.TextChoices):
        DISPATCHED = "dispatched", _("待报到")
        ON_SITE = "on_site", _("已报到")
        PLANNED = "planned", _("方案已定")
        DONE = "done", _("已完成")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("诉求"))
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("部门"))
    is_lead = models.BooleanField(_("主办"), default=False, help_text=_("主办部门牵头，其余为协办。"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DISPATCHED)
    created_at = models.DateTimeField(_("派单时间"), default=timezone.now)
    onsite_deadline = models.DateTimeField(_("报到期限"))
    deadline = models.DateTimeField(_("办结期限"))
    onsite_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    onsite_people = models.CharField(_("到场人员"), max_length=200, blank=True, help_text=_("例如：房管所 2 人"))
    plan = models.TextField(_("处置方案"), blank=True)
    planned_at = models.DateTimeField(_("方案确定时间"), null=True, blank=True)
    result = models.TextField(_("处置结果"), blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = DispatchTaskQuerySet.as_manager()

    class Meta:
        ordering = ["case", "round", "-is_lead", "department__name"]
        verbose_name = _("派单任务")
        verbose_name_plural = _("派单任务")
        constraints = [
            models.UniqueConstraint(fields=["case", "round", "department"], name="task_one_per_department_round"),
            models.UniqueConstraint(
                fields=["case", "round"], condition=models.Q(is_lead=True), name="task_one_lead_per_round"
            ),
        ]
        indexes = [
            # The tasks that can be late (unfinished, or finished after their deadline: 49,000 of 126,000
            # at district scale), by case and round: what CaseQuerySet.overdue asks of each case.
            models.Index(
                fields=["case", "round"],
                condition=models.Q(done_at__isnull=True) | models.Q(done_at__gt=models.F("deadline")),
                name="task_late_by_case_idx",
            ),
        ]

    def __str__(self):
        return f"{self.case.code} · {self.department.name}"

    def get_absolute_url(self):
        return self.case.get_absolute_url()

    @property
    def role_label(self):
        return _("主办") if self.is_lead else _("协办")

    @property
    def is_overdue(self):
        if self.done_at:
            return self.done_at > self.deadline
        return self.deadline < timezone.now()


class CasePhoto(models.Model):
    class Role(models.TextChoices):
        BEFORE = "before", _("处置前")
        AFTER = "after", _("处置后")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos", verbose_name=_("诉求"))
    task = models.ForeignKey(
        DispatchTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos", verbose_name=_("任务")
    )
    role = models.CharField(_("类型"), max_length=10, choices=Role.choices, default=Role.BEFORE)
    image = CleanImageField(_("照片"), upload_to="feedback/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        _("图片说明"), max_length=200, blank=True, help_text=_("为看不见图片的读者描述图片内容。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["case", "role", "order", "pk"]
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")

    def __str__(self):
        return f"{self.case.code} · {self.get_role_display()}"

    def save(self, *args, **kwargs):
        _scrub(self, "alt_text")  # shown with the photo wherever the photo is public
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.image.url


class TimelineEntry(models.Model):
    """Append-only: what happened, when, in what role (never a staff member's name).

    What the portal itself writes ("社区已受理……", "居民反映：路面破损") is stored as a ``message``
    code with its ``params`` and put into words when read, in the reader's language (``text``);
    what a person typed is the ``note`` and stays as typed. A public note is stored without phone
    numbers (core.privacy); an internal one whole, for the case's own community. The one change
    ever made to a stored entry is the retention purge (feedback.retention), which masks contact
    data in its note and params.
    """

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交诉求")
        ACCEPTED = "accepted", _("受理")
        DECLINED = "declined", _("不予受理")
        DISPATCHED = "dispatched", _("吹哨派单")
        ON_SITE = "on_site", _("到场报到")
        PLANNED = "planned", _("确定方案")
        DONE = "done", _("完成处置")
        RESOLVED = "resolved", _("办结")
        RATED = "rated", _("居民评价")
        REOPENED = "reopened", _("居民不满意，重新办理")
        METOO = "metoo", _("附议")
        NOTE = "note", _("备注")
        PURGED = "purged", _("清除联系方式")

    class Message(models.TextChoices):
        """The sentences the portal writes into a timeline; their words are in ``MESSAGES``."""

        SUBMITTED = "submitted", _("居民反映（类别）")
        ACCEPTED = "accepted", _("社区已受理")
        DECLINED = "declined", _("不予受理的原因")
        DISPATCHED = "dispatched", _("吹哨：主办和协办部门")
        ON_SITE = "on_site", _("部门到场（人员）")
        RATED = "rated", _("居民的评价")
        PURGED = "purged", _("联系方式已清除")
        MERGED = "merged", _("合并到另一条诉求")
        ABSORBED = "absorbed", _("合并了同一问题的诉求")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("诉求"))
    task = models.ForeignKey(
        DispatchTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries", verbose_name=_("任务")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    role = models.CharField(_("角色"), max_length=30, choices=Actor.choices)
    message = models.CharField(
        _("系统说明"),
        max_length=20,
        choices=Message.choices,
        blank=True,
        help_text=_("平台自动写的说明，按读者的语言显示。"),
    )
    params = models.JSONField(_("说明参数"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True, help_text=_("工作人员或居民写的文字，原样显示。"))
    is_public = models.BooleanField(_("公开"), default=True, help_text=_("公开的记录居民在查询页可以看到。"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.case_id} · {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise CaseError(_("办理记录只能追加，不能修改。"))
        if self.is_public:
            self.note = scrub_phones(self.note)
            self.params = scrub_params(self.params, scrub_phones)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:track", args=[self.case.code])

    def delete(self, *args, **kwargs):
        raise CaseError(_("办理记录只能追加，不能删除。"))

    @property
    def department_name(self):
        return self.task.department.name if self.task_id else ""

    @property
    def text(self):
        """The entry's words in the active language, as HTML: the portal's sentence with its
        parameters, then what a person typed (both marked lang="zh-Hans" on a page in English)."""
        return timeline_text(self.message, self.params, self.note)

    @property
    def plain_text(self):
        """``text`` without markup (e-mails, the story a case becomes, the admin)."""
        return unescape(strip_tags(self.text))


def scrub_params(params, scrub):
    """``params`` with every text in it (also in lists) passed through ``scrub``."""

    def clean(value):
        if isinstance(value, str):
            return scrub(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {key: clean(value) for key, value in (params or {}).items()}


# message code -> (the sentence alone, the sentence followed by a person's note); None: "sentence note".
MESSAGES = {
    "submitted": (_("居民反映：%(category)s"), None),
    "accepted": (_("社区已受理，正在协调处理。"), None),
    "declined": ("%(reason)s", pgettext_lazy("timeline", "%(reason)s：%(note)s")),
    "dispatched": (_("社区吹哨，请%(names)s到现场报到。"), None),
    "on_site": (_("%(dept)s到现场报到（%(people)s）。"), None),
    "rated": ("%(rating)s", pgettext_lazy("timeline", "%(rating)s：%(note)s")),
    "purged": (_("联系方式已按保存期限清除。"), None),
    "merged": (_("与诉求 %(code)s 是同一件事，已合并到那一条继续办理，进展请看那一条。"), None),
    "absorbed": (_("同一问题的诉求 %(code)s 已合并到这一条（附议人数一并计入）。"), None),
}


def _words(message, params):
    """The values a message's sentence needs, each as HTML (labels translated, names marked)."""
    if message == "submitted":
        # A category's name is data; the demo's standard names have English in the catalogue.
        return {"category": mark_chinese(gettext(params.get("category", "")))}
    if message == "declined":
        return {"reason": _label(Case.DeclineReason, params.get("reason"))}
    if message == "rated":
        return {"rating": _label(Case.Rating, params.get("rating"))}
    if message == "dispatched":
        names = [format_html("{}{}", mark_chinese(params.get("lead", "")), _("（主办）"))]
        names += [format_html("{}{}", mark_chinese(name), _("（协办）")) for name in params.get("assisting", [])]
        separator = _("、")
        return {"names": format_html(str(separator).join(["{}"] * len(names)), *names)}
    if message in ("merged", "absorbed"):
        return {"code": mark_chinese(params.get("code", ""))}
    if message == "on_site":
        return {"dept": mark_chinese(params.get("dept", "")), "people": mark_chinese(params.get("people", ""))}
    return {}


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return mark_chinese(value or "")


def timeline_text(message, params, note=""):
    """An entry's words as HTML in the active language (see ``TimelineEntry.text``)."""
    note = note or ""
    if message not in MESSAGES:
        return mark_chinese(note)
    alone, with_note = MESSAGES[message]
    words = _words(message, params or {})
    if note and with_note is not None:
        return _fill(with_note, {**words, "note": mark_chinese(note)})
    sentence = _fill(alone, words)
    return format_html("{} {}", sentence, mark_chinese(note)) if note else sentence


def _fill(template, words):
    """``template % words`` with the sentence escaped and the words kept as the HTML they are."""
    if not words:
        return conditional_escape(str(template))
    sentence = str(conditional_escape(str(template))).replace("{", "{{").replace("}", "}}")
    return format_html(PLACEHOLDER.sub(r"{\1}", sentence), **words)


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


# --- outside systems (Open311 GeoReport v2, feedback/open311/) ---------------------------------


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """An outside system (the 12345 hotline, another reporting app) that submits cases by the
    Open311 API. Its key is shown once when the client is created; only its SHA-256 is kept."""

    name = models.CharField(_("名称"), max_length=100, unique=True, help_text=_("例如：12345 热线"))
    contact = models.CharField(
        _("对接联系人"), max_length=200, blank=True, help_text=_("对方系统的负责人和联系方式，便于出问题时沟通。")
    )
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    key_hint = models.CharField(
        _("密钥开头"), max_length=8, editable=False, help_text=_("密钥的前几个字符，用来核对对方用的是哪一把。")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("创建人"),
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:feedback_apiclient_change", args=[self.pk])

    @property
    def is_active(self):
        return self.revoked_at is None


class ApiSubmission(models.Model):
    """One submission by a client: its idempotency key (the spec's ``token`` parameter or an
    Idempotency-Key header) and the case it made. The unique pair is what makes a retry harmless."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="submissions")
    key = models.CharField(_("幂等键"), max_length=100)
    token = models.CharField(_("令牌"), max_length=32, unique=True)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="api_submission")
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口提交")
        verbose_name_plural = _("接口提交")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="apisubmission_one_per_client_key")]

    def __str__(self):
        return f"{self.client} · {self.key}"
