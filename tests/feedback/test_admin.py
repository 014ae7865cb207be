import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.intake import submit_case
from feedback.models import Case, DispatchTask
from tests.factories import PASSWORD
from tests.feedback.conftest import fresh, jpeg

S = Case.Status


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def xihai_case(places, category):
    case, _ = submit_case(
        community=places["xihai"],
        category=category,
        place="西海北沿",
        description="路灯不亮已经一周了。",
        contact_phone="13900009999",
        consent=True,
        token=uuid.uuid4(),
    )
    return case


def test_worker_sees_only_own_community(client, worker_sihuan, case, xihai_case):
    login(client, worker_sihuan)
    html = client.get("/admin/feedback/case/").content.decode()
    assert case.code in html and xihai_case.code not in html
    assert client.get(f"/admin/feedback/case/{xihai_case.pk}/change/").status_code == 302  # "no such object"
    response = client.post(f"/admin/feedback/case/{xihai_case.pk}/move/accept/", {"accept-version": 0})
    assert response.status_code == 404
    assert fresh(xihai_case).status == S.SUBMITTED


def test_worker_sees_full_phone_others_masked(
    client, worker_sihuan, editor_shichahai, admin_user, officer_fangguan, case, walk
):
    login(client, worker_sihuan)
    assert "13812341234" in client.get(f"/admin/feedback/case/{case.pk}/change/").content.decode()
    assert "13812341234" in client.get("/admin/feedback/case/").content.decode()
    client.logout()
    login(client, admin_user)
    html = client.get(f"/admin/feedback/case/{case.pk}/change/").content.decode()
    assert "13812341234" not in html and "138****1234" in html and "王大妈" not in html
    listing = client.get("/admin/feedback/case/").content.decode()
    assert "138****1234" in listing and "13812341234" not in listing
    client.logout()
    walk(case, "dispatched")
    login(client, officer_fangguan)
    html = client.get(f"/admin/feedback/case/{case.pk}/change/").content.decode()
    assert "13812341234" not in html and "王大妈" not in html


def test_csv_export_masks_for_non_community_staff(client, admin_user, worker_sihuan, case):
    login(client, admin_user)
    response = client.post("/admin/feedback/case/", {"action": "export_csv", "_selected_action": [case.pk], "index": 0})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "138****1234" in body and "13812341234" not in body and "王大妈" not in body
    client.logout()
    login(client, worker_sihuan)
    body = client.post(
        "/admin/feedback/case/", {"action": "export_csv", "_selected_action": [case.pk], "index": 0}
    ).content.decode("utf-8-sig")
    assert "13812341234" in body


def test_worker_accepts_and_dispatches_in_the_admin(client, worker_sihuan, case, fangguan, chengguan):
    login(client, worker_sihuan)
    page = client.get(f"/admin/feedback/case/{case.pk}/change/").content.decode()
    assert "受理" in page and "不予受理" in page
    response = client.post(f"/admin/feedback/case/{case.pk}/move/accept/", {"accept-version": 0, "accept-note": ""})
    assert response.status_code == 302 and fresh(case).status == S.ACCEPTED
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/dispatch/",
        {"dispatch-version": 1, "dispatch-lead": fangguan.pk, "dispatch-assisting": [chengguan.pk]},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == S.DISPATCHED and case.tasks.count() == 2


def test_stale_admin_form_gets_a_clear_message(client, worker_sihuan, case):
    login(client, worker_sihuan)
    client.post(f"/admin/feedback/case/{case.pk}/move/accept/", {"accept-version": 0})
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/decline/",
        {"decline-version": 0, "decline-reason": "duplicate", "decline-note": "重复"},
        follow=True,
    )
    assert "刚刚已被其他工作人员处理" in response.content.decode()
    assert fresh(case).status == S.ACCEPTED


def test_officer_sees_only_department_tasks_and_works_them(
    client, walk, case, officer_fangguan, fangguan, chengguan, xihai_case
):
    case = walk(case, "dispatched")
    lead = case.tasks.get(department=fangguan)
    other = case.tasks.get(department=chengguan)
    login(client, officer_fangguan)
    listing = client.get("/admin/feedback/dispatchtask/").content.decode()
    assert f"/admin/feedback/dispatchtask/{lead.pk}/change/" in listing
    assert f"/admin/feedback/dispatchtask/{other.pk}/change/" not in listing
    assert client.get(f"/admin/feedback/dispatchtask/{other.pk}/change/").status_code == 302
    assert client.post(f"/admin/feedback/dispatchtask/{other.pk}/move/onsite/", {}).status_code == 404
    cases = client.get("/admin/feedback/case/").content.decode()
    assert case.code in cases and xihai_case.code not in cases
    page = client.get(f"/admin/feedback/dispatchtask/{lead.pk}/change/").content.decode()
    assert "到场报到" in page
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/admin/feedback/dispatchtask/{lead.pk}/move/onsite/", {"onsite-people": "房管所 2 人", "onsite-when": when}
    )
    client.post(f"/admin/feedback/dispatchtask/{lead.pk}/move/plan/", {"plan-plan": "铺装透水砖"})
    response = client.post(
        f"/admin/feedback/dispatchtask/{lead.pk}/move/complete/",
        {"complete-result": "已铺平", "complete-photos": [jpeg("after.jpg")]},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == DispatchTask.Status.DONE and lead.photos.count() == 1


def test_officer_cannot_move_a_case(client, walk, case, officer_fangguan):
    case = walk(case, "dispatched")
    login(client, officer_fangguan)
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/note/", {"note-version": case.version, "note-note": "x"}
    )
    assert response.status_code == 403


def test_complete_refuses_a_fake_photo(client, walk, case, officer_fangguan, fangguan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = walk(case, "planned")
    lead = case.tasks.get(department=fangguan)
    login(client, officer_fangguan)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        f"/admin/feedback/dispatchtask/{lead.pk}/move/complete/",
        {"complete-result": "已铺平", "complete-photos": [fake]},
        follow=True,
    )
    assert "无法识别" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == DispatchTask.Status.PLANNED


def test_overdue_flagged_in_lists(client, walk, case, worker_sihuan, officer_fangguan, fangguan):
    case = walk(case, "dispatched")
    DispatchTask.objects.filter(case=case, department=fangguan).update(deadline=timezone.now() - timedelta(days=1))
    login(client, worker_sihuan)
    listing = client.get("/admin/feedback/case/?overdue=yes").content.decode()
    assert case.code in listing and "fb-admin-overdue" in listing
    listing = client.get("/admin/feedback/case/?overdue=yes&status__in=dispatched,planned").content.decode()
    assert case.code in listing and "fb-admin-overdue" in listing  # narrowed: each case checks its own tasks
    assert case.code not in client.get("/admin/feedback/case/?overdue=yes&status__exact=planned").content.decode()
    assert case.code not in client.get("/admin/feedback/case/?overdue=no").content.decode()
    client.logout()
    login(client, officer_fangguan)
    assert "fb-admin-overdue" in client.get("/admin/feedback/dispatchtask/?overdue=yes").content.decode()


def test_nobody_deletes_cases_or_timeline(client, admin_user, case):
    login(client, admin_user)
    assert client.get(f"/admin/feedback/case/{case.pk}/delete/").status_code == 403
    assert client.get("/admin/feedback/case/add/").status_code == 403


def test_categories_managed_by_district_admin_only(client, admin_user, worker_sihuan, category):
    login(client, worker_sihuan)
    assert client.get("/admin/feedback/category/add/").status_code == 403
    client.logout()
    login(client, admin_user)
    assert client.get("/admin/feedback/category/add/").status_code == 200


def test_a_failed_move_keeps_what_was_typed(client, worker_sihuan, case):
    login(client, worker_sihuan)
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/decline/",
        {"decline-version": 0, "decline-reason": "duplicate", "decline-note": ""},
        follow=True,
    )
    assert "不予受理未完成" in response.content.decode()
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/decline/",
        {"decline-version": 7, "decline-reason": "out_of_area", "decline-note": "这段说明不能丢"},
        follow=True,
    )
    html = response.content.decode()
    assert "刚刚已被其他工作人员处理" in html
    assert "这段说明不能丢" in html  # refused, and the text is back in the form
    assert '<option value="out_of_area" selected>' in html
    assert fresh(case).status == S.SUBMITTED
    again = client.get(f"/admin/feedback/case/{case.pk}/change/").content.decode()
    assert "这段说明不能丢" not in again  # shown once, then forgotten
