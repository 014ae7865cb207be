"""Photos taken with a move (受理, 吹哨派单, 到场报到, 确定方案): stored with the case as 处置前 photos, of
the task for a department's move; a file that is not a photo refuses the move and stores nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from feedback import workflow
from feedback.models import Case, CasePhoto
from tests.feedback.conftest import fresh, jpeg


def test_accept_with_a_photo_from_the_admin(client, case, worker_sihuan):
    client.force_login(worker_sihuan)
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/accept/",
        {"accept-version": case.version, "accept-note": "", "accept-photos": [jpeg("spot.jpg")]},
    )
    assert response.status_code == 302
    assert fresh(case).status == Case.Status.ACCEPTED
    photo = CasePhoto.objects.get(case=case)
    assert photo.role == CasePhoto.Role.BEFORE and photo.task is None
    assert photo.alt_text == "现场：四环胡同28号院"


def test_a_file_that_is_not_a_photo_refuses_the_move(client, case, worker_sihuan):
    client.force_login(worker_sihuan)
    fake = SimpleUploadedFile("spot.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/accept/",
        {"accept-version": case.version, "accept-note": "在现场", "accept-photos": [fake]},
        follow=True,
    )
    assert fresh(case).status == Case.Status.SUBMITTED
    assert not CasePhoto.objects.filter(case=case).exists()
    text = response.content.decode()
    assert "受理未完成" in text and "spot.jpg" in text
    assert "在现场" in text  # what was typed is kept


def test_report_on_site_and_plan_keep_the_officers_photos(walk, case, officer_fangguan, fangguan):
    dispatched = walk(case, "dispatched")
    task = dispatched.tasks.get(department=fangguan)
    workflow.report_on_site(task, "房管所 2 人", by=officer_fangguan, photos=[jpeg("onsite.jpg")])
    workflow.record_plan(task, "先修通道。", by=officer_fangguan, photos=[jpeg("plan.jpg")])
    photos = list(CasePhoto.objects.filter(task=task).order_by("order"))
    assert [p.role for p in photos] == [CasePhoto.Role.BEFORE, CasePhoto.Role.BEFORE]
    assert photos[0].order < photos[1].order


def test_the_officer_reports_on_site_with_a_photo_through_the_admin(client, walk, case, officer_fangguan, fangguan):
    task = walk(case, "dispatched").tasks.get(department=fangguan)
    client.force_login(officer_fangguan)
    page = client.get(f"/admin/feedback/dispatchtask/{task.pk}/change/").content.decode()
    assert 'capture="environment"' in page and 'name="onsite-photos"' in page
    response = client.post(
        f"/admin/feedback/dispatchtask/{task.pk}/move/onsite/",
        {
            "onsite-people": "房管所 2 人",
            "onsite-when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "onsite-photos": [jpeg("onsite.jpg")],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.onsite_people == "房管所 2 人" and CasePhoto.objects.filter(task=task).count() == 1
