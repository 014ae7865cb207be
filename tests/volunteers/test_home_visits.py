import uuid

import pytest

from tests.events import factories as ef
from volunteers.models import HomeVisit

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(places):
    leader = ef.volunteer("leader", real_name="李队长")
    team = ef.team(places["chunshuyuan"], name="上门服务队", makes_home_visits=True, leader=leader)
    team.members.add(leader)
    return team


def visit_data(community, submission):
    return {
        "community": community.pk,
        "resident_name": "刘奶奶",
        "phone": "13800002001",
        "address": "3 号楼 2 单元",
        "need": "行动不便，想在家理发",
        "preferred_time": "上午",
        "submission": submission,
    }


def test_resident_requests_a_home_visit_once_even_if_submitted_twice(client, team, places):
    data = visit_data(places["chunshuyuan"], str(uuid.uuid4()))
    assert client.post("/volunteers/home-visits/new/", data).status_code == 200
    assert client.post("/volunteers/home-visits/new/", data).status_code == 200
    assert HomeVisit.objects.count() == 1


def test_home_visit_bad_phone_keeps_text(client, team, places):
    data = visit_data(places["chunshuyuan"], str(uuid.uuid4())) | {"phone": "12"}
    response = client.post("/volunteers/home-visits/new/", data)
    assert response.status_code == 400 and "行动不便，想在家理发" in response.content.decode()
    assert not HomeVisit.objects.exists()


def test_leader_accepts_others_cannot(client, team, places):
    visit = HomeVisit.objects.create(
        community=places["chunshuyuan"], resident_name="刘奶奶", phone="1", address="x", need="理发"
    )
    outsider = ef.volunteer("nobody")
    client.force_login(outsider.user)
    assert client.post(f"/volunteers/home-visits/{visit.pk}/accept/", {"team": team.pk}).status_code == 404
    assert client.get(f"/volunteers/home-visits/{visit.pk}/accept/").status_code == 405
    client.force_login(team.leader.user)
    page = client.get("/volunteers/me/").content.decode()
    assert "待接单的上门服务" in page and "13800002001" not in page
    assert client.post(f"/volunteers/home-visits/{visit.pk}/accept/", {"team": team.pk}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == "accepted" and visit.team == team


def test_profile_edit_adds_skill(client, places):
    v = ef.volunteer("editme")
    barber = ef.skill("理发")
    client.force_login(v.user)
    response = client.post(
        "/volunteers/me/profile/", {"real_name": "改过的名字", "phone": "13911112222", "skills": [barber.pk]}
    )
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.real_name == "改过的名字" and list(v.skills.all()) == [barber]
    assert client.post("/volunteers/me/profile/", {"real_name": "x", "phone": "1"}).status_code == 400
