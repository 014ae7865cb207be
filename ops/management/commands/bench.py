"""`make bench`: each listed page against the floor view, on gunicorn with production settings.

Loads nothing itself: `make bench` runs `seed_scale` first when the data set is missing.
"""

import os
import platform
import re
import shutil
import subprocess
import tempfile
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import registry
from ops import benchfloor, benchvisitors, serve

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


LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# Two-character queries for the uncached search line: each request asks one of them with a cookie
# the page cache does not know, so no answer comes from it (an extra query parameter would: pages
# are keyed on the parameters they read).
SEARCH_TERMS = ["社区", "养老", "服务", "志愿", "老人", "胡同", "居民", "环境", "垃圾", "停车", "义诊", "理发"]
SEARCH_SCRIPT = """
local paths = {%s}
wrk.headers["Cookie"] = "bench_uncached=1"
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def search_script():
    paths = ", ".join(f'"/search/?q={quote(term)}"' for term in SEARCH_TERMS)
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115 - removed by the caller
    handle.write(SEARCH_SCRIPT % paths)
    handle.close()
    return handle.name


def run_wrk(url, connections, seconds, threads=2, script=None, cookie=None):
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
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: _ms(v, u) for p, v, u in LATENCY.findall(out)}
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"rps": rps, "p50": latency.get("50", 0.0), "p99": latency.get("99", 0.0), "errors": errors}


class Command(BaseCommand):
    help = (
        "Benchmarks the public pages, the staff's and a volunteer's signed-in pages on gunicorn (DEBUG off) with "
        "wrk, each against a floor view measured in the same run; prints a table and writes bench/results.md. "
        "Needs PostgreSQL in DATABASE_URL and wrk."
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
        parser.add_argument("--port", type=int, default=8731)
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench" / "results.md"))
        parser.add_argument("--allow-sqlite", action="store_true", help="for trying the script only")
        parser.add_argument(
            "--no-page-cache",
            action="store_true",
            help="serve with PAGE_CACHE_SECONDS=0: what each page costs when it is rendered for every visitor",
        )

    def handle(self, *args, **options):
        self.options = options
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError(
                "The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://... (e.g. "
                "postgres://postgres@127.0.0.1:5432/bench) and run `make bench` again."
            )
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install wrk (make bench does this when run as root).")
        paths = {name: resolve() for name, resolve in pages().items()}
        signed_in = []  # (row name, path, visitor, connections)
        users = {kind: benchvisitors.visitor(kind) for kind in benchvisitors.VISITORS}
        for name, kind, resolve in signed_in_pages():
            path = users[kind] and resolve(users[kind])
            paths.setdefault(name, path)
            staff = kind in benchvisitors.STAFF
            signed_in.append((name, path, kind, options["staff_connections"] if staff else options["connections"]))
        missing = [name for name, path in paths.items() if not path]
        if missing:
            raise CommandError(f"No data for: {', '.join(missing)}. Run `manage.py seed_scale` first.")
        env = serve.production_env({"PAGE_CACHE_SECONDS": "0"} if options["no_page_cache"] else None)
        # Sessions are signed with the server's key, not this command's.
        cookies = {kind: benchvisitors.session_cookie(user, env["DJANGO_SECRET_KEY"]) for kind, user in users.items()}
        server = self._start_gunicorn(env)
        try:
            base = f"http://127.0.0.1:{options['port']}"
            rows = []
            visits = [(name, path, None, options["connections"]) for name, path in paths.items()]
            visits = [visit for visit in visits if visit[0] not in {row[0] for row in signed_in}] + signed_in
            for name, path, kind, connections in visits:
                url = base + path
                cookie = cookies[kind] if kind else None
                # One visitor first, as in life: a cached page is made once, not by 16 at the same moment.
                first = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - local
                with urllib.request.urlopen(first, timeout=120) as answer:  # noqa: S310 - our own local server
                    answer.read()
                    if kind and answer.geturl() != url:  # sent to the login page: it would time a redirect
                        raise CommandError(f"{name}: {path} answered with a redirect to {answer.geturl()}.")
                run_wrk(url, connections, options["warmup"], cookie=cookie)
                stats = run_wrk(url, connections, options["seconds"], cookie=cookie)
                shown = f"`{path}` as the bench's {kind}, {connections} conn." if kind else f"`{path}`"
                rows.append((name, shown, stats))
                self._line(name, stats)
            # Search as each visitor's own query costs it: never cached, one visitor at a time.
            script = search_script()
            try:
                url = base + "/search/?q=x"
                run_wrk(url, 1, options["warmup"], script=script)
                stats = run_wrk(url, 1, options["seconds"], script=script)
            finally:
                os.unlink(script)
            rows.append(
                (
                    "search, uncached",
                    "`/search/?q=<12 two-character words>, cookie past the page cache, 1 conn.`",
                    stats,
                )
            )
            self._line("search, uncached", stats)
            for name, shown, stats in benchfloor.bare_floor_rows(options, env, run_wrk):
                rows.append((name, shown, stats))
                paths[name] = "/floor"  # a ratio to the floor in the table
                self._line(name, stats)
        finally:
            serve.stop(server)
        report = self._report(rows, paths, options)
        Path(options["output"]).parent.mkdir(parents=True, exist_ok=True)
        Path(options["output"]).write_text(report)
        self.stdout.write("\n" + report)

    def _line(self, name, stats):
        self.stdout.write(
            f"  {name:<36} {stats['rps']:>8.0f} req/s  p50 {stats['p50']:>6.1f} ms  "
            f"p99 {stats['p99']:>6.1f} ms  errors {stats['errors']}"
        )

    def _start_gunicorn(self, env):
        options = self.options
        try:
            return serve.start_gunicorn(options["port"], options["workers"], env)
        except serve.ServerError as exc:
            raise CommandError(str(exc)) from None

    def _report(self, rows, paths, options):
        floor = next(stats for name, _, stats in rows if name == "floor")
        lines = [
            "# Benchmark results",
            "",
            f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %z} on {platform.node()} ({os.cpu_count()} cores, "
            f"{platform.python_implementation()} {platform.python_version()}, {connection.vendor}, "
            f"cache {'Redis' if os.environ.get('REDIS_URL') else 'local memory'}); "
            f"gunicorn {options['workers']} workers, DEBUG off; wrk {options['connections']} connections, "
            f"{options['seconds']} s per page after {options['warmup']} s warm-up; "
            + ("page cache **off** (every request rendered)." if options["no_page_cache"] else "page cache on.")
            + " Rows with a visitor in brackets are signed in (the bench's own accounts, ops/benchvisitors.py):"
            f" never from the page cache; the staff's at {options['staff_connections']} connections.",
            "",
            "| page | path | req/s | p50 ms | p99 ms | errors | ratio to floor |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for name, path, stats in rows:
            # The uncached search runs at one connection: its ratio to the floor would mean nothing.
            ratio = f"{stats['rps'] / floor['rps']:.2f}" if floor["rps"] and name in paths else "—"
            lines.append(
                f"| {name} | {path} | {stats['rps']:.0f} | {stats['p50']:.1f} | {stats['p99']:.1f} | "
                f"{stats['errors']} | {ratio} |"
            )
        return "\n".join(lines) + "\n"
