"""A case with photos (the resident's and the departments' after the work) saves unchanged in the admin."""

import pytest

from feedback.models import Case, CasePhoto
from tests.adminform import save_unchanged
from tests.feedback.conftest import jpeg


@pytest.mark.parametrize("publish", [False, True], ids=["no-change", "tick-published"])
def test_case_with_photos_saves_unchanged_for_its_worker(client, worker_sihuan, make_case, walk, publish):
    case = walk(make_case(photos=[jpeg("before.jpg")]), "done")
    names = sorted(CasePhoto.objects.filter(case=case).values_list("image", flat=True))
    assert len(names) == 3  # the resident's photo and the two departments' photos after the work
    assert CasePhoto.objects.filter(case=case, task__isnull=False).count() == 2

    client.force_login(worker_sihuan)
    changes = {"is_published": "on"} if publish else {}
    save_unchanged(client, f"/admin/feedback/case/{case.pk}/change/", **changes)

    assert sorted(CasePhoto.objects.filter(case=case).values_list("image", flat=True)) == names
    assert Case.objects.get(pk=case.pk).is_published is publish


def test_a_task_with_photos_saves_unchanged_for_its_officer(client, officer_fangguan, fangguan, make_case, walk):
    case = walk(make_case(photos=[jpeg("before.jpg")]), "done")
    task = case.tasks.get(department=fangguan)
    assert task.photos.count() == 1
    client.force_login(officer_fangguan)
    save_unchanged(client, f"/admin/feedback/dispatchtask/{task.pk}/change/")
    assert task.photos.count() == 1
