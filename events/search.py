"""Service days for the site search: search(terms, limit) -> list of result dicts."""

from core.textsearch import filter_terms, highlight
from events.models import ServiceDay


def search(terms, limit=20):
    if not terms:
        return []
    days = filter_terms(ServiceDay.objects.visible(), terms).select_related("community").order_by("-date")[:limit]
    results = []
    for day in days:
        hits = sum(day.search_text.count(f" {t} ") for t in terms)
        results.append(
            {
                "kind": "serviceday",
                "title": highlight(f"{day.title}（{day.community.name}）", terms),
                "url": day.get_absolute_url(),
                "snippet": highlight(f"{day.date:%Y-%m-%d} {day.place} {day.description[:80]}", terms),
                "date": day.date,
                "score": float(hits) + (1.0 if any(t in day.title for t in terms) else 0.0),
            }
        )
    return results
