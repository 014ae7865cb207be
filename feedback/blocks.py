"""The feedback app's blocks on the home and community pages (see core/blocks.py)."""

from django.db.models import Prefetch

from feedback import figures
from feedback.models import Case, CasePhoto


def home_block(request):
    data = figures.this_month()
    return {"template": "feedback/blocks/home.html", "month": data["overall"]}


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
