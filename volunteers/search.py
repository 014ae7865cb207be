"""Volunteer teams for the site search: search(terms, limit) -> list of result dicts."""

from core.textsearch import filter_terms, highlight
from volunteers.models import Team


def search(terms, limit=20):
    if not terms:
        return []
    teams = filter_terms(Team.objects.all(), terms).select_related("community").order_by("name")[:limit]
    return [
        {
            "kind": "team",
            "title": highlight(team.name, terms),
            "url": team.get_absolute_url(),
            "snippet": highlight(f"{team.community.name} · {team.specialty} {team.description[:80]}", terms),
            "date": None,
            "score": float(sum(team.search_text.count(f" {t} ") for t in terms))
            + (1.0 if any(t in team.name for t in terms) else 0.0),
        }
        for team in teams
    ]
