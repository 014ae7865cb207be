import datetime

import pytest
from django.core import mail

from tests.events import factories as ef
from volunteers import signup as rules
from volunteers.models import Signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return ef.volunteer("alice", real_name="艾丽丝")


@pytest.fixture
def bob(db):
    return ef.volunteer("bob", real_name="鲍勃")


@pytest.fixture
def day(places):
    return ef.day(places["chunshuyuan"])


def post_signup(client, volunteer, role):
    client.force_login(volunteer.user)
    return client.post(f"/volunteers/roles/{role.pk}/signup/", follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_signup_confirms_then_waitlists_when_full(client, alice, bob, day):
    role = ef.role(day, places=1)
    response = post_signup(client, alice, role)
    assert "报名成功" in messages_of(response)[0]
    response = post_signup(client, bob, role)
    assert "候补" in messages_of(response)[0]
    assert Signup.objects.get(volunteer=alice).status == "confirmed"
    assert Signup.objects.get(volunteer=bob).status == "waitlisted"


def test_duplicate_signup_is_refused(client, alice, day):
    role = ef.role(day)
    post_signup(client, alice, role)
    response = post_signup(client, alice, role)
    assert "已经报名" in messages_of(response)[0]
    assert Signup.objects.filter(volunteer=alice).count() == 1


def test_overlap_on_same_day_is_refused_naming_the_clash(client, alice, day):
    first = ef.role(day, title="引导")
    second = ef.role(day, title="秩序维护", start_time=datetime.time(10, 0), end_time=datetime.time(12, 0))
    post_signup(client, alice, first)
    response = post_signup(client, alice, second)
    message = messages_of(response)[0]
    assert "时间冲突" in message and "引导" in message
    assert not Signup.objects.filter(role=second).exists()


def test_non_overlapping_roles_same_day_are_fine(alice, day):
    early = ef.role(day, start_time=datetime.time(8, 0), end_time=datetime.time(9, 0))
    late = ef.role(day, start_time=datetime.time(9, 0), end_time=datetime.time(10, 0))
    rules.sign_up(early.pk, alice)
    assert rules.sign_up(late.pk, alice).status == "confirmed"


def test_team_only_role_refuses_outsiders(client, alice, bob, day, places):
    team = ef.team(places["chunshuyuan"], name="李双军志愿服务队")
    team.members.add(bob)
    role = ef.role(day, team=team)
    response = post_signup(client, alice, role)
    assert "只限" in messages_of(response)[0]
    assert rules.sign_up(role.pk, bob).status == "confirmed"


def test_skill_required(client, alice, day):
    barber = ef.skill("理发")
    role = ef.role(day, skill=barber)
    response = post_signup(client, alice, role)
    assert "理发" in messages_of(response)[0]
    assert not Signup.objects.exists()
    alice.skills.add(barber)
    assert rules.sign_up(role.pk, alice).status == "confirmed"


def test_cancelled_day_refuses_signups(client, alice, places):
    day = ef.day(places["chunshuyuan"], status="cancelled", cancel_reason="大风天气")
    role = ef.role(day)
    response = post_signup(client, alice, role)
    assert "已取消" in messages_of(response)[0]
    assert not Signup.objects.exists()


def test_past_day_refuses_signups(alice, places):
    role = ef.role(ef.day(places["chunshuyuan"], days_ahead=-1))
    with pytest.raises(rules.SignupError):
        rules.sign_up(role.pk, alice)


def test_cancel_promotes_first_waitlisted_and_emails_after_commit(
    client, alice, bob, day, django_capture_on_commit_callbacks
):
    carol = ef.volunteer("carol")
    role = ef.role(day, places=1)
    rules.sign_up(role.pk, alice)
    rules.sign_up(role.pk, bob)
    rules.sign_up(role.pk, carol)
    signup = Signup.objects.get(volunteer=alice)
    client.force_login(alice.user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/volunteers/signups/{signup.pk}/cancel/")
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert Signup.objects.get(volunteer=alice).status == "cancelled"
    assert Signup.objects.get(volunteer=bob).status == "confirmed"
    assert Signup.objects.get(volunteer=carol).status == "waitlisted"
    assert [m.to for m in mail.outbox] == [[bob.user.email]]
    assert "候补成功" in mail.outbox[0].subject


def test_no_email_when_the_transaction_rolls_back(alice, bob, day, django_capture_on_commit_callbacks):
    role = ef.role(day, places=1)
    rules.sign_up(role.pk, alice)
    rules.sign_up(role.pk, bob)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rules.cancel(Signup.objects.get(volunteer=alice).pk, alice)
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing is sent until the commit


def test_cancel_after_cutoff_is_refused(client, alice, places):
    # Tomorrow 9:00 with a 48-hour cut-off: the cut-off has passed, sign-up is still open.
    day = ef.day(places["chunshuyuan"], days_ahead=1, cutoff_hours=48)
    role = ef.role(day)
    signup = rules.sign_up(role.pk, alice)
    client.force_login(alice.user)
    response = client.post(f"/volunteers/signups/{signup.pk}/cancel/", follow=True)
    assert "截止" in messages_of(response)[0]
    assert Signup.objects.get(pk=signup.pk).status == "confirmed"


def test_someone_elses_signup_is_404_and_unchanged(client, alice, bob, day):
    role = ef.role(day)
    signup = rules.sign_up(role.pk, alice)
    client.force_login(bob.user)
    response = client.post(f"/volunteers/signups/{signup.pk}/cancel/")
    assert response.status_code == 404
    assert Signup.objects.get(pk=signup.pk).status == "confirmed"


@pytest.mark.parametrize(
    "url", ["/volunteers/roles/{role}/signup/", "/volunteers/signups/{signup}/cancel/", "/volunteers/signup-member/"]
)
def test_get_on_actions_is_405(client, alice, day, url):
    role = ef.role(day)
    signup = rules.sign_up(role.pk, alice)
    client.force_login(alice.user)
    response = client.get(url.format(role=role.pk, signup=signup.pk))
    assert response.status_code == 405


@pytest.mark.parametrize(
    "url",
    ["/volunteers/roles/1/signup/", "/volunteers/signups/1/cancel/", "/volunteers/me/", "/volunteers/me/certificate/"],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.post(url) if "signup" in url or "cancel" in url else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_leader_signs_up_a_member_but_not_an_outsider(client, alice, bob, day, places):
    team = ef.team(places["chunshuyuan"], leader=alice)
    team.members.add(alice, bob)
    outsider = ef.volunteer("outsider")
    role = ef.role(day)
    client.force_login(alice.user)
    response = client.post("/volunteers/signup-member/", {"role": role.pk, "volunteer": bob.pk})
    assert response.status_code == 302
    signup = Signup.objects.get(volunteer=bob)
    assert signup.signed_up_by == alice.user
    response = client.post("/volunteers/signup-member/", {"role": role.pk, "volunteer": outsider.pk})
    assert response.status_code == 404
    client.force_login(bob.user)  # bob leads nothing
    response = client.post("/volunteers/signup-member/", {"role": role.pk, "volunteer": alice.pk})
    assert response.status_code == 404
    assert not Signup.objects.filter(volunteer__in=[alice, outsider]).exists()


def test_resign_after_cancel_goes_to_the_back(alice, bob, day):
    role = ef.role(day, places=1)
    rules.sign_up(role.pk, alice)
    rules.cancel(Signup.objects.get(volunteer=alice).pk, alice)
    rules.sign_up(role.pk, bob)
    again = rules.sign_up(role.pk, alice)
    assert again.status == "waitlisted"
    assert again.number > Signup.objects.get(volunteer=bob).number


def test_capacity_lock_really_locks(places):
    """SQLite: BEGIN IMMEDIATE takes the write lock at once. PostgreSQL: SELECT ... FOR UPDATE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    role = ef.role(ef.day(places["chunshuyuan"]))
    with CaptureQueriesContext(connection) as queries, rules.capacity_lock(type(role), role.pk) as locked:
        assert locked.pk == role.pk
        assert connection.in_atomic_block
    if connection.vendor == "sqlite":
        assert connection.transaction_mode == "IMMEDIATE"
    else:
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_raising_places_promotes_the_waiting_list_in_order(alice, bob, day, django_capture_on_commit_callbacks):
    carol = ef.volunteer("carol")
    role = ef.role(day, places=1)
    for v in (alice, bob, carol):
        rules.sign_up(role.pk, v)
    role.places = 2
    role.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert rules.promote_waiting(role.pk) == 1
    assert Signup.objects.get(volunteer=bob).status == "confirmed"
    assert Signup.objects.get(volunteer=carol).status == "waitlisted"
    assert [m.to for m in mail.outbox] == [[bob.user.email]]
