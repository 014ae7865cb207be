"""How long home-visit requests keep the resident's name, phone and address: the ``retention`` hook
(core.registry), run by `manage.py purge_contacts`."""

from django.db.models import Q

from volunteers.models import HomeVisit

COUNTED = "{count} home visit(s)"
CUTOFF = "from before"


def purge(cutoff, dry_run=False):
    """Erase the resident's name, phone and address of home visits finished (or cancelled) before ``cutoff``.

    What was done, by which team and volunteers, and their hours stay. Open requests keep everything.
    Returns how many requests were, or would be, erased.
    """
    S = HomeVisit.Status
    due = HomeVisit.objects.filter(
        Q(status=S.DONE, done_at__lt=cutoff)
        | Q(status=S.DONE, done_at__isnull=True, created_at__lt=cutoff)
        | Q(status=S.CANCELLED, created_at__lt=cutoff)
    ).exclude(resident_name="", phone="", address="")
    if dry_run:
        return due.count()
    return due.update(resident_name="", phone="", address="")
