"""How long a report keeps the resident's contact data: the ``retention`` hook (core.registry),
run by `manage.py purge_contacts`.

A case is due once it closed before the cutoff (confirmed or declined; resolved and never rated
once the reopen window passed too), or once it has stayed open longer than
``FEEDBACK_PURGE_OPEN_CASES_AFTER_DAYS``: no case keeps contact data for ever. A due case loses
every copy at once: name, phone and email are emptied, and phone numbers, e-mail addresses and the
resident's name are masked (core.privacy.scrub_contacts) in every free text of the case: the
description, place, summary, rating comment, each timeline note (the one change an append-only
entry ever gets), photo alt text and the departments' plans and results. A private timeline entry
says so. The case, its figures, rating and photos stay.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.privacy import scrub_contacts
from feedback import conf
from feedback.models import Actor, Case, TimelineEntry, scrub_params

COUNTED = "contact data of {count} case(s)"
CUTOFF = "closed (or left open past FEEDBACK_PURGE_OPEN_CASES_AFTER_DAYS) before"

# Free text a resident's contact data may have been copied into, per model.
CASE_TEXT = ("description", "place", "public_summary", "rating_comment")
TASK_TEXT = ("onsite_people", "plan", "result")


def due(cutoff, now=None):
    """Cases whose contact data is to go, with ``cutoff`` for closed cases."""
    now = now or timezone.now()
    unrated_cutoff = cutoff - timedelta(days=conf.reopen_days())
    open_cutoff = now - timedelta(days=conf.purge_open_cases_after_days())
    left_open = Case.objects.open().filter(created_at__lt=open_cutoff).values("pk")
    return Case.objects.filter(contacts_purged_at__isnull=True).filter(
        Q(closed_at__lt=cutoff) | Q(status=Case.Status.RESOLVED, resolved_at__lt=unrated_cutoff) | Q(pk__in=left_open)
    )


def purge(cutoff, dry_run=False):
    """Erase the contact data of every due case (see the module's doc); returns how many cases were,
    or would be, erased."""
    if dry_run:
        return due(cutoff).count()
    now = timezone.now()
    with transaction.atomic():
        ids = list(due(cutoff, now).select_for_update().values_list("pk", flat=True))
        for case in Case.objects.filter(pk__in=ids).prefetch_related("timeline", "photos", "tasks"):
            _erase(case, now)
        TimelineEntry.objects.bulk_create(
            TimelineEntry(
                case_id=pk,
                action=TimelineEntry.Action.PURGED,
                role=Actor.SYSTEM,
                message=TimelineEntry.Message.PURGED,
                is_public=False,
                created_at=now,
            )
            for pk in ids
        )
    return len(ids)


def _erase(case, now):
    names = [case.contact_name]
    Case.objects.filter(pk=case.pk).update(
        contact_name="", contact_phone="", contact_email="", contacts_purged_at=now, **_scrubbed(case, CASE_TEXT, names)
    )
    for entry in case.timeline.all():  # the names in the portal's sentences (people on site)
        params = scrub_params(entry.params, lambda text: scrub_contacts(text, names))
        if params != entry.params:
            TimelineEntry.objects.filter(pk=entry.pk).update(params=params)
    for rows, fields in (
        (case.timeline.all(), ("note",)),
        (case.photos.all(), ("alt_text",)),
        (case.tasks.all(), TASK_TEXT),
    ):
        for row in rows:
            changed = _scrubbed(row, fields, names)
            if changed:  # a queryset update: the append-only save() of a timeline entry is not for this
                type(row).objects.filter(pk=row.pk).update(**changed)


def _scrubbed(row, fields, names):
    """The fields of ``row`` whose text changes when contact data is masked, with their new text."""
    changed = {}
    for name in fields:
        limit = row._meta.get_field(name).max_length
        text = scrub_contacts(getattr(row, name), names)[:limit]
        if text != getattr(row, name):
            changed[name] = text
    return changed
