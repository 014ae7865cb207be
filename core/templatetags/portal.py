from django import template
from django.utils.safestring import mark_safe

from core import lang, targeted

register = template.Library()


@register.filter
def zh(value):
    """{{ unit.name|zh }}: content written in Chinese, marked lang="zh-Hans" on a page in another language."""
    return lang.mark_chinese(value)


@register.filter
def tr(value):
    """{{ role.skill.name|tr }}: a skill, service type or category name in the reader's language."""
    return lang.translated_name(value)


@register.filter
def local_date(value, kind="date"):
    """{{ day.date|local_date:"day" }}: 12月12日 星期六 / Sat 12 Dec (kinds in core.lang.DATE_FORMATS)."""
    return lang.local_date(value, kind)


@register.simple_tag(takes_context=True)
def nav_current(context, prefix):
    """aria-current for the navigation entry that holds the current page."""
    request = context.get("request")
    path = request.path if request else ""
    current = path == "/" if prefix == "/" else path.startswith(prefix)
    return mark_safe(' aria-current="page"') if current else ""


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("includes/breadcrumb.html")
def breadcrumb(*parts):
    """{% breadcrumb "栏目" "/news/" story.title %}: title/url pairs, then the current page's title."""
    *links, current = parts
    crumbs = [(links[i], links[i + 1]) for i in range(0, len(links) - 1, 2)]
    crumbs.append((current, None))
    return {"crumbs": crumbs}


def _placed(context):
    """The targets this request's page has drawn so far (kept on the request, shared by includes)."""
    request = context.get("request")
    if request is None:
        return set()
    if not hasattr(request, "_placed_message_targets"):
        request._placed_message_targets = set()
    return request._placed_message_targets


@register.filter
def untargeted(messages):
    """The page-wide messages: those that belong next to an element are drawn there (core/targeted.py)."""
    return [m for m in messages or () if not targeted.target_of(m)]


@register.simple_tag(takes_context=True)
def has_targeted_messages(context, *parts):
    """{% has_targeted_messages "role-" role.pk as answered %}: whether a message waits for that element,
    so the element need not say the same thing a second time beside it."""
    target = "".join(str(p) for p in parts)
    return any(targeted.target_of(m) == target for m in context.get("messages") or ())


@register.inclusion_tag("includes/targeted_messages.html", takes_context=True)
def targeted_messages(context, *parts):
    """{% targeted_messages "role-" role.pk %}: the messages for the element with that id, drawn in place."""
    target = "".join(str(p) for p in parts)
    _placed(context).add(target)
    return {"found": _anchored(m for m in context.get("messages") or () if targeted.target_of(m) == target)}


@register.inclusion_tag("includes/targeted_messages.html", takes_context=True)
def unplaced_messages(context):
    """At the end of the page: targeted messages whose element the page did not draw."""
    placed = _placed(context)
    return {"found": _anchored(m for m in context.get("messages") or () if targeted.target_of(m) not in ("", *placed))}


def _anchored(messages):
    """(message, id) pairs: the first message of each target carries the id its redirect lands on."""
    seen, pairs = set(), []
    for message in messages:
        target = targeted.target_of(message)
        pairs.append((message, "" if target in seen else targeted.anchor(target)))
        seen.add(target)
    return pairs
