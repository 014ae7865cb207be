"""How long residents' bookings keep their name and phone: the ``retention`` hook (core.registry),
run by `manage.py purge_contacts`."""

from events.models import ResidentBooking

COUNTED = "{count} booking(s)"
CUTOFF = "from before"


def purge(cutoff, dry_run=False):
    """Erase name and phone of bookings for service days before ``cutoff`` (a datetime).

    The booking rows stay (queue numbers, places taken: the day's figures do not change).
    Returns how many bookings were, or would be, erased.
    """
    due = ResidentBooking.objects.filter(offering__day__date__lt=cutoff.date()).exclude(name="", phone="")
    if dry_run:
        return due.count()
    return due.update(name="", phone="")
