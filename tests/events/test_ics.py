"""The .ics files parse, and carry the VTIMEZONE their TZID names (RFC 5545 3.2.19)."""

import datetime
import zoneinfo

from django.utils import translation
from icalendar import Calendar

from tests.events import factories as ef


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_a_day_carries_the_time_zone_its_times_name(client, places):
    day = ef.day(places["chunshuyuan"], title="椿树园便民服务日", start_time=datetime.time(9, 0))
    cal = parsed(client, f"/events/{day.pk}/calendar.ics")
    [zone] = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "Asia/Shanghai"
    assert cal.get_missing_tzids() == set()
    # The zone comes before the events that use it, and says +08:00 on the day.
    body = cal.to_ical().decode()
    assert body.index("BEGIN:VTIMEZONE") < body.index("BEGIN:VEVENT")
    assert zone.to_tz().utcoffset(datetime.datetime.combine(day.date, datetime.time(9))) == datetime.timedelta(hours=8)
    [event] = cal.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    start = event.start.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert (start.date(), start.hour, start.minute) == (day.date, 9, 0)
    assert event.start.astimezone(datetime.UTC).hour == 1


def test_a_feed_carries_one_zone_for_all_its_days(client, places):
    ef.day(places["chunshuyuan"], days_ahead=3)
    ef.day(places["chunshuyuan"], days_ahead=40)
    cal = parsed(client, f"/events/communities/{places['chunshuyuan'].pk}.ics")
    assert len(cal.walk("VEVENT")) == 2
    assert [z["TZID"] for z in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert cal.get_missing_tzids() == set()


def test_an_empty_feed_has_no_zone_and_still_parses(client, places):
    cal = parsed(client, f"/events/communities/{places['hongxian'].pk}.ics")
    assert cal.walk("VEVENT") == [] and cal.walk("VTIMEZONE") == []


def test_a_volunteers_own_calendar_carries_the_zone(client, places):
    volunteer = ef.volunteer("vol-ics")
    ef.confirmed(ef.role(ef.day(places["sihuan"]), start_time=datetime.time(9), end_time=datetime.time(10)), volunteer)
    client.force_login(volunteer.user)
    cal = parsed(client, "/volunteers/me/calendar.ics")
    assert len(cal.walk("VEVENT")) == 1
    assert [z["TZID"] for z in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_the_link_says_what_it_does_in_plain_words(client, places):
    day = ef.day(places["chunshuyuan"])
    html = client.get(day.get_absolute_url()).content.decode()
    assert "加入手机日历" in html and ".ics）" not in html
    with translation.override(translation.get_language()):  # the request leaves English active
        english = client.get(day.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en")
    assert "Add to my phone" in english.content.decode()
