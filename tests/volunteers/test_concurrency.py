"""Real threads through the real views: capacity must hold under simultaneous requests.

Each thread has its own django.test.Client (logged in as a different volunteer,
or anonymous for resident bookings) and its own database connection; all start
together at a Barrier. Runs on SQLite (file database, WAL, BEGIN IMMEDIATE) and
on PostgreSQL (SELECT ... FOR UPDATE) alike.
"""

import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection
from django.test import Client

from core import capacity as capacity_module
from events.models import ResidentBooking
from tests.events import factories as ef
from volunteers import signup as signup_module
from volunteers.models import Signup, Volunteer

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

PEOPLE = 50
PLACES = 10


def run_together(requests):
    """Run each zero-argument callable in its own thread, all released at once."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def worker(index, request):
        try:
            barrier.wait()
            results[index] = request()
        except Exception as exc:  # recorded, then asserted on by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def volunteer_clients(count):
    pairs = []
    for i in range(count):
        volunteer = ef.volunteer(f"crowd{i}-{uuid.uuid4().hex[:6]}")
        client = Client()
        client.force_login(volunteer.user)
        pairs.append((volunteer, client))
    return pairs


def check_outcome(role, results, people):
    """What 'never overbooks, waitlists in order' means, as assertions."""
    assert all(not isinstance(r, Exception) for r in results), [r for r in results if isinstance(r, Exception)][:3]
    assert all(r.status_code == 302 and r.url == "/volunteers/me/" for r in results), {r.status_code for r in results}
    rows = list(Signup.objects.filter(role=role).order_by("number"))
    assert len(rows) == people
    confirmed = [s for s in rows if s.status == Signup.Status.CONFIRMED]
    waitlisted = [s for s in rows if s.status == Signup.Status.WAITLISTED]
    assert len(confirmed) == PLACES
    assert len(waitlisted) == people - PLACES
    assert sorted(s.seat for s in confirmed) == list(range(1, PLACES + 1))
    # In order: the first ten to get the lock are confirmed, everyone after waits in arrival order.
    assert [s.number for s in rows] == list(range(1, people + 1))
    assert [s.number for s in confirmed] == list(range(1, PLACES + 1))
    assert [s.created_at for s in rows] == sorted(s.created_at for s in rows)


def test_fifty_volunteers_ten_places_never_overbook(places):
    role = ef.role(ef.day(places["chunshuyuan"]), places=PLACES)
    pairs = volunteer_clients(PEOPLE)
    url = f"/volunteers/roles/{role.pk}/signup/"
    results = run_together([lambda c=client: c.post(url) for _v, client in pairs])
    check_outcome(role, results, PEOPLE)

    # Cancelling a confirmed place promotes the first of the waiting list.
    first_confirmed = Signup.objects.get(role=role, number=1)
    signup_module.cancel(first_confirmed.pk, first_confirmed.volunteer)
    promoted = Signup.objects.get(role=role, number=PLACES + 1)
    assert promoted.status == Signup.Status.CONFIRMED
    assert promoted.seat == 1
    assert Signup.objects.filter(role=role, seat__isnull=False).count() == PLACES


@contextmanager
def _no_lock(model, pk):
    """The guard removed: no transaction, no row lock."""
    yield model.objects.get(pk=pk)


def test_control_without_the_lock_the_test_catches_overbooking(places, monkeypatch):
    """Proves the test above has teeth: with the guard removed and a small pause
    between counting and inserting, the outcome check fails, and it is the
    database's (role, seat) backstop that refuses the extra rows."""
    real_allocate = signup_module.allocate

    def slow_allocate(rows, places_):
        result = real_allocate(rows, places_)
        time.sleep(0.05)
        return result

    backstop_hits = []
    real_save = Signup.save

    def spying_save(self, *args, **kwargs):
        try:
            return real_save(self, *args, **kwargs)
        except IntegrityError as exc:
            backstop_hits.append(str(exc))
            raise

    monkeypatch.setattr(signup_module, "capacity_lock", _no_lock)
    monkeypatch.setattr(signup_module, "allocate", slow_allocate)
    monkeypatch.setattr(Signup, "save", spying_save)

    role = ef.role(ef.day(places["chunshuyuan"]), places=PLACES)
    pairs = volunteer_clients(PEOPLE)
    url = f"/volunteers/roles/{role.pk}/signup/"
    results = run_together([lambda c=client: c.post(url) for _v, client in pairs])

    with pytest.raises(AssertionError):
        check_outcome(role, results, PEOPLE)
    assert backstop_hits, "the unique (role, seat/number) constraints should have refused racing inserts"
    # Even unguarded, the database never lets more people hold a place than there are places.
    assert Signup.objects.filter(role=role, seat__isnull=False).count() <= PLACES


def check_bookings(offering, results, people):
    assert all(not isinstance(r, Exception) for r in results), [r for r in results if isinstance(r, Exception)][:3]
    assert all(r.status_code == 302 and r.url.startswith("/events/bookings/") for r in results)
    rows = list(ResidentBooking.objects.filter(offering=offering).order_by("number"))
    assert len(rows) == people
    assert [b.number for b in rows] == list(range(1, people + 1))
    confirmed = [b for b in rows if b.status == ResidentBooking.Status.CONFIRMED]
    assert len(confirmed) == PLACES
    assert [b.number for b in confirmed] == list(range(1, PLACES + 1))
    assert sorted(b.seat for b in confirmed) == list(range(1, PLACES + 1))


def _booking_requests(offering):
    url = f"/events/offerings/{offering.pk}/book/"
    requests = []
    for i in range(PEOPLE):
        data = {"name": f"居民{i}", "phone": f"139{i:08d}", "submission": str(uuid.uuid4())}
        home = f"10.0.{i // 250}.{i % 250 + 1}"  # each from their own home: one address is rate limited
        requests.append(lambda d=data, c=Client(REMOTE_ADDR=home): c.post(url, d))
    return requests


def test_fifty_residents_ten_places_never_overbook(places):
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=PLACES)
    results = run_together(_booking_requests(offering))
    check_bookings(offering, results, PEOPLE)


def test_control_bookings_without_the_lock_would_overbook(places, monkeypatch):
    real_allocate = capacity_module.allocate

    def slow_allocate(rows, places_):
        result = real_allocate(rows, places_)
        time.sleep(0.05)
        return result

    # Bookings take the shared mechanism from core.capacity by attribute, so the control patches it there.
    monkeypatch.setattr(capacity_module, "capacity_lock", _no_lock)
    monkeypatch.setattr(capacity_module, "allocate", slow_allocate)
    offering = ef.offering(ef.day(places["chunshuyuan"]), places=PLACES)
    results = run_together(_booking_requests(offering))
    with pytest.raises(AssertionError):
        check_bookings(offering, results, PEOPLE)
    assert ResidentBooking.objects.filter(offering=offering, seat__isnull=False).count() <= PLACES


def test_simultaneous_double_submitted_registration_makes_one_account(db):
    from django.contrib.auth import get_user_model

    data = {
        "username": "twice",
        "real_name": "双击的人",
        "phone": "13612345678",
        "email": "twice@example.org",
        "password1": "a-long-pass-2026!",
        "password2": "a-long-pass-2026!",
    }
    results = run_together([lambda c=Client(): c.post("/accounts/register/", data) for _i in range(5)])
    assert all(not isinstance(r, Exception) for r in results), results
    assert {r.status_code for r in results} <= {302, 400}
    assert get_user_model().objects.filter(username="twice").count() == 1
    assert Volunteer.objects.filter(user__username="twice").count() == 1
