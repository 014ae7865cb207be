"""Whole-page cache for anonymous visitors, with the per-visitor bits put back on every hit.

What is cached: GET answers (200, HTML) of the public pages listed in ``CACHEABLE``,
for visitors who carry no cookie other than the CSRF, language and display cookies
(so no session, no login, no pending messages, no 附议 cookie). The key is the
path with its query, the language and the three display preferences, and a
**generation** number kept in the cache.

What is never shared: every page's header has small POST forms with a CSRF token,
and booking forms carry a one-time submission number. Before a page is stored
those values are replaced by markers; a hit fills them in afresh for the visitor
(``get_token(request)`` — any masked form of the visitor's secret is valid — and a
new UUID per form), and the CSRF middleware sets the cookie as for any page.

Invalidation: any save or delete of a model of the content apps, and the end of
any successful POST (after its transaction committed, so no page rendered from the
old rows survives it; this also covers admin actions and ``QuerySet.update``), bump
the generation, so the next request renders afresh: a story published in the admin is
on the home page at once, a sign-up changes "places left" at once. Entries also
expire after ``PAGE_CACHE_SECONDS`` (60). A saved row with a future ``published_at``
(a scheduled story) records that time in the cache; a page stored before it is not
served after it, so the story appears at its time without a job.

With Redis (``REDIS_URL``) the generation is shared by every worker and app server.
With the local-memory cache each process has its own cache *and* its own
generation: a change made through one gunicorn worker is not seen by the others'
caches until their entries expire (at most ``PAGE_CACHE_SECONDS``). Use Redis
whenever more than one process serves the portal.
"""

import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from civic_portal.middleware import PREF_COOKIES, DisplayPreferences

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
SCHEDULE_KEY = "pagecache:due"
# url names (namespace:name) whose anonymous GET answers may be shared.
CACHEABLE = {
    "home",
    "accessibility",
    "search",
    "communities:directory",
    "communities:street",
    "communities:community",
    "news:list",
    "news:story",
    "news:column",
    "news:issue",
    "news:tag",
    "events:list",
    "events:detail",
    "volunteers:index",
    "volunteers:team",
    "feedback:board",
    "feedback:track",
}
# POSTs that change no content: they do not invalidate.
NO_BUMP = {"set_display", "set_language"}
CONTENT_APPS = {"communities", "news", "events", "volunteers", "feedback"}

# Hidden inputs whose value belongs to one visitor: name -> how to make a fresh one.
FRESH = {
    "csrfmiddlewaretoken": lambda request: get_token(request),
    "submission": lambda request: str(uuid.uuid4()),
}
_FIELD = re.compile(rb'(name="(' + b"|".join(n.encode() for n in FRESH) + rb')" value=")([^"]*)(")')
_MARKER = re.compile(rb"\x00fresh:(\w+)\x00")
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Vary", "X-Content-Type-Options")


def timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 60)


def generation_and_due():
    """The generation and the times (timestamps) at which scheduled content becomes due: one round trip."""
    values = cache.get_many([GENERATION_KEY, SCHEDULE_KEY])
    value = values.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return value, values.get(SCHEDULE_KEY) or []


def schedule(when):
    """Content becomes visible at ``when`` by itself: pages stored before then are not served after it."""
    try:
        now = timezone.now().timestamp()
        due = [t for t in cache.get(SCHEDULE_KEY) or [] if t > now - timeout()]
        cache.set(SCHEDULE_KEY, sorted({*due, when.timestamp()}), timeout=None)
    except Exception:
        logger.exception("page cache: could not record a scheduled time")


def bump(app=None):
    """Every cached page is out of date from now on (and the data cached for ``app``, see app_generation)."""
    for key in (GENERATION_KEY, f"{GENERATION_KEY}:{app}") if app else (GENERATION_KEY,):
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there yet (first change, or evicted)
                cache.add(key, 2, timeout=None)
        except Exception:  # a cache outage must never break a save; entries still expire
            logger.exception("page cache: could not bump %s", key)


def app_generation(app):
    """A counter that moves only when a model of ``app`` changes: for data one app's rows decide
    (the feedback figures), so unrelated changes elsewhere do not recompute it."""
    key = f"{GENERATION_KEY}:{app}"
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, timeout=None)
        value = cache.get(key) or 1
    return value


def _content_changed(sender, instance=None, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS:
        return
    bump(sender._meta.app_label)
    when = getattr(instance, "published_at", None)
    if when is not None and when > timezone.now():
        schedule(when)


def connect():
    post_save.connect(_content_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_content_changed, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_content_changed, dispatch_uid="pagecache-m2m")


def _allowed_cookies():
    return {
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        *PREF_COOKIES,
    }


def _key(request, gen):
    display = DisplayPreferences.from_cookies(request.COOKIES)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"pagecache:{gen}:{language}:{int(display.elder)}:{int(display.high_contrast)}:{display.fontsize}:{path}"


def _marked(content):
    return _FIELD.sub(lambda m: m.group(1) + b"\x00fresh:" + m.group(2) + b"\x00" + m.group(4), content)


def _filled(request, content):
    csrf = []  # one token for the page, as {% csrf_token %} gives; a new submission number per form

    def fresh(match):
        name = match.group(1).decode()
        if name == "csrfmiddlewaretoken":
            if not csrf:
                csrf.append(FRESH[name](request).encode())
            return csrf[0]
        return FRESH[name](request).encode()

    return _MARKER.sub(fresh, content)


class PageCacheMiddleware:
    """Sits below the CSRF, auth and messages middleware (it needs their work on a hit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if response.status_code < 400 and _url_name(request) not in NO_BUMP:
                bump()  # again, now that the view's transaction has committed
            return response
        if not self._may_use(request):
            return self.get_response(request)
        try:
            gen, due = generation_and_due()
            key = _key(request, gen)
            stored = cache.get(key)
        except Exception:
            logger.exception("page cache unavailable")
            return self.get_response(request)
        now = timezone.now().timestamp()
        if stored is not None and not any(stored[2] < t <= now for t in due):
            content, headers, _made = stored
            response = HttpResponse(_filled(request, content), headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and self._may_store(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            try:
                cache.set(key, (_marked(response.content), headers, now), timeout())
            except Exception:
                logger.exception("page cache: could not store %s", request.path)
            response["X-Page-Cache"] = "miss"
        return response

    def _may_use(self, request):
        if timeout() <= 0 or request.method != "GET":
            return False
        if set(request.COOKIES) - _allowed_cookies():
            return False  # a session (login, form state), pending messages, 附议 ...: render for this visitor
        return _url_name(request) in CACHEABLE

    def _may_store(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        control = response.get("Cache-Control", "")
        if "private" in control or "no-store" in control or "no-cache" in control:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        messages = getattr(request, "_messages", None)
        if messages is not None and (getattr(messages, "added_new", False) or messages._queued_messages):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)


def _url_name(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.view_name
