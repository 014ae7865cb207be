"""Blocks for the home and community pages (see core/blocks.py)."""

from django.db.models import Count

from volunteers.models import Team
from volunteers.views import wanted_roles


def home_block(request):
    roles = list(wanted_roles()[:4])
    return {"template": "volunteers/block_wanted.html", "roles": roles, "title_id": "home-wanted"}


def community_block(request, community):
    teams = list(Team.objects.filter(community=community).annotate(member_count=Count("members")).order_by("name"))
    if not teams:
        return None
    return {"template": "volunteers/block_teams.html", "teams": teams, "title_id": "community-teams"}
