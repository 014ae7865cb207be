"""`make bench`: each listed page against the floor view, on gunicorn with production settings.

Two runs of gunicorn, each with its own floor: the page cache on (the public pages, then the cached
mix: a crowd asking them at random), and the page cache off (every page rendered: the public pages
with each one's server time alone, the uncached search, the staff's and a volunteer's signed-in
pages). ops/benchreport.py reads wrk, judges the targets and writes bench/results*.md.

Loads nothing itself: `make bench` runs `seed_scale` first when the data set is missing.
"""

import os
import platform
import resource
import shutil
import subprocess
import tempfile
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import registry
from ops import benchfloor, benchreport, benchvisitors, serve
from ops.benchreport import FLOOR, PUBLIC, Row

# name -> function returning a path on the data set, or None when the app has no such page yet.
PAGES = {}


def page(name):
    def register(function):
        PAGES[name] = function
        return function

    return register


@page("floor")
def _floor():
    return "/floor"


@page("home")
def _home():
    return "/"


@page("community page")
def _community():
    from communities.models import Community

    community = Community.objects.select_related("street").order_by("pk").first()
    return community and community.get_absolute_url()


def pages():
    """The pages above, then every app's ``bench`` hook (its PAGES dict), in INSTALLED_APPS order."""
    found = dict(PAGES)
    for module in registry.modules("bench"):
        found.update(module.PAGES)
    return found


def _desk(user):
    return "/admin/"


def _home_signed_in(user):
    return "/"


# Pages for a signed-in visitor (ops/benchvisitors.py): name -> (visitors, function(user) -> path).
SIGNED_IN = {
    "desk": (benchvisitors.STAFF, _desk),
    "home": ((benchvisitors.VOLUNTEER,), _home_signed_in),
}


def signed_in_pages():
    """[(row name, visitor, function)]: the pages above and every app's ``SIGNED_IN`` (optional in its
    bench hook), each once per visitor it names, grouped by visitor (staff first, then the volunteer)."""
    found = dict(SIGNED_IN)
    for module in registry.modules("bench"):
        found.update(getattr(module, "SIGNED_IN", {}))
    rows = []
    for kind in benchvisitors.VISITORS:
        for name, (visitors, resolve) in found.items():
            unknown = set(visitors) - set(benchvisitors.VISITORS)
            if unknown:
                raise CommandError(f"Unknown bench visitor(s) {', '.join(sorted(unknown))} for {name!r}.")
            if kind in visitors:
                rows.append((f"{name} ({kind})", kind, resolve))
    return rows


# Rows other modules measure in the same run (e.g. Django's bare floor): functions called as
# hook(command, cached) while the portal's gunicorn runs, page cache on (cached) or off; each returns a
# list of benchreport.Row, shown after the floor. command.base is the server's address, command.options
# the options, command.measure(url, connections) a warm-up and a measured wrk run.
ROW_HOOKS = []


def bare_floor(command, cached):
    """Django's bare floor (ops/benchfloor.py) right after the portal's, in the run with the page cache
    on (the floor is the same in both runs): what the portal's middleware costs beyond Django's own."""
    if not cached:
        return []
    found = benchfloor.bare_floor_rows(command.options, serve.production_env(), run_wrk)
    return [Row(name, shown, stats, kind=benchreport.BARE) for name, shown, stats in found]


ROW_HOOKS.append(bare_floor)


# The cached mix asks every public page but these. The case tracking page is in it although the page
# cache never serves it (each lookup is counted, feedback/owner.py): it is a public page visitors open.
NOT_IN_MIX = {"floor"}


def run_wrk(url, connections, seconds, threads=2, script=None, cookie=None):
    """One wrk run, read by benchreport.parse_wrk; ``script`` is the path of a Lua file."""
    threads = min(threads, connections)
    extra = ["-s", script] if script else []
    if cookie:
        extra += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip"]
        + extra
        + [url],
        capture_output=True,
        text=True,
        check=True,
    )
    return benchreport.parse_wrk(result.stdout)


@contextmanager
def lua_file(text):
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115 - removed below
    try:
        handle.write(text)
        handle.close()
        yield handle.name
    finally:
        os.unlink(handle.name)


def raise_file_limit(needed):
    """Lets this process and its children (wrk, gunicorn) hold ``needed`` open files: each of the mix's
    connections is a socket on both sides. Returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise CommandError(f"{needed} open files are needed and the hard limit is {hard}: raise it (ulimit -Hn).")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed


def output_paths(output):
    """{page cache on: path, off: path}: --output names the cached run's file, the uncached run's is
    beside it with -no-page-cache in its name (bench/results.md, bench/results-no-page-cache.md)."""
    path = Path(output)
    return {True: path, False: path.with_name(f"{path.stem}-no-page-cache{path.suffix}")}


class Command(BaseCommand):
    help = (
        "Benchmarks the public pages on gunicorn (DEBUG off) with wrk, page cache on and then off, each run "
        "against a floor view measured in it: with the cache on, a cached mix of the public pages at 200 "
        "connections; with it off, each page's server time alone, the uncached search, the staff's and a "
        "volunteer's signed-in pages. Prints the tables and the targets and writes bench/results.md and "
        "bench/results-no-page-cache.md. Needs PostgreSQL in DATABASE_URL and wrk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument(
            "--staff-connections",
            type=int,
            default=4,
            help="connections for the staff pages (a district's staff at their desks, not a crowd)",
        )
        parser.add_argument("--seconds", type=int, default=10)
        parser.add_argument("--warmup", type=int, default=2)
        parser.add_argument(
            "--repeat", type=int, default=2, help="measured runs per page, the best kept (the mix runs once)"
        )
        parser.add_argument(
            "--server-seconds",
            type=int,
            default=2,
            help="page cache off: how long each page is asked by one connection alone for its server time",
        )
        parser.add_argument("--mix-seconds", type=int, default=60, help="page cache on: the cached mix's length")
        parser.add_argument("--mix-connections", type=int, default=200, help="page cache on: the cached mix's crowd")
        parser.add_argument("--port", type=int, default=8731)
        # 2 threads per worker: at the mix's 200 connections, 4 workers × 2 threads served 2-3 times the
        # requests of 5 sync workers on 2 cores, with lower p50 and p99 (keep-alive, and a second
        # request in while the first waits for PostgreSQL or Redis).
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
        parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker (1: sync workers)")
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "bench" / "results.md"),
            help="the cached run's file; the uncached run's is beside it, named <name>-no-page-cache.md",
        )
        parser.add_argument("--allow-sqlite", action="store_true", help="for trying the script only")
        only = parser.add_mutually_exclusive_group()
        only.add_argument(
            "--no-page-cache",
            action="store_true",
            help="only the run with PAGE_CACHE_SECONDS=0: what each page costs when it is rendered for every visitor",
        )
        only.add_argument("--only-cached", action="store_true", help="only the run with the page cache on")

    def handle(self, *args, **options):
        self.options = options
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError(
                "The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://... (e.g. "
                "postgres://postgres@127.0.0.1:5432/bench) and run `make bench` again."
            )
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install wrk (make bench does this when run as root).")
        # The page cache off first: the cached run ends with the mix at 200 connections, whose
        # aftermath (a server with hundreds of open connections stopping) would weigh on the next rows.
        modes = [
            cached for cached in (False, True) if not (options["no_page_cache"] if cached else options["only_cached"])
        ]
        raise_file_limit(2 * max(options["mix_connections"], options["connections"]) + 256)
        public = [(name, resolve()) for name, resolve in pages().items()]
        signed_in = []  # (row name, path, visitor, connections): page cache off only, it never serves them
        cookies = {}
        if False in modes:
            users = {kind: benchvisitors.visitor(kind) for kind in benchvisitors.VISITORS}
            for name, kind, resolve in signed_in_pages():
                staff = kind in benchvisitors.STAFF
                connections = options["staff_connections"] if staff else options["connections"]
                signed_in.append((name, users[kind] and resolve(users[kind]), kind, connections))
        missing = [name for name, path in public if not path] + [row[0] for row in signed_in if not row[1]]
        if missing:
            raise CommandError(f"No data for: {', '.join(missing)}. Run `manage.py seed_scale` first.")
        if signed_in:
            # Sessions are signed with the server's key, not this command's.
            secret = serve.production_env()["DJANGO_SECRET_KEY"]
            cookies = {kind: benchvisitors.session_cookie(user, secret) for kind, user in users.items()}
        outputs = output_paths(options["output"])
        runs = []
        for cached in modes:
            runs.append(self._run(cached, public, signed_in, cookies, outputs[cached]))
            for run in runs:  # each file's Targets judge every run made so far
                run.path.parent.mkdir(parents=True, exist_ok=True)
                run.path.write_text(benchreport.render(run, runs))
        for run in runs:
            self.stdout.write(f"\n{run.path}:\n\n" + benchreport.render(run, runs))
        self.stdout.write("Targets:")
        for line in benchreport.summary(runs):
            self.stdout.write("  " + line)

    def _run(self, cached, public, signed_in, cookies, output):
        """One gunicorn, page cache on or off, and every row of its file."""
        options = self.options
        load = os.getloadavg()
        started = f"{datetime.now().astimezone():%Y-%m-%d %H:%M %z}"
        self.stdout.write(f"Page cache {'on' if cached else 'off'} (load average {load[0]:.2f} at start):")
        env = serve.production_env(None if cached else {"PAGE_CACHE_SECONDS": "0"})
        server = self._start_gunicorn(env)
        self.base = f"http://127.0.0.1:{options['port']}"
        rows = []
        try:
            for name, path in public:
                kind = FLOOR if name == "floor" else PUBLIC
                rows.append(self._page(name, path, kind, options["connections"], None, server_time=not cached))
                if kind == FLOOR:
                    for hook in ROW_HOOKS:
                        rows.extend(hook(self, cached))
            if cached:
                rows.append(self._mix([path for name, path in public if name not in NOT_IN_MIX]))
            else:
                for name, path, kind, connections in signed_in:
                    rows.append(self._page(name, path, kind, connections, cookies[kind], server_time=True))
                rows.append(self._search())
        finally:
            serve.stop(server)
        machine = (
            f"{platform.node()} ({os.cpu_count()} cores, {platform.python_implementation()} "
            f"{platform.python_version()}, {connection.vendor}, "
            f"cache {'Redis' if os.environ.get('REDIS_URL') else 'local memory'})"
        )
        shown = ("workers", "threads", "connections", "staff_connections", "seconds", "warmup", "repeat")
        shown += ("server_seconds",)
        shown += ("mix_seconds", "mix_connections")
        return benchreport.Run(cached, rows, Path(output), started, load, machine, {key: options[key] for key in shown})

    def measure(self, url, connections, seconds=None, script=None, cookie=None, repeat=None):
        """A warm-up, then ``--repeat`` measured runs, of which the one with the most requests/s is kept:
        on a shared machine a busy neighbour only ever lowers a figure, never raises it."""
        run_wrk(url, connections, self.options["warmup"], script=script, cookie=cookie)
        runs = [
            run_wrk(url, connections, seconds or self.options["seconds"], script=script, cookie=cookie)
            for _ in range(repeat or self.options["repeat"])
        ]
        return max(runs, key=lambda stats: stats["rps"])

    def _page(self, name, path, kind, connections, cookie, server_time):
        url = self.base + path
        # One visitor first, as in life: a cached page is made once, not by 16 at the same moment.
        first = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - local
        with urllib.request.urlopen(first, timeout=120) as answer:  # noqa: S310 - our own local server
            answer.read()
            if cookie and answer.geturl() != url:  # sent to the login page: it would time a redirect
                raise CommandError(f"{name}: {path} answered with a redirect to {answer.geturl()}.")
        stats = self.measure(url, connections, cookie=cookie)
        server_ms = None
        if server_time:
            # What one request costs the server with nothing else asked: the median of one connection.
            server_ms = run_wrk(url, 1, self.options["server_seconds"], threads=1, cookie=cookie)["p50"]
        signed = kind not in (FLOOR, PUBLIC)
        shown = f"`{path}` as the bench's {kind}, {connections} conn." if signed else f"`{path}`"
        row = Row(name, shown, stats, kind=kind, server_ms=server_ms)
        self._line(row)
        return row

    def _search(self):
        """Search as each visitor's own query costs it: never cached, one visitor at a time."""
        with lua_file(benchreport.search_script()) as script:
            stats = self.measure(self.base + "/search/?q=x", 1, script=script)
        shown = "`/search/?q=<12 two-character words>, cookie past the page cache, 1 conn.`"
        row = Row("search, uncached", shown, stats, kind=benchreport.OTHER, ratio=False)
        self._line(row)
        return row

    def _mix(self, paths):
        """The cached mix: a crowd of anonymous visitors asking the public pages at random."""
        connections, seconds = self.options["mix_connections"], self.options["mix_seconds"]
        with lua_file(benchreport.mix_script(paths)) as script:
            stats = self.measure(self.base + "/", connections, seconds=seconds, script=script, repeat=1)
        shown = f"`<{len(paths)} public pages at random>`, {connections} conn., {seconds} s"
        row = Row("cached mix", shown, stats, kind=benchreport.MIX, ratio=False)
        self._line(row)
        return row

    def _line(self, row):
        stats = row.stats
        server = "" if row.server_ms is None else f"  alone p50 {benchreport.ms(row.server_ms):>6} ms"
        self.stdout.write(
            f"  {row.name:<36} {stats['rps']:>8.0f} req/s  p50 {benchreport.ms(stats['p50']):>6} ms  "
            f"p99 {benchreport.ms(stats['p99']):>6} ms  errors {stats['errors']}{server}"
        )

    def _start_gunicorn(self, env):
        options = self.options
        try:
            return serve.start_gunicorn(options["port"], options["workers"], env, threads=options["threads"])
        except serve.ServerError as exc:
            raise CommandError(str(exc)) from None
