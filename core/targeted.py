"""Messages shown next to the thing a person acted on, not at the top of the page.

The contract: an action view that refuses (or answers) something on a page full of similar things
calls ``error(request, text, target)`` (or ``success``/``info``), where ``target`` is the ``id``
of the element acted on (``role-12``, ``offering-3``, ``case-AB12CD``), and redirects with
``redirect_to(url, target)``. The page renders ``{% targeted_messages "role-" role.pk %}`` inside
that element; the general messages block at the top leaves targeted messages out, and
``{% unplaced_messages %}`` at the end of the page shows any whose element is not on the page after
all (so a message is never lost).

The message itself is the anchor: it is drawn with ``id="msg-role-12"``, ``tabindex="-1"`` and
``data-focus-message``, and the redirect goes to ``#msg-role-12``. A browser focuses a focusable
fragment target by itself (Chromium does, even without JavaScript), and scrolls it into view in
any case; ``static/js/focus-message.js`` focuses it where the browser does not. (Pointing the
fragment at the card instead would not do: Chromium then clears the focus once the page is laid
out, undoing any script's focus.) A form that re-renders its page on a refusal posts to
``...#msg-<target>`` for the same effect.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url

PREFIX = "target:"


def anchor(target):
    """The id of the first message drawn for ``target``: the fragment a redirect lands on."""
    return f"msg-{target}"


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
    """A redirect to ``to`` (a URL, a view name or an object) landing on the message for ``target``."""
    url = resolve_url(to, *args, **kwargs).split("#", 1)[0]
    return HttpResponseRedirect(f"{url}#{anchor(target)}")
