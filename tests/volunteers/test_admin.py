import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from events.models import ServiceDay
from tests.events import factories as ef
from volunteers import signup as rules
from volunteers.models import HoursEntry, Signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def sihuan_day(places):
    day = ef.day(places["sihuan"], title="四环便民服务日")
    role = ef.role(day, title="引导", places=3)
    v = ef.volunteer("sihuan-vol", real_name="四环志愿者", phone="13812341234", community=places["sihuan"])
    rules.sign_up(role.pk, v)
    return day


@pytest.fixture
def xihai_day(places):
    day = ef.day(places["xihai"], title="西海便民服务日")
    role = ef.role(day, title="秩序", places=3)
    v = ef.volunteer("xihai-vol", real_name="西海志愿者", phone="13698765432", community=places["xihai"])
    rules.sign_up(role.pk, v)
    return day


def test_worker_sees_only_their_community(client, worker_sihuan, sihuan_day, xihai_day):
    client.force_login(worker_sihuan)
    html = client.get("/admin/events/serviceday/").content.decode()
    assert "四环便民服务日" in html and "西海便民服务日" not in html
    assert client.get(f"/admin/events/serviceday/{xihai_day.pk}/change/").status_code == 302
    response = client.post(
        f"/admin/events/serviceday/{xihai_day.pk}/change/", {"title": "改掉", "community": xihai_day.community_id}
    )
    assert response.status_code == 302
    assert ServiceDay.objects.get(pk=xihai_day.pk).title == "西海便民服务日"
    signups = client.get("/admin/volunteers/signup/").content.decode()
    assert "四环志愿者" in signups and "西海志愿者" not in signups


def test_phone_full_for_own_community_masked_otherwise(client, worker_sihuan, sihuan_day, places):
    # A volunteer from another community signs up for a sihuan day: the worker may call them
    # about that day, but the volunteers list masks anyone outside their scope.
    outsider = ef.volunteer("outsider", real_name="外社区志愿者", phone="13512345678", community=places["xihai"])
    client.force_login(worker_sihuan)
    html = client.get("/admin/volunteers/volunteer/").content.decode()
    assert "13812341234" in html
    rules.sign_up(ef.role(sihuan_day, title="秩序", start_time=None).pk, outsider)
    html = client.get("/admin/volunteers/volunteer/").content.decode()
    assert "135****5678" in html and "13512345678" not in html
    html = client.get(f"/admin/volunteers/volunteer/{outsider.pk}/change/").content.decode()
    assert "13512345678" not in html and "135****5678" in html


def test_staff_outside_the_community_see_masked_numbers_in_exports(client, editor_shichahai, places, sihuan_day):
    from volunteers.exports import signup_rows

    editor_chunshu_user = ef.factories.staff(
        ef.factories.StaffScope.Role.STREET_EDITOR, "ed-c", street=places["chunshu"]
    )
    rows = list(signup_rows(editor_chunshu_user, Signup.objects.all()))
    assert rows[0][6] == "138****1234"
    rows = list(signup_rows(editor_shichahai, Signup.objects.all()))
    assert rows[0][6] == "13812341234"


def test_bulk_attendance_and_exports(client, worker_sihuan, sihuan_day):
    client.force_login(worker_sihuan)
    ids = list(Signup.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/volunteers/signup/", {"action": "attended", "_selected_action": ids, "index": 0}, follow=True
    )
    assert response.status_code == 200
    assert Signup.objects.get().status == "attended"
    assert HoursEntry.objects.get().hours == Decimal("2.5")
    csv_response = client.post(
        "/admin/events/serviceday/", {"action": "export_signups_csv", "_selected_action": [sihuan_day.pk]}
    )
    body = csv_response.content.decode("utf-8-sig")
    assert "四环志愿者" in body and "13812341234" in body and "已到岗" in body
    xlsx = client.post(
        "/admin/events/serviceday/", {"action": "export_signups_xlsx", "_selected_action": [sihuan_day.pk]}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["F2"].value == "四环志愿者"


def test_hours_entries_are_append_only_in_admin(client, worker_sihuan, sihuan_day, places):
    v = Signup.objects.get().volunteer
    client.force_login(worker_sihuan)
    response = client.post(
        "/admin/volunteers/hoursentry/add/",
        {
            "volunteer": v.pk,
            "kind": "correction",
            "hours": "-1.0",
            "date": "2026-01-05",
            "community": places["sihuan"].pk,
            "note": "多记了",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = HoursEntry.objects.get()
    assert entry.entered_by == worker_sihuan
    assert client.post(f"/admin/volunteers/hoursentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert HoursEntry.objects.count() == 1
    # Outside the scope the community cannot be chosen.
    response = client.post(
        "/admin/volunteers/hoursentry/add/",
        {"volunteer": v.pk, "kind": "correction", "hours": "5", "date": "2026-01-05", "community": places["xihai"].pk},
    )
    assert response.status_code == 200 and HoursEntry.objects.count() == 1


def test_cancelling_a_day_in_admin_notifies_signups(client, admin_user, sihuan_day, django_capture_on_commit_callbacks):
    from django.core import mail

    client.force_login(admin_user)
    change = client.get(f"/admin/events/serviceday/{sihuan_day.pk}/change/")
    assert change.status_code == 200
    data = {
        "community": sihuan_day.community_id,
        "title": sihuan_day.title,
        "date": sihuan_day.date.isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "place": sihuan_day.place,
        "description": "",
        "cover_alt": "",
        "status": "cancelled",
        "cancel_reason": "大风停办",
        "cutoff_hours": 24,
        "offerings-TOTAL_FORMS": 0,
        "offerings-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": 1,
        "roles-INITIAL_FORMS": 1,
        "roles-0-id": sihuan_day.roles.get().pk,
        "roles-0-day": sihuan_day.pk,
        "roles-0-title": "引导",
        "roles-0-places": 3,
        "roles-0-sort_order": 100,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/events/serviceday/{sihuan_day.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert len(mail.outbox) == 1 and "大风停办" in mail.outbox[0].body


def test_volunteer_has_no_admin(client):
    v = ef.volunteer("plain")
    client.force_login(v.user)
    assert client.get("/admin/volunteers/signup/").status_code == 302
    assert get_user_model().objects.get(pk=v.user.pk).is_staff is False


def test_home_visits_and_teams_are_scoped(client, worker_sihuan, places):
    from volunteers.models import HomeVisit, Team

    mine = HomeVisit.objects.create(
        community=places["sihuan"], resident_name="四环居民", phone="13700001111", address="a", need="理发"
    )
    theirs = HomeVisit.objects.create(
        community=places["xihai"], resident_name="西海居民", phone="13700002222", address="b", need="理发"
    )
    other_team = ef.team(places["xihai"], name="西海服务队")
    client.force_login(worker_sihuan)
    html = client.get("/admin/volunteers/homevisit/").content.decode()
    assert "四环居民" in html and "西海居民" not in html
    assert client.get(f"/admin/volunteers/homevisit/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/volunteers/homevisit/{theirs.pk}/change/").status_code == 302
    assert client.get(f"/admin/volunteers/team/{other_team.pk}/change/").status_code == 302
    response = client.post(
        "/admin/volunteers/team/add/", {"name": "越界服务队", "slug": "yuejie", "community": places["xihai"].pk}
    )
    assert response.status_code == 200 and not Team.objects.filter(slug="yuejie").exists()


def test_hours_export_masks_phone_outside_scope(places, sihuan_day, editor_shichahai):
    from volunteers.exports import hours_rows
    from volunteers.hours import mark_attended

    mark_attended(list(Signup.objects.all()), None)
    outsider = ef.factories.staff(ef.factories.StaffScope.Role.COMMUNITY_WORKER, "w-x", community=places["xihai"])
    assert list(hours_rows(outsider, HoursEntry.objects.all()))[0][2] == "138****1234"
    assert list(hours_rows(editor_shichahai, HoursEntry.objects.all()))[0][2] == "13812341234"


def _day_form(day, role, places, status="published", cancel_reason=""):
    """The service-day change form as the admin posts it, with the day's one role."""
    return {
        "community": day.community_id,
        "title": day.title,
        "date": day.date.isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "place": day.place,
        "description": "",
        "cover_alt": "",
        "status": status,
        "cancel_reason": cancel_reason,
        "cutoff_hours": 24,
        "offerings-TOTAL_FORMS": 0,
        "offerings-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": 1,
        "roles-INITIAL_FORMS": 1,
        "roles-0-id": role.pk,
        "roles-0-day": day.pk,
        "roles-0-title": role.title,
        "roles-0-places": places,
        "roles-0-sort_order": 100,
    }


def test_day_admin_shows_the_roles_inline_and_the_signup_exports(client, admin_user, sihuan_day):
    # Volunteers adds these to events' admin; the page looks as it did when events declared them.
    client.force_login(admin_user)
    change = client.get(f"/admin/events/serviceday/{sihuan_day.pk}/change/").content.decode()
    assert 'name="roles-TOTAL_FORMS"' in change and 'name="offerings-TOTAL_FORMS"' in change
    changelist = client.get("/admin/events/serviceday/").content.decode()
    assert 'value="export_signups_csv"' in changelist and 'value="export_signups_xlsx"' in changelist


def test_more_places_in_the_day_admin_promote_the_waiting_list(client, admin_user, places):
    day = ef.day(places["sihuan"], title="四环便民服务日")
    role = ef.role(day, title="引导", places=1)
    first, second = ef.volunteer("first-vol"), ef.volunteer("second-vol")
    rules.sign_up(role.pk, first)
    waiting = rules.sign_up(role.pk, second)
    assert waiting.status == Signup.Status.WAITLISTED
    client.force_login(admin_user)
    response = client.post(f"/admin/events/serviceday/{day.pk}/change/", _day_form(day, role, 2), follow=True)
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == Signup.Status.CONFIRMED and waiting.seat == 2
    assert "“引导”有 1 人从候补转为正式报名，已通知。" in [str(m) for m in response.context["messages"]]


def test_day_admin_says_volunteers_were_told_only_when_the_day_is_newly_cancelled(client, admin_user, sihuan_day):
    role = sihuan_day.roles.get()
    client.force_login(admin_user)
    url = f"/admin/events/serviceday/{sihuan_day.pk}/change/"
    told = "已通知报名的志愿者：服务日取消。"
    response = client.post(url, _day_form(sihuan_day, role, 3, "cancelled", "大风停办"), follow=True)
    assert told in [str(m) for m in response.context["messages"]]
    again = client.post(url, _day_form(sihuan_day, role, 3, "cancelled", "大风停办"), follow=True)
    assert again.status_code == 200
    assert told not in [str(m) for m in again.context["messages"]]
