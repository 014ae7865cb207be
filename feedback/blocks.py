"""The feedback app's blocks on the home and community pages (see core/blocks.py)."""

from django.db.models import Prefetch

from communities.models import Community
from core import fragments
from feedback import figures
from feedback.forms import RatingForm, ResidentNoteForm
from feedback.models import Case, CasePhoto


@fragments.block(shows=(Case, Community))
def home_block(request):
    data = figures.this_month()
    return {"template": "feedback/blocks/home.html", "month": data["overall"]}


@fragments.block(shows=(Case, Community))
def community_block(request, community):
    cases = list(
        Case.objects.published()
        .solved()
        .with_resolution()
        .filter(community=community)
        .select_related("category")
        .prefetch_related(
            Prefetch("photos", queryset=CasePhoto.objects.filter(role=CasePhoto.Role.AFTER).order_by("order", "pk"))
        )
        .order_by("-resolved_at")[:4]
    )
    return {"template": "feedback/blocks/community.html", "community": community, "cases": cases}


def my_things_block(request, phone):
    """我的事项: the cases reported with this phone, each with its rating and 补充情况 forms where the case
    takes them (core/mine.py). The case's own phone is the proof that the resident reported it."""
    cases = list(
        Case.objects.filter(contact_phone=phone).select_related("category", "community").order_by("-created_at")[:20]
    )
    for case in cases:
        case.rating_form = RatingForm(prefix=f"r{case.pk}") if case.can_be_rated else None
        case.note_form = ResidentNoteForm(prefix=f"n{case.pk}") if case.takes_resident_notes else None
    return {"template": "feedback/my_cases.html", "cases": cases}
