"""The soak's residents: reporters who send problems at a steady rate, readers who read pages.

Each resident is a thread with its own cookies. Every answer is recorded with when it arrived,
how long it took and whether it came from the page cache (``X-Page-Cache: hit``).
"""

import http.client
import random
import re
import threading
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from ops.soak import BAD, Result, classify
from ops.throwaway import PLACE_PREFIX

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_SELECT = re.compile(r'<select name="(community|category)"[^>]*>(.*?)</select>', re.S)
_OPTION = re.compile(r'<option value="(\d+)"')
_DONE = re.compile(r"/feedback/mine/([A-Z]+-\d{4}-\d+)/")  # the resident's private page, after a report
# A copy of an acknowledged report whose private link is no longer remembered: "already sent", with the code.
_AGAIN = re.compile(rb'class="fb-code">([A-Z]+-\d{4}-\d+)<')


class Resident(threading.Thread):
    def __init__(self, number, port, load):
        super().__init__(daemon=True, name=f"resident-{number}")
        self.number = number
        self.port = port
        self.load = load
        self.cookies = {}

    def request(self, method, path, kind, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        began = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except OSError as exc:
            self.load.record(Result(self.load.clock(), kind, BAD, None, f"{method} {path}: {exc!r}"))
            return None, {}, b""
        finally:
            connection.close()
        took = time.monotonic() - began
        answer_headers = {k.lower(): v for k, v in answer.getheaders()}
        for line in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        outcome = classify(answer.status, answer_headers, data)
        detail = f"{method} {path}"
        if outcome == BAD:
            detail += " " + data[:200].decode("utf-8", "replace").replace("\n", " ")
        cached = answer_headers.get("x-page-cache") == "hit"
        self.load.record(Result(self.load.clock(), kind, outcome, answer.status, detail, cached, took))
        return answer.status, answer_headers, data

    def run(self):
        while not self.load.stop_event.is_set():
            self.step()


class Reporter(Resident):
    """Sends reports at ``rate`` per second (with CSRF and a one-time token), each from an address of
    its own, as residents at home do (the per-address limit is against floods from one place). The
    form is read again now and then and after any failure. A report refused during an incident is sent
    again with the same token, as a resident pressing the button again would."""

    def __init__(self, number, port, load, rate):
        super().__init__(number, port, load)
        self.interval = 1.0 / rate
        self.next_at = time.monotonic()
        self.form = None  # (csrf token, community id, category id)
        self.pending_token = None
        self.sent = 0

    def read_form(self):
        status, _, body = self.request("GET", "/feedback/new/", "page")
        if status != 200:
            return None
        html = body.decode("utf-8", "replace")
        csrf = _CSRF.search(html)
        selects = dict(_SELECT.findall(html))
        community = _OPTION.search(selects.get("community", ""))
        category = _OPTION.search(selects.get("category", ""))
        if not (csrf and community and category):
            self.load.record(Result(self.load.clock(), "page", BAD, status, "the report form lacks its fields"))
            return None
        return csrf.group(1), community.group(1), category.group(1)

    def step(self):
        self.next_at = max(self.next_at + self.interval, time.monotonic() - 1)  # no burst to catch up
        pause = self.next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if self.form is None or self.sent % 10 == 0:
            self.form = self.read_form()
            if self.form is None:
                time.sleep(0.2)
                return
        csrf, community, category = self.form
        self.pending_token = self.pending_token or str(uuid.uuid4())
        self.sent += 1
        data = {
            "csrfmiddlewaretoken": csrf,
            "community": community,
            "category": category,
            "place": f"{PLACE_PREFIX}{self.number} 号楼",
            "description": f"压力测试：第 {self.number} 位居民的第 {self.sent} 次反映，路灯不亮。",
            "token": self.pending_token,
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": f"10.{self.number % 250}.{self.sent // 250 % 250}.{self.sent % 250 + 1}",
        }
        status, answer_headers, body = self.request("POST", "/feedback/new/", "report", urlencode(data), headers)
        done = _DONE.search(answer_headers.get("location", "")) if status == 302 else None
        again = _AGAIN.search(body) if status == 200 else None
        if done or again:
            self.load.acknowledge(done.group(1) if done else again.group(1).decode())
            self.pending_token = None
        else:
            self.form = None
            if status == 302:
                self.load.record(Result(self.load.clock(), "report", BAD, status, answer_headers.get("location", "")))


class Reader(Resident):
    """Reads the pages residents read most, some with a query string no page reads (the page cache
    must answer those from the same entry), and asks /healthz."""

    PAGES = ("/", "/feedback/", "/news/", "/events/", "/communities/")

    def step(self):
        path = random.choice(self.PAGES)  # noqa: S311 - a load mix, not a secret
        if random.random() < 0.3:  # noqa: S311
            path += f"?utm_source={uuid.uuid4().hex[:8]}"
        self.request("GET", path, "page")
        if random.random() < 0.2:  # noqa: S311
            self.request("GET", "/healthz", "health")
        time.sleep(0.25)  # a steady trickle of readers: the reports are the load


class Load:
    """Residents in threads, and the results they collect."""

    def __init__(self, port, reporters, readers, reports_per_second):
        self.started = time.monotonic()
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.results = []
        self.acknowledged = []
        each = reports_per_second / reporters
        self.threads = [Reporter(n, port, self, each) for n in range(1, reporters + 1)]
        self.threads += [Reader(reporters + n, port, self) for n in range(1, readers + 1)]

    def clock(self):
        return time.monotonic() - self.started

    def record(self, result):
        with self.lock:
            self.results.append(result)

    def acknowledge(self, code):
        with self.lock:
            self.acknowledged.append(code)

    def start(self, warm_up=0.0):
        """Start every resident; with ``warm_up`` seconds, forget what they saw meanwhile (the workers'
        first requests, slower than any later) and count the time from then on."""
        for thread in self.threads:
            thread.start()
        if warm_up:
            time.sleep(warm_up)
            with self.lock:
                self.results = []
                self.started = time.monotonic()

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=60)

    @property
    def unanswered(self):
        """Reports sent at least once and never acknowledged (the server may have stored them)."""
        return sum(1 for t in self.threads if isinstance(t, Reporter) and t.pending_token is not None)
