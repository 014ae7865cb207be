"""Service-day pages for `make bench`."""

from django.utils import timezone


def day_list():
    return "/events/"


def day_page():
    """The soonest coming published day (roles, places left, bookings)."""
    from events.models import ServiceDay

    day = (
        ServiceDay.objects.filter(status=ServiceDay.Status.PUBLISHED, date__gte=timezone.localdate())
        .order_by("date", "pk")
        .first()
    )
    return day and day.get_absolute_url()


PAGES = {"service-day list": day_list, "service-day page": day_page}


def day_page_signed_in(user):
    """The same day for a signed-in volunteer: never from the page cache, their own sign-ups on it."""
    return day_page()


SIGNED_IN = {"service-day page": (("volunteer",), day_page_signed_in)}
