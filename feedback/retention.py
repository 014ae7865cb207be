"""How long a report keeps the resident's name, phone and email: the ``retention`` hook
(core.registry), run by `manage.py purge_contacts`."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from feedback import conf
from feedback.models import Actor, Case, TimelineEntry

COUNTED = "contact data of {count} case(s)"
CUTOFF = "closed before"


def purge(cutoff, dry_run=False):
    """Erase name, phone and email of cases closed before ``cutoff`` (a datetime), each with a private
    timeline entry saying so.

    Closed: confirmed or declined (closed_at), or resolved and never rated once the reopen window passed.
    The case, its timeline, rating and photos stay for the figures. Returns how many cases were, or
    would be, erased.
    """
    unrated_cutoff = cutoff - timedelta(days=conf.reopen_days())
    due = (
        Case.objects.filter(contacts_purged_at__isnull=True)
        .filter(Q(closed_at__lt=cutoff) | Q(status=Case.Status.RESOLVED, resolved_at__lt=unrated_cutoff))
        .exclude(contact_name="", contact_phone="", contact_email="")
    )
    if dry_run:
        return due.count()
    now = timezone.now()
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("pk", flat=True))
        Case.objects.filter(pk__in=ids).update(
            contact_name="", contact_phone="", contact_email="", contacts_purged_at=now
        )
        TimelineEntry.objects.bulk_create(
            TimelineEntry(
                case_id=pk,
                action=TimelineEntry.Action.PURGED,
                role=Actor.SYSTEM,
                note="联系方式已按保存期限清除。",
                is_public=False,
                created_at=now,
            )
            for pk in ids
        )
    return len(ids)
