"""Demo cases are handled in office hours (weekdays 08:30-18:00, Asia/Shanghai), whenever the demo is loaded."""

import io
from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import OutputWrapper

from communities import demo as communities_demo
from feedback import demo
from feedback.models import Actor, Case, DispatchTask, TimelineEntry
from ops.demo_images import scene
from ops.management.commands.load_demo import DemoContext

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def in_office_hours(moment):
    local = moment.astimezone(SHANGHAI)
    return local.weekday() < 5 and time(8, 30) <= local.time() < time(18, 0)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 11, 25, 10, 0), at(2026, 11, 25, 10, 0)),  # a Wednesday morning stays
        (at(2026, 11, 24, 0, 12), at(2026, 11, 24, 8, 42)),  # Tuesday 00:12: that morning
        (at(2026, 11, 24, 3, 34), at(2026, 11, 24, 10, 4)),  # Tuesday 03:34: that morning
        (at(2026, 11, 27, 18, 30), at(2026, 11, 30, 9, 0)),  # Friday evening: Monday
        (at(2026, 11, 28, 11, 5), at(2026, 11, 30, 9, 35)),  # Saturday: Monday
    ],
)
def test_working_moves_a_moment_into_office_hours(moment, expected):
    assert demo.working(moment) == expected
    assert in_office_hours(demo.working(moment))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 11, 25, 10, 0), at(2026, 11, 25, 10, 0)),
        (at(2026, 11, 25, 19, 0), at(2026, 11, 25, 17, 59)),
        (at(2026, 11, 25, 7, 0), at(2026, 11, 24, 17, 59)),
        (at(2026, 11, 29, 3, 0), at(2026, 11, 27, 17, 59)),  # Sunday night: Friday
    ],
)
def test_last_working_is_the_latest_office_moment_not_after(moment, expected):
    assert demo.last_working(moment) == expected


@pytest.mark.parametrize("now", [at(2026, 11, 30, 7, 0), at(2026, 11, 25, 15, 0), at(2026, 11, 29, 23, 50)])
def test_every_staff_move_of_the_demo_is_in_office_hours(db, now):
    ctx = DemoContext(stdout=OutputWrapper(io.StringIO()), picture=scene)
    with mock.patch("django.utils.timezone.now", return_value=now):
        communities_demo.load(ctx)
        demo.load(ctx)
    staff = TimelineEntry.objects.exclude(role=Actor.RESIDENT)
    assert staff.count() > 100
    outside = [
        (e.case.code, e.action, e.created_at.astimezone(SHANGHAI)) for e in staff if not in_office_hours(e.created_at)
    ]
    assert outside == []
    for field in ("responded_at", "dispatched_at", "resolved_at"):
        for value in Case.objects.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True):
            assert in_office_hours(value) and value <= now, field
    for field in ("onsite_at", "planned_at", "done_at"):
        for value in DispatchTask.objects.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True):
            assert in_office_hours(value) and value <= now, field
    # each case's record still runs forwards
    for case in Case.objects.prefetch_related("timeline"):
        times = [e.created_at for e in case.timeline.all()]
        assert times == sorted(times), case.code
