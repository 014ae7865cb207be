"""吹哨报到 pages for `make bench`."""

from django.db.models import Count


def board():
    return "/feedback/"


def track():
    """A confirmed case with the longest public timeline."""
    from feedback.models import Case

    case = (
        Case.objects.filter(status=Case.Status.CONFIRMED)
        .annotate(n=Count("timeline"))
        .order_by("-n", "-created_at")
        .first()
    )
    return case and case.get_absolute_url()


PAGES = {"feedback board": board, "case tracking": track}
