from datetime import timedelta

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Department
from core.images import CleanImageField
from feedback import conf


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
        from communities import scope

        if scope.role_of(user) == scope.Role.DEPARTMENT_OFFICER:
            return self.filter(tasks__department_id=scope.get_scope(user).department_id).distinct()
        return scope.filter_by_scope(self, user, "community")

    def published(self):
        return self.filter(is_published=True).exclude(status__in=[Case.Status.SUBMITTED, Case.Status.DECLINED])

    def solved(self):
        return self.filter(status__in=[Case.Status.RESOLVED, Case.Status.CONFIRMED])

    def open(self):
        return self.exclude(status__in=[Case.Status.RESOLVED, Case.Status.CONFIRMED, Case.Status.DECLINED])

    def with_public_relations(self):
        return self.select_related("community__street", "category")


class Case(models.Model):
    """A resident's report (居民诉求) and everything done about it."""

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
    submit_token = models.UUIDField(_("提交令牌"), null=True, blank=True, unique=True, editable=False)

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
        ]
        indexes = [models.Index(fields=["status", "is_published"], name="case_status_published_idx")]

    def __str__(self):
        return f"{self.code} · {self.place}"

    def get_absolute_url(self):
        return reverse("feedback:track", args=[self.code])

    # --- derived facts ---

    @property
    def is_anonymous(self):
        return not (self.contact_name or self.contact_phone or self.contact_email)

    @property
    def public_text(self):
        from feedback.privacy import scrub

        return scrub(self.public_summary or self.description)

    @property
    def reopen_until(self):
        if self.resolved_at is None:
            return None
        return self.resolved_at + timedelta(days=conf.reopen_days())

    @property
    def can_be_rated(self):
        return self.status == self.Status.RESOLVED

    def current_tasks(self):
        return [t for t in self.tasks.all() if t.round == self.round]

    @property
    def is_overdue(self):
        now = timezone.now()
        if self.responded_at is None and self.respond_deadline and self.respond_deadline < now:
            return True
        return any(t.is_overdue for t in self.current_tasks())

    # --- the moves ---

    def accept(self, user, note=""):
        """待受理 / 居民不满意 → 已受理."""
        with transaction.atomic():
            locked = self._lock(user, {self.Status.SUBMITTED, self.Status.REOPENED}, _("受理"))
            role = _community_role(user, locked)
            now = timezone.now()
            fields = {"status": self.Status.ACCEPTED}
            if locked.responded_at is None:
                fields["responded_at"] = now
            self._commit(locked, fields)
            self._log(TimelineEntry.Action.ACCEPTED, role, note or _("社区已受理，正在协调处理。"), public=True)
        return self

    def decline(self, user, reason, note):
        """待受理 → 不予受理 / 重复 / 非本辖区 (with a reason residents can read)."""
        if reason not in self.DeclineReason.values:
            raise CaseError(_("请选择不予受理的原因。"))
        if not (note or "").strip():
            raise CaseError(_("请写明不予受理的理由，居民会看到这段说明。"))
        with transaction.atomic():
            locked = self._lock(user, {self.Status.SUBMITTED}, _("不予受理"))
            role = _community_role(user, locked)
            now = timezone.now()
            fields = {"status": self.Status.DECLINED, "decline_reason": reason, "closed_at": now}
            if locked.responded_at is None:
                fields["responded_at"] = now
            self._commit(locked, fields)
            label = self.DeclineReason(reason).label
            self._log(TimelineEntry.Action.DECLINED, role, f"{label}：{note.strip()}", public=True)
        return self

    def dispatch(self, user, lead, assisting=(), note=""):
        """已受理 → 已吹哨: one leading department (主办) and any assisting ones (协办), each a task."""
        assisting = [d for d in assisting if d.pk != lead.pk]
        if len({d.pk for d in assisting}) != len(assisting):
            raise CaseError(_("同一个协办部门只能选一次。"))
        with transaction.atomic():
            locked = self._lock(user, {self.Status.ACCEPTED}, _("吹哨派单"))
            role = _community_role(user, locked)
            now = timezone.now()
            category = locked.category
            for department, is_lead in [(lead, True), *((d, False) for d in assisting)]:
                DispatchTask.objects.create(
                    case=locked,
                    round=locked.round,
                    department=department,
                    is_lead=is_lead,
                    created_at=now,
                    onsite_deadline=now + timedelta(days=category.onsite_days),
                    deadline=now + timedelta(days=category.resolve_days),
                )
            self._commit(locked, {"status": self.Status.DISPATCHED, "dispatched_at": now})
            names = "、".join([f"{lead.name}（主办）", *(f"{d.name}（协办）" for d in assisting)])
            text = _("社区吹哨，请%(names)s到现场报到。") % {"names": names}
            self._log(TimelineEntry.Action.DISPATCHED, role, f"{text}{note and ' ' + note}", public=True)
        return self

    def resolve(self, user, note):
        """方案已定 → 已办结, once every department's task of this round is done."""
        if not (note or "").strip():
            raise CaseError(_("请写明办理结果，居民会看到这段说明。"))
        with transaction.atomic():
            locked = self._lock(user, {self.Status.PLANNED}, _("办结"))
            role = _community_role(user, locked)
            tasks = list(locked.tasks.filter(round=locked.round))
            if any(t.status != DispatchTask.Status.DONE for t in tasks):
                raise CaseError(_("还有部门没有完成处置，不能办结。"))
            if not locked.photos.filter(role=CasePhoto.Role.AFTER).exists():
                raise CaseError(_("办结前请先由部门上传处置后的照片。"))
            now = timezone.now()
            self._commit(locked, {"status": self.Status.RESOLVED, "resolved_at": now})
            self._log(TimelineEntry.Action.RESOLVED, role, note.strip(), public=True)
        return self

    def rate(self, rating, comment=""):
        """The resident with the code: 满意/基本满意 closes the case; 不满意 reopens it within the window."""
        if rating not in self.Rating.values:
            raise CaseError(_("请选择满意、基本满意或不满意。"))
        comment = (comment or "").strip()[:500]
        with transaction.atomic():
            locked = self._lock(None, {self.Status.RESOLVED}, _("评价"), check_version=False)
            now = timezone.now()
            fields = {"rating": rating, "rating_comment": comment, "rated_at": now}
            label = self.Rating(rating).label
            text = f"{label}{('：' + comment) if comment else ''}"
            if rating == self.Rating.UNSATISFIED:
                if locked.resolved_at and now > locked.resolved_at + timedelta(days=conf.reopen_days()):
                    raise CaseError(
                        _("办结已超过 %(days)s 天，不能再申请重新办理。如仍有问题，请重新提交一条诉求。")
                        % {"days": conf.reopen_days()}
                    )
                fields.update(status=self.Status.REOPENED, round=locked.round + 1, resolved_at=None)
                self._commit(locked, fields)
                self._log(TimelineEntry.Action.REOPENED, Actor.RESIDENT, text, public=True)
            else:
                fields.update(status=self.Status.CONFIRMED, closed_at=now)
                self._commit(locked, fields)
                self._log(TimelineEntry.Action.RATED, Actor.RESIDENT, text, public=True)
        return self

    def add_note(self, user, note, public=False):
        with transaction.atomic():
            locked = self._lock(user, set(self.Status.values), _("备注"), check_version=False)
            role = _community_role(user, locked)
            self._log(TimelineEntry.Action.NOTE, role, note, public=public)

    # --- machinery ---

    def _lock(self, user, allowed, verb, check_version=True):
        locked = Case.objects.select_for_update().select_related("category", "community").get(pk=self.pk)
        if check_version and locked.version != self.version:
            raise CaseConflict(
                _("这条诉求刚刚已被其他工作人员处理（现在是“%(status)s”），请刷新页面查看后再操作。")
                % {"status": locked.get_status_display()}
            )
        if locked.status not in allowed:
            raise CaseError(
                _("这条诉求现在是“%(status)s”，不能%(verb)s。") % {"status": locked.get_status_display(), "verb": verb}
            )
        return locked

    def _commit(self, locked, fields):
        """A conditional update on the version: if anyone slipped in, nothing is written."""
        rows = Case.objects.filter(pk=locked.pk, version=locked.version).update(version=locked.version + 1, **fields)
        if rows != 1:
            raise CaseConflict(_("这条诉求刚刚已被其他工作人员处理，请刷新页面查看后再操作。"))
        locked.version += 1
        for target in {id(self): self, id(locked): locked}.values():
            for name, value in fields.items():
                setattr(target, name, value)
            target.version = locked.version

    def _log(self, action, role, note, public, task=None):
        entry = TimelineEntry.objects.create(
            case_id=self.pk, task=task, action=action, role=role, note=str(note), is_public=public
        )
        if public:
            from feedback import notify

            case_id, entry_id = self.pk, entry.pk
            transaction.on_commit(lambda: notify.status_changed(case_id, entry_id))
        return entry


def _community_role(user, case):
    """The role a community-side move is made in, or a refusal."""
    from communities import scope

    role = scope.role_of(user)
    if role == scope.Role.DEPARTMENT_OFFICER:
        raise CaseError(_("职能部门只能处理派给本部门的任务，受理、派单和办结由社区负责。"))
    if role not in (scope.Role.DISTRICT_ADMIN, scope.Role.STREET_EDITOR, scope.Role.COMMUNITY_WORKER):
        raise CaseError(_("只有社区工作者、街道或区级工作人员可以办理居民诉求。"))
    if not scope.covers_community(user, case.community_id):
        raise CaseError(_("这条诉求不属于您负责的社区，不能办理。"))
    return role


class DispatchTaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        from communities import scope

        if scope.role_of(user) == scope.Role.DEPARTMENT_OFFICER:
            return self.filter(department_id=scope.get_scope(user).department_id)
        return scope.filter_by_scope(self, user, "case__community")

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

    @property
    def is_onsite_overdue(self):
        return (self.onsite_at or timezone.now()) > self.onsite_deadline

    def report_on_site(self, user, people, when=None, note=""):
        """报到: the department came to the place (who came, when)."""
        if not (people or "").strip():
            raise CaseError(_("请填写到场人员，例如：房管所 2 人。"))
        when = when or timezone.now()
        if when > timezone.now() + timedelta(minutes=5):
            raise CaseError(_("报到时间不能晚于现在。"))
        with transaction.atomic():
            task, case = self._lock(user, self.Status.DISPATCHED, _("报到"))
            if when < task.created_at - timedelta(minutes=5):
                raise CaseError(_("报到时间不能早于派单时间。"))
            task._save(status=self.Status.ON_SITE, onsite_at=when, onsite_people=people.strip())
            if case.status == Case.Status.DISPATCHED:
                case._commit(case, {"status": Case.Status.ON_SITE})
            text = _("%(dept)s到现场报到（%(people)s）。") % {"dept": task.department.name, "people": people.strip()}
            case._log(
                TimelineEntry.Action.ON_SITE, Actor.DEPARTMENT_OFFICER, f"{text}{note and ' ' + note}", True, task
            )
        self.refresh_from_db()
        return self

    def record_plan(self, user, plan, public=True):
        if not (plan or "").strip():
            raise CaseError(_("请写明处置方案。"))
        with transaction.atomic():
            task, case = self._lock(user, self.Status.ON_SITE, _("确定方案"))
            task._save(status=self.Status.PLANNED, plan=plan.strip(), planned_at=timezone.now())
            if task.is_lead and case.status in (Case.Status.DISPATCHED, Case.Status.ON_SITE):
                case._commit(case, {"status": Case.Status.PLANNED})
            case._log(TimelineEntry.Action.PLANNED, Actor.DEPARTMENT_OFFICER, plan.strip(), public, task)
        self.refresh_from_db()
        return self

    def complete(self, user, result, photos=()):
        """Done, with at least one 'after' photo (already checked uploads or image files)."""
        if not (result or "").strip():
            raise CaseError(_("请写明处置结果。"))
        if not photos and not self.case.photos.filter(task=self, role=CasePhoto.Role.AFTER).exists():
            raise CaseError(_("请至少上传一张处置后的照片。"))
        with transaction.atomic():
            task, case = self._lock(user, self.Status.PLANNED, _("完成处置"))
            task._save(status=self.Status.DONE, result=result.strip(), done_at=timezone.now())
            for index, upload in enumerate(photos):
                CasePhoto.objects.create(
                    case=case,
                    task=task,
                    role=CasePhoto.Role.AFTER,
                    image=upload,
                    order=100 + index,
                    alt_text=_("处置后：%(place)s") % {"place": case.place},
                )
            case._log(TimelineEntry.Action.DONE, Actor.DEPARTMENT_OFFICER, result.strip(), True, task)
        self.refresh_from_db()
        return self

    def _lock(self, user, expected, verb):
        from communities import scope

        role = scope.role_of(user)
        if role != scope.Role.DEPARTMENT_OFFICER:
            raise CaseError(_("只有被派单的职能部门工作人员可以%(verb)s。") % {"verb": verb})
        if scope.get_scope(user).department_id != self.department_id:
            raise CaseError(_("这项任务派给了%(dept)s，您所在的部门不能处理。") % {"dept": self.department.name})
        case = Case.objects.select_for_update().select_related("category").get(pk=self.case_id)
        task = DispatchTask.objects.select_for_update().select_related("department").get(pk=self.pk)
        if task.round != case.round:
            raise CaseError(_("这项任务属于上一轮办理，已经结束。"))
        if case.status in (Case.Status.RESOLVED, Case.Status.CONFIRMED, Case.Status.DECLINED):
            raise CaseError(
                _("这条诉求已经“%(status)s”，不能再%(verb)s。") % {"status": case.get_status_display(), "verb": verb}
            )
        if task.status != expected:
            raise CaseError(
                _("这项任务现在是“%(status)s”，不能%(verb)s。") % {"status": task.get_status_display(), "verb": verb}
            )
        return task, case

    def _save(self, **fields):
        DispatchTask.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)


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

    def get_absolute_url(self):
        return self.image.url


class TimelineEntry(models.Model):
    """Append-only: what happened, when, in what role (never a staff member's name)."""

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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("诉求"))
    task = models.ForeignKey(
        DispatchTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries", verbose_name=_("任务")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    role = models.CharField(_("角色"), max_length=30, choices=Actor.choices)
    note = models.TextField(_("说明"), blank=True)
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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:track", args=[self.case.code])

    def delete(self, *args, **kwargs):
        raise CaseError(_("办理记录只能追加，不能删除。"))

    @property
    def department_name(self):
        return self.task.department.name if self.task_id else ""
