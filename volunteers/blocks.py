"""Blocks for the home, community and service-day pages (see core/blocks.py)."""

import datetime

from django.db.models import Count
from django.utils import timezone

from communities.models import Community
from core import fragments
from events.models import ServiceDay
from volunteers import signup as rules
from volunteers.models import HomeVisit, Role, Team
from volunteers.views import wanted_roles


@fragments.block(shows=(Role, ServiceDay, Community))
def home_block(request):
    roles = list(wanted_roles()[:4])
    return {"template": "volunteers/block_wanted.html", "roles": roles, "title_id": "home-wanted"}


@fragments.block(shows=(Team, Community))
def community_block(request, community):
    teams = list(Team.objects.filter(community=community).annotate(member_count=Count("members")).order_by("name"))
    if not teams:
        return None
    return {"template": "volunteers/block_teams.html", "teams": teams, "title_id": "community-teams"}


@fragments.block(
    shows=(Role, ServiceDay, Community),
    # A signed-in visitor's own sign-ups are in it: their fragment is theirs alone.
    vary=lambda request, day: (day.pk, request.user.pk),
)
def service_day_block(request, day):
    """The day's volunteer roles, each with the visitor's own sign-up and, before any button, the
    reason the rules would refuse them (``signup.refusal``): one query for the roles and, for a
    signed-in visitor, one for their sign-ups of that date plus one each for their teams and skills
    when a role needs them, however many roles the day has."""
    roles = list(Role.objects.filter(day=day).with_taken().select_related("skill", "team"))
    standing = None
    if request.user.is_authenticated:
        standing = rules.Standing.load(getattr(request.user, "volunteer", None), day.date, roles)
    for role in roles:
        role.day = day  # the page's own day object: one source for is_open and the cancel reason
        role.mine = standing.signup_for(role) if standing else None
        role.refusal = rules.refusal(role, standing) if standing else None
    return {"template": "volunteers/day_roles.html", "roles": roles, "day": day}


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
