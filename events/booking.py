"""Resident bookings for services that have places: the same capacity rules as volunteers.

The locking and seat allocation are not repeated here: they come from ``core.capacity``
(read its contract), as for volunteer sign-ups; the database refuses a second booking on
the same seat (``booking_unique_seat``).
"""

import uuid

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import capacity
from events import notices
from events.models import ResidentBooking, ServiceOffering


class BookingError(Exception):
    """A refusal with a message for the resident who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def book(offering_id, name, phone, submission):
    """A place (or a waiting-list number) for a resident. ``submission`` makes a double submit harmless."""
    earlier = ResidentBooking.objects.filter(submission=submission).first()
    if earlier is not None:
        return earlier
    try:
        with capacity.capacity_lock(ServiceOffering, offering_id) as offering:
            offering = ServiceOffering.objects.select_related("day", "service_type").get(pk=offering.pk)
            day = offering.day
            if day.is_cancelled:
                raise BookingError(_("这个服务日已取消，不能预约。"))
            if not day.is_open:
                raise BookingError(_("这个服务日已经开始或结束，不能再预约了。"))
            if not offering.bookable:
                raise BookingError(_("这项服务无需预约，当天直接到场即可。"))
            rows = ResidentBooking.objects.filter(offering=offering)
            if rows.filter(phone=phone).exclude(status=ResidentBooking.Status.CANCELLED).exists():
                raise BookingError(_("这个手机号已经预约过这项服务了。"))
            seat, number = capacity.allocate(rows, offering.resident_places)
            booking = ResidentBooking.objects.create(
                offering=offering,
                name=name,
                phone=phone,
                seat=seat,
                number=number,
                status=ResidentBooking.Status.CONFIRMED if seat else ResidentBooking.Status.WAITLISTED,
                submission=submission,
            )
            notices.booked(booking)  # sent once this transaction commits
            return booking
    except IntegrityError:
        earlier = ResidentBooking.objects.filter(submission=submission).first()
        if earlier is not None:
            return earlier
        raise BookingError(_("提交的人太多了，请再试一次。")) from None


def cancel_booking(token):
    booking = ResidentBooking.objects.get(token=token)
    with capacity.capacity_lock(ServiceOffering, booking.offering_id) as offering:
        booking = ResidentBooking.objects.select_related("offering__day").get(pk=booking.pk)
        if booking.status == ResidentBooking.Status.CANCELLED:
            raise BookingError(_("这个预约已经取消了。"))
        if not booking.offering.day.can_cancel_now():
            raise BookingError(_("已过取消截止时间，如不能到场请直接联系社区。"))
        booking.status = ResidentBooking.Status.CANCELLED
        booking.seat = None
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "seat", "cancelled_at"])
        _fill(offering)
        return booking


def _fill(offering):
    """Moves the waiting list into free places (under the offering's lock) and tells each one promoted."""
    promoted = capacity.fill_free_seats(
        ResidentBooking.objects.filter(offering=offering).select_related(
            "offering__service_type", "offering__day__community"
        ),
        offering.resident_places or 0,
        ResidentBooking.Status.CONFIRMED,
    )
    notices.promoted(promoted)
    return promoted


def promote_waiting(day):
    """After staff saved a day (places may have grown): every service's waiting list moves up. Returns how many."""
    count = 0
    offerings = ServiceOffering.objects.filter(day=day, resident_places__isnull=False)
    for offering_id in offerings.values_list("pk", flat=True):
        with capacity.capacity_lock(ServiceOffering, offering_id) as offering:
            count += len(_fill(offering))
    return count


def submission_for(submission, offering_id):
    """The submission number of one service's booking within a multi-service form: the same form sent
    twice gives the same numbers, so each booking stays harmless to repeat."""
    return uuid.uuid5(submission, f"offering:{offering_id}")


def book_many(offering_ids, name, phone, submission):
    """One form, several services of one day. Each service is booked on its own (its own lock and
    transaction, as ``book``): a full one gives a waiting-list number, a refused one its reason, and
    the others are booked all the same. Returns [(offering_id, booking or None, refusal or "")]."""
    results = []
    for offering_id in offering_ids:
        try:
            booking = book(offering_id, name, phone, submission_for(submission, offering_id))
        except BookingError as exc:
            results.append((offering_id, None, exc.message))
        else:
            results.append((offering_id, booking, ""))
    return results
