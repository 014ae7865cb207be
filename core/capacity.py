"""The one capacity mechanism: places on a container (a volunteer Role, a ServiceOffering
that residents book) are never handed out twice.

What is guarded: the rows that hold a place in a container (signups of a role, bookings
of an offering) never outnumber its places, and no two of them hold the same place.

How, twice:

1. ``capacity_lock`` opens a transaction and locks the container row before anything is
   counted. On PostgreSQL that is ``SELECT ... FOR UPDATE``; on SQLite
   ``select_for_update`` is a no-op, but the settings open every transaction with
   ``BEGIN IMMEDIATE`` (civic_portal/env.py), which takes the database's write lock at
   once, so two requests can never interleave between counting and inserting.
2. Each row that holds a place carries a seat number 1..places, and the database has a
   unique constraint on (container, seat) (``signup_unique_seat``, ``booking_unique_seat``)
   and a check that only holding rows have a seat: even if the lock were missing, a second
   row for the same seat is refused by the database.

Waiting lists are ordered by ``number``, the order of arrival under the lock. The callers
(``volunteers.signup``, ``events.booking``) own their rules and refusals; this module owns
only the counting, so both follow the same contract.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from django.utils import timezone


def lock_row(model, pk):
    return model.objects.select_for_update().get(pk=pk)


@contextmanager
def capacity_lock(model, pk):
    """A transaction holding the lock on one container row; yields the fresh row."""
    with transaction.atomic():
        yield lock_row(model, pk)


def allocate(rows, places):
    """For a new row among ``rows`` (locked): (the lowest free seat or None, the next queue number)."""
    taken = set(rows.filter(seat__isnull=False).values_list("seat", flat=True))
    seat = next((s for s in range(1, places + 1) if s not in taken), None)
    number = (rows.aggregate(m=Max("number"))["m"] or 0) + 1
    return seat, number


def fill_free_seats(rows, places, confirmed):
    """Promote waitlisted rows, first come first served, into the free seats. Returns the promoted rows."""
    taken = set(rows.filter(seat__isnull=False).values_list("seat", flat=True))
    free = [s for s in range(1, places + 1) if s not in taken]
    promoted = []
    for row, seat in zip(rows.filter(status="waitlisted").order_by("number"), free, strict=False):
        row.status = confirmed
        row.seat = seat
        row.promoted_at = timezone.now()
        row.save(update_fields=["status", "seat", "promoted_at"])
        promoted.append(row)
    return promoted
