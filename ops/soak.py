"""The soak's judgement: what an answer means, and whether a run met its targets.

`manage.py soak` (``make soak``) runs residents (ops/soak_load.py) against gunicorn on servers
of its own (ops/throwaway.py), through incidents: PostgreSQL crashes and comes back, Redis
crashes and comes back, PostgreSQL freezes for a few seconds (slow, not dead). This module is
pure: it judges the answers collected.

An answer served from the page cache proves nothing about an incident (it needed neither the
database nor any code that could fail): such answers are counted apart and never as proof that
the portal coped.
"""

import statistics
from dataclasses import dataclass, field

# --- What a response means ---------------------------------------------------

OK = "ok"
OUTAGE = "outage"  # the friendly 503 page, or /healthz naming what is down
BAD = "bad"  # anything else: a 500, a stack trace, a refused connection, a wrong answer

FRIENDLY_503_MARKER = "系统繁忙"  # the title of templates/503.html
STACK_TRACE_MARKERS = ("Traceback", "OperationalError", "psycopg2", 'File "/')
HEALTH_LINES = {"database unavailable", "cache unavailable"}  # /healthz, plain text by design


def classify(status, headers, body):
    """OK for 2xx/3xx; OUTAGE for the portal's own 503 page (with Retry-After, no stack trace) or
    /healthz's list of what is down; BAD otherwise."""
    if status is None:
        return BAD
    if 200 <= status < 400:
        return OK
    if status == 503:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        if any(marker in text for marker in STACK_TRACE_MARKERS):
            return BAD
        lines = text.strip().splitlines()
        if lines and set(lines) <= HEALTH_LINES:
            return OUTAGE
        if FRIENDLY_503_MARKER in text and headers.get("retry-after"):
            return OUTAGE
    return BAD


@dataclass(frozen=True)
class Result:
    at: float  # seconds since the soak started, when the answer arrived
    kind: str  # "report", "page", "health"
    outcome: str  # OK, OUTAGE, BAD
    status: int | None = None
    detail: str = ""
    cached: bool = False  # served from the page cache: proves nothing about an incident
    seconds: float = 0.0  # how long the answer took


@dataclass(frozen=True)
class Incident:
    """What was done to the portal from ``start`` until ``end`` (the service is back at ``end``).
    ``kind``: "database down", "cache down" or "database slow"."""

    kind: str
    start: float
    end: float


# --- The report ----------------------------------------------------------------


def _counts(results):
    counts = {OK: 0, OUTAGE: 0, BAD: 0, "cached": 0}
    for result in results:
        counts["cached" if result.cached else result.outcome] += 1
    return counts


def recovery_seconds(results, db_back, until=None):
    """Seconds from the service's return to the first good answer after which nothing failed (up to
    ``until``, the next incident); None when the window ended on an error. Cached answers do not count."""
    ordered = sorted((r for r in results if not r.cached and (until is None or r.at < until)), key=lambda r: r.at)
    last_error = max((r.at for r in ordered if r.outcome != OK), default=None)
    since = db_back if last_error is None or last_error < db_back else last_error
    first_good = next((r.at for r in ordered if r.outcome == OK and r.at >= since), None)
    if first_good is None:
        return None
    return max(0.0, first_good - db_back)


def missing_acknowledged(acknowledged, stored):
    """The acknowledged codes the database does not hold, in the order they were acknowledged."""
    stored = set(stored)
    return [code for code in acknowledged if code not in stored]


def _percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Phase:
    name: str
    start: float
    end: float
    results: list
    incident: Incident | None = None
    recovery: float | None = None  # for the calm after an incident
    unseen: list = field(default_factory=list)  # for an incident: why the answers do not show it

    @property
    def counts(self):
        return _counts(self.results)

    def latency(self):
        times = [r.seconds for r in self.results if not r.cached]
        return (statistics.median(times) if times else 0.0), _percentile(times, 0.99), max(times, default=0.0)

    def reports_per_second(self):
        done = sum(1 for r in self.results if r.kind == "report" and r.outcome == OK)
        return done / (self.end - self.start) if self.end > self.start else 0.0


@dataclass
class Report:
    phases: list
    acknowledged: int
    missing: list
    stored_total: int = 0  # the soak's reports in the database
    unanswered: int = 0  # reports still waiting for an answer when the load stopped
    target_recovery: float = 5.0
    target_reports: float = 0.0  # reports per second the calm phases must reach together

    @property
    def served(self):
        return sum(p.counts[OK] + p.counts["cached"] for p in self.phases)

    def calm_reports_per_second(self):
        calm = [p for p in self.phases if p.incident is None]
        seconds = sum(p.end - p.start for p in calm)
        done = sum(p.reports_per_second() * (p.end - p.start) for p in calm)
        return done / seconds if seconds else 0.0

    @property
    def failures(self):
        """What stops the soak from passing, in plain words; empty when every target is met."""
        problems = []
        if self.served == 0:
            problems.append("no request was served")
        before = self.phases[0].counts
        if before[BAD] or before[OUTAGE]:
            problems.append(f"{before[BAD] + before[OUTAGE]} errors before the outage")
        bad = sum(p.counts[BAD] for p in self.phases)
        if bad:
            problems.append(f"{bad} answers were not the friendly 503 page")
        for phase in self.phases:
            problems += phase.unseen
            if phase.incident is None and phase.name.startswith("after"):
                if phase.recovery is None:
                    problems.append(f"{phase.name}: the portal did not recover")
                elif phase.recovery > self.target_recovery:
                    problems.append(
                        f"{phase.name}: recovery took {phase.recovery:.1f} s (target ≤ {self.target_recovery:.0f} s)"
                    )
        if self.acknowledged == 0:
            problems.append("no report was acknowledged")
        rate = self.calm_reports_per_second()
        if self.target_reports and rate < self.target_reports:
            problems.append(f"{rate:.1f} reports/s outside the incidents (target ≥ {self.target_reports:.0f})")
        if self.missing:
            problems.append(f"{len(self.missing)} acknowledged reports are missing from the database")
        extra = self.stored_total - self.acknowledged - self.unanswered
        if extra > 0:
            problems.append(f"{extra} reports were stored twice (a retried POST made a second case)")
        return problems

    def lines(self):
        out = [f"requests served: {self.served}", "  phase                         ok  friendly 503  errors  cached"]
        for p in self.phases:
            c = p.counts
            out.append(
                f"  {p.name:<26} {c[OK]:>6} {c[OUTAGE]:>12} {c[BAD]:>7} {c['cached']:>7}"
                f"   {p.end - p.start:5.1f} s, {p.reports_per_second():5.1f} reports/s,"
                " latency p50/p99/max {:.2f}/{:.2f}/{:.2f} s".format(*p.latency())
                + ("" if p.recovery is None else f", recovered in {p.recovery:.2f} s")
            )
        out += [
            "  (cached: served from the page cache, not counted as proof of anything)",
            f"reports/s outside the incidents: {self.calm_reports_per_second():.1f}"
            + (f" (target ≥ {self.target_reports:.0f})" if self.target_reports else ""),
            f"reports acknowledged: {self.acknowledged}, missing from the database: {len(self.missing)}",
            f"reports in the database: {self.stored_total} (acknowledged, plus at most {self.unanswered} "
            "unanswered when the load stopped: more would be duplicates)",
        ]
        out += [f"  missing: {code}" for code in self.missing[:10]]
        bad = [r for p in self.phases for r in p.results if r.outcome == BAD and not r.cached]
        out += [f"  not friendly: {r.kind} {r.status} {r.detail}" for r in bad[:5]]
        return out


def _unseen(incident, results):
    """An incident the answers do not show was not tested: say so. Cached answers show nothing."""
    live = [r for r in results if not r.cached]
    during = [r for r in live if incident.start <= r.at < incident.end]
    if incident.kind == "database down" and not any(r.outcome == OUTAGE for r in during):
        return ["the outage was not seen (no 503 while the database was down)"]
    if incident.kind == "cache down":
        if not any(r.kind == "health" and r.outcome == OUTAGE for r in during):
            return ["the cache outage was not seen (/healthz never said so)"]
        if not any(r.kind == "report" and r.outcome == OK for r in during):
            return ["no report was taken while the cache was down"]
    if incident.kind == "database slow":
        stalled = incident.end - incident.start
        # the answers that waited for the frozen server arrive once it goes on
        if not any(r.at >= incident.start and r.seconds >= stalled / 2 for r in live):
            return ["the slow database was not seen (no answer waited for it)"]
    return []


def summarise(
    results,
    incidents,
    acknowledged,
    stored,
    target_recovery=5.0,
    stored_total=0,
    unanswered=0,
    target_reports=0.0,
    end=None,
):
    """Cut the run into phases (before, each incident, the calm after each) and judge them."""
    last = max((r.at for r in results), default=0.0)
    bounds = [0.0]
    for incident in incidents:
        bounds += [incident.start, incident.end]
    bounds.append(max(end or 0.0, last, bounds[-1]))
    phases = []
    for i, (start, stop) in enumerate(zip(bounds, bounds[1:], strict=False)):
        final = i == len(bounds) - 2
        inside = [r for r in results if start <= r.at < stop or (final and r.at >= stop)]
        if i == 0:
            phase = Phase("before", start, stop, inside)
        elif i % 2 == 1:
            incident = incidents[i // 2]
            phase = Phase(f"during {incident.kind}", start, stop, inside, incident, unseen=_unseen(incident, results))
        else:
            phase = Phase(f"after {incidents[i // 2 - 1].kind}", start, stop, inside)
            phase.recovery = recovery_seconds(inside, start)
        phases.append(phase)
    return Report(
        phases=phases,
        acknowledged=len(acknowledged),
        missing=missing_acknowledged(acknowledged, stored),
        stored_total=stored_total,
        unanswered=unanswered,
        target_recovery=target_recovery,
        target_reports=target_reports,
    )
