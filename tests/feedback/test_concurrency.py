import threading
import uuid

import pytest
from django.db import connection

from feedback import workflow
from feedback.intake import submit_case
from feedback.models import Case, CaseError, Category, TimelineEntry
from tests import factories
from tests.feedback.conftest import Role

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def runner(index, job):
        try:
            barrier.wait()
            job()
            outcomes[index] = "ok"
        except CaseError as exc:
            outcomes[index] = exc.message
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_staff_change_the_same_case_at_once_one_wins():
    street = factories.street(name="什刹海街道", slug="shichahai")
    sihuan = factories.community(street, name="四环社区", slug="sihuan")
    category = Category.objects.create(name="路面破损", slug="road")
    worker = factories.staff(Role.COMMUNITY_WORKER, "w", community=sihuan)
    editor = factories.staff(Role.STREET_EDITOR, "e", street=street)
    case, _ = submit_case(
        community=sihuan, category=category, place="四环胡同28号院", description="坑洼", token=uuid.uuid4()
    )
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

    outcomes = run_together(
        lambda: workflow.accept(first, "受理", by=worker),
        lambda: workflow.decline(second, Case.DeclineReason.DUPLICATE, "重复反映", by=editor),
    )

    assert sorted(o == "ok" for o in outcomes) == [False, True]
    loser = next(o for o in outcomes if o != "ok")
    assert "其他工作人员" in loser or "不能" in loser
    final = Case.objects.get(pk=case.pk)
    assert final.status in (Case.Status.ACCEPTED, Case.Status.DECLINED)
    assert final.version == 1
    # Exactly one move was recorded: no lost update, no double entry.
    assert TimelineEntry.objects.filter(case=final).exclude(action="submitted").count() == 1


def test_same_submit_token_twice_at_once_makes_one_case():
    street = factories.street(name="什刹海街道", slug="shichahai")
    sihuan = factories.community(street, name="四环社区", slug="sihuan")
    category = Category.objects.create(name="路面破损", slug="road")
    token = uuid.uuid4()
    codes = []

    def submit():
        case, _ = submit_case(community=sihuan, category=category, place="院", description="坑", token=token)
        codes.append(case.code)

    assert run_together(submit, submit) == ["ok", "ok"]
    assert Case.objects.count() == 1
    assert len(set(codes)) == 1
