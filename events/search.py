"""Service days for the site search: search(terms, limit) -> list of result dicts (core/search.py).

A day matches on its title, place, description and the services it offers (its search text
holds them all). The snippet comes from where the words are; the services are read, in one
query for all the days that need them, only when the words are in them alone.
"""

from django.utils.translation import pgettext

from core import textsearch
from events.models import ServiceDay, ServiceOffering


def _service_texts(days):
    """{day pk: ["义剪：说明 备注", ...]} for the days' services, in one query."""
    texts = {}
    rows = ServiceOffering.objects.filter(day__in=days).order_by("day", "sort_order", "pk")
    for day_id, name, description, note in rows.values_list(
        "day_id", "service_type__name", "service_type__description", "note"
    ):
        line = f"{name}：{description}" if description else name
        texts.setdefault(day_id, []).append(f"{line} {note}".strip())
    return texts


def search(terms, limit=20):
    if not terms:
        return []
    days = list(
        textsearch.title_first(
            textsearch.filter_terms(ServiceDay.objects.visible(), terms).select_related("community"),
            terms,
            "title",
            "-date",
            "-pk",
        )[:limit]
    )
    own = {day.pk: [day.description, day.place] for day in days}
    in_services = [d.pk for d in days if not all(textsearch.found(" ".join([d.title, *own[d.pk]]), [t]) for t in terms)]
    services = _service_texts(in_services) if in_services else {}
    return [
        {
            "kind": pgettext("search result kind", "便民服务日"),
            "title": f"{day.title}（{day.community.name}）",
            "url": day.get_absolute_url(),
            "snippet": textsearch.snippet(services.get(day.pk, []) + own[day.pk], terms),
            "date": day.date,
            "score": float(textsearch.hits(day.search_text, terms))
            + (1.0 if textsearch.found(day.title, terms) else 0.0),
        }
        for day in days
    ]
