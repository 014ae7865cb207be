"""Blocks for the home, community and service-day pages (see core/blocks.py)."""

from django.db.models import Count

from volunteers.models import Role, Signup, Team
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
