"""News as a search provider for /search/ (see core/search.py).

Candidates are stories holding every query term as a whole token of their
search_text (``textsearch.filter_terms``, the rule all providers share); each is
scored by where the terms occur (title counts most). The snippet comes from where
the words are: the lead, the body, or (when only they hold the words) the story's
sections, read in one query for all the stories that need them.
"""

from django.utils.html import strip_tags
from django.utils.translation import pgettext

from core import textsearch
from news.models import Story, StorySection

CANDIDATES = 200  # the newest matching stories that are scored


def score(story, terms):
    title = textsearch.index_text(story.title, story.subtitle)
    lead = textsearch.index_text(story.lead)
    # Every candidate holds every term; 20 a term keeps stories ahead of service days and teams
    # (scored by their hits alone) when the site search merges the providers' results.
    return (
        10 * textsearch.hits(title, terms)
        + 4 * textsearch.hits(lead, terms)
        + textsearch.hits(story.search_text, terms)
        + 20 * len(terms)
    )


def _section_texts(stories):
    """{story pk: [heading, text, ...]} of the stories' sections, in one query."""
    texts = {}
    rows = StorySection.objects.filter(story__in=stories).order_by("story", "order", "pk")
    for story_id, heading, body in rows.values_list("story_id", "heading", "body"):
        texts.setdefault(story_id, []).extend([heading, strip_tags(body)])
    return texts


def search(terms, limit=50):
    if not terms:
        return []
    candidates = textsearch.title_first(
        Story.objects.published().search(terms), terms, "title", "-published_at", "-pk"
    ).only("title", "subtitle", "slug", "lead", "body", "published_at", "search_text")
    stories = list(candidates[: min(CANDIDATES, limit) if textsearch.is_character_query(terms) else CANDIDATES])
    for story in stories:
        story.score = score(story, terms)
    stories.sort(key=lambda s: (s.score, s.published_at), reverse=True)
    stories = stories[:limit]
    own_texts = {story.pk: [story.lead, strip_tags(story.body), story.subtitle] for story in stories}
    # A word is in the story's sections only: read those sections (one query, for all such stories).
    in_sections = [
        s.pk for s in stories if not all(textsearch.found(" ".join([s.title, *own_texts[s.pk]]), [t]) for t in terms)
    ]
    sections = _section_texts(in_sections) if in_sections else {}
    return [
        {
            "kind": pgettext("search result kind", "新闻"),
            "title": story.title,
            "url": story.get_absolute_url(),
            "snippet": textsearch.snippet(sections.get(story.pk, []) + own_texts[story.pk], terms),
            "date": story.published_at,
            "score": story.score,
        }
        for story in stories
    ]
