"""News as a search provider for /search/ (see core/search.py).

Candidates are stories holding every query term as a whole token of their
search_text (``textsearch.filter_terms``, the rule all providers share); each is
scored by where the terms occur (title counts most).
"""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core import textsearch
from news.models import Story

CANDIDATES = 200  # the newest matching stories that are scored


def _snippet(text, terms, width=90):
    text = " ".join(strip_tags(text or "").split())
    lowered = text.lower()
    positions = [lowered.find(t) for t in terms if lowered.find(t) >= 0]
    start = max(0, min(positions) - 20) if positions else 0
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def score(story, terms):
    title = textsearch.index_text(story.title, story.subtitle)
    lead = textsearch.index_text(story.lead)
    total = 0
    for term in terms:
        token = f" {term} "
        if token in title:
            total += 10
        if token in lead:
            total += 4
        if token in story.search_text:
            total += 1
    # Every candidate holds every term; 20 a term keeps stories ahead of service days and teams
    # (scored by their hits alone) when the site search merges the providers' results.
    return total + 20 * len(terms)


def search(terms, limit=50):
    if not terms:
        return []
    stories = list(
        Story.objects.published()
        .search(terms)
        .only("title", "subtitle", "slug", "lead", "body", "published_at", "search_text")
        .order_by("-published_at", "-pk")[:CANDIDATES]
    )
    results = []
    for story in stories:
        results.append(
            {
                "kind": _("新闻"),
                "title": story.title,
                "url": story.get_absolute_url(),
                "snippet": _snippet(story.lead or story.body, terms),
                "date": story.published_at,
                "score": score(story, terms),
            }
        )
    results.sort(key=lambda r: (r["score"], r["date"]), reverse=True)
    return results[:limit]
