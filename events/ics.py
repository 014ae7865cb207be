"""iCalendar files: one service day, a community's feed, a volunteer's own sign-ups.

Times are written in the site's time zone (``DTSTART;TZID=Asia/Shanghai``), so every file also
carries that zone's VTIMEZONE, as RFC 5545 requires of a TZID (``response`` adds it, built from
zoneinfo by icalendar, covering the file's first event onwards).
"""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def _calendar(name):
    cal = Calendar()
    cal.add("prodid", "-//西城社区服务平台//civic-portal//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(day, summary=None, uid_suffix="", start=None, end=None, description=None):
    event = Event()
    event.add("uid", f"serviceday-{day.pk}{uid_suffix}@civic-portal")
    event.add("summary", summary or day.title)
    event.add("dtstart", start or day.starts_at)
    event.add("dtend", end or day.ends_at)
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("location", f"{day.community.name} {day.place}")
    event.add("url", settings.SITE_URL + day.get_absolute_url())
    text = description if description is not None else day.description
    if day.is_cancelled:
        event.add("status", "CANCELLED")
        text = _("已取消：%(reason)s") % {"reason": day.cancel_reason} + "\n" + text
    event.add("description", text)
    return event


def with_timezones(cal):
    """``cal`` with a VTIMEZONE for every TZID its events use, from the day before the first one."""
    starts = [event.start for event in cal.walk("VEVENT")]
    if starts:
        first = min(start.date() if isinstance(start, datetime.datetime) else start for start in starts)
        cal.add_missing_timezones(first_date=first - datetime.timedelta(days=1))
    return cal


def response(cal, filename):
    cal = with_timezones(cal)
    resp = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def day_calendar(day):
    cal = _calendar(day.title)
    cal.add_component(_event(day))
    return cal


def days_calendar(name, days):
    cal = _calendar(name)
    for day in days:
        cal.add_component(_event(day))
    return cal


def signups_calendar(name, signups):
    cal = _calendar(name)
    for signup in signups:
        role, day = signup.role, signup.role.day
        cal.add_component(
            _event(
                day,
                summary=f"{role.title} · {day.title}",
                uid_suffix=f"-signup-{signup.pk}",
                start=day._at(role.starts),
                end=day._at(role.ends),
                description=f"{signup.get_status_display()} · {role.description}",
            )
        )
    return cal
