"""Staff see and change only what their scope covers — tested on the forbidden paths."""

import pytest
from django.contrib.auth.models import Group

from communities import scope
from communities.models import Community, StaffScope
from tests import factories


def change_url(community):
    return f"/admin/communities/community/{community.pk}/change/"


def test_editor_sees_only_their_streets_communities(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    html = client.get("/admin/communities/community/").content.decode()
    assert "椿树园社区" in html and "红线社区" in html
    assert "四环社区" not in html and "西海社区" not in html


def test_editor_cannot_open_or_change_another_streets_community(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    sihuan = places["sihuan"]
    assert client.get(change_url(sihuan)).status_code == 302
    response = client.post(change_url(sihuan), {"name": "被改掉了", "street": sihuan.street_id, "slug": "sihuan"})
    assert response.status_code == 302
    sihuan.refresh_from_db()
    assert sihuan.name == "四环社区"


def test_editor_can_change_their_own_community(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    community = places["chunshuyuan"]
    response = client.post(
        change_url(community),
        {
            "name": "椿树园社区",
            "brand": "红色领航·椿满园（新）",
            "description": "",
            "address": "",
            "phone": "",
            "cover_alt": "",
            "sort_order": 5,
            "partner_units-TOTAL_FORMS": 0,
            "partner_units-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    community.refresh_from_db()
    assert community.brand == "红色领航·椿满园（新）"
    assert community.street == places["chunshu"]  # moving a community is not an editor's call


def test_editor_cannot_add_communities(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    assert client.get("/admin/communities/community/add/").status_code == 403


def test_partner_unit_community_choices_are_limited_to_scope(client, places, worker_sihuan):
    client.force_login(worker_sihuan)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "communities", "model_name": "partnerunit", "field_name": "community", "term": ""},
    )
    assert response.status_code == 200
    names = [item["text"] for item in response.json()["results"]]
    assert names == ["四环社区"]


def test_worker_cannot_add_a_partner_unit_to_another_community(client, places, worker_sihuan):
    client.force_login(worker_sihuan)
    response = client.post(
        "/admin/communities/partnerunit/add/",
        {"name": "越权单位", "kind": "shop", "community": places["chunshuyuan"].pk},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "越权单位" not in [u.name for u in places["chunshuyuan"].partner_units.all()]


def test_worker_sees_only_their_community(client, places, worker_sihuan):
    client.force_login(worker_sihuan)
    html = client.get("/admin/communities/community/").content.decode()
    assert "四环社区" in html
    assert "西海社区" not in html and "椿树园社区" not in html
    assert client.get(change_url(places["xihai"])).status_code == 302


def test_staff_scopes_are_for_district_administrators_only(client, places, editor_chunshu, admin_user):
    client.force_login(editor_chunshu)
    assert client.get("/admin/communities/staffscope/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/admin/communities/staffscope/").status_code == 200


def test_departments_are_managed_by_district_administrators(client, places, editor_chunshu, fangguan):
    client.force_login(editor_chunshu)
    response = client.post(f"/admin/communities/department/{fangguan.pk}/change/", {"name": "改名", "kind": "other"})
    assert response.status_code == 403
    fangguan.refresh_from_db()
    assert fangguan.name == "什刹海街道房管所"


def test_officer_scope_covers_no_community(places, officer_fangguan):
    assert not scope.scoped_communities(officer_fangguan).exists()
    assert scope.role_of(officer_fangguan) == StaffScope.Role.DEPARTMENT_OFFICER


def test_anonymous_and_plain_accounts_have_no_scope(places, client):
    volunteer = factories.user("volunteer-a")
    assert not scope.scoped_communities(volunteer).exists()
    assert client.get("/admin/communities/community/").status_code == 302


def test_district_admin_sees_everything(places, admin_user):
    assert scope.scoped_communities(admin_user).count() == Community.objects.count() == 4


def test_scope_puts_the_account_in_its_role_group_only(places, editor_chunshu):
    assert editor_chunshu.is_staff
    assert list(editor_chunshu.groups.values_list("name", flat=True)) == ["街道编辑"]
    scope_row = editor_chunshu.staff_scope
    scope_row.role = StaffScope.Role.COMMUNITY_WORKER
    scope_row.street = None
    scope_row.community = places["sihuan"]
    scope_row.save()
    assert list(editor_chunshu.groups.values_list("name", flat=True)) == ["社区工作者"]


def test_role_groups_exist_after_migrate(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"区级管理员", "街道编辑", "社区工作者", "职能部门工作人员"} <= names
    assert Group.objects.get(name="街道编辑").permissions.filter(codename="change_community").exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "street_editor"},  # no street
        {"role": "community_worker", "street_key": "chunshu"},  # wrong kind of place
        {"role": "district_admin", "community_key": "sihuan"},
    ],
)
def test_scope_must_match_its_role(places, fields):
    from django.db import IntegrityError, transaction

    account = factories.user()
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffScope.objects.create(
            user=account,
            role=fields["role"],
            street=places.get(fields.get("street_key", ""), None),
            community=places.get(fields.get("community_key", ""), None),
        )
