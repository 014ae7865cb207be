"""Messages shown next to the thing a person acted on, not at the top of the page.

The contract: an action view that refuses (or answers) something on a page full of similar things
calls ``error(request, text, target)`` (or ``success``/``info``), where ``target`` is the ``id``
of the element acted on (``role-12``, ``offering-3``, ``case-AB12CD``), and redirects with
``redirect_to(url, target)`` so the browser lands on that element. The page renders
``{% targeted_messages "role-12" %}`` inside the element; the general messages block at the top
leaves targeted messages out, and ``{% unplaced_messages %}`` at the end of the page shows any whose
element is not on the page after all (so a message is never lost). Every targeted message is
drawn focusable (``tabindex="-1"``) with ``data-focus-message``; ``static/js/focus-message.js``
moves focus to it, and without JavaScript the anchor still scrolls it into view.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url

PREFIX = "target:"


def tag(target):
    return f"{PREFIX}{target}"


def target_of(message):
    """The element id a message belongs next to, or "" for a page-wide message."""
    for part in (message.extra_tags or "").split():
        if part.startswith(PREFIX):
            return part[len(PREFIX) :]
    return ""


def error(request, text, target):
    messages.error(request, text, extra_tags=tag(target))


def info(request, text, target):
    messages.info(request, text, extra_tags=tag(target))


def success(request, text, target):
    messages.success(request, text, extra_tags=tag(target))


def redirect_to(to, target, *args, **kwargs):
    """A redirect to ``to`` (a URL, a view name or an object) landing on the element ``target``."""
    url = resolve_url(to, *args, **kwargs).split("#", 1)[0]
    return HttpResponseRedirect(f"{url}#{target}")
