"""吹哨报到 on the 工作台 (core.desk): cases waiting to be accepted, late or ready to close in my scope;
for a department officer, the tasks dispatched to my department."""

from django.db.models import F
from django.utils.translation import gettext as _

from communities import scope
from core import desk
from feedback.models import Case, DispatchTask

MENU = {"case": desk.CASES, "dispatchtask": desk.CASES, "category": desk.SETTINGS}

S = Case.Status
T = DispatchTask.Status
OPEN = ",".join([S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.ON_SITE, S.PLANNED, S.REOPENED])
WORKING = ",".join([T.DISPATCHED, T.ON_SITE, T.PLANNED])


def _case(case):
    return f"{case.code} · {case.place}"


def _task(task):
    return f"{task.case.code} · {task.case.place}"


def todo(request):
    user = request.user
    role = scope.role_of(user)
    if role == scope.Role.DEPARTMENT_OFFICER:
        if not user.has_perm("feedback.view_dispatchtask"):
            return []
        tasks = (
            DispatchTask.objects.visible_to(user)
            .filter(round=F("case__round"))
            .select_related("case")
            .order_by("deadline", "pk")
        )
        return [
            desk.Todo.of(
                _("等我们到现场报到的任务"),
                tasks.filter(status=T.DISPATCHED),
                desk.changelist(DispatchTask, status__exact=T.DISPATCHED),
                _task,
                hint=_("到了现场，打开任务点“到场报到”，可以顺手拍照。"),
                urgent=True,
            ),
            desk.Todo.of(
                _("正在处置的任务"),
                tasks.filter(status__in=[T.ON_SITE, T.PLANNED]),
                desk.changelist(DispatchTask, status__in=f"{T.ON_SITE},{T.PLANNED}"),
                _task,
            ),
            desk.Todo.of(
                _("超过期限的任务"),
                tasks.exclude(status=T.DONE).overdue(),
                desk.changelist(DispatchTask, overdue="yes", status__in=WORKING),
                _task,
                urgent=True,
            ),
        ]
    if not user.has_perm("feedback.view_case"):
        return []
    cases = Case.objects.visible_to(user).order_by("created_at", "pk")
    return [
        desk.Todo.of(
            _("等待受理的诉求"),
            cases.filter(status__in=[S.SUBMITTED, S.REOPENED]),
            desk.changelist(Case, status__in=f"{S.SUBMITTED},{S.REOPENED}"),
            _case,
            hint=_("居民在等回音：受理后再吹哨派单。"),
            urgent=True,
        ),
        desk.Todo.of(
            _("办理超期的诉求"),
            cases.open().overdue(per_row=True),  # open cases: a few thousand, each checked on its own
            desk.changelist(Case, overdue="yes", status__in=OPEN),
            _case,
            urgent=True,
        ),
        desk.Todo.of(
            _("方案已定、等办结的诉求"),
            cases.filter(status=S.PLANNED),
            desk.changelist(Case, status__exact=S.PLANNED),
            _case,
        ),
    ]
