"""Volunteer teams for the site search: search(terms, limit) -> list of result dicts (core/search.py).

A team matches on its name, specialty and description; the snippet comes from whichever holds the words.
"""

from django.utils.translation import pgettext

from core import textsearch
from volunteers.models import Team


def search(terms, limit=20):
    if not terms:
        return []
    teams = textsearch.title_first(
        textsearch.filter_terms(Team.objects.all(), terms).select_related("community"), terms, "name", "name"
    )[:limit]
    return [
        {
            "kind": pgettext("search result kind", "志愿服务队"),
            "title": team.name,
            "url": team.get_absolute_url(),
            "snippet": textsearch.snippet(
                [team.description, f"{team.community.name} · {team.specialty}" if team.specialty else ""], terms
            ),
            "date": None,
            "score": float(textsearch.hits(team.search_text, terms))
            + (1.0 if textsearch.found(team.name, terms) else 0.0),
        }
        for team in teams
    ]
