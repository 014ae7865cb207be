"""Site search: /search/?q=... aggregates results from every app that offers one.

An app takes part with the ``search`` hook (see core.registry): ``<app>/search.py`` defining
``search(terms, limit)`` that returns a list of dicts: {"kind", "title", "url", "snippet", "date", "score"}.
Results are merged by score, then date (newest first). For a one-character query
(``textsearch.is_character_query``) they are merged by whether the title holds the character,
then date, and fewer are kept (``CHARACTER_LIMIT``): such a query matches far more text.

"kind" is the translated name of the kind of result; "title" and "snippet" are plain text (the
provider cuts the snippet with ``textsearch.snippet`` from wherever the words occur): the view
escapes them and marks the words, so no provider ever writes HTML.
"""

from datetime import date, datetime, time

from django.utils import timezone

from core import fragments, registry, textsearch
from core.privacy import scrub_phones

MAX_QUERY = 100
LIMIT = 200
CHARACTER_LIMIT = 50


def providers():
    return [module.search for module in registry.modules("search")]


def _sortable(value):
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    return datetime.min.replace(tzinfo=timezone.get_current_timezone())


def run(terms, limit=LIMIT):
    if textsearch.is_character_query(terms):
        limit = min(limit, CHARACTER_LIMIT)
    results = []
    for search in providers():
        results.extend(search(terms, limit))
    if textsearch.is_character_query(terms):
        character = terms[0]
        results.sort(key=lambda r: (character in r["title"].lower(), _sortable(r.get("date"))), reverse=True)
    else:
        results.sort(key=lambda r: (r.get("score") or 0, _sortable(r.get("date"))), reverse=True)
    return results[:limit]


def search_view(request):
    from django.core.paginator import Paginator
    from django.shortcuts import render

    raw = request.GET.get("q", "")
    too_long = len(raw) > MAX_QUERY
    query = raw[:MAX_QUERY].strip()
    terms = textsearch.query_terms(query)

    def found():
        results = run(terms) if terms else []
        page = Paginator(results, 10).get_page(request.GET.get("page"))
        for result in page.object_list:  # only the ten shown, not every match
            result["title_html"] = textsearch.highlight(result.get("title", ""), terms)
            # A backstop: a snippet is cut from text an editor or a resident wrote (core.privacy).
            result["snippet_html"] = textsearch.highlight(scrub_phones(result.get("snippet", "")), terms)
        return {"page_obj": page, "results": page.object_list, "total": len(results)}

    return render(
        request,
        "search.html",
        {
            "query": query,
            "terms": terms,
            "too_long": too_long,
            "one_character": textsearch.is_character_query(terms),
            "character_limit": CHARACTER_LIMIT,
            # Searched only when the page's fragment is not kept (core/fragments.py).
            **fragments.lazy(found, ("page_obj", "results", "total")),
        },
    )
