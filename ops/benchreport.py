"""What `make bench` reports: wrk's output read, the wrk scripts, the targets judged, the Markdown written.

`manage.py bench` (ops/management/commands/bench.py) runs gunicorn and wrk; this module is pure: it
turns what was measured into bench/results.md (page cache on) and bench/results-no-page-cache.md
(page cache off). Every figure of a run is compared with the floor measured in the same run, on the
same server at the same moment; the targets (issue 16) are judged from the rows, in each file.
"""

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ops.benchvisitors import STAFF, VOLUNTEER

# What a row is, for the targets: the floor, a public page, a signed-in visitor's page (the visitor's
# kind, ops/benchvisitors.py), the cached mix, or anything else (shown, judged by no target here).
FLOOR = "floor"
PUBLIC = "public"
MIX = "mix"
BARE = "bare floor"  # Django's own smallest project with the same headers (ops/benchfloor.py)
OTHER = "other"


@dataclass
class Row:
    name: str
    shown: str  # the path column, Markdown
    stats: dict  # parse_wrk's: rps, p50, p99 (ms, inf when nothing answered), errors
    kind: str = PUBLIC
    server_ms: float | None = None  # median of one connection alone (page cache off only)
    ratio: bool = True  # False where a ratio to the floor would mean nothing (other connections)


@dataclass
class Run:
    """One gunicorn run: the page cache on (``cached``) or off, and what it measured."""

    cached: bool
    rows: list
    path: Path  # the file it is written to
    started: str  # "2026-11-30 12:00 +0800"
    load: tuple  # os.getloadavg() when the run started
    machine: str  # "vm (2 cores, CPython 3.11.7, postgresql, cache Redis)"
    settings: dict = field(default_factory=dict)  # the command's options that shape the figures

    @property
    def floor(self):
        return next((row for row in self.rows if row.kind == FLOOR), None)

    def ratio(self, row):
        floor = self.floor
        if not row.ratio or floor is None or not floor.stats["rps"]:
            return None
        return row.stats["rps"] / floor.stats["rps"]


# --- wrk ---------------------------------------------------------------------------------------

LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
REQUESTS = re.compile(r"^\s+(\d+) requests in ", re.M)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(out):
    """wrk's report (run with --latency) as {"rps", "p50", "p99", "errors"}; errors are the socket
    errors (a refused connection, a timeout: wrk leaves timed-out requests out of its latencies, so
    they must count somewhere) plus the answers of 400 and above. When no request was answered within
    the run, its latencies are infinite (wrk prints zeros): the page was slower than the run."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    requests = REQUESTS.search(out)
    if rps is None or requests is None:
        raise ValueError(f"not a wrk report: {out[:200]!r}")
    if int(requests.group(1)):
        latency = {p: _ms(v, u) for p, v, u in LATENCY.findall(out)}
    else:
        latency = {"50": math.inf, "99": math.inf}
    errors = 0
    non2xx = NON_2XX.search(out)
    if non2xx:
        errors += int(non2xx.group(1))
    socket = SOCKET_ERRORS.search(out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"rps": float(rps.group(1)), "p50": latency.get("50", 0.0), "p99": latency.get("99", 0.0), "errors": errors}


# Each of wrk's threads runs the script in its own Lua state, and LuaJIT's math.random starts from
# the same seed in every one: each thread is given its own, or all would ask the same pages in step.
RANDOM_PATHS = """
local paths = {%(paths)s}
local fresh = %(fresh)s
%(headers)s
local counter = 0
local asked = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end
request = function()
  local path = paths[math.random(#paths)]
  if fresh then
    asked = asked + 1
    path = path .. "&fresh=" .. (id or 0) .. "-" .. asked
  end
  return wrk.format("GET", path)
end
"""


def random_paths_script(paths, cookie=None, fresh=False):
    """A wrk script asking one of ``paths`` at random for every request (with ``cookie`` if given;
    ``fresh``: with a parameter no page reads, new for every request, so no kept fragment answers)."""
    listed = ", ".join(_lua_string(path) for path in paths)
    headers = f'wrk.headers["Cookie"] = {_lua_string(cookie)}' if cookie else ""
    return RANDOM_PATHS % {"paths": listed, "headers": headers, "fresh": "true" if fresh else "false"}


def _lua_string(text):
    if any(ch in text for ch in '"\\\n'):
        raise ValueError(f"not a plain path or cookie: {text!r}")
    return f'"{text}"'


# Two-character queries for the uncached search line: each request asks one of them with a cookie
# the page cache does not know, so no answer comes from it (an extra query parameter would: pages
# are keyed on the parameters they read), and with a parameter no page reads, new every time, so
# the search is made afresh rather than drawn from a kept fragment (core/fragments.py).
SEARCH_TERMS = ["社区", "养老", "服务", "志愿", "老人", "胡同", "居民", "环境", "垃圾", "停车", "义诊", "理发"]


def search_script():
    paths = [f"/search/?q={quote(term)}" for term in SEARCH_TERMS]
    return random_paths_script(paths, cookie="bench_uncached=1", fresh=True)


def mix_script(paths):
    """The cached mix: the public pages at random, as a crowd of anonymous visitors asks them."""
    return random_paths_script(paths)


def ms(value):
    return "no answer" if math.isinf(value) else f"{value:.1f}"


def ratio_text(value):
    # Below 0.1 two decimals would say 0.00 for a page at 4 req/s against a floor of 2,000.
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


# --- Targets (issue 16) ------------------------------------------------------------------------


@dataclass
class Target:
    """A target judged on the run with the page cache on (``cached``) or off. ``judge(run)`` returns
    (met, "what was measured"), or None when the run has no row for it."""

    text: str
    cached: bool
    judge: object


def _worst(rows, key, highest):
    rows = [row for row in rows if key(row) is not None]
    if not rows:
        return None
    return (max if highest else min)(rows, key=key)


def _rendered_public(run):
    worst = _worst([row for row in run.rows if row.kind == PUBLIC], run.ratio, highest=False)
    return worst and (run.ratio(worst) >= 0.1, f"lowest {ratio_text(run.ratio(worst))} ({worst.name})")


def _volunteer(run):
    worst = _worst([row for row in run.rows if row.kind == VOLUNTEER], run.ratio, highest=False)
    return worst and (run.ratio(worst) >= 0.1, f"lowest {ratio_text(run.ratio(worst))} ({worst.name})")


def _staff(run):
    staff = [row for row in run.rows if row.kind in STAFF]
    worst = _worst(staff, lambda row: row.stats["p99"], highest=True)
    return worst and (worst.stats["p99"] <= 150, f"highest {ms(worst.stats['p99'])} ms ({worst.name})")


def _server_time(run):
    worst = _worst([row for row in run.rows if row.kind == PUBLIC], lambda row: row.server_ms, highest=True)
    return worst and (worst.server_ms <= 10, f"highest {ms(worst.server_ms)} ms ({worst.name})")


def _bare(run):
    bare = next((row for row in run.rows if row.kind == BARE), None)
    if bare is None or run.floor is None or not bare.stats["rps"]:
        return None
    share = run.floor.stats["rps"] / bare.stats["rps"]
    return share >= 0.9, f"the portal's floor is {ratio_text(share)} of the bare floor's req/s"


def _mix(run):
    mix = next((row for row in run.rows if row.kind == MIX), None)
    if mix is None:
        return None
    stats = mix.stats
    met = stats["p99"] <= 300 and stats["errors"] == 0
    return met, f"p99 {ms(stats['p99'])} ms, {stats['errors']} errors, {stats['rps']:.0f} req/s"


# Other modules add theirs (e.g. the floor against Django's bare floor) by appending a Target.
TARGETS = [
    Target("every public page rendered afresh ≥ 0.1 of the floor (stretch 0.25)", False, _rendered_public),
    Target("a volunteer's signed-in pages ≥ 0.1 of the floor", False, _volunteer),
    Target("every staff page p99 ≤ 150 ms", False, _staff),
    Target("a public page's server time (one request alone) ≤ 10 ms median", False, _server_time),
    Target("cached mix: p99 ≤ 300 ms and 0 errors", True, _mix),
    Target("the floor within 10 % of Django's bare floor with the same headers", True, _bare),
]


def judge(runs, targets=None):
    """[(target, met, measured, run)] for every target: met is True, False, or None when no run of
    ``runs`` measured it (run is then None)."""
    judged = []
    for target in TARGETS if targets is None else targets:
        run = next((run for run in runs if run.cached == target.cached), None)
        verdict = run and target.judge(run)
        if verdict:
            judged.append((target, verdict[0], verdict[1], run))
        else:
            judged.append((target, None, "not measured in this run", None))
    return judged


# --- The report --------------------------------------------------------------------------------


def header(run):
    s = run.settings
    load = ", ".join(f"{value:.2f}" for value in run.load)
    text = (
        f"Run {run.started} on {run.machine}; load average at start {load} (1, 5, 15 min); "
        f"gunicorn {s['workers']} workers × {s['threads']} threads, DEBUG off; wrk {s['connections']} connections, "
        f"{s['seconds']} s per page after {s['warmup']} s warm-up, the best of {s.get('repeat', 1)} runs kept; "
    )
    if run.cached:
        return text + (
            "page cache on. The cached mix asks the public pages above at random, "
            f"{s['mix_connections']} connections for {s['mix_seconds']} s. Signed-in pages never come from "
            "the page cache: they are measured with it off."
        )
    return text + (
        "page cache **off** (every request rendered). Rows with a visitor in brackets are signed in (the bench's "
        f"own accounts, ops/benchvisitors.py), the staff's at {s['staff_connections']} connections. Server ms: the "
        f"median of one connection alone for {s['server_seconds']} s, nothing else asked at the same time."
    )


def render(run, runs, targets=None):
    """The Markdown file of ``run``; its Targets section judges every run of ``runs`` (this command's)."""
    server = any(row.server_ms is not None for row in run.rows)
    lines = [
        "# Benchmark results",
        "",
        header(run),
        "",
        "| page | path | req/s | p50 ms | p99 ms | errors | ratio to floor |" + (" server ms |" if server else ""),
        "|---|---|---:|---:|---:|---:|---:|" + ("---:|" if server else ""),
    ]
    for row in run.rows:
        ratio = run.ratio(row)
        cells = [
            row.name,
            row.shown,
            f"{row.stats['rps']:.0f}",
            ms(row.stats["p50"]),
            ms(row.stats["p99"]),
            str(row.stats["errors"]),
            "—" if ratio is None else ratio_text(ratio),
        ]
        if server:
            cells.append("—" if row.server_ms is None else ms(row.server_ms))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Targets", "", "| target | measured | result | in |", "|---|---|---|---|"]
    for target, met, measured, where in judge(runs, targets):
        result = {True: "met", False: "**missed**", None: "—"}[met]
        source = "—" if where is None else ("this file" if where is run else where.path.name)
        lines.append(f"| {target.text} | {measured} | {result} | {source} |")
    return "\n".join(lines) + "\n"


def summary(runs, targets=None):
    """The targets as plain lines, for the end of the command's output."""
    return [
        f"{ ({True: 'met', False: 'MISSED', None: '-'}[met]):<7} {target.text}: {measured}"
        for target, met, measured, _ in judge(runs, targets)
    ]
