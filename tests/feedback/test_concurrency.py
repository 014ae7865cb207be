"""Two staff moving one case at once: one wins, the other is told, nothing is lost or doubled.

The guard is the transaction around each move (``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR
UPDATE`` on PostgreSQL) with the version check and the conditional update on ``version``
(feedback/workflow.py). The control at the end takes all of it away and shows the race: without
the control a test like this one could pass against code that guards nothing.
"""

import threading
import time
import types
import uuid
from contextlib import nullcontext

import pytest
from django.db import connection, transaction

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


def accept_and_decline_at_once():
    """A worker accepts and an editor declines the same fresh case, both from the same page."""
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
    return case, outcomes


def check_one_wins(case, outcomes):
    """What 'one wins, the other is told' means, as assertions."""
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    loser = next(o for o in outcomes if o != "ok")
    assert "其他工作人员" in loser or "不能" in loser
    final = Case.objects.get(pk=case.pk)
    assert final.status in (Case.Status.ACCEPTED, Case.Status.DECLINED)
    assert final.version == 1
    # Exactly one move was recorded: no lost update, no double entry.
    assert TimelineEntry.objects.filter(case=final).exclude(action="submitted").count() == 1


def test_two_staff_change_the_same_case_at_once_one_wins():
    check_one_wins(*accept_and_decline_at_once())


def test_control_without_the_guard_both_moves_land(monkeypatch):
    """Proves the test above has teeth: with no transaction (so no BEGIN IMMEDIATE, no row lock), no
    version check and an unconditional write, and a pause between reading the case and writing it,
    both moves pass the status check on the row they read, both land, and the check fails."""

    def unguarded_lock(case, allowed, verb, check_version=True):
        locked = Case.objects.select_related("category", "community").get(pk=case.pk)
        if locked.status not in allowed:
            raise CaseError(f"{verb}: {locked.status}")
        time.sleep(0.2)  # both read before either writes
        return locked

    def unconditional_commit(case, locked, fields):
        Case.objects.filter(pk=locked.pk).update(version=locked.version + 1, **fields)

    no_transactions = types.SimpleNamespace(atomic=nullcontext, on_commit=transaction.on_commit)
    monkeypatch.setattr(workflow, "transaction", no_transactions)
    monkeypatch.setattr(workflow, "_lock", unguarded_lock)
    monkeypatch.setattr(workflow, "_commit", unconditional_commit)

    case, outcomes = accept_and_decline_at_once()

    assert outcomes == ["ok", "ok"]  # the race shows: both moves believed they won ...
    assert TimelineEntry.objects.filter(case=case).exclude(action="submitted").count() == 2  # ... and both are recorded
    with pytest.raises(AssertionError):
        check_one_wins(case, outcomes)


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
