"""A refused sign-up is answered inside the role's card, the redirect lands on that card, and the
service-day page says why a role cannot be taken before anyone presses its button."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.events import factories as ef
from volunteers import signup as rules
from volunteers.models import Signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return ef.volunteer("alice", real_name="艾丽丝")


@pytest.fixture
def day(places):
    return ef.day(places["chunshuyuan"])


def card(html, element_id):
    """The inner HTML of the list item with that id (role cards and sign-up rows are <li>s)."""
    match = re.search(rf'<li [^>]*id="{element_id}"[^>]*>(.*?)</li>', html, re.S)
    assert match, f"no element #{element_id}"
    return match.group(1)


def page_wide_messages(html):
    match = re.search(r'<div class="messages"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    return match.group(1) if match else ""


def sign_up(client, volunteer, role):
    client.force_login(volunteer.user)
    return client.post(f"/volunteers/roles/{role.pk}/signup/")


def assert_answered_in_card(client, response, role, words):
    assert response.status_code == 302
    assert response["Location"] == f"/events/{role.day_id}/#msg-role-{role.pk}"
    html = client.get(response["Location"]).content.decode()
    inside = card(html, f"role-{role.pk}")
    assert words in inside
    assert 'role="alert"' in inside and 'tabindex="-1"' in inside and "data-focus-message" in inside
    assert words not in page_wide_messages(html)
    assert inside.count(words) == 1  # said once: the focused answer, not again as the line before the button
    assert "role-refusal" not in inside
    return inside


def test_a_clash_is_answered_in_the_role_card(client, alice, day):
    first = ef.role(day, title="引导")
    second = ef.role(day, title="秩序维护", start_time=datetime.time(10, 0), end_time=datetime.time(12, 0))
    rules.sign_up(first.pk, alice)
    inside = assert_answered_in_card(client, sign_up(client, alice, second), second, "时间冲突")
    assert "引导" in inside
    assert not Signup.objects.filter(role=second).exists()


def test_signing_up_twice_is_answered_in_the_role_card(client, alice, day):
    role = ef.role(day)
    rules.sign_up(role.pk, alice)
    assert_answered_in_card(client, sign_up(client, alice, role), role, "您已经报名了这个岗位")
    assert Signup.objects.filter(volunteer=alice).count() == 1


@pytest.mark.parametrize("kind", ["team", "skill", "cancelled"])
def test_other_refusals_are_answered_in_the_role_card(client, alice, places, kind):
    community = places["chunshuyuan"]
    if kind == "cancelled":
        role = ef.role(ef.day(community, status="cancelled", cancel_reason="大风天气"))
        words = "已取消"
    elif kind == "team":
        role = ef.role(ef.day(community), team=ef.team(community, name="李双军志愿服务队"))
        words = "只限“李双军志愿服务队”队员报名"
    else:
        role = ef.role(ef.day(community), skill=ef.skill("医护"))
        words = "需要“医护”技能"
    assert_answered_in_card(client, sign_up(client, alice, role), role, words)
    assert not Signup.objects.exists()


def test_a_success_still_goes_to_my_signups_with_the_message_at_the_top(client, alice, day):
    role = ef.role(day, title="引导")
    response = sign_up(client, alice, role)
    assert response["Location"] == "/volunteers/me/"
    html = client.get("/volunteers/me/").content.decode()
    assert "报名成功：引导" in page_wide_messages(html)


def test_roles_that_would_be_refused_say_why_before_the_button(client, alice, day, places):
    community = places["chunshuyuan"]
    taken = ef.role(day, title="引导")
    clash = ef.role(day, title="秩序维护", start_time=datetime.time(10, 0), end_time=datetime.time(12, 0))
    team_only = ef.role(
        day, title="队内岗位", start_time=datetime.time(12, 0), end_time=datetime.time(13, 0), team=ef.team(community)
    )
    skilled = ef.role(
        day, title="量血压", start_time=datetime.time(13, 0), end_time=datetime.time(14, 0), skill=ef.skill("医护")
    )
    full = ef.role(day, title="搬桌椅", places=1, start_time=datetime.time(14, 0), end_time=datetime.time(15, 0))
    ef.confirmed(full, ef.volunteer("bob"))
    free = ef.role(day, title="拍照", start_time=datetime.time(15, 0), end_time=datetime.time(16, 0))
    rules.sign_up(taken.pk, alice)
    client.force_login(alice.user)
    html = client.get(day.get_absolute_url()).content.decode()

    def signup_form(role):
        return f'action="/volunteers/roles/{role.pk}/signup/"'

    assert "我的报名" in card(html, f"role-{taken.pk}") and signup_form(taken) not in html
    for role, words in [
        (clash, "时间冲突：您已报名同一天 09:00–11:30 的“引导”"),
        (team_only, "只限"),
        (skilled, "需要“医护”技能"),
    ]:
        inside = card(html, f"role-{role.pk}")
        assert "不能报名" in inside and words in inside, role.title
        assert signup_form(role) not in html, role.title
    assert 'href="/volunteers/me/profile/"' in card(html, f"role-{skilled.pk}")
    inside = card(html, f"role-{full.pk}")
    assert "名额已满" in inside and "报名候补" in inside and signup_form(full) in inside
    inside = card(html, f"role-{free.pk}")
    assert "报名这个岗位" in inside and "不能报名" not in inside


def test_a_team_member_with_the_skill_gets_the_button(client, alice, day, places):
    team = ef.team(places["chunshuyuan"])
    team.members.add(alice)
    medic = ef.skill("医护")
    alice.skills.add(medic)
    role = ef.role(day, team=team, skill=medic)
    client.force_login(alice.user)
    inside = card(client.get(day.get_absolute_url()).content.decode(), f"role-{role.pk}")
    assert "报名这个岗位" in inside and "不能报名" not in inside


def test_a_past_day_says_sign_up_has_closed(client, alice, places):
    role = ef.role(ef.day(places["chunshuyuan"], days_ahead=-1))
    html = client.get(role.day.get_absolute_url()).content.decode()
    assert "报名已截止" in card(html, f"role-{role.pk}")
    client.force_login(alice.user)
    html = client.get(role.day.get_absolute_url()).content.decode()
    assert "不能再报名" in card(html, f"role-{role.pk}")


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_volunteers_service_day_page_has_a_pinned_query_count(client, alice, day, places):
    """Day, offerings, roles, session, user, volunteer, their sign-ups of the date, teams, skills:
    the same however many roles the day has and however many of them the rules refuse."""
    community = places["chunshuyuan"]
    ef.role(day, team=ef.team(community), skill=ef.skill("医护"))
    rules.sign_up(ef.role(day).pk, alice)
    client.force_login(alice.user)
    few = count(client, day.get_absolute_url())
    for hour in range(12, 18):
        ef.role(day, start_time=datetime.time(hour, 0), end_time=datetime.time(hour, 30), team=ef.team(community))
        ef.role(day, skill=ef.skill(f"技能{hour}"))
        ef.offering(day, places=3)
    evening = ef.day(community, date=day.date, start_time=datetime.time(18, 0), end_time=datetime.time(20, 0))
    rules.sign_up(ef.role(evening).pk, alice)  # a sign-up elsewhere the same date: one more row, no more queries
    assert count(client, day.get_absolute_url()) == few == 9


def test_a_refused_cancellation_is_answered_in_its_row(client, alice, places):
    role = ef.role(ef.day(places["chunshuyuan"], days_ahead=1, cutoff_hours=48))
    signup = rules.sign_up(role.pk, alice)
    client.force_login(alice.user)
    response = client.post(f"/volunteers/signups/{signup.pk}/cancel/")
    assert response["Location"] == f"/volunteers/me/#msg-signup-{signup.pk}"
    html = client.get(response["Location"]).content.decode()
    inside = card(html, f"signup-{signup.pk}")
    assert "截止" in inside and "data-focus-message" in inside


def test_a_leaders_refused_member_signup_is_answered_in_the_leader_section(client, alice, places):
    community = places["chunshuyuan"]
    bob = ef.volunteer("bob", real_name="鲍勃")
    team = ef.team(community, leader=alice)
    team.members.add(alice, bob)
    role = ef.role(ef.day(community), skill=ef.skill("医护"))
    client.force_login(alice.user)
    response = client.post("/volunteers/signup-member/", {"role": role.pk, "volunteer": bob.pk})
    assert response["Location"] == "/volunteers/me/#msg-leader"
    html = client.get(response["Location"]).content.decode()
    section = html[html.index('id="leader"') :]
    assert section.index("鲍勃：这个岗位需要“医护”技能") < section.index("</section>")


def test_a_refused_home_visit_request_opens_on_its_focused_summary(client, places, rate_limits):
    import uuid

    ef.team(places["chunshuyuan"], name="上门服务队", makes_home_visits=True)  # the community then takes requests
    page = client.get("/volunteers/home-visits/new/").content.decode()
    assert 'action="/volunteers/home-visits/new/#error-summary"' in page
    data = {
        "community": places["chunshuyuan"].pk,
        "resident_name": "刘奶奶",
        "phone": "12",
        "address": "3 号楼 2 单元",
        "need": "行动不便，想在家理发",
        "preferred_time": "上午",
        "submission": str(uuid.uuid4()),
    }
    bad = client.post("/volunteers/home-visits/new/", data).content.decode()
    summary = re.search(r'<div [^>]*id="error-summary"[^>]*>', bad).group(0)
    assert 'tabindex="-1"' in summary and "data-focus-message" in summary and 'role="alert"' in summary
    rate_limits("home_visit", address=(1, 3600))
    assert client.post("/volunteers/home-visits/new/", data | {"phone": "13800002001"}).status_code == 200
    flood = client.post(
        "/volunteers/home-visits/new/", data | {"phone": "13800002002", "submission": str(uuid.uuid4())}
    )
    assert flood.status_code == 429
    assert re.search(r'id="error-summary"[^>]*data-focus-message', flood.content.decode())
