"""吹哨报到 pages for `make bench`."""

from urllib.parse import quote

from django.db.models import Count
from django.urls import reverse


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


# Staff pages, as each staff visitor of the bench (ops/benchvisitors.py) opens them at district scale.
STAFF = ("district admin", "community worker")


def case_list(user):
    return reverse("admin:feedback_case_changelist")


def case_list_filtered(user):
    """The desk's own link: cases waiting to be accepted, late ones first of all."""
    return reverse("admin:feedback_case_changelist") + "?status__in=submitted,reopened&overdue=yes"


def case_search(user):
    return reverse("admin:feedback_case_changelist") + "?q=" + quote("胡同")


def case_page(user):
    """The newest dispatched case this person may open (tasks, photos, timeline, the moves)."""
    from feedback.models import Case

    case = Case.objects.visible_to(user).filter(status=Case.Status.DISPATCHED).order_by("-created_at", "-pk").first()
    return case and reverse("admin:feedback_case_change", args=[case.pk])


SIGNED_IN = {
    "case list": (STAFF, case_list),
    "case list, filtered": (STAFF, case_list_filtered),
    "case search": (STAFF, case_search),
    "case page": (STAFF, case_page),
}
