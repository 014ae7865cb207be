"""What each middleware costs on the floor request, measured in this process (no server, no network).

The stack is built up one middleware at a time, in MIDDLEWARE's order: MIDDLEWARE[:1], MIDDLEWARE[:2],
... each a fresh WSGIHandler answering an anonymous GET of /floor ``requests`` times. A middleware's cost
is the time per request of the stack with it minus the stack without it. Building up (rather than leaving
one out) keeps every middleware above the ones it needs (auth above sessions, OTP above auth).

`manage.py middleware_cost` prints the table; run it where DEBUG is off (the command sees to that).
"""

import io
import time

from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings
from django.urls import path

from ops.views import floor

# This module is also the URLconf of the measurement: the site's URLs do not mount /floor by default.
urlpatterns = [path("floor", floor, name="floor")]


def environ(path_info="/floor", host="127.0.0.1"):
    """An anonymous browser's GET, as gunicorn hands it to Django (no cookies)."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _start_response(status, headers, exc_info=None):
    if not status.startswith("200"):
        raise RuntimeError(f"/floor answered {status}")


def time_stack(middleware, requests, host="127.0.0.1", rounds=5):
    """CPU µs per anonymous GET of /floor through ``middleware``: the best round, in this process's CPU
    time, not the clock, so other work on a shared machine counts less."""
    with override_settings(MIDDLEWARE=list(middleware), ROOT_URLCONF=__name__):
        handler = WSGIHandler()
        base = environ(host=host)
        for _ in range(min(requests, 200)):  # warm: imports, URL resolver, per-process caches
            _answer(handler, base)
        best = None
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(requests):
                _answer(handler, base)
            elapsed = (time.process_time() - started) / requests * 1e6
            best = elapsed if best is None else min(best, elapsed)
        return best


def _answer(handler, base):
    request = dict(base)
    request["wsgi.input"] = io.BytesIO(b"")
    response = handler(request, _start_response)
    b"".join(response)
    response.close()


def cumulative(middleware, requests=2000, host="127.0.0.1"):
    """[(middleware, µs per request of the stack down to it, its own cost in µs)], the bare handler first."""
    rows = []
    previous = time_stack([], requests, host)
    rows.append(("(no middleware: handler, URL resolver, view)", previous, previous))
    for index, name in enumerate(middleware):
        total = time_stack(middleware[: index + 1], requests, host)
        rows.append((name, total, total - previous))
        previous = total
    return rows
