"""Whole-page cache for anonymous visitors, with the per-visitor bits put back on every hit.

What is cached: GET answers (200, HTML) of the public pages listed in ``CACHEABLE``,
for visitors who carry no cookie other than the CSRF, language and display cookies
(so no session, no login, no pending messages, no 附议 cookie). The key is the
path, the query parameters the page reads (``CACHEABLE`` names them; the view is
given only those, sorted, so ``?utm=1`` or a random parameter is the same page and
is never echoed into it), the language and the three display preferences, and a
**generation** number kept in the cache.

What is never shared: every page's header has small POST forms with a CSRF token,
and booking forms carry a one-time submission number. Before a page is stored
those values are replaced by markers; a hit fills them in afresh for the visitor
(``get_token(request)`` — any masked form of the visitor's secret is valid — and a
new UUID per form), and the CSRF middleware sets the cookie as for any page.

Invalidation, on content changes only: any save or delete of a model of the content
apps bumps the generation, and so does any request other than GET whose SQL wrote
a row of a content app (``QuerySet.update`` sends no signal: a 附议, an admin
action), once more after it answered, when its transaction has committed, so no
page rendered from the old rows survives it. A POST that writes no content (a
logout, a login-only action refused, a repeated 附议, a form with mistakes) leaves
everyone's cache alone. The next request renders afresh: a story published in the
admin is on the home page at once, a sign-up changes "places left" at once. Entries
are also no longer fresh after ``PAGE_CACHE_SECONDS`` (60). A saved row with a future
``published_at`` (a scheduled story) records that time in the cache; a page stored
before it is not served after it, so the story appears at its time without a job.

One rebuild at a time (no stampede). A page is stored for ``STALE_FACTOR`` (2) ×
``PAGE_CACHE_SECONDS`` and judged fresh by what it carries, not by the cache's expiry: its
generation is the current one, it was made less than ``PAGE_CACHE_SECONDS`` ago, and no
scheduled time has passed since. When a request finds a copy that is not fresh, it takes the
rebuild lock (``pagecache:rebuild:<key>``, an atomic ``add`` in the shared cache, held for at most
``REBUILD_LOCK_SECONDS``) and renders; requests that find the lock taken serve the last stored
copy (``X-Page-Cache: stale``) instead of rendering the same page again. So a popular page that
expires or is invalidated under load is rendered by one request in all processes, not by every
request that arrives while it renders. The limits:

- a stale copy is served only while another request holds the lock, only the copy in the shared
  cache (re-read after the lock was refused, so once the rebuild has stored the new page nobody
  serves the old one; the rebuild stores before it lets go of the lock), and only when it was made
  less than ``STALE_FACTOR`` × ``PAGE_CACHE_SECONDS`` ago. In practice a stale copy outlives a
  change by one render (or by ``REBUILD_LOCK_SECONDS`` when the rebuilding worker dies mid-way;
  a render longer than that lets one more request rebuild, and only the holder deletes its lock);
- after a change made through this process (a POST, an admin save), this process serves no copy
  made before that change, stale or not: the visitor who made it sees it on their next page.
  Through another worker they may see the last copy for the time of one render;
- a rebuild that does not give a page to store (an exception, a 500, a 404 because the story
  was taken down) deletes the stored copy and releases the lock (try/finally): nobody is served
  the old page afterwards, and the next request renders;
- with no copy at all (first visit, after eviction or a restart) there is nothing to serve, so
  every request renders as it did before, without waiting for another: waiting would hold a
  worker thread to save one render, and a popular page's copy outlives its freshness, so this
  happens once per page per cold start.
``PAGE_CACHE_STAMPEDE_LOCK = False`` turns the lock off (every request that finds a stale copy
renders; for measuring it).

With Redis (``REDIS_URL``) the generation is shared by every worker and app server.
With the local-memory cache each process has its own cache *and* its own
generation: a change made through one gunicorn worker is not seen by the others'
caches until their entries expire (at most ``PAGE_CACHE_SECONDS``). Use Redis
whenever more than one process serves the portal. When the cache does not answer,
pages are rendered for each visitor (core/sharedcache.py).
"""

import collections
import functools
import hashlib
import re
import secrets
import threading
import time
import uuid
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone

from core import registry, sharedcache
from core.middleware import PREF_COOKIES, DisplayPreferences

GENERATION_KEY = "pagecache:generation"
SCHEDULE_KEY = "pagecache:due"
REBUILD_KEY = "pagecache:rebuild:"
# A page is kept this many times PAGE_CACHE_SECONDS, to be served while it is rebuilt.
STALE_FACTOR = 2
# The longest one request holds a page's rebuild lock (a worker killed mid-render lets it go then).
REBUILD_LOCK_SECONDS = 5
# url names (namespace:name) whose anonymous GET answers may be shared -> the query parameters the
# page reads. Any other parameter is taken away before the view runs, so it cannot change the page.
_NONE = frozenset()
CACHEABLE = {
    "home": _NONE,
    "accessibility": _NONE,
    "search": frozenset({"q", "page"}),
    "communities:directory": _NONE,
    "communities:street": _NONE,
    "communities:community": _NONE,
    "news:list": frozenset({"street", "community", "column", "tag", "page"}),
    "news:story": _NONE,
    "news:column": frozenset({"page"}),
    "news:issue": _NONE,
    "news:tag": frozenset({"page"}),
    "events:list": frozenset({"street", "community", "month", "page"}),
    "events:detail": _NONE,
    "volunteers:index": _NONE,
    "volunteers:team": _NONE,
    "feedback:board": frozenset({"street", "page"}),
    # Not feedback:track: every lookup by code is counted in the view (feedback/owner.py), and a
    # page served from here would answer a real code without counting it.
}

# Hidden inputs whose value belongs to one visitor: name -> how to make a fresh one.
FRESH = {
    "csrfmiddlewaretoken": lambda request: get_token(request),
    "submission": lambda request: str(uuid.uuid4()),
}
_FIELD = re.compile(rb'(name="(' + b"|".join(n.encode() for n in FRESH) + rb')" value=")([^"]*)(")')
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Vary", "X-Content-Type-Options")


def timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 60)


def generation_and_due():
    """The generation and the times (timestamps) at which scheduled content becomes due: one round trip."""
    values = sharedcache.get_many([GENERATION_KEY, SCHEDULE_KEY])
    value = values.get(GENERATION_KEY)
    if value is None:
        sharedcache.add(GENERATION_KEY, _first(), None)
        value = sharedcache.get(GENERATION_KEY) or _first()
    return value, values.get(SCHEDULE_KEY) or []


def schedule(when):
    """Content becomes visible at ``when`` by itself: pages stored before then are not served after it."""
    now = timezone.now().timestamp()
    due = [t for t in sharedcache.get(SCHEDULE_KEY) or [] if t > now - timeout()]
    sharedcache.set(SCHEDULE_KEY, sorted({*due, when.timestamp()}), None)


# Called on every bump: what a process trusts of the generations it read last (core/fragments.py).
on_bump = []


def bump(app=None):
    """Every cached page is out of date from now on (and the data cached for ``app``, see app_generation).
    With the cache down nothing is bumped: a save never fails for it, and entries still expire."""
    _checked.forget()
    with _own_change.lock:  # this process's changes noted in the order the cache numbered them
        value = sharedcache.incr(GENERATION_KEY)
        if value is None:  # not there yet (first change, or evicted)
            sharedcache.add(GENERATION_KEY, _first(), None)
            value = sharedcache.get(GENERATION_KEY)
        _own_change.value = value
    if app and sharedcache.incr(f"{GENERATION_KEY}:{app}") is None:
        sharedcache.add(f"{GENERATION_KEY}:{app}", _first(), None)
    for forget in on_bump:  # after the counters moved: a read in between would keep the old ones
        forget()


def app_generation(app):
    """A counter that moves only when a model of ``app`` changes: for data one app's rows decide
    (the feedback figures), so unrelated changes elsewhere do not recompute it."""
    key = f"{GENERATION_KEY}:{app}"
    value = sharedcache.get(key)
    if value is None:
        sharedcache.add(key, _first(), None)
        value = sharedcache.get(key) or _first()
    return value


def _first():
    """A counter starts at a random number, not 1: after the cache is emptied (a Redis restart),
    no page kept from before can carry the new generation by chance."""
    return secrets.randbelow(2**48) + 1


def _is_content(app_label):
    return app_label in registry.portal_app_labels()


def _content_changed(sender, instance=None, **kwargs):
    if not _is_content(sender._meta.app_label):
        return
    bump(sender._meta.app_label)
    when = getattr(instance, "published_at", None)
    if when is not None and when > timezone.now():
        schedule(when)


def connect():
    post_save.connect(_content_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_content_changed, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_content_changed, dispatch_uid="pagecache-m2m")


# The statements Django writes rows with; it always quotes the table name.
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _app_of_table():
    return {model._meta.db_table: model._meta.app_label for model in apps.get_models(include_auto_created=True)}


class _ContentWrites:
    """A database execute wrapper: the content apps whose rows the request wrote."""

    def __init__(self):
        self.apps = set()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql)
        if match:
            app = _app_of_table().get(match.group(1))
            if app is not None and _is_content(app):
                self.apps.add(app)
        return result


def _read_parameters_only(request, parameters):
    """Leave the view only the query parameters its page reads, sorted, without empty values."""
    query = urlencode(
        [(name, value) for name in sorted(parameters) for value in request.GET.getlist(name) if value],
    )
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def _allowed_cookies():
    return {
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        *PREF_COOKIES,
    }


def _key(request):
    """The page's key. The generation is not in it but in the stored value, so a hit needs one
    round trip to the cache (generation, scheduled times and page together)."""
    display = DisplayPreferences.from_cookies(request.COOKIES)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"pagecache:{language}:{int(display.elder)}:{int(display.high_contrast)}:{display.fontsize}:{path}"


def _split(content):
    """The page as [text, field name, text, field name, ..., text]: the per-visitor values cut out."""
    parts = []
    last = 0
    for match in _FIELD.finditer(content):
        parts += [content[last : match.end(1)], match.group(2).decode()]
        last = match.start(4)
    parts.append(content[last:])
    return parts


def _filled(request, parts):
    csrf = []  # one token for the page, as {% csrf_token %} gives; a new submission number per form
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(part)
        elif part == "csrfmiddlewaretoken":
            if not csrf:
                csrf.append(FRESH[part](request).encode())
            out.append(csrf[0])
        else:
            out.append(FRESH[part](request).encode())
    return b"".join(out)


class _LocalPages:
    """This process's copies of recently served pages, so a hit moves only the generation over the
    network. An entry is used only while its generation is the shared one and it is younger than
    PAGE_CACHE_SECONDS; the oldest go first beyond ``size``."""

    def __init__(self, size=256):
        self.size = size
        self.pages = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            stored = self.pages.get(key)
        if stored is not None and stored[1] < timezone.now().timestamp() - timeout():
            return None
        return stored

    def put(self, key, stored):
        with self.lock:
            self.pages[key] = stored
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self):
        with self.lock:
            self.pages.clear()


_local = _LocalPages()


class _LastCheck:
    """The generation this process read last, trusted for PAGE_CACHE_RECHECK_SECONDS (0.2 s), so
    a busy worker asks the shared cache a few times a second instead of on every hit. A change
    made through this process forgets it at once."""

    def __init__(self):
        self.value = None  # (generation, due, monotonic time)

    def recent(self):
        value = self.value
        window = getattr(settings, "PAGE_CACHE_RECHECK_SECONDS", 0.2)
        if value is None or window <= 0 or time.monotonic() - value[2] > window:
            return None
        return value

    def remember(self, gen, due):
        self.value = (gen, due, time.monotonic())

    def forget(self):
        self.value = None


_checked = _LastCheck()


class _OwnChange:
    """The generation this process's last change moved the counter to. A copy made at an older
    generation may lack that change, so this process never serves it stale: whoever made the
    change, and comes back through this process, sees it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.value = None

    def predates(self, stored_gen, gen):
        own = self.value
        # own > gen: the counter started again (the cache was emptied); the note no longer applies.
        return own is not None and stored_gen < own <= gen


_own_change = _OwnChange()


def _fresh(stored, gen, due, now):
    """Made at the current generation, less than PAGE_CACHE_SECONDS ago, before any scheduled time."""
    return (
        stored is not None
        and stored[0] == gen
        and stored[1] >= now - timeout()
        and not any(stored[1] < t <= now for t in due)
    )


def _may_serve_stale(stored, gen, now):
    """Young enough (STALE_FACTOR × PAGE_CACHE_SECONDS), and made after this process's last change."""
    return (
        stored is not None and stored[1] >= now - STALE_FACTOR * timeout() and not _own_change.predates(stored[0], gen)
    )


def _stampede_lock():
    return getattr(settings, "PAGE_CACHE_STAMPEDE_LOCK", True)


class PageCacheMiddleware:
    """Sits below the CSRF, auth and messages middleware (it needs their work on a hit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            writes = _ContentWrites()
            with connection.execute_wrapper(writes):
                response = self.get_response(request)
            for app in sorted(writes.apps):
                bump(app)  # again, now that the view's transaction has committed
            return response
        if not self._may_use(request):
            return self.get_response(request)
        _read_parameters_only(request, CACHEABLE[_url_name(request.path_info)])
        key = _key(request)
        local = _local.get(key)
        recent = _checked.recent()
        if local is not None and recent is not None:
            values = {GENERATION_KEY: recent[0], SCHEDULE_KEY: recent[1]}  # no round trip at all
        else:
            # One round trip: generation, scheduled times, and the page unless this process holds it.
            values = sharedcache.get_many([GENERATION_KEY, SCHEDULE_KEY] + ([] if local else [key]))
            if not sharedcache.available():
                return self.get_response(request)  # the cache is down: render for this visitor
        gen = values.get(GENERATION_KEY)
        if gen is None:
            gen, _due = generation_and_due()
        due = values.get(SCHEDULE_KEY) or []
        if recent is None or local is None:
            _checked.remember(gen, due)
        stored = local if local is not None and local[0] == gen else values.get(key)
        if stored is None and local is not None:
            stored = sharedcache.get(key)  # this process's copy is old: another process may have a newer one
        now = timezone.now().timestamp()
        if _fresh(stored, gen, due, now):
            _local.put(key, stored)
            return self._served(request, stored, "hit")
        if stored is None or not _stampede_lock():
            return self._render(request, key, gen, now)  # nothing to serve meanwhile (or the lock is off)
        return self._rebuild_or_serve_stale(request, key, gen, due, now)

    def _rebuild_or_serve_stale(self, request, key, gen, due, now):
        """One request renders the page again; the others meanwhile serve the last copy."""
        lock = REBUILD_KEY + key
        token = secrets.token_hex(8)
        if sharedcache.add(lock, token, REBUILD_LOCK_SECONDS):
            rebuilt = False
            try:
                response = self._render(request, key, gen, now)
                rebuilt = response.get("X-Page-Cache") == "miss"
            finally:
                if not rebuilt:
                    sharedcache.delete(key)  # no page to put in its place: serve the old one to nobody
                if sharedcache.get(lock) == token:  # not a lock that timed out and went to another
                    sharedcache.delete(lock)
            return response
        # Another request is rendering it. Read the copy again: the new one, if it is stored by now.
        last = sharedcache.get(key)
        if _fresh(last, gen, due, now):
            _local.put(key, last)
            return self._served(request, last, "hit")
        if _may_serve_stale(last, gen, now):
            return self._served(request, last, "stale")
        return self._render(request, key, gen, now)

    def _served(self, request, stored, how):
        _gen, _made, parts, headers = stored
        response = HttpResponse(_filled(request, parts), headers=headers)
        response["X-Page-Cache"] = how
        return response

    def _render(self, request, key, gen, now):
        response = self.get_response(request)
        if request.method == "GET" and self._may_store(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            stored = (gen, now, _split(response.content), headers)
            _local.put(key, stored)
            sharedcache.set(key, stored, STALE_FACTOR * timeout())
            response["X-Page-Cache"] = "miss"
        return response

    def _may_use(self, request):
        if timeout() <= 0 or request.method != "GET" or _url_name(request.path_info) not in CACHEABLE:
            return False
        # A session (login, form state), pending messages, 附议 ...: render for this visitor.
        return not (request.COOKIES and set(request.COOKIES) - _allowed_cookies())

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


@functools.lru_cache(maxsize=4096)
def _url_name(path):
    """namespace:name of the view a path goes to (remembered: the URLconf does not change)."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return None
