"""Blocks for the home and community pages and 我的事项 (see core/blocks.py)."""

import datetime

from django.utils import timezone

from communities.models import Community
from core import fragments
from events.models import ResidentBooking, ServiceDay


@fragments.block(shows=(ServiceDay, Community))
def home_block(request):
    days = list(ServiceDay.objects.upcoming().select_related("community__street")[:4])
    return {"template": "events/block_upcoming.html", "days": days, "title_id": "home-days"}


@fragments.block(shows=(ServiceDay, Community))
def community_block(request, community):
    days = list(ServiceDay.objects.upcoming().filter(community=community).select_related("community__street")[:6])
    return {
        "template": "events/block_upcoming.html",
        "days": days,
        "community": community,
        "title_id": "community-days",
    }


def my_things_block(request, phone):
    """我的事项: this phone's bookings, the coming ones first, then the last three months' (core/mine.py)."""
    since = timezone.localdate() - datetime.timedelta(days=90)
    bookings = list(
        ResidentBooking.objects.filter(phone=phone, offering__day__date__gte=since)
        .select_related("offering__service_type", "offering__day__community")
        .order_by("-offering__day__date", "offering__sort_order", "pk")
    )
    today = timezone.localdate()
    for booking in bookings:
        day = booking.offering.day
        booking.is_past = day.date < today
        booking.can_cancel = (
            booking.status != ResidentBooking.Status.CANCELLED and day.date >= today and day.can_cancel_now()
        )
    return {"template": "events/my_bookings.html", "bookings": bookings}
