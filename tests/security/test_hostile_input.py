"""Hostile input against every public form and query parameter (hypothesis).

Each test builds real rows once (``world``), then throws generated values at one
endpoint: huge strings, control characters and NULs, lone surrogates and invalid
UTF-8, mixed scripts, SQL and HTML fragments, numbers where text belongs and text
where numbers, dates and ids belong, missing fields and fields sent twice. Every
answer must be below 500; a refusal must say why in Chinese; a refused request
must store nothing. The database is shared between examples, so rows are counted
around each request.
"""

import uuid
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import given
from hypothesis import strategies as st

from core import ratelimit
from core.models import OneTimeCode
from events.models import ResidentBooking
from feedback.models import Case, TimelineEntry
from tests.security.hostile import assert_sound, counts, encode, fuzz, get, mangled, params, path_segment, post, value
from volunteers.models import HomeVisit, Signup, Volunteer

User = get_user_model()

PAGE = ["page", "q", "street", "community", "column", "tag", "month", "category", "code", "next"]

# Every page that reads the query string, with the parameters it reads (plus a few it does not).
QUERY_PAGES = [
    ("/", ["next"]),
    ("/search/", ["q", "page"]),
    ("/news/", ["street", "community", "column", "tag", "page"]),
    ("/news/columns/weekly/", ["page"]),
    ("/news/tags/lajifenlei/", ["page"]),
    ("/feeds/news/", ["page"]),
    ("/events/", ["street", "community", "month", "page"]),
    ("/communities/", ["page"]),
    ("/volunteers/", ["page"]),
    ("/volunteers/teams/sihuan-team/", ["page"]),
    ("/feedback/", ["street", "page"]),
    ("/feedback/new/", ["category", "community"]),
    ("/feedback/track/", ["code"]),
    ("/volunteers/home-visits/new/", ["community"]),
    ("/accounts/login/", ["next"]),
    ("/accounts/register/", ["next"]),
    ("/accounts/password-reset/", ["email"]),
]


@pytest.fixture
def client():
    # A crash must show up as the 500 a visitor would get, not as an exception in the test.
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # The limits have their own tests; here every example must reach the form.
    settings.RATE_LIMITS = {scope: dict.fromkeys(kinds, (10**6, 3600)) for scope, kinds in ratelimit.DEFAULTS.items()}


def reset():
    cache.clear()
    mail.outbox = []


@pytest.mark.parametrize(("path", "names"), QUERY_PAGES)
@fuzz
@given(data=st.data())
def test_query_parameters(client, world, path, names, data):
    reset()
    response = get(client, path, data.draw(params(names + PAGE)))
    assert_sound(response)


MY_PAGES = ["/volunteers/me/", "/volunteers/me/calendar.ics", "/volunteers/me/certificate/", "/volunteers/me/profile/"]


@pytest.mark.parametrize("path", [*MY_PAGES, "/volunteers/me/delete/"])
@fuzz
@given(data=st.data())
def test_query_parameters_logged_in(client, world, path, data):
    reset()
    client.force_login(world["leader"].user)  # a team leader's page shows the most
    assert_sound(get(client, path, data.draw(params(PAGE))))


# Paths with a slug, a code, a token or an id in them: any segment at all must give a page or a clear 404.
PATH_PATTERNS = [
    "/communities/{}/",
    "/communities/shichahai/{}/",
    "/news/{}/",
    "/news/columns/{}/",
    "/news/columns/weekly/{}/",
    "/news/tags/{}/",
    "/news/preview/{}/",
    "/feeds/news/columns/{}/",
    "/feeds/news/streets/{}/atom/",
    "/events/{}/",
    "/events/{}/calendar.ics",
    "/events/communities/{}.ics",
    "/events/bookings/{}/",
    "/volunteers/teams/{}/",
    "/feedback/track/{}/",
    "/feedback/mine/{}/x/",
    "/feedback/mine/SH-2026-000001/{}/",
    "/accounts/reset/{}/set-password/",
]
segment = st.one_of(
    value,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "9223372036854775808", "2147483648", "99999999999999999999", "SH-2026-000001"]),
    st.uuids().map(str),
)


@pytest.mark.parametrize("pattern", PATH_PATTERNS)
@fuzz
@given(raw=segment)
def test_path_segments(client, world, pattern, raw):
    reset()
    assert_sound(client.get(pattern.format(path_segment(raw))))


@pytest.mark.parametrize(
    "url", ["/news/?street=%00", "/events/?street=a%00b", "/search/?q=%00", "/feedback/track/SH%00/", "/news/?%00=1"]
)
def test_a_nul_gets_the_400_page(client, world, url):
    """PostgreSQL cannot compare text holding a NUL: found by the fuzz above on PostgreSQL."""
    response = client.get(url)
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


# --- feedback ------------------------------------------------------------------------------------


def case_form(world):
    return {
        "community": world["A"].pk,
        "category": world["category"].pk,
        "place": "四环胡同28号院",
        "description": "楼道灯坏了一个星期，晚上上下楼很危险。",
        "contact_name": "王大妈",
        "contact_phone": "13812341234",
        "contact_email": "wang@example.org",
        "consent": "on",
        "token": str(uuid.uuid4()),
    }


@fuzz
@given(data=st.data())
def test_feedback_form(client, world, data):
    reset()
    valid = case_form(world)
    valid["token"] = str(data.draw(st.uuids()))
    pairs = data.draw(mangled(valid))
    before = counts(Case, TimelineEntry)
    response = post(client, "/feedback/new/", pairs)
    after = counts(Case, TimelineEntry)
    if not assert_sound(response, before, after):
        assert after[0] - before[0] <= 1


def test_feedback_form_valid_submission_is_stored(client, world):
    """The control: the fuzz above could pass by refusing everything."""
    # confirm_new: the world has an open published case that looks alike (feedback/duplicates.py)
    response = post(client, "/feedback/new/", [*case_form(world).items(), ("confirm_new", "1")])
    assert response.status_code == 302
    assert Case.objects.filter(description__startswith="楼道灯坏了").count() == 1


@fuzz
@given(data=st.data())
def test_track_lookup(client, world, data):
    reset()
    code = world["resolved_case"].code
    pairs = data.draw(mangled({"code": code}))
    assert_sound(get(client, "/feedback/track/", pairs))


@pytest.mark.parametrize("code", ["/", "SH-2026/1", "SH 2026", "SH-2026-1?x"])
def test_a_tracking_code_that_cannot_be_one_is_refused_by_the_form(client, world, code):
    response = client.get("/feedback/track/", {"code": code})
    assert response.status_code == 400
    assert "查询码只含字母、数字和短横线" in response.content.decode()


def case_state(case):
    fresh = Case.objects.get(pk=case.pk)
    return (fresh.status, fresh.rating, fresh.rating_comment, fresh.round, TimelineEntry.objects.count())


@fuzz
@given(data=st.data())
def test_rating_and_reopen(client, world, data):
    reset()
    case = world["resolved_case"]
    pairs = data.draw(mangled({"rating": data.draw(st.sampled_from(["satisfied", "unsatisfied"])), "comment": "好"}))
    before = case_state(case)
    response = post(client, f"/feedback/mine/{case.code}/{world['resolved_secret']}/rate/", pairs)
    after = case_state(case)
    if not assert_sound(response, before, after) and after != before:
        # Accepted: put the case back so the next example rates it again.
        Case.objects.filter(pk=case.pk).update(
            status=Case.Status.RESOLVED, rating="", rating_comment="", round=before[3], resolved_at=case.resolved_at
        )


@fuzz
@given(data=st.data())
def test_metoo(client, world, data):
    reset()
    case = world["open_case"]
    code = data.draw(st.one_of(st.just(case.code), st.just(case.code.lower()), value.map(path_segment)))
    before = Case.objects.get(pk=case.pk).metoo_count
    response = post(client, f"/feedback/case/{code}/metoo/", data.draw(params(["code", "next"])))
    after = Case.objects.get(pk=case.pk).metoo_count
    assert_sound(response, before, after)
    assert after - before <= 1


# --- service days ---------------------------------------------------------------------------------


@fuzz
@given(data=st.data())
def test_service_day_booking(client, world, data):
    reset()
    valid = {"name": "张大爷", "phone": "13900002222", "submission": str(data.draw(st.uuids()))}
    pairs = data.draw(mangled(valid))
    before = counts(ResidentBooking)
    response = post(client, f"/events/offerings/{world['offering'].pk}/book/", pairs)
    after = counts(ResidentBooking)
    if not assert_sound(response, before, after):
        assert after[0] - before[0] <= 1
    ResidentBooking.objects.exclude(pk=world["booking"].pk).delete()  # keep places free for the next example


@fuzz
@given(data=st.data())
def test_service_day_booking_of_several_services(client, world, data):
    reset()
    offering = world["offering"]
    valid = {
        "offerings": str(offering.pk),
        "name": "张大爷",
        "phone": "13900002222",
        "submission": str(data.draw(st.uuids())),
    }
    pairs = data.draw(mangled(valid))
    before = counts(ResidentBooking)
    response = post(client, f"/events/{offering.day_id}/book/", pairs)
    after = counts(ResidentBooking)
    if not assert_sound(response, before, after):
        assert after[0] - before[0] <= 1
    ResidentBooking.objects.exclude(pk=world["booking"].pk).delete()


# --- 我的事项 -------------------------------------------------------------------------------------


@fuzz
@given(data=st.data())
def test_my_things_code_request(client, world, data):
    reset()
    pairs = data.draw(mangled({"phone": "13900002222"}))
    before = counts(OneTimeCode)
    response = post(client, "/my/code/", pairs)
    assert_sound(response, before, counts(OneTimeCode))


@fuzz
@given(data=st.data())
def test_my_things_code_check(client, world, data):
    reset()
    session = client.session
    session["my_things_pending"] = "13900002222"
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = post(client, "/my/verify/", data.draw(mangled({"code": "123456"})))
    assert_sound(response)


@fuzz
@given(data=st.data())
def test_booking_cancel(client, world, data):
    reset()
    booking = world["booking"]
    token = data.draw(st.one_of(st.just(str(booking.token)), st.uuids().map(str)))
    response = post(client, f"/events/bookings/{token}/", data.draw(params(["confirm", "next"])))
    assert_sound(response)
    ResidentBooking.objects.filter(pk=booking.pk).update(
        status=ResidentBooking.Status.CONFIRMED, seat=1, cancelled_at=None
    )


# --- volunteers (logged in) -----------------------------------------------------------------------


@fuzz
@given(data=st.data())
def test_signup_and_cancel(client, world, data):
    reset()
    client.force_login(world["volunteer"].user)
    role, others = world["role"], world["others_signup"]
    before = counts(Signup)
    response = post(client, f"/volunteers/roles/{role.pk}/signup/", data.draw(params(["role", "volunteer", "next"])))
    assert_sound(response, before, counts(Signup))
    mine = Signup.objects.filter(volunteer=world["volunteer"]).first()
    target = data.draw(st.sampled_from([s for s in (mine, others) if s]))
    response = post(client, f"/volunteers/signups/{target.pk}/cancel/", data.draw(params(["next"])))
    assert_sound(response)
    others.refresh_from_db()
    assert others.status == Signup.Status.CONFIRMED  # never someone else's
    Signup.objects.filter(volunteer=world["volunteer"]).delete()


@fuzz
@given(data=st.data())
def test_leader_signs_up_a_member(client, world, data):
    reset()
    client.force_login(world["leader"].user)
    pairs = data.draw(mangled({"role": world["role"].pk, "volunteer": world["volunteer"].pk}))
    before = counts(Signup)
    response = post(client, "/volunteers/signup-member/", pairs)
    assert_sound(response, before, counts(Signup))
    assert not Signup.objects.filter(volunteer=world["volunteer"]).exists()  # not in the leader's team


def profile_state(volunteer):
    fresh = Volunteer.objects.get(pk=volunteer.pk)
    return (fresh.real_name, fresh.phone, fresh.community_id, sorted(fresh.skills.values_list("pk", flat=True)))


@fuzz
@given(data=st.data())
def test_profile(client, world, data):
    reset()
    volunteer = world["volunteer"]
    client.force_login(volunteer.user)
    valid = {"real_name": "王志愿", "phone": "13700001111", "community": world["A"].pk}
    before = profile_state(volunteer)
    response = post(client, "/volunteers/me/profile/", data.draw(mangled(valid)))
    after = profile_state(volunteer)
    assert_sound(response, before, after)
    Volunteer.objects.filter(pk=volunteer.pk).update(real_name=before[0], phone=before[1], community=before[2])


@fuzz
@given(data=st.data())
def test_home_visit_request(client, world, data):
    reset()
    valid = {
        "community": world["A"].pk,
        "resident_name": "刘奶奶",
        "phone": "010-66001234",
        "address": "四环胡同3号",
        "need": "行动不便，需要上门理发",
        "preferred_time": "周六上午",
        "submission": str(data.draw(st.uuids())),
    }
    before = counts(HomeVisit)
    response = post(client, "/volunteers/home-visits/new/", data.draw(mangled(valid)))
    after = counts(HomeVisit)
    if not assert_sound(response, before, after):
        assert after[0] - before[0] <= 1


@fuzz
@given(data=st.data())
def test_accept_home_visit(client, world, data):
    reset()
    visit = HomeVisit.objects.create(
        community=world["A"], resident_name="刘奶奶", phone="13600001111", address="四环胡同3号", need="理发"
    )
    client.force_login(data.draw(st.sampled_from([world["leader"], world["volunteer"]])).user)
    pk = data.draw(st.one_of(st.just(str(visit.pk)), st.integers(min_value=0, max_value=10**12).map(str)))
    response = post(client, f"/volunteers/home-visits/{pk}/accept/", data.draw(mangled({"team": world["team"].pk})))
    assert_sound(response)
    if response.status_code >= 400:
        visit.refresh_from_db()
        assert visit.status == HomeVisit.Status.REQUESTED
    visit.delete() if visit.status == HomeVisit.Status.REQUESTED else None


@fuzz
@given(data=st.data())
def test_delete_account_needs_confirmation(client, world, data):
    reset()
    client.force_login(world["volunteer"].user)
    pairs = [(k, v) for k, v in data.draw(mangled({"confirm": "no"})) if v != "yes"]
    before = counts(User, Volunteer)
    response = post(client, "/volunteers/me/delete/", pairs)
    assert_sound(response, before, counts(User, Volunteer))
    assert User.objects.filter(pk=world["volunteer"].user_id).exists()


# --- accounts -------------------------------------------------------------------------------------


@fuzz
@given(data=st.data())
def test_register(client, world, data):
    reset()
    client.logout()
    n = data.draw(st.integers(min_value=1, max_value=10**9))
    valid = {
        "username": f"new{n}",
        "password1": "a-Long-pass-2026!",
        "password2": "a-Long-pass-2026!",
        "real_name": "新志愿者",
        "phone": "13800001234",
        "email": f"new{n}@example.org",
        "community": world["A"].pk,
    }
    before = counts(User, Volunteer)
    response = post(client, "/accounts/register/", data.draw(mangled(valid)))
    after = counts(User, Volunteer)
    if not assert_sound(response, before, after):
        assert after[0] - before[0] <= 1
    if response.status_code == 200:
        assert before == after  # the form shown again is a refusal too


@fuzz
@given(data=st.data())
def test_login(client, world, data):
    reset()
    client.logout()
    valid = {"username": "volunteer-wang", "password": "wrong", "next": "/volunteers/me/"}
    response = post(client, "/accounts/login/", data.draw(mangled(valid)))
    assert_sound(response)
    assert "_auth_user_id" not in client.session


@fuzz
@given(data=st.data())
def test_password_reset(client, world, data):
    reset()
    response = post(client, "/accounts/password-reset/", data.draw(mangled({"email": "volunteer-wang@example.org"})))
    assert_sound(response)
    assert len(mail.outbox) <= 1


@fuzz
@given(data=st.data())
def test_password_reset_confirm(client, world, data):
    reset()
    client.logout()
    user = world["volunteer"].user
    link = f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"
    form = client.get(link)  # the token moves into the session; the form lives at .../set-password/
    assert form.status_code == 302
    valid = {"new_password1": "Another-pass-2026!", "new_password2": "Another-pass-2026!"}
    password = User.objects.get(pk=user.pk).password
    response = post(client, form["Location"], data.draw(mangled(valid)))
    changed = User.objects.get(pk=user.pk).password != password
    assert_sound(response, password, User.objects.get(pk=user.pk).password)
    if response.status_code == 200:
        assert not changed  # the form shown again is a refusal too
    if changed:
        User.objects.filter(pk=user.pk).update(password=password)


@fuzz
@given(data=st.data())
def test_display_and_language_switches(client, world, data):
    reset()
    client.cookies.clear()  # an earlier example may have switched to English
    name, good = data.draw(st.sampled_from([("elder", "1"), ("contrast", "high"), ("fontsize", "l")]))
    display = {"name": name, "value": good, "next": "/news/"}
    response = post(client, "/display/", data.draw(mangled(display)))
    assert_sound(response)
    assert_on_site(response)
    response = post(client, "/i18n/setlang/", data.draw(mangled({"language": "en", "next": "/events/"})))
    assert_sound(response)
    assert_on_site(response)


def assert_on_site(response):
    if response.status_code == 302:
        target = urlsplit(response["Location"])
        assert not target.scheme and not target.netloc, response["Location"]
        assert not response["Location"].startswith(("//", "/\\")), response["Location"]


def test_the_encoder_sends_what_a_browser_would_not():
    assert encode([("a", "\ud800"), ("a", b"\xff")]) == "a=%ED%A0%80&a=%FF"
