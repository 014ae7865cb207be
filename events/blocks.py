"""Blocks for the home and community pages (see core/blocks.py)."""

from events.models import ServiceDay


def home_block(request):
    days = list(ServiceDay.objects.upcoming().select_related("community__street")[:4])
    return {"template": "events/block_upcoming.html", "days": days, "title_id": "home-days"}


def community_block(request, community):
    days = list(ServiceDay.objects.upcoming().filter(community=community).select_related("community__street")[:6])
    return {
        "template": "events/block_upcoming.html",
        "days": days,
        "community": community,
        "title_id": "community-days",
    }
