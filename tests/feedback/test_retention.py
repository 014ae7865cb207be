"""The retention purge reaches every copy of a resident's contact data, and open cases too."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback import workflow
from feedback.models import Case, CasePhoto, DispatchTask, TimelineEntry
from tests.feedback.conftest import fresh, jpeg
from tests.security.test_phone_scrub import digits

NAME, PHONE, EMAIL, OTHER_PHONE = "王秀兰", "13812341234", "wang.xl@example.org", "13900001111"
LONG_AGO = timezone.now() - timedelta(days=400)


def every_text(case):
    case = fresh(case)
    texts = [case.contact_name, case.contact_phone, case.contact_email, case.description, case.place]
    texts += [case.rating_comment, case.public_summary]
    texts += TimelineEntry.objects.filter(case=case).values_list("note", flat=True)
    texts += CasePhoto.objects.filter(case=case).values_list("alt_text", flat=True)
    for plan, result in DispatchTask.objects.filter(case=case).values_list("plan", "result"):
        texts += [plan, result]
    return " ".join(texts)


def assert_erased(case):
    text = every_text(case)
    for secret in (NAME, EMAIL):
        assert secret not in text
    for number in (PHONE, OTHER_PHONE):
        assert number not in digits(text)


def assert_kept(case):
    text = every_text(case)
    assert NAME in text and EMAIL in text and PHONE in text


@pytest.fixture
def chatty(make_case, walk, worker_sihuan):
    """A case with the resident's name, phone and email copied into every free text it has."""

    def make(state="resolved", **fields):
        fields.setdefault("contact_name", NAME)
        fields.setdefault("contact_phone", PHONE)
        fields.setdefault("contact_email", EMAIL)
        fields.setdefault("consent", True)
        case = make_case(
            place=f"四环胡同28号院{NAME}家门口",
            description=f"我是{NAME}，院里地面坏了。电话 {PHONE}，邮箱 {EMAIL}，另一个号码 {OTHER_PHONE}。",
            photos=[jpeg()],
            **fields,
        )
        case = walk(case, state) if state != "submitted" else case
        workflow.add_note(case, f"{NAME}说白天打 {OTHER_PHONE}，或发 {EMAIL}", public=False, by=worker_sihuan)
        DispatchTask.objects.filter(case=case, is_lead=True).update(plan=f"与{NAME}商定（{PHONE}）")
        if state == "resolved":
            workflow.rate(fresh(case), Case.Rating.SATISFIED, f"{NAME}：很满意，{EMAIL}")
        return fresh(case)

    return make


def test_a_closed_case_loses_every_copy(chatty, settings):
    settings.FEEDBACK_PURGE_CONTACTS_AFTER_DAYS = 30
    case = chatty()
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=31))
    assert_kept(case)
    call_command("purge_contacts", stdout=StringIO())
    assert_erased(case)
    case = fresh(case)
    assert case.contacts_purged_at and case.rating == Case.Rating.SATISFIED
    assert "王**" in case.description and "w***@example.org" in case.description  # the text still reads
    assert TimelineEntry.objects.filter(case=case, action=TimelineEntry.Action.PURGED, is_public=False).count() == 1


def test_a_case_without_contact_fields_still_loses_the_phone_in_its_text(chatty, settings):
    """No consent: no contact fields were kept, but the resident typed a number into the description."""
    settings.FEEDBACK_PURGE_CONTACTS_AFTER_DAYS = 30
    case = chatty(consent=False)
    assert fresh(case).contact_phone == ""
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=31))
    call_command("purge_contacts", stdout=StringIO())
    assert PHONE not in digits(fresh(case).description) and EMAIL not in fresh(case).description


def test_open_cases_have_a_limit_too(chatty, settings):
    settings.FEEDBACK_PURGE_CONTACTS_AFTER_DAYS = 30
    settings.FEEDBACK_PURGE_OPEN_CASES_AFTER_DAYS = 365
    forgotten = chatty("accepted")
    recent = chatty("dispatched")
    Case.objects.filter(pk=forgotten.pk).update(created_at=LONG_AGO)
    Case.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=100))
    out = StringIO()
    call_command("purge_contacts", "--dry-run", stdout=out)
    assert "contact data of 1 case(s)" in out.getvalue()
    assert_kept(forgotten)
    call_command("purge_contacts", stdout=StringIO())
    assert_erased(forgotten)
    assert fresh(forgotten).status == Case.Status.ACCEPTED  # still being worked, without the contacts
    assert_kept(recent)


def test_the_open_case_limit_is_a_setting(chatty, settings):
    settings.FEEDBACK_PURGE_OPEN_CASES_AFTER_DAYS = 500
    case = chatty("submitted")
    Case.objects.filter(pk=case.pk).update(created_at=LONG_AGO)
    call_command("purge_contacts", stdout=StringIO())
    assert_kept(case)


def test_cases_purged_before_are_scrubbed_by_the_migration(chatty):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("feedback.migrations.0005_scrub_purged_cases")
    purged, current = chatty(), chatty()
    # Purged the old way: contact fields emptied, the text left as it was.
    Case.objects.filter(pk=purged.pk).update(
        contact_name="", contact_phone="", contact_email="", contacts_purged_at=LONG_AGO
    )
    migration.scrub_purged(apps, None)
    text = every_text(purged)
    assert PHONE not in digits(text) and OTHER_PHONE not in digits(text) and EMAIL not in text
    assert_kept(current)
