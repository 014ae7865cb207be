"""`manage.py profile_pages`: where each page of the benchmark spends its time, in this process.

Every page `make bench` measures (public, and signed-in for the bench's visitors) is requested
through the whole middleware stack with Django's test client, page cache off, as often as asked;
the median time, the queries and a cProfile split by kind of work are printed, with the three
biggest costs of each page named. Run it on the seeded data set (`seed_scale`) with DEBUG off:

    DATABASE_URL=postgres://... DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=testserver \\
        DJANGO_SSL_REDIRECT=false manage.py profile_pages --runs 20

The split is of the profiled runs (the profiler slows every function call, so it is given as shares
of the page's time, not in milliseconds). Times are this process's wall clock: run it on a quiet
machine, and compare pages with each other or one commit with another, not with the benchmark's
requests per second.
"""

import cProfile
import pstats
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from ops import benchvisitors
from ops.management.commands import bench

# Kinds of work, by the file a function lives in: the first that matches names its time (tottime).
KINDS = (
    ("SQL in the database", ("psycopg2", "sqlite3", "django/db/backends/")),
    ("building queries and rows (ORM)", ("django/db/models/",)),
    ("template rendering", ("django/template/", "django/templatetags/", "crispy_forms", "django/forms/")),
    ("translation lookups", ("django/utils/translation/", "gettext")),
    ("number and date formatting", ("django/utils/formats.py", "django/utils/numberformat.py", "dateformat.py")),
    ("cache round trips", ("django/core/cache/", "redis/", "core/sharedcache.py")),
    ("middleware and request handling", ("django/core/handlers/", "django/middleware/", "django/contrib/", "csp/")),
    ("portal code", ("/core/", "/news/", "/events/", "/feedback/", "/volunteers/", "/communities/", "/ops/")),
)


def kind_of(where):
    for kind, marks in KINDS:
        if any(mark in where for mark in marks):
            return kind
    return "other Python"


def split(stats):
    """{kind: seconds} of a pstats.Stats."""
    kinds = {}
    for (filename, _line, name), (_calls, _primitive, tottime, _cumtime, callers) in stats.stats.items():
        kind = kind_of(f"{filename}:{name}")  # a C function has no file: "~:<method 'execute' of 'psycopg2...'>"
        if kind == "other Python" and filename == "~" and callers:
            # A builtin (getattr, str.join ...) works for whoever called it most.
            (caller_file, _l, caller_name), _counts = max(callers.items(), key=lambda item: item[1][2])
            kind = kind_of(f"{caller_file}:{caller_name}")
        kinds[kind] = kinds.get(kind, 0.0) + tottime
    return kinds


class Command(BaseCommand):
    help = "Profiles every benchmark page in this process and names its three biggest costs."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--only", nargs="*", help="pages whose name contains one of these words")

    def handle(self, *args, runs, only, **options):
        if settings.DEBUG:
            raise CommandError("Run it with DJANGO_DEBUG=false: DEBUG changes what every page costs.")
        call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as production serves
        users = {kind: benchvisitors.visitor(kind) for kind in benchvisitors.VISITORS}
        targets = [(name, resolve(), None) for name, resolve in bench.pages().items() if name != "floor"]
        targets += [(name, resolve(users[kind]), kind) for name, kind, resolve in bench.signed_in_pages()]
        with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
            for name, path, kind in targets:
                if only and not any(word in name for word in only):
                    continue
                self._page(name, path, users.get(kind), runs)

    def _page(self, name, path, user, runs):
        client = Client()
        if user is not None:
            client.force_login(user)
        first = client.get(path)
        if first.status_code != 200:
            raise CommandError(f"{name}: {path} answered {first.status_code}.")
        times = []
        for _ in range(runs):  # timed without the profiler, whose own cost is large
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        profile = cProfile.Profile()
        for _ in range(runs):
            profile.enable()
            client.get(path)
            profile.disable()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        kinds = split(pstats.Stats(profile))
        total = sum(kinds.values()) or 1.0
        top = sorted(kinds.items(), key=lambda item: -item[1])[:3]
        costs = "; ".join(f"{kind} {seconds / total:.0%}" for kind, seconds in top)
        median = statistics.median(times)
        self.stdout.write(f"{name:<34} {median:7.1f} ms median, {len(queries.captured_queries):3d} queries | {costs}")
