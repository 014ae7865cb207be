"""The moves of a case (吹哨报到) and of each department's task, as functions the admin and site call.

Every move is guarded the same way:

1. It validates its input first and refuses with ``CaseError`` (a message for the person who tried).
2. It writes inside ``transaction.atomic()`` after locking the case row (``select_for_update``; on
   SQLite the settings open every transaction with ``BEGIN IMMEDIATE``, which serialises writers).
3. A staff move carries the ``version`` the person saw: if the locked row's version differs, someone
   else moved first and the move is refused with ``CaseConflict``. The write itself is a conditional
   update on that version, so even a missing lock cannot let two moves both land.
4. Every move appends a ``TimelineEntry`` naming the role, never the person; public entries notify
   the resident (by ``feedback.notify``) only after the transaction commits.

Community-side moves (accept, decline, dispatch, resolve, note) are for staff whose scope covers the
case's community; task moves (on site, plan, complete) only for officers of the task's department.
The resident's moves (rate, resident_note) are for the holder of the case's private link: the views
call them only after feedback.owner has matched the secret.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import scope
from core.privacy import scrub_phones
from feedback import conf, notify
from feedback.models import Actor, Case, CaseConflict, CaseError, CasePhoto, DispatchTask, TimelineEntry

S = Case.Status
T = DispatchTask.Status


# --- the case: community-side moves ------------------------------------------


def accept(case, note="", *, by, photos=()):
    """待受理 / 居民不满意 → 已受理 (with any photos taken on the spot, already checked uploads)."""
    with transaction.atomic():
        locked = _lock(case, {S.SUBMITTED, S.REOPENED}, _("受理"))
        role = community_role(by, locked)
        now = timezone.now()
        fields = {"status": S.ACCEPTED}
        if locked.responded_at is None:
            fields["responded_at"] = now
        _commit(case, locked, fields)
        _add_photos(locked, None, photos)
        message = "" if note else TimelineEntry.Message.ACCEPTED  # the staff's own words, or the portal's
        _log(case, TimelineEntry.Action.ACCEPTED, role, note, public=True, message=message)
    return case


def decline(case, reason, note, *, by):
    """待受理 → 不予受理 / 重复 / 非本辖区 (with a reason residents can read)."""
    if reason not in Case.DeclineReason.values:
        raise CaseError(_("请选择不予受理的原因。"))
    if not (note or "").strip():
        raise CaseError(_("请写明不予受理的理由，居民会看到这段说明。"))
    with transaction.atomic():
        locked = _lock(case, {S.SUBMITTED}, _("不予受理"))
        role = community_role(by, locked)
        now = timezone.now()
        fields = {"status": S.DECLINED, "decline_reason": reason, "closed_at": now}
        if locked.responded_at is None:
            fields["responded_at"] = now
        _commit(case, locked, fields)
        _log(
            case,
            TimelineEntry.Action.DECLINED,
            role,
            note.strip(),
            public=True,
            message=TimelineEntry.Message.DECLINED,
            params={"reason": reason},
        )
    return case


def dispatch(case, lead, assisting=(), note="", *, by, photos=()):
    """已受理 → 已吹哨: one leading department (主办) and any assisting ones (协办), each a task."""
    assisting = [d for d in assisting if d.pk != lead.pk]
    if len({d.pk for d in assisting}) != len(assisting):
        raise CaseError(_("同一个协办部门只能选一次。"))
    with transaction.atomic():
        locked = _lock(case, {S.ACCEPTED}, _("吹哨派单"))
        role = community_role(by, locked)
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
        _commit(case, locked, {"status": S.DISPATCHED, "dispatched_at": now})
        _add_photos(locked, None, photos)
        _log(
            case,
            TimelineEntry.Action.DISPATCHED,
            role,
            note,
            public=True,
            message=TimelineEntry.Message.DISPATCHED,
            params={"lead": lead.name, "assisting": [d.name for d in assisting]},
        )
    return case


def resolve(case, note, *, by):
    """方案已定 → 已办结, once every department's task of this round is done."""
    if not (note or "").strip():
        raise CaseError(_("请写明办理结果，居民会看到这段说明。"))
    with transaction.atomic():
        locked = _lock(case, {S.PLANNED}, _("办结"))
        role = community_role(by, locked)
        tasks = list(locked.tasks.filter(round=locked.round))
        if any(t.status != T.DONE for t in tasks):
            raise CaseError(_("还有部门没有完成处置，不能办结。"))
        if not locked.photos.filter(role=CasePhoto.Role.AFTER).exists():
            raise CaseError(_("办结前请先由部门上传处置后的照片。"))
        now = timezone.now()
        _commit(case, locked, {"status": S.RESOLVED, "resolved_at": now})
        _log(case, TimelineEntry.Action.RESOLVED, role, note.strip(), public=True)
    return case


def add_note(case, note, public=False, *, by):
    with transaction.atomic():
        locked = _lock(case, set(S.values), _("备注"), check_version=False)
        role = community_role(by, locked)
        _log(case, TimelineEntry.Action.NOTE, role, note, public=public)


def merge(duplicate, into, note="", *, by):
    """合并: ``duplicate`` is the same problem as ``into``. It is closed as 重复诉求 pointing to
    ``into``; its 附议 count, plus its own reporter, is added to ``into``'s; both timelines say so
    (public), and its reporter is told and from then on gets ``into``'s progress (feedback.notify).
    Only a case not yet dispatched (待受理, 已受理) can be merged, into an open case of the same
    community; the person needs the community-side role for it."""
    if duplicate.pk == into.pk:
        raise CaseError(_("不能把诉求合并到它自己。"))
    with transaction.atomic():
        # Both rows locked, in one order whatever the direction, so two merges cannot deadlock.
        first, second = sorted([duplicate.pk, into.pk])
        rows = {
            c.pk: c for c in Case.objects.select_for_update().select_related("community").filter(pk__in=[first, second])
        }
        locked, target = rows[duplicate.pk], rows[into.pk]
        if locked.version != duplicate.version:
            raise CaseConflict(_("这条诉求刚刚已被其他工作人员处理，请刷新页面查看后再操作。"))
        if locked.status not in (S.SUBMITTED, S.ACCEPTED):
            raise CaseError(
                _("这条诉求现在是“%(status)s”，不能合并（只有待受理或已受理、还没有派单的诉求可以合并）。")
                % {"status": locked.get_status_display()}
            )
        if target.status in (S.RESOLVED, S.CONFIRMED, S.DECLINED) or target.duplicate_of_id:
            raise CaseError(_("只能合并到正在办理的诉求。"))
        if target.community_id != locked.community_id:
            raise CaseError(_("只能合并同一个社区的诉求。"))
        role = community_role(by, locked)
        now = timezone.now()
        fields = {"status": S.DECLINED, "decline_reason": Case.DeclineReason.DUPLICATE, "closed_at": now}
        fields["duplicate_of"] = target
        if locked.responded_at is None:
            fields["responded_at"] = now
        _commit(duplicate, locked, fields)
        Case.objects.filter(pk=target.pk).update(metoo_count=F("metoo_count") + locked.metoo_count + 1)
        # The merged case's reporter hears once, by notify.merged (not the usual status message).
        TimelineEntry.objects.create(
            case_id=locked.pk,
            action=TimelineEntry.Action.DECLINED,
            role=role,
            message=TimelineEntry.Message.MERGED,
            params={"code": target.code},
            note=str(note or "").strip(),
            is_public=True,
        )
        _log(
            target,
            TimelineEntry.Action.NOTE,
            role,
            "",
            public=True,
            message=TimelineEntry.Message.ABSORBED,
            params={"code": locked.code},
        )
        merged_id, into_id = locked.pk, target.pk
        transaction.on_commit(lambda: notify.merged(merged_id, into_id))
    return duplicate


# --- the case: the resident's moves -------------------------------------------


def rate(case, rating, comment=""):
    """The resident, by their private link: 满意/基本满意 closes the case; 不满意 reopens it within the window."""
    if rating not in Case.Rating.values:
        raise CaseError(_("请选择满意、基本满意或不满意。"))
    comment = scrub_phones((comment or "").strip())[:500]  # it goes public: see core.privacy
    with transaction.atomic():
        locked = _lock(case, {S.RESOLVED}, _("评价"), check_version=False)
        now = timezone.now()
        fields = {"rating": rating, "rating_comment": comment, "rated_at": now}
        said = {"message": TimelineEntry.Message.RATED, "params": {"rating": rating}}
        if rating == Case.Rating.UNSATISFIED:
            if locked.resolved_at and now > locked.resolved_at + timedelta(days=conf.reopen_days()):
                raise CaseError(
                    _("办结已超过 %(days)s 天，不能再申请重新办理。如仍有问题，请重新提交一条诉求。")
                    % {"days": conf.reopen_days()}
                )
            fields.update(status=S.REOPENED, round=locked.round + 1, resolved_at=None)
            _commit(case, locked, fields)
            _log(case, TimelineEntry.Action.REOPENED, Actor.RESIDENT, comment, public=True, **said)
        else:
            fields.update(status=S.CONFIRMED, closed_at=now)
            _commit(case, locked, fields)
            _log(case, TimelineEntry.Action.RATED, Actor.RESIDENT, comment, public=True, **said)
    return case


RESIDENT_NOTE_MAX = 1000


def resident_note(case, note):
    """补充情况: the resident adds to their case's public timeline while it is open or awaiting their
    rating. Phone numbers typed into it are masked before it is stored, since everyone reads it."""
    note = (note or "").strip()
    if not note:
        raise CaseError(_("请写下要补充的情况。"))
    if len(note) > RESIDENT_NOTE_MAX:
        raise CaseError(_("补充情况最多 %(n)s 个字。") % {"n": RESIDENT_NOTE_MAX})
    with transaction.atomic():
        locked = _lock(case, set(S.values), _("补充情况"), check_version=False)
        if not locked.takes_resident_notes:
            raise CaseError(_("这条诉求已经结束，不能再补充情况。如有新问题，请重新提交一条诉求。"))
        note = scrub_phones(note)
        last = TimelineEntry.objects.filter(case_id=case.pk).order_by("-created_at", "-pk").first()
        same = (TimelineEntry.Action.NOTE, Actor.RESIDENT, note)
        if last is not None and (last.action, last.role, last.note) == same:
            return  # the same words again right after: a double click, not a second note
        _log(case, TimelineEntry.Action.NOTE, Actor.RESIDENT, note, public=True)


def metoo(case):
    """附议: one more resident says the problem touches them too (the view allows one per browser)."""
    Case.objects.filter(pk=case.pk).update(metoo_count=F("metoo_count") + 1)


# --- a department's task -----------------------------------------------------


def report_on_site(task, people, when=None, note="", *, by, photos=()):
    """报到: the department came to the place (who came, when, and any photos taken there)."""
    if not (people or "").strip():
        raise CaseError(_("请填写到场人员，例如：房管所 2 人。"))
    when = when or timezone.now()
    if when > timezone.now() + timedelta(minutes=5):
        raise CaseError(_("报到时间不能晚于现在。"))
    with transaction.atomic():
        locked, case = _lock_task(task, by, T.DISPATCHED, _("报到"))
        if when < locked.created_at - timedelta(minutes=5):
            raise CaseError(_("报到时间不能早于派单时间。"))
        _save_task(locked, status=T.ON_SITE, onsite_at=when, onsite_people=people.strip())
        _add_photos(case, locked, photos)
        if case.status == S.DISPATCHED:
            _commit(case, case, {"status": S.ON_SITE})
        _log(
            case,
            TimelineEntry.Action.ON_SITE,
            Actor.DEPARTMENT_OFFICER,
            note,
            True,
            locked,
            message=TimelineEntry.Message.ON_SITE,
            params={"dept": locked.department.name, "people": people.strip()},
        )
    task.refresh_from_db()
    return task


def record_plan(task, plan, public=True, *, by, photos=()):
    if not (plan or "").strip():
        raise CaseError(_("请写明处置方案。"))
    with transaction.atomic():
        locked, case = _lock_task(task, by, T.ON_SITE, _("确定方案"))
        _save_task(locked, status=T.PLANNED, plan=plan.strip(), planned_at=timezone.now())
        _add_photos(case, locked, photos)
        if locked.is_lead and case.status in (S.DISPATCHED, S.ON_SITE):
            _commit(case, case, {"status": S.PLANNED})
        _log(case, TimelineEntry.Action.PLANNED, Actor.DEPARTMENT_OFFICER, plan.strip(), public, locked)
    task.refresh_from_db()
    return task


def complete(task, result, photos=(), *, by):
    """Done, with at least one 'after' photo (already checked uploads or image files)."""
    if not (result or "").strip():
        raise CaseError(_("请写明处置结果。"))
    if not photos and not task.case.photos.filter(task=task, role=CasePhoto.Role.AFTER).exists():
        raise CaseError(_("请至少上传一张处置后的照片。"))
    with transaction.atomic():
        locked, case = _lock_task(task, by, T.PLANNED, _("完成处置"))
        _save_task(locked, status=T.DONE, result=result.strip(), done_at=timezone.now())
        for index, upload in enumerate(photos):
            CasePhoto.objects.create(
                case=case,
                task=locked,
                role=CasePhoto.Role.AFTER,
                image=upload,
                order=100 + index,
                alt_text=_("处置后：%(place)s") % {"place": case.place},
            )
        _log(case, TimelineEntry.Action.DONE, Actor.DEPARTMENT_OFFICER, result.strip(), True, locked)
    task.refresh_from_db()
    return task


# --- who may move -------------------------------------------------------------


def community_role(user, case):
    """The role a community-side move is made in, or a refusal."""
    role = scope.role_of(user)
    if role == scope.Role.DEPARTMENT_OFFICER:
        raise CaseError(_("职能部门只能处理派给本部门的任务，受理、派单和办结由社区负责。"))
    if role not in (scope.Role.DISTRICT_ADMIN, scope.Role.STREET_EDITOR, scope.Role.COMMUNITY_WORKER):
        raise CaseError(_("只有社区工作者、街道或区级工作人员可以办理居民诉求。"))
    if not scope.covers_community(user, case.community_id):
        raise CaseError(_("这条诉求不属于您负责的社区，不能办理。"))
    return role


def is_own_task(user, task):
    """True when ``user`` is an officer of the task's department and the task belongs to the current round."""
    return (
        scope.role_of(user) == scope.Role.DEPARTMENT_OFFICER
        and scope.get_scope(user).department_id == task.department_id
        and task.round == task.case.round
    )


# --- machinery -----------------------------------------------------------------


def _lock(case, allowed, verb, check_version=True):
    locked = Case.objects.select_for_update().select_related("category", "community").get(pk=case.pk)
    if check_version and locked.version != case.version:
        raise CaseConflict(
            _("这条诉求刚刚已被其他工作人员处理（现在是“%(status)s”），请刷新页面查看后再操作。")
            % {"status": locked.get_status_display()}
        )
    if locked.status not in allowed:
        raise CaseError(
            _("这条诉求现在是“%(status)s”，不能%(verb)s。") % {"status": locked.get_status_display(), "verb": verb}
        )
    return locked


def _commit(case, locked, fields):
    """A conditional update on the version: if anyone slipped in, nothing is written."""
    rows = Case.objects.filter(pk=locked.pk, version=locked.version).update(version=locked.version + 1, **fields)
    if rows != 1:
        raise CaseConflict(_("这条诉求刚刚已被其他工作人员处理，请刷新页面查看后再操作。"))
    locked.version += 1
    # The caller's object and the locked copy both show the new state (and version) afterwards.
    for target in {id(case): case, id(locked): locked}.values():
        for name, value in fields.items():
            setattr(target, name, value)
        target.version = locked.version


def _log(case, action, role, note, public, task=None, message="", params=None):
    """Append an entry: ``message`` and ``params`` are the portal's sentence (TimelineEntry.MESSAGES),
    ``note`` what the person typed."""
    entry = TimelineEntry.objects.create(
        case_id=case.pk,
        task=task,
        action=action,
        role=role,
        message=message,
        params=params or {},
        note=str(note or "").strip(),
        is_public=public,
    )
    if public:
        case_id, entry_id = case.pk, entry.pk
        transaction.on_commit(lambda: notify.status_changed(case_id, entry_id))
    return entry


def _lock_task(task, user, expected, verb):
    """The task and its case, locked, or a refusal: wrong person, old round, closed case, wrong order."""
    if scope.role_of(user) != scope.Role.DEPARTMENT_OFFICER:
        raise CaseError(_("只有被派单的职能部门工作人员可以%(verb)s。") % {"verb": verb})
    if scope.get_scope(user).department_id != task.department_id:
        raise CaseError(_("这项任务派给了%(dept)s，您所在的部门不能处理。") % {"dept": task.department.name})
    case = Case.objects.select_for_update().select_related("category").get(pk=task.case_id)
    locked = DispatchTask.objects.select_for_update().select_related("department").get(pk=task.pk)
    if locked.round != case.round:
        raise CaseError(_("这项任务属于上一轮办理，已经结束。"))
    if case.status in (S.RESOLVED, S.CONFIRMED, S.DECLINED):
        raise CaseError(
            _("这条诉求已经“%(status)s”，不能再%(verb)s。") % {"status": case.get_status_display(), "verb": verb}
        )
    if locked.status != expected:
        raise CaseError(
            _("这项任务现在是“%(status)s”，不能%(verb)s。") % {"status": locked.get_status_display(), "verb": verb}
        )
    return locked, case


def _add_photos(case, task, photos, role=CasePhoto.Role.BEFORE):
    """Photos a staff member took on the spot with a move (before the fix: the case as found)."""
    start = case.photos.count()
    for index, upload in enumerate(photos):
        CasePhoto.objects.create(
            case=case,
            task=task,
            role=role,
            image=upload,
            order=start + index,
            alt_text=_("现场：%(place)s") % {"place": case.place},
        )


def _save_task(task, **fields):
    DispatchTask.objects.filter(pk=task.pk).update(**fields)
    for name, value in fields.items():
        setattr(task, name, value)
