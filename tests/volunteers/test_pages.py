import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.privacy import mask_phone
from tests.events import factories as ef
from volunteers import signup as rules
from volunteers.hours import complete_visit, mark_attended
from volunteers.models import HomeVisit, HoursEntry, Signup, Volunteer, star_level

pytestmark = pytest.mark.django_db


def build(community, n):
    team = ef.team(community, name=f"服务队{n}x", founded_year=2013)
    for i in range(n):
        day = ef.day(community, days_ahead=2 + i)
        role = ef.role(day, places=3, team=team if i % 2 else None)
        v = ef.volunteer(real_name=f"队员{n}-{i}", phone="13811112222")
        team.members.add(v)
        signup = ef.confirmed(role, v)
        HoursEntry.objects.create(volunteer=v, hours=2, community=community, team=team, signup=None, note="补录")
        signup.save()
    return team


def queries(client, url):
    cache.clear()  # the rendering's own queries, not the feedback figures kept by an earlier visit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    assert "13811112222" not in response.content.decode()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/volunteers/", "/volunteers/teams/{team}/", "/"])
def test_query_counts_pinned_at_two_sizes(client, places, url):
    team = build(places["chunshuyuan"], 1)
    few = queries(client, url.format(team=team.slug))
    build(places["chunshuyuan"], 10)
    for i in range(8):
        v = ef.volunteer(phone="13811112222")
        team.members.add(v)
        HoursEntry.objects.create(volunteer=v, hours=1, community=places["chunshuyuan"], team=team)
    assert queries(client, url.format(team=team.slug)) == few


def test_my_page_query_count_pinned_at_two_sizes(client, places):
    community = places["chunshuyuan"]
    me = ef.volunteer("me")
    team = ef.team(community, leader=me, makes_home_visits=True)
    team.members.add(me)

    def grow(n):
        for _i in range(n):
            day = ef.day(community, days_ahead=len(ef.Role.objects.all()) + 2)
            rules.sign_up(ef.role(day).pk, me)
            HoursEntry.objects.create(volunteer=me, hours=2, community=community)
            team.members.add(ef.volunteer())
            HomeVisit.objects.create(community=community, resident_name="居民", phone="1", address="x", need="理发")

    client.force_login(me.user)
    grow(1)
    few = queries(client, "/volunteers/me/")
    grow(8)
    assert queries(client, "/volunteers/me/") == few


def test_public_pages_pinned(client, places):
    team = build(places["chunshuyuan"], 2)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/volunteers/")
    index = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        client.get(team.get_absolute_url())
    assert (index, len(ctx.captured_queries)) == (2, 5)


def test_team_page_total_hours_and_history(client, places):
    community = places["chunshuyuan"]
    team = ef.team(community, name="李双军志愿服务队", founded_year=2013, makes_home_visits=True)
    v = ef.volunteer(real_name="张桂兰", phone="13700001111")
    team.members.add(v)
    HoursEntry.objects.create(volunteer=v, hours=Decimal("3.5"), community=community, team=team)
    html = client.get(team.get_absolute_url()).content.decode()
    assert "李双军志愿服务队" in html and "3.5" in html and "2013" in html
    assert "13700001111" not in html and "张桂兰" not in html


def test_me_page_shows_signups_hours_and_stars(client, places):
    v = ef.volunteer("alice", real_name="艾丽丝")
    day = ef.day(places["chunshuyuan"], title="椿树园便民服务日")
    rules.sign_up(ef.role(day, title="引导").pk, v)
    HoursEntry.objects.create(volunteer=v, hours=Decimal("120"), community=places["chunshuyuan"])
    client.force_login(v.user)
    html = client.get("/volunteers/me/").content.decode()
    assert "引导" in html and "已确认" in html and "120" in html and "1 星志愿者" in html
    ics = client.get("/volunteers/me/calendar.ics").content.decode()
    assert "引导" in ics
    cert = client.get("/volunteers/me/certificate/").content.decode()
    assert v.certificate_number in cert and "艾丽丝" in cert and "120" in cert


def test_star_levels():
    assert [star_level(h) for h in (0, 99, 100, 300, 599, 600, 1000, 1500, 9999)] == [0, 0, 1, 2, 2, 3, 4, 5, 5]
    assert mask_phone("13812341234") == "138****1234"


def test_attendance_credits_hours_once_and_corrections_are_new_entries(places, admin_user):
    day = ef.day(places["chunshuyuan"], start_time=datetime.time(9), end_time=datetime.time(11, 30))
    role = ef.role(day)
    v = ef.volunteer()
    signup = rules.sign_up(role.pk, v)
    assert mark_attended([signup], admin_user) == 1
    assert mark_attended([signup], admin_user) == 0
    assert v.total_hours() == Decimal("2.5")
    entry = HoursEntry.objects.get()
    entry.hours = 10
    with pytest.raises(ValueError):
        entry.save()
    HoursEntry.objects.create(volunteer=v, hours=Decimal("-0.5"), community=places["chunshuyuan"], note="更正")
    assert v.total_hours() == Decimal("2.0")
    assert Signup.objects.get().status == "attended"


def test_home_visit_done_credits_each_volunteer(places):
    team = ef.team(places["chunshuyuan"], makes_home_visits=True)
    a, b = ef.volunteer(), ef.volunteer()
    visit = HomeVisit.objects.create(
        community=places["chunshuyuan"], resident_name="刘奶奶", phone="1", address="3 号楼", need="理发", team=team
    )
    visit.volunteers.set([a, b])
    visit.hours = Decimal("1.5")
    visit.save()
    complete_visit(visit, None)
    assert a.total_hours() == b.total_hours() == Decimal("1.5")
    assert team.total_hours() == Decimal("3.0")


def test_delete_account_anonymises_and_keeps_hours(client, places):
    team = ef.team(places["chunshuyuan"])
    v = ef.volunteer("leaving", real_name="要走的人", phone="13700009999")
    team.members.add(v)
    HoursEntry.objects.create(volunteer=v, hours=5, community=places["chunshuyuan"], team=team)
    role = ef.role(ef.day(places["chunshuyuan"]), places=1)
    waiting = ef.volunteer("waiting")
    rules.sign_up(role.pk, v)
    rules.sign_up(role.pk, waiting)
    client.force_login(v.user)
    assert client.post("/volunteers/me/delete/", {}).status_code == 400
    response = client.post("/volunteers/me/delete/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="leaving").exists()
    v.refresh_from_db()
    assert v.anonymised and v.phone == "" and v.user is None and "要走的人" not in v.real_name
    assert team.total_hours() == Decimal("5")
    assert Signup.objects.get(volunteer=waiting).status == "confirmed"
    assert client.get("/volunteers/me/").status_code == 302


def test_register_creates_profile_and_double_submit_makes_one_account(client, places):
    data = {
        "username": "newbie",
        "real_name": "新志愿者",
        "phone": "13612345678",
        "email": "newbie@example.org",
        "community": places["chunshuyuan"].pk,
        "password1": "a-long-pass-2026!",
        "password2": "a-long-pass-2026!",
    }
    first = client.post("/accounts/register/", data)
    second = client.post("/accounts/register/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert get_user_model().objects.filter(username="newbie").count() == 1
    volunteer = Volunteer.objects.get(user__username="newbie")
    assert volunteer.phone == "13612345678" and volunteer.real_name == "新志愿者"
    client.logout()
    third = client.post("/accounts/register/", data)
    assert third.status_code == 400
    assert get_user_model().objects.filter(username="newbie").count() == 1
    assert "已经注册过" in third.content.decode() or "已存在" in third.content.decode()


def test_register_bad_input_keeps_typed_values(client):
    response = client.post("/accounts/register/", {"username": "x1", "real_name": "王五", "phone": "123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "王五" in html and "11 位手机号" in html


def test_login_logout_and_password_reset(client):
    v = ef.volunteer("loginer")
    response = client.post("/accounts/login/", {"username": "loginer", "password": ef.factories.PASSWORD})
    assert response.status_code == 302
    assert client.get("/volunteers/me/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/volunteers/me/").status_code == 302
    response = client.post("/accounts/password-reset/", {"email": v.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_send_reminders_once(places, django_capture_on_commit_callbacks):
    tomorrow = ef.day(places["chunshuyuan"], days_ahead=1)
    later = ef.day(places["chunshuyuan"], days_ahead=5)
    v = ef.volunteer("remindme")
    rules.sign_up(ef.role(tomorrow).pk, v)
    rules.sign_up(ef.role(later).pk, v)
    waiting_role = ef.role(tomorrow, places=1, start_time=datetime.time(12), end_time=datetime.time(13))
    rules.sign_up(waiting_role.pk, ef.volunteer())
    rules.sign_up(waiting_role.pk, ef.volunteer())  # waitlisted: not reminded
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_search_and_sitemaps(places):
    from volunteers.search import search
    from volunteers.sitemaps import SITEMAPS

    ef.team(places["chunshuyuan"], name="李双军志愿服务队", specialty="义剪")
    results = search(["义剪"], 5)
    assert len(results) == 1 and results[0]["kind"] == "志愿服务队" and results[0]["snippet"] == "椿树园社区 · 义剪"
    assert len(SITEMAPS["teams"]().items()) == 1
