"""Blocks for the home, community and service-day pages (see core/blocks.py)."""

import datetime

from django.db.models import Count
from django.utils import timezone

from volunteers.models import HomeVisit, Role, Signup, Team
from volunteers.views import wanted_roles


def home_block(request):
    roles = list(wanted_roles()[:4])
    return {"template": "volunteers/block_wanted.html", "roles": roles, "title_id": "home-wanted"}


def community_block(request, community):
    teams = list(Team.objects.filter(community=community).annotate(member_count=Count("members")).order_by("name"))
    if not teams:
        return None
    return {"template": "volunteers/block_teams.html", "teams": teams, "title_id": "community-teams"}


def service_day_block(request, day):
    """The day's volunteer roles, each with the visitor's own sign-up when they have one."""
    roles = list(Role.objects.filter(day=day).with_taken().select_related("skill", "team"))
    mine = {}
    volunteer = getattr(request.user, "volunteer", None) if request.user.is_authenticated else None
    if volunteer is not None:
        mine = {s.role_id: s for s in Signup.objects.filter(volunteer=volunteer, role__day=day)}
    for role in roles:
        role.mine = mine.get(role.pk)
    return {"template": "volunteers/day_roles.html", "roles": roles}


def my_things_block(request, phone):
    """我的事项: this phone's home-visit requests of the last year (core/mine.py)."""
    since = timezone.now() - datetime.timedelta(days=365)
    visits = list(
        HomeVisit.objects.filter(phone=phone, created_at__gte=since)
        .select_related("community", "team")
        .order_by("-created_at")
    )
    if not visits:
        return None  # most residents never ask for a visit: no empty section for them
    return {"template": "volunteers/my_visits.html", "visits": visits}
