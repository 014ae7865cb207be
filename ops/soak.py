"""The soak: residents report problems and read pages while PostgreSQL goes down and comes back.

`manage.py soak` (``make soak``) puts the pieces together; this module holds them:
a throwaway PostgreSQL server (never the shared one), the resident load, and the pure
report (what counts as served, as a friendly outage answer, as recovered, as kept).
"""

import contextlib
import glob
import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

# --- What a response means ---------------------------------------------------

OK = "ok"
OUTAGE = "outage"  # the friendly 503 page
BAD = "bad"  # anything else: a 500, a stack trace, a refused connection, a wrong answer

FRIENDLY_503_MARKER = "系统繁忙"  # the title of templates/503.html
STACK_TRACE_MARKERS = ("Traceback", "OperationalError", "psycopg2", 'File "/')


def classify(status, headers, body):
    """OK for 2xx/3xx; OUTAGE for the portal's own 503 page (with Retry-After, no stack trace); BAD otherwise."""
    if status is None:
        return BAD
    if 200 <= status < 400:
        return OK
    if status == 503:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        if any(marker in text for marker in STACK_TRACE_MARKERS):
            return BAD
        if text.startswith("database unavailable"):  # /healthz, plain text by design
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


@dataclass
class Report:
    served: int
    before: dict
    during: dict
    after: dict
    recovery_seconds: float | None
    acknowledged: int
    missing: list
    stored_total: int = 0  # the soak's reports in the database
    unanswered: int = 0  # reports still waiting for an answer when the load stopped
    bad_examples: list = field(default_factory=list)
    target_recovery: float = 5.0

    @property
    def failures(self):
        """What stops the soak from passing, in plain words; empty when every target is met."""
        problems = []
        if self.served == 0:
            problems.append("no request was served")
        if self.before[BAD] or self.before[OUTAGE]:
            problems.append(f"{self.before[BAD] + self.before[OUTAGE]} errors before the outage")
        bad = self.before[BAD] + self.during[BAD] + self.after[BAD]
        if bad:
            problems.append(f"{bad} answers were not the friendly 503 page")
        if self.during[OUTAGE] == 0:
            problems.append("the outage was not seen (no 503 while the database was down)")
        if self.recovery_seconds is None:
            problems.append("the portal did not recover after the database came back")
        elif self.recovery_seconds > self.target_recovery:
            problems.append(f"recovery took {self.recovery_seconds:.1f} s (target ≤ {self.target_recovery:.0f} s)")
        if self.acknowledged == 0:
            problems.append("no report was acknowledged")
        if self.missing:
            problems.append(f"{len(self.missing)} acknowledged reports are missing from the database")
        extra = self.stored_total - self.acknowledged - self.unanswered
        if extra > 0:
            problems.append(f"{extra} reports were stored twice (a retried POST made a second case)")
        return problems

    def lines(self):
        def row(name, counts):
            return f"  {name:<8} ok {counts[OK]:>6}   friendly 503 {counts[OUTAGE]:>5}   other errors {counts[BAD]:>4}"

        recovery = "never" if self.recovery_seconds is None else f"{self.recovery_seconds:.2f} s"
        out = [
            f"requests served: {self.served}",
            row("before", self.before),
            row("during", self.during),
            row("after", self.after),
            f"time to recover after the database returned: {recovery} (target ≤ {self.target_recovery:.0f} s)",
            f"reports acknowledged: {self.acknowledged}, missing from the database: {len(self.missing)}",
            f"reports in the database: {self.stored_total} (acknowledged, plus at most {self.unanswered} "
            "unanswered when the load stopped: more would be duplicates)",
        ]
        out += [f"  missing: {code}" for code in self.missing[:10]]
        out += [f"  not friendly: {example}" for example in self.bad_examples[:5]]
        return out


def _counts(results):
    counts = {OK: 0, OUTAGE: 0, BAD: 0}
    for result in results:
        counts[result.outcome] += 1
    return counts


def recovery_seconds(results, db_back):
    """Seconds from the database's return to the first good answer after which nothing failed;
    None when the run ended on an error."""
    ordered = sorted(results, key=lambda r: r.at)
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


def summarise(results, outage_start, db_back, acknowledged, stored, target_recovery=5.0, stored_total=0, unanswered=0):
    before = [r for r in results if r.at < outage_start]
    during = [r for r in results if outage_start <= r.at < db_back]
    after = [r for r in results if r.at >= db_back]
    return Report(
        served=sum(1 for r in results if r.outcome == OK),
        before=_counts(before),
        during=_counts(during),
        after=_counts(after),
        recovery_seconds=recovery_seconds(results, db_back),
        acknowledged=len(acknowledged),
        missing=missing_acknowledged(acknowledged, stored),
        stored_total=stored_total,
        unanswered=unanswered,
        bad_examples=[f"{r.kind} {r.status} {r.detail}" for r in results if r.outcome == BAD],
        target_recovery=target_recovery,
    )


# --- A throwaway PostgreSQL server ---------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin():
    """The newest server binaries on the machine (initdb refuses to run from the client package)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(re.search(r"/(\d+)/", p).group(1)))
    configured = os.environ.get("PG_BIN")
    if configured:
        return Path(configured)
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql).")
    return Path(found[-1]).parent


class ThrowawayPostgres:
    """Its own data directory in /tmp and its own port: restarting it disturbs no one.
    As root, the server runs as the ``postgres`` account (initdb refuses root)."""

    def __init__(self, database="soak"):
        self.bin = postgres_bin()
        self.database = database
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="soak-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_user = []
        if os.geteuid() == 0:
            import pwd

            account = pwd.getpwnam("postgres")
            os.chown(self.dir, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args):
        subprocess.run([*self.as_user, *map(str, args)], check=True, capture_output=True, text=True)

    def create(self):
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale")
        self.start()
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", self.database)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode="immediate"):
        """``immediate`` is a crash: no checkpoint, the server recovers from its log on start."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def stored_codes(self, codes):
        """The given codes the database holds, and how many of the soak's reports it holds in all."""
        import psycopg2

        db = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=self.database)
        try:
            with db.cursor() as cursor:
                cursor.execute("SELECT code FROM feedback_case WHERE code = ANY(%s)", (list(codes),))
                found = [row[0] for row in cursor.fetchall()]
                cursor.execute("SELECT count(*) FROM feedback_case WHERE place LIKE %s", (PLACE_PREFIX + "%",))
                return found, cursor.fetchone()[0]
        finally:
            db.close()

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already down
            self.stop("fast")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Residents ---------------------------------------------------------------

PLACE_PREFIX = "压力测试 "
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')
_SELECT = re.compile(r'<select name="(community|category)"[^>]*>(.*?)</select>', re.S)
_OPTION = re.compile(r'<option value="(\d+)"')
_DONE = re.compile(r"/feedback/new/done/([A-Z]+-\d{4}-\d+)/")


class Resident(threading.Thread):
    """Loops until told to stop: open the report form, send a report (with CSRF and the form's
    one-time token), then read the home page and the board. A report refused during the outage is
    sent again with the same token, as a resident pressing the button again would."""

    def __init__(self, number, port, clock, stop_event, record, acknowledge):
        super().__init__(daemon=True, name=f"resident-{number}")
        self.number = number
        self.port = port
        self.clock = clock
        self.stop_event = stop_event
        self.record = record
        self.acknowledge = acknowledge
        self.cookies = {}
        self.pending_token = None
        self.sent = 0

    def request(self, method, path, kind, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except OSError as exc:
            self.record(Result(self.clock(), kind, BAD, None, f"{method} {path}: {exc!r}"))
            return None, {}, b""
        finally:
            connection.close()
        answer_headers = {k.lower(): v for k, v in answer.getheaders()}
        for line in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        outcome = classify(answer.status, answer_headers, data)
        detail = f"{method} {path}"
        if outcome == BAD:
            detail += " " + data[:200].decode("utf-8", "replace").replace("\n", " ")
        self.record(Result(self.clock(), kind, outcome, answer.status, detail))
        return answer.status, answer_headers, data

    def report(self):
        status, _, body = self.request("GET", "/feedback/new/", "page")
        if status != 200:
            return
        html = body.decode("utf-8", "replace")
        csrf = _CSRF.search(html)
        selects = dict(_SELECT.findall(html))
        community = _OPTION.search(selects.get("community", ""))
        category = _OPTION.search(selects.get("category", ""))
        if not (csrf and community and category):
            self.record(Result(self.clock(), "page", BAD, status, "the report form lacks its fields"))
            return
        if self.pending_token is None:
            token = _TOKEN.search(html)
            self.pending_token = token.group(1) if token else str(uuid.uuid4())
        self.sent += 1
        form = {
            "csrfmiddlewaretoken": csrf.group(1),
            "community": community.group(1),
            "category": category.group(1),
            "place": f"{PLACE_PREFIX}{self.number} 号楼",
            "description": f"压力测试：第 {self.number} 位居民的第 {self.sent} 次反映，路灯不亮。",
            "token": self.pending_token,
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            # Each report comes from its own address, as residents do, so the per-address
            # rate limit (which is there against floods from one place) does not refuse them.
            "X-Forwarded-For": f"10.{self.number % 250}.{self.sent // 250 % 250}.{self.sent % 250 + 1}",
        }
        status, answer_headers, _ = self.request("POST", "/feedback/new/", "report", urlencode(form), headers)
        if status == 302:
            done = _DONE.search(answer_headers.get("location", ""))
            if done:
                self.acknowledge(done.group(1))
                self.pending_token = None
            else:
                self.record(Result(self.clock(), "report", BAD, status, answer_headers.get("location", "")))

    def run(self):
        while not self.stop_event.is_set():
            self.report()
            self.request("GET", "/", "page")
            self.request("GET", "/feedback/", "page")
            self.request("GET", "/healthz", "health")


class Load:
    """Residents in threads, and the results they collect."""

    def __init__(self, port, residents):
        self.started = time.monotonic()
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.results = []
        self.acknowledged = []
        self.threads = [
            Resident(n, port, self.clock, self.stop_event, self._record, self._acknowledge)
            for n in range(1, residents + 1)
        ]

    def clock(self):
        return time.monotonic() - self.started

    def _record(self, result):
        with self.lock:
            self.results.append(result)

    def _acknowledge(self, code):
        with self.lock:
            self.acknowledged.append(code)

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=60)

    @property
    def unanswered(self):
        """Reports sent at least once and never acknowledged (the server may have stored them)."""
        return sum(1 for thread in self.threads if thread.pending_token is not None)
