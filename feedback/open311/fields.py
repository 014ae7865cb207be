"""What the portal's rows look like in the spec's words: services, service definitions and requests.

Nothing here reads a case's contact fields: a request holds the place, the status and the public
timeline, never who reported it."""

from datetime import timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import Community
from core import textsearch
from feedback.models import Case

CLOSED = {Case.Status.RESOLVED, Case.Status.CONFIRMED, Case.Status.DECLINED}


def w3c(when):
    """A W3C datetime in the district's time (2026-11-30T10:15:00+08:00), or "" for none."""
    return timezone.localtime(when).isoformat(timespec="seconds") if when else ""


def service(category):
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": category.description,
        # Every category asks for the community (社区): the case belongs to one.
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(textsearch.segment(category.name)),
        "group": category.group or _("居民诉求"),
    }


def definition(category):
    communities = Community.objects.select_related("street").order_by("street__sort_order", "sort_order", "name")
    return {
        "service_code": category.slug,
        "attributes": [
            {
                "variable": True,
                "code": "community",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _("所在社区：从列表里选一个 key"),
                "order": 1,
                "description": _("社区"),
                "values": [{"key": c.slug, "name": f"{c.street.name} · {c.name}"} for c in communities],
            },
            {
                "variable": True,
                "code": "place",
                "datatype": "string",
                "required": False,
                "datatype_description": _("最多 100 个字；留空则用 address_string"),
                "order": 2,
                "description": _("具体地点"),
            },
            {
                "variable": True,
                "code": "consent",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("居民同意工作人员用所留联系方式联系本人时为 true；否则不保存联系方式"),
                "order": 3,
                "description": _("同意联系"),
                "values": [{"key": "true", "name": _("同意")}, {"key": "false", "name": _("不同意")}],
            },
        ],
    }


def status(case):
    return "closed" if case.status in CLOSED else "open"


def _lead(case):
    tasks = [t for t in case.tasks.all() if t.round == case.round]
    return next((t for t in tasks if t.is_lead), None)


def expected(case, lead=None):
    """The lead department's deadline once dispatched; before that, the category's time limit."""
    if case.status in CLOSED:
        return None
    if lead is not None:
        return lead.deadline
    return case.created_at + timedelta(days=case.category.resolve_days)


def request(case, *, show_description):
    """One service request. ``case`` comes with ``public_timeline`` (public entries, in order) and
    its tasks with their departments prefetched (``queries.for_api``)."""
    lead = _lead(case)
    timeline = case.public_timeline
    latest = timeline[-1] if timeline else None
    with translation.override("zh-hans"):
        notes = latest.plain_text if latest else ""
    return {
        "service_request_id": case.code,
        "status": status(case),
        "status_notes": notes,
        "service_name": case.category.name,
        "service_code": case.category.slug,
        "description": case.public_text if show_description else "",
        "agency_responsible": lead.department.name if lead else case.community.name,
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(latest.created_at if latest else case.created_at),
        "expected_datetime": w3c(expected(case, lead)),
        "address": case.place,
        "address_id": "",
        "zipcode": "",
        "lat": "" if case.lat is None else str(case.lat),
        "long": "" if case.long is None else str(case.long),
        "media_url": case.media_url,
    }
