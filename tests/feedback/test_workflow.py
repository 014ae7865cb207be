from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from feedback import workflow
from feedback.models import Actor, Case, CaseConflict, CaseError, CasePhoto, DispatchTask, TimelineEntry
from tests import factories
from tests.feedback.conftest import Role, fresh, jpeg
from tests.feedback.sms_backend import LocmemSMSBackend

S = Case.Status


def test_submit_writes_a_code_deadline_and_first_entry(case):
    assert case.code.startswith("SH-")
    assert len(case.code.split("-")[-1]) == 6
    assert case.status == S.SUBMITTED
    assert case.respond_deadline - case.created_at == timedelta(hours=24)
    entry = case.timeline.get()
    assert entry.action == TimelineEntry.Action.SUBMITTED and entry.role == Actor.RESIDENT


def test_no_consent_means_no_contact_is_kept(make_case):
    case = make_case(contact_name="李", contact_phone="13900001111", consent=False)
    assert case.is_anonymous and case.contact_phone == ""


def test_accept_writes_public_entry_with_role_not_name(case, worker_sihuan):
    workflow.accept(case, "已受理", by=worker_sihuan)
    case = fresh(case)
    assert case.status == S.ACCEPTED and case.responded_at
    entry = case.timeline.last()
    assert entry.role == Role.COMMUNITY_WORKER and entry.is_public
    assert "worker-sihuan" not in entry.note


def test_street_editor_and_district_admin_may_accept(make_case, editor_shichahai, admin_user):
    a = make_case()
    workflow.accept(a, by=editor_shichahai)
    assert fresh(a).timeline.last().role == Role.STREET_EDITOR
    b = make_case()
    workflow.accept(b, by=admin_user)
    assert fresh(b).timeline.last().role == Role.DISTRICT_ADMIN


@pytest.mark.parametrize("who", ["worker_xihai", "editor_chunshu"])
def test_accept_refused_outside_the_community(case, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(CaseError, match="不属于您负责的社区"):
        workflow.accept(case, by=user)
    assert fresh(case).status == S.SUBMITTED
    assert fresh(case).timeline.count() == 1


def test_officer_and_resident_may_not_accept(case, officer_fangguan):
    with pytest.raises(CaseError, match="职能部门只能处理"):
        workflow.accept(case, by=officer_fangguan)
    nobody = factories.user("someone")
    with pytest.raises(CaseError, match="只有社区工作者"):
        workflow.accept(case, by=nobody)
    assert fresh(case).status == S.SUBMITTED


def test_decline_needs_reason_and_note(case, worker_sihuan):
    with pytest.raises(CaseError, match="原因"):
        workflow.decline(case, "nonsense", "x", by=worker_sihuan)
    with pytest.raises(CaseError, match="理由"):
        workflow.decline(case, Case.DeclineReason.DUPLICATE, "  ", by=worker_sihuan)
    workflow.decline(case, Case.DeclineReason.OUT_OF_AREA, "该地点属于西海社区。", by=worker_sihuan)
    case = fresh(case)
    assert case.status == S.DECLINED and case.closed_at and case.decline_reason == "out_of_area"
    assert case.timeline.last().plain_text == "非本辖区：该地点属于西海社区。"


def test_decline_refused_after_accept(walk, case, worker_sihuan):
    case = walk(case, "accepted")
    with pytest.raises(CaseError, match="不能不予受理"):
        workflow.decline(case, Case.DeclineReason.DUPLICATE, "重复", by=worker_sihuan)


def test_dispatch_makes_lead_and_assisting_tasks_with_deadlines(walk, case, fangguan, chengguan):
    case = walk(case, "dispatched")
    assert case.status == S.DISPATCHED
    lead, helper = case.tasks.order_by("-is_lead")
    assert (lead.department, lead.is_lead) == (fangguan, True)
    assert (helper.department, helper.is_lead) == (chengguan, False)
    assert lead.deadline - lead.created_at == timedelta(days=15)
    assert lead.onsite_deadline - lead.created_at == timedelta(days=3)
    assert "什刹海街道房管所（主办）" in case.timeline.last().plain_text


def test_dispatch_before_accept_is_wrong_order(case, worker_sihuan, fangguan):
    with pytest.raises(CaseError, match="待受理.*不能吹哨派单"):
        workflow.dispatch(case, fangguan, by=worker_sihuan)
    assert not DispatchTask.objects.exists()


def test_dispatch_refused_to_other_community(walk, case, worker_xihai, fangguan):
    case = walk(case, "accepted")
    with pytest.raises(CaseError):
        workflow.dispatch(case, fangguan, by=worker_xihai)
    assert fresh(case).status == S.ACCEPTED


def test_on_site_plan_done_by_the_right_officers(walk, case, fangguan):
    case = walk(case, "on_site")
    assert case.status == S.ON_SITE
    lead = case.tasks.get(department=fangguan)
    assert lead.status == DispatchTask.Status.ON_SITE and lead.onsite_people == "房管所 2 人"
    entries = list(case.timeline.values_list("role", flat=True))
    assert entries.count(Actor.DEPARTMENT_OFFICER) == 2


def test_full_path_to_resolved_and_confirmed(walk, case):
    case = walk(case, "resolved")
    assert case.status == S.RESOLVED and case.resolved_at
    assert case.photos.filter(role=CasePhoto.Role.AFTER).count() == 2
    workflow.rate(case, Case.Rating.SATISFIED, "很满意，谢谢！")
    case = fresh(case)
    assert case.status == S.CONFIRMED and case.closed_at and case.rating == "satisfied"
    actions = list(case.timeline.values_list("action", flat=True))
    assert actions == [
        "submitted",
        "accepted",
        "dispatched",
        "on_site",
        "on_site",
        "planned",
        "planned",
        "done",
        "done",
        "resolved",
        "rated",
    ]
    with pytest.raises(CaseError, match="不能评价"):
        workflow.rate(case, Case.Rating.UNSATISFIED)


def test_officer_of_another_department_refused(walk, case, officer_chengguan, fangguan):
    case = walk(case, "dispatched")
    lead = case.tasks.get(department=fangguan)
    with pytest.raises(CaseError, match="派给了什刹海街道房管所"):
        workflow.report_on_site(lead, "2 人", by=officer_chengguan)
    assert DispatchTask.objects.get(pk=lead.pk).status == DispatchTask.Status.DISPATCHED


def test_community_worker_may_not_report_on_site(walk, case, worker_sihuan, fangguan):
    case = walk(case, "dispatched")
    with pytest.raises(CaseError, match="只有被派单的职能部门"):
        workflow.report_on_site(case.tasks.get(department=fangguan), "2 人", by=worker_sihuan)


def test_task_wrong_order(walk, case, officer_fangguan, fangguan):
    case = walk(case, "dispatched")
    lead = case.tasks.get(department=fangguan)
    with pytest.raises(CaseError, match="待报到.*不能确定方案"):
        workflow.record_plan(lead, "方案", by=officer_fangguan)
    with pytest.raises(CaseError, match="处置后的照片"):
        workflow.complete(lead, "完成", by=officer_fangguan)
    workflow.report_on_site(lead, "2 人", by=officer_fangguan)
    with pytest.raises(CaseError, match="已报到.*不能报到"):
        workflow.report_on_site(lead, "2 人", by=officer_fangguan)


def test_task_needs_people_and_sane_time(walk, case, officer_fangguan, fangguan):
    case = walk(case, "dispatched")
    lead = case.tasks.get(department=fangguan)
    with pytest.raises(CaseError, match="到场人员"):
        workflow.report_on_site(lead, " ", by=officer_fangguan)
    with pytest.raises(CaseError, match="不能晚于现在"):
        workflow.report_on_site(lead, "2 人", when=timezone.now() + timedelta(days=1), by=officer_fangguan)


def test_resolve_refused_until_all_tasks_done(walk, case, worker_sihuan, officer_fangguan, fangguan):
    case = walk(case, "planned")
    assert case.status == S.PLANNED
    workflow.complete(case.tasks.get(department=fangguan), "已修好", [jpeg()], by=officer_fangguan)
    with pytest.raises(CaseError, match="还有部门没有完成"):
        workflow.resolve(fresh(case), "办结", by=worker_sihuan)
    assert fresh(case).status == S.PLANNED


def test_resolve_refused_for_officer_and_in_wrong_order(walk, case, officer_fangguan, worker_sihuan):
    case = walk(case, "done")
    with pytest.raises(CaseError, match="职能部门只能处理"):
        workflow.resolve(case, "办结", by=officer_fangguan)
    with pytest.raises(CaseError, match="办理结果"):
        workflow.resolve(case, "", by=worker_sihuan)
    assert fresh(case).status == S.PLANNED


def test_unsatisfied_reopens_within_window_and_new_round(walk, case, worker_sihuan, fangguan):
    case = walk(case, "resolved")
    workflow.rate(case, Case.Rating.UNSATISFIED, "边角还有积水")
    case = fresh(case)
    assert case.status == S.REOPENED and case.round == 2 and case.resolved_at is None
    assert case.timeline.last().role == Actor.RESIDENT
    workflow.accept(case, "重新办理", by=worker_sihuan)
    workflow.dispatch(fresh(case), fangguan, by=worker_sihuan)
    assert fresh(case).tasks.filter(round=2).count() == 1
    assert len(fresh(case).current_tasks()) == 1


def test_reopen_refused_after_the_window(walk, case):
    case = walk(case, "resolved")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=16))
    with pytest.raises(CaseError, match="超过 15 天"):
        workflow.rate(fresh(case), Case.Rating.UNSATISFIED)
    assert fresh(case).status == S.RESOLVED
    workflow.rate(fresh(case), Case.Rating.BASIC)
    assert fresh(case).status == S.CONFIRMED


def test_rate_refused_before_resolution(case):
    with pytest.raises(CaseError, match="不能评价"):
        workflow.rate(case, Case.Rating.SATISFIED)
    with pytest.raises(CaseError, match="请选择"):
        workflow.rate(case, "great")


def test_old_task_of_a_previous_round_is_closed(walk, case, officer_fangguan, fangguan, worker_sihuan):
    case = walk(case, "resolved")
    old = case.tasks.get(department=fangguan)
    workflow.rate(case, Case.Rating.UNSATISFIED)
    with pytest.raises(CaseError):
        workflow.report_on_site(old, "2 人", by=officer_fangguan)


def test_stale_version_is_refused(case, worker_sihuan, editor_shichahai):
    first = fresh(case)
    second = fresh(case)
    workflow.accept(first, by=worker_sihuan)
    with pytest.raises(CaseConflict, match="刚刚已被其他工作人员处理"):
        workflow.decline(second, Case.DeclineReason.DUPLICATE, "重复", by=editor_shichahai)
    assert fresh(case).status == S.ACCEPTED


def test_timeline_is_append_only(case):
    entry = case.timeline.get()
    entry.note = "changed"
    with pytest.raises(CaseError):
        entry.save()
    with pytest.raises(CaseError):
        entry.delete()


def test_status_emails_go_after_commit(case, worker_sihuan, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(case, by=worker_sihuan)
    assert len(mail.outbox) == 1
    assert case.code in mail.outbox[0].body and mail.outbox[0].to == ["wang@example.org"]


def test_no_email_without_consent_or_address(make_case, worker_sihuan, django_capture_on_commit_callbacks):
    anon = make_case()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(anon, by=worker_sihuan)
    assert mail.outbox == []


def test_sms_hook_uses_the_configured_backend(settings, make_case, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(contact_phone="13812341234", consent=True)
    assert LocmemSMSBackend.outbox and LocmemSMSBackend.outbox[0][0] == "13812341234"
    assert case.code in LocmemSMSBackend.outbox[0][1]


def test_overdue_tasks(walk, case, fangguan):
    case = walk(case, "dispatched")
    DispatchTask.objects.filter(case=case, department=fangguan).update(deadline=timezone.now() - timedelta(hours=1))
    assert DispatchTask.objects.overdue().count() == 1
    assert fresh(case).is_overdue


def test_both_ways_of_asking_for_late_cases_find_the_same_cases(walk, make_case, fangguan):
    """CaseQuerySet.overdue hashes every late task by default and looks each case's tasks up with
    ``per_row``: the same cases either way, the ones Case.is_overdue calls late."""
    now = timezone.now()
    hour = timedelta(hours=1)
    late_task = walk(make_case(place="甲"), "dispatched")
    DispatchTask.objects.filter(case=late_task, department=fangguan).update(deadline=now - hour)
    done_late = walk(make_case(place="乙"), "dispatched")
    DispatchTask.objects.filter(case=done_late, department=fangguan).update(deadline=now - 3 * hour, done_at=now - hour)
    old_round = walk(make_case(place="丙"), "dispatched")  # a late task of an earlier round does not count
    DispatchTask.objects.filter(case=old_round, department=fangguan).update(deadline=now - hour, round=0)
    unanswered = make_case(place="丁")
    Case.objects.filter(pk=unanswered.pk).update(respond_deadline=now - hour)
    on_time = walk(make_case(place="戊"), "dispatched")
    cases = [late_task, done_late, old_round, unanswered, on_time]
    expected = {late_task.pk, done_late.pk, unanswered.pk}
    assert {case.pk for case in cases if fresh(case).is_overdue} == expected
    assert set(Case.objects.overdue(now).values_list("pk", flat=True)) == expected
    assert set(Case.objects.overdue(now, per_row=True).values_list("pk", flat=True)) == expected
    assert set(Case.objects.open().overdue(now, per_row=True).values_list("pk", flat=True)) == expected
