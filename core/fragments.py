"""Fragment cache: the costly parts of a page kept, rendered, until the content they show changes.

The page cache (core/pagecache.py) serves whole pages to anonymous visitors. Everything it cannot
serve — a signed-in volunteer, a page just invalidated by a change, a query string nobody asked
before — is rendered afresh, and a page's cost is in a few parts of it: the home page's blocks,
the board's lists, a story's body. Those parts are kept here, each keyed on what it shows:

- a **name** and the **values it varies on** (a page number, a street, a story's id);
- the **language**, the **display preferences** and whether the visitor is signed in or staff
  (a fragment never holds one visitor's own data: what belongs to a person stays outside it);
- the **generation of each app whose rows it shows** (``pagecache.app_generation``): a change to a
  story moves only news' generation, so a resident's report leaves the news fragments alone.

A stored fragment is used while those generations are the current ones, it is younger than
``FRAGMENT_CACHE_SECONDS`` (60; 0 while developing: templates change under you) and no scheduled
publication time (``pagecache.schedule``) has passed since it was made. The CSRF tokens and
submission numbers of forms inside a fragment are cut out before it is stored and put back for each
visitor, as the page cache does. Fragments are read and stored only for GET requests without
pending messages (a message shown next to a form belongs to one visitor). When the shared cache
does not answer, every fragment is rendered for each visitor.

When a fragment has outlived ``FRAGMENT_CACHE_SECONDS`` but its apps' rows have not changed, one
request draws it again (a lock in the shared cache) while the others are given the last copy, for
up to twice that time: a popular fragment expiring under load is drawn once, not by every worker
at the same moment. A fragment whose rows changed is never given out.

The generations are read in one round trip with the scheduled times, and trusted for
``PAGE_CACHE_RECHECK_SECONDS`` (0.2 s) by a process; a change made through the process forgets
them at once (``pagecache.bump``). Each process also keeps recent fragments itself, so a hit moves
nothing over the network but the generations, at most five times a second.

Use it in a template:

    {% load fragments %}
    {% fragment "board-lists" apps="feedback communities" street.pk page %} ... {% endfragment %}

or around a block of the home, street or community page (core/blocks.py):
``@fragments.block(shows=(Story, Community))``.
Keep what the fragment shows lazy in the view (querysets unevaluated, a ``SimpleLazyObject`` for a
paginator): on a hit it is never evaluated.
"""

import collections
import functools
import hashlib
import operator
import threading
import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from core import pagecache, sharedcache
from core.middleware import DisplayPreferences


def seconds():
    return getattr(settings, "FRAGMENT_CACHE_SECONDS", 60)


class _Generations:
    """The content apps' generations and the scheduled times, as this process read them last."""

    def __init__(self):
        self.value = None  # (generations by app, due times, monotonic time)

    def current(self, apps):
        """{app: generation} for ``apps`` and the due times; None when the cache does not answer."""
        value = self.value
        window = getattr(settings, "PAGE_CACHE_RECHECK_SECONDS", 0.2)
        if value is None or time.monotonic() - value[2] > window or not set(apps) <= value[0].keys():
            value = self._read(set(apps) | (value[0].keys() if value else set()))
            if value is None:
                return None
        return {app: value[0][app] for app in apps}, value[1]

    def _read(self, apps):
        keys = {f"{pagecache.GENERATION_KEY}:{app}": app for app in apps}
        values = sharedcache.get_many([*keys, pagecache.SCHEDULE_KEY])
        if not sharedcache.available():
            return None
        generations = {}
        for key, app in keys.items():
            generations[app] = values.get(key)
            if generations[app] is None:  # no change seen since the cache was emptied
                generations[app] = pagecache.app_generation(app)
        value = (generations, values.get(pagecache.SCHEDULE_KEY) or [], time.monotonic())
        self.value = value
        return value

    def forget(self):
        self.value = None


generations = _Generations()
pagecache.on_bump.append(generations.forget)


class _Local:
    """This process's recent fragments; the least recently used go first beyond ``limit`` bytes."""

    def __init__(self, limit=32 * 1024 * 1024):
        self.limit = limit
        self.bytes = 0
        self.items = collections.OrderedDict()  # key -> (stored, size)
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.items.get(key)
            if found is None:
                return None
            self.items.move_to_end(key)
            return found[0]

    def put(self, key, stored):
        size = sum(len(part) for part in stored[2])
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self.items[key] = (stored, size)
            self.bytes += size
            while self.bytes > self.limit and len(self.items) > 1:
                _key, (_stored, dropped) = self.items.popitem(last=False)
                self.bytes -= dropped

    def clear(self):
        with self.lock:
            self.items.clear()
            self.bytes = 0


_local = _Local()


def _usable(request):
    if seconds() <= 0 or request is None or request.method not in ("GET", "HEAD"):
        return False
    if pagecache._url_name(request.path_info) is None:
        return False  # an address no page answers (a 404): nothing kept for it
    if request.GET:
        # Only the parameters the page reads (pagecache.CACHEABLE): a junk parameter would make a new
        # fragment for every value, and its links (a pager keeps the query) would show it to others.
        reads = pagecache.CACHEABLE.get(pagecache._url_name(request.path_info))
        if reads is None or not set(request.GET) <= reads:
            return False
    # A message may be placed inside the fragment (core/targeted.py): it belongs to this visitor.
    storage = getattr(request, "_messages", None)
    return storage is None or not len(storage)


def _key(request, name, vary):
    display = DisplayPreferences.from_cookies(request.COOKIES)
    user = getattr(request, "user", None)
    who = "staff" if user is not None and user.is_staff else "user" if user and user.is_authenticated else "anon"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # Today is part of every key: "upcoming", "this month" and "N days ago" move with the date.
    varies = hashlib.sha256(repr((timezone.localdate(), *vary)).encode()).hexdigest()[:32]
    display_key = f"{int(display.elder)}:{int(display.high_contrast)}:{display.fontsize}"
    return f"fragment:{name}:{language}:{who}:{display_key}:{varies}"


def _fresh(stored, versions, due, now):
    if stored is None or stored[0] != versions:
        return False
    made = stored[1]
    return made >= now - seconds() and not any(made < t <= now for t in due)


def _only_old(stored, versions, due, now):
    """Past its time but showing the current rows: what the others may be given while one request
    draws it again (no stampede). A fragment whose rows changed is never given out."""
    if stored is None or stored[0] != versions:
        return False
    made = stored[1]
    return made >= now - 2 * seconds() and not any(made < t <= now for t in due)


REBUILD_LOCK_SECONDS = 5


def get_or_render(request, name, apps, vary, render):
    """The fragment ``name`` for ``vary`` as safe HTML: kept, or made by ``render()`` (returning HTML)."""
    if not _usable(request):
        return render()
    current = generations.current(apps)
    if current is None:
        return render()  # the cache is down: render for this visitor
    versions, due = current
    versions = tuple(sorted(versions.items()))
    key = _key(request, name, vary)
    now = timezone.now().timestamp()
    stored = _local.get(key)
    lock = None
    if not _fresh(stored, versions, due, now):
        local, stored = stored, sharedcache.get(key)
        if _fresh(stored, versions, due, now):
            _local.put(key, stored)
        else:
            old = next((copy for copy in (stored, local) if _only_old(copy, versions, due, now)), None)
            stored = None
            if old is not None:
                if sharedcache.add(f"{key}:rebuild", 1, REBUILD_LOCK_SECONDS):
                    lock = f"{key}:rebuild"  # this request draws it again
                else:
                    stored = old  # another request is drawing it: this visitor gets the last copy
    if stored is None:
        try:
            stored = (versions, now, pagecache._split(str(render()).encode()))
            _local.put(key, stored)
            # Kept twice its time: the last copy for the others while one request draws it again.
            sharedcache.set(key, stored, 2 * seconds())
        finally:
            if lock:
                sharedcache.delete(lock)
    return mark_safe(pagecache._filled(request, stored[2]).decode())  # noqa: S308 - rendered by our templates


def block(*, shows, vary=None, order=0):
    """A block function of core/blocks.py whose rendered HTML is kept as a fragment, until a row of
    the models it ``shows`` (their apps) changes.

    ``vary(request, *args)`` gives the values the block depends on besides its apps' rows (the
    community, the day); the block's arguments that are model rows are keyed by their ``pk``.
    The block's dict gets its HTML in ``html``; pages include ``block.template`` only when a block
    has no ``html``. Its template is drawn with ``block`` and the context processors only, not with
    the page's context: what it needs from the page goes in the block's dict. ``order`` is the
    block's place on the page (core/blocks.py): the function is not called on a hit, so it is
    declared here.
    """

    apps = tuple(sorted({model._meta.app_label for model in shows}))

    def decorate(function):
        name = f"{function.__module__}.{function.__name__}"

        @functools.wraps(function)
        def wrapper(request, *args):
            values = vary(request, *args) if vary else tuple(getattr(arg, "pk", arg) for arg in args)

            def render():
                found = function(request, *args)
                if not found:
                    return ""
                return render_to_string(found["template"], {"block": found}, request)

            html = get_or_render(request, name, apps, values, render)
            if not html:
                return None
            return {"html": html, "order": order}

        return wrapper

    return decorate


def lazy(compute, names):
    """Context entries read from ``compute()`` (a dict) only when a template uses one of them: a view
    whose page is kept in fragments does none of its work on a hit."""
    parts = SimpleLazyObject(compute)
    return {name: SimpleLazyObject(functools.partial(operator.getitem, parts, name)) for name in names}


def clear():
    """Forget this process's fragments and generations (tests; the shared copies expire)."""
    _local.clear()
    generations.forget()
