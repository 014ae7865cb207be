from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from feedback import figures, workflow
from feedback.models import Case
from tests.feedback.conftest import fresh, mine

PHONE = "13812341234"


def test_purge_contacts_dry_run_then_real(case, walk, settings):
    settings.FEEDBACK_PURGE_CONTACTS_AFTER_DAYS = 30
    case = walk(case, "resolved")
    workflow.rate(case, Case.Rating.SATISFIED)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=31))
    before = figures.compute()["overall"]
    out = StringIO()
    call_command("purge_contacts", "--dry-run", stdout=out)
    assert "Would erase contact data of 1" in out.getvalue()
    assert fresh(case).contact_phone == PHONE
    call_command("purge_contacts", stdout=StringIO())
    case = fresh(case)
    assert case.contact_phone == "" and case.contact_name == "" and case.contact_email == ""
    assert case.contacts_purged_at and case.rating == "satisfied"
    after = figures.compute()["overall"]
    assert (after.total, after.resolved, after.satisfied) == (before.total, before.resolved, before.satisfied)
    out = StringIO()
    call_command("purge_contacts", stdout=out)
    assert "0 case(s)" in out.getvalue()


def test_purge_keeps_recent_and_open_cases(case, make_case, settings):
    settings.FEEDBACK_PURGE_CONTACTS_AFTER_DAYS = 30
    call_command("purge_contacts", stdout=StringIO())
    assert fresh(case).contact_phone == PHONE


def test_no_public_page_shows_names_or_phones(client, walk, make_case, places, worker_sihuan):
    case = make_case(
        contact_name="王秀兰",
        contact_phone=PHONE,
        consent=True,
        description="院子地面坏了，请打 138 1234 1234 或 010-66001234 找我。",
    )
    secret = case.owner_secret
    case = walk(case, "resolved")
    Case.objects.filter(pk=case.pk).update(is_published=True)
    open_case = make_case(contact_name="李建国", contact_phone="13900001111", consent=True)
    workflow.accept(open_case, by=worker_sihuan)
    Case.objects.filter(pk=open_case.pk).update(is_published=True)
    sihuan = places["sihuan"]
    pages = [
        "/",
        "/feedback/",
        f"/feedback/track/{case.code}/",
        f"/feedback/track/{open_case.code}/",
        mine(case, secret),
        f"/communities/{sihuan.street.slug}/{sihuan.slug}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in ("王秀兰", "李建国", PHONE, "13900001111", "138 1234 1234", "66001234"):
            assert secret not in html, (url, secret)
    assert "138****1234" in client.get(f"/feedback/track/{case.code}/").content.decode()


def test_home_and_community_blocks(client, walk, case, places, django_assert_num_queries):
    case = walk(case, "resolved")
    Case.objects.filter(pk=case.pk).update(is_published=True)
    html = client.get("/").content.decode()
    assert "本月办理情况" in html and "我要反映问题" in html
    sihuan = places["sihuan"]
    html = client.get(f"/communities/{sihuan.street.slug}/{sihuan.slug}/").content.decode()
    assert "解决了的问题" in html and case.place in html


def _count(client, url):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the rendering's own queries, not the feedback figures kept by an earlier visit
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_blocks_query_count_does_not_grow(client, walk, make_case, places):
    sihuan = places["sihuan"]
    community_url = f"/communities/{sihuan.street.slug}/{sihuan.slug}/"
    first = walk(make_case(), "resolved")
    Case.objects.filter(pk=first.pk).update(is_published=True)
    small = (_count(client, "/"), _count(client, community_url))
    for _ in range(3):
        more = walk(make_case(), "resolved")
        Case.objects.filter(pk=more.pk).update(is_published=True)
    assert (_count(client, "/"), _count(client, community_url)) == small


def test_purge_contacts_also_erases_old_bookings_and_home_visits(places, settings):
    import datetime
    import uuid

    from events.models import ResidentBooking
    from tests.events import factories as ef
    from volunteers.models import HomeVisit

    settings.FEEDBACK_PURGE_CONTACTS_AFTER_DAYS = 30

    def booking(days_ahead, phone):
        offering = ef.offering(ef.day(places["chunshuyuan"], days_ahead=days_ahead), places=5)
        return ResidentBooking.objects.create(
            offering=offering, name="张阿姨", phone=phone, status="confirmed", number=1, seat=1, submission=uuid.uuid4()
        )

    old_booking, recent_booking = booking(-40, "13900001111"), booking(-10, "13900002222")
    long_ago = timezone.now() - datetime.timedelta(days=40)

    def visit(status, done_at=None):
        return HomeVisit.objects.create(
            community=places["sihuan"],
            resident_name="李大爷",
            phone="13700001111",
            address="四环胡同28号院",
            need="上门理发",
            status=status,
            done_at=done_at,
        )

    done_long_ago = visit(HomeVisit.Status.DONE, done_at=long_ago)
    done_recently = visit(HomeVisit.Status.DONE, done_at=timezone.now())
    still_open = visit(HomeVisit.Status.REQUESTED)
    HomeVisit.objects.filter(pk=still_open.pk).update(created_at=long_ago)

    out = StringIO()
    call_command("purge_contacts", "--dry-run", stdout=out)
    assert "Would erase 1 booking(s) and 1 home visit(s)" in out.getvalue()
    assert ResidentBooking.objects.get(pk=old_booking.pk).phone == "13900001111"

    out = StringIO()
    call_command("purge_contacts", stdout=out)
    assert "1 booking(s) and 1 home visit(s)" in out.getvalue()
    old = ResidentBooking.objects.get(pk=old_booking.pk)
    assert (old.name, old.phone, old.status, old.seat) == ("", "", "confirmed", 1)
    assert ResidentBooking.objects.get(pk=recent_booking.pk).phone == "13900002222"
    erased = HomeVisit.objects.get(pk=done_long_ago.pk)
    assert (erased.resident_name, erased.phone, erased.address, erased.need) == ("", "", "", "上门理发")
    assert HomeVisit.objects.get(pk=done_recently.pk).phone == "13700001111"
    assert HomeVisit.objects.get(pk=still_open.pk).address == "四环胡同28号院"
