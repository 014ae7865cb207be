"""The three rates (三率) and friends, computed from two queries whatever the data size.

- response rate (响应率): cases answered (accepted or declined) within the category's
  response limit, of all cases;
- resolution rate (解决率): cases resolved, of the cases taken on (declined ones excluded);
- satisfaction rate (满意率): 满意 + 基本满意, of the cases residents rated.

A rate is shown only when at least ``FEEDBACK_MIN_CASES_FOR_RATE`` cases stand behind it.
"""

import statistics
from dataclasses import dataclass, field

from django.utils import timezone

from core import sharedcache
from feedback import conf
from feedback.models import Case, DispatchTask

RESOLVED = {Case.Status.RESOLVED, Case.Status.CONFIRMED}
GOOD = {Case.Rating.SATISFIED, Case.Rating.BASIC}


@dataclass
class Row:
    key: object
    name: str
    min_cases: int = 1
    total: int = 0
    responded_on_time: int = 0
    handled: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    overdue: int = 0
    durations: list = field(default_factory=list)

    def _rate(self, part, whole):
        return part / whole if whole and whole >= self.min_cases else None

    @property
    def response_rate(self):
        return self._rate(self.responded_on_time, self.total)

    @property
    def resolution_rate(self):
        return self._rate(self.resolved, self.handled)

    @property
    def satisfaction_rate(self):
        return self._rate(self.satisfied, self.rated)

    median_days: float | None = None

    def finish(self):
        """Reduce the durations to their median once: pages read it many times, and the
        figures are cached, so the list of every case's duration is not kept."""
        self.median_days = statistics.median(self.durations) if self.durations else None
        self.durations = []
        return self

    def add(self, case, overdue_tasks):
        self.total += 1
        deadline, responded = case["respond_deadline"], case["responded_at"]
        if responded is not None and (deadline is None or responded <= deadline):
            self.responded_on_time += 1
        if case["status"] != Case.Status.DECLINED:
            self.handled += 1
        if case["status"] in RESOLVED:
            self.resolved += 1
            if case["resolved_at"]:
                self.durations.append((case["resolved_at"] - case["created_at"]).total_seconds() / 86400)
        if case["rating"]:
            self.rated += 1
            self.satisfied += case["rating"] in GOOD
        self.overdue += overdue_tasks


def compute(street=None, since=None, now=None):
    now = now or timezone.now()
    minimum = conf.min_cases_for_rate()
    cases = Case.objects.all()
    if street is not None:
        cases = cases.filter(community__street=street)
    if since is not None:
        cases = cases.filter(created_at__gte=since)
    rows = list(
        cases.values(
            "id",
            "community_id",
            "community__name",
            "community__sort_order",
            "community__street_id",
            "community__street__name",
            "community__street__sort_order",
            "created_at",
            "respond_deadline",
            "responded_at",
            "resolved_at",
            "status",
            "rating",
        )
    )
    ids = {r["id"] for r in rows}
    tasks = DispatchTask.objects.filter(case__in=cases).values(
        "case_id", "department_id", "department__name", "deadline", "done_at"
    )
    overdue_by_case, overdue_by_case_dept, departments_of_case, dept_names = {}, {}, {}, {}
    for task in tasks:
        if task["case_id"] not in ids:
            continue
        late = (task["done_at"] or now) > task["deadline"]
        key = (task["case_id"], task["department_id"])
        overdue_by_case[task["case_id"]] = overdue_by_case.get(task["case_id"], 0) + late
        overdue_by_case_dept[key] = overdue_by_case_dept.get(key, 0) + late
        departments_of_case.setdefault(task["case_id"], set()).add(task["department_id"])
        dept_names[task["department_id"]] = task["department__name"]

    overall = Row("all", "全部", minimum)
    streets, communities, departments, months = {}, {}, {}, {}

    def row(bucket, key, name, order):
        if key not in bucket:
            bucket[key] = (order, Row(key, name, minimum))
        return bucket[key][1]

    for case in rows:
        late = overdue_by_case.get(case["id"], 0)
        overall.add(case, late)
        row(
            streets,
            case["community__street_id"],
            case["community__street__name"],
            (case["community__street__sort_order"], case["community__street__name"]),
        ).add(case, late)
        row(
            communities,
            case["community_id"],
            case["community__name"],
            (case["community__street__sort_order"], case["community__sort_order"], case["community__name"]),
        ).add(case, late)
        month = timezone.localtime(case["created_at"]).strftime("%Y-%m")
        row(months, month, month, month).add(case, late)
        for dept in departments_of_case.get(case["id"], ()):
            row(departments, dept, dept_names[dept], dept_names[dept]).add(
                case, overdue_by_case_dept.get((case["id"], dept), 0)
            )

    def ordered(bucket):
        return [r.finish() for _, r in sorted(bucket.values(), key=lambda pair: pair[0])]

    overall.finish()

    return {
        "overall": overall,
        "by_street": ordered(streets),
        "by_community": ordered(communities),
        "by_department": ordered(departments),
        "by_month": ordered(months)[-12:],
        "min_cases": minimum,
    }


def this_month(now=None):
    now = timezone.localtime(now or timezone.now())
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return cached(since=start, now=now)


CACHE_SECONDS = 300
# While one process recomputes (seconds at district scale), the others answer with the last figures.
RECOMPUTE_LOCK_SECONDS = 60


def cached(street=None, since=None, now=None):
    """compute(), kept in the cache until a feedback row changes (or 5 minutes pass, for the
    overdue counts that move with the clock): at district scale it reads every case.

    Only one process recomputes at a time; while it does, the others serve the figures computed
    last instead of all reading every case at once (a stampede each time they expire).
    """
    from core import pagecache

    if now is not None and abs((now - timezone.now()).total_seconds()) > 1:
        return compute(street=street, since=since, now=now)
    key = "figures:v2:{}:{}".format(street.pk if street else "", since.isoformat() if since else "")
    generation = pagecache.app_generation("feedback")
    moment = timezone.now().timestamp()
    entry = sharedcache.get(key)  # (generation, computed at, figures); None with the cache down too
    if entry is not None and entry[0] == generation and moment - entry[1] < CACHE_SECONDS:
        return entry[2]
    lock = f"{key}:computing"
    if entry is not None and not sharedcache.add(lock, 1, RECOMPUTE_LOCK_SECONDS):
        return entry[2]
    try:
        data = compute(street=street, since=since, now=now)
        sharedcache.set(key, (generation, moment, data), 24 * 3600)
    finally:
        sharedcache.delete(lock)
    return data
