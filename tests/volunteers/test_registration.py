"""Registration answers the same whether or not an e-mail is registered, and one e-mail is one account.

The answer is "check your mailbox" either way: a new address gets the link that switches the account
on; a registered address gets a notice to its owner and no second account. The database holds the
line (a unique index on the lower-cased address), so simultaneous registrations cannot get past it.
"""

import importlib
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests import factories
from tests.events import factories as ef
from tests.volunteers.test_concurrency import run_together
from volunteers import registration
from volunteers.models import Volunteer

User = get_user_model()
# Real commits: the mails go out when a registration commits.
pytestmark = pytest.mark.django_db(transaction=True)
guard = importlib.import_module("volunteers.migrations.0002_user_email_unique")


def form(username="newcomer", email="newcomer@example.org", **changes):
    return {
        "username": username,
        "password1": "a-long-enough-pass-2026",
        "password2": "a-long-enough-pass-2026",
        "real_name": "李新来",
        "phone": "13911112222",
        "email": email,
        **changes,
    }


def link_in(message):
    return re.search(r"http://testserver(/accounts/activate/\S+/)", message.body).group(1)


def test_the_answer_is_the_same_for_a_registered_and_a_new_address(places):
    ef.volunteer("wang", real_name="王芳")  # wang@example.org
    taken = Client().post("/accounts/register/", form("someone", "WANG@Example.org"))
    fresh = Client().post("/accounts/register/", form("newcomer", "newcomer@example.org"))

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"] == "/accounts/register/sent/"
    sent = Client().get("/accounts/register/sent/")
    assert sent.status_code == 200 and "请查收邮件" in sent.content.decode()

    # No second account for the registered address; its owner is told, the new address gets its link.
    assert not User.objects.filter(username="someone").exists()
    assert User.objects.filter(email__iexact="wang@example.org").count() == 1
    notice, activation = mail.outbox
    assert notice.to == ["wang@example.org"] and "wang" in notice.body and "/accounts/password-reset/" in notice.body
    assert activation.to == ["newcomer@example.org"] and link_in(activation)


def test_the_link_switches_the_account_on_once(client, places):
    client.post("/accounts/register/", form())
    user = User.objects.get(username="newcomer")
    assert not user.is_active and Volunteer.objects.filter(user=user, real_name="李新来").exists()
    assert (
        client.post("/accounts/login/", {"username": "newcomer", "password": "a-long-enough-pass-2026"}).status_code
        == 200
    )

    url = link_in(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200 and "newcomer" in page.content.decode()
    assert not User.objects.get(pk=user.pk).is_active  # opening the link (a mail scanner) changes nothing
    done = client.post(url)
    assert done.status_code == 302 and done["Location"] == "/volunteers/me/"
    assert User.objects.get(pk=user.pk).is_active
    assert client.get("/volunteers/me/").status_code == 200

    client.logout()
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400


@pytest.mark.parametrize("url", ["/accounts/activate/MQ/bad-token/", "/accounts/activate/!!/x-y/"])
def test_a_wrong_link_is_refused(client, places, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "链接已失效" in response.content.decode()


def test_a_pending_owner_gets_a_new_link(client, places):
    client.post("/accounts/register/", form())
    Client().post("/accounts/register/", form("second-try", "NEWCOMER@example.org"))
    assert [m.to for m in mail.outbox] == [["newcomer@example.org"], ["newcomer@example.org"]]
    assert link_in(mail.outbox[1])
    assert not User.objects.filter(username="second-try").exists()


def test_the_database_refuses_a_second_account_for_an_address(places):
    factories.user("first", email="Same@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.user("second", email="same@example.ORG")
    factories.user("third", email="")  # accounts without an address are not limited
    factories.user("fourth", email="")


def test_staff_get_a_clear_error_for_an_address_in_use(client, admin_user):
    factories.user("first", email="taken@example.org")
    other = factories.user("second", email="second@example.org")
    client.force_login(admin_user)
    from tests.adminform import unchanged_post

    url = f"/admin/auth/user/{other.pk}/change/"
    response = client.post(url, unchanged_post(client.get(url).content.decode(), email="TAKEN@example.org"))
    assert response.status_code == 200
    assert "一个邮箱只能用于一个账号" in response.content.decode()
    assert User.objects.get(pk=other.pk).email == "second@example.org"


# --- the database guard under concurrency ---------------------------------------------------------


@pytest.fixture
def slow_check(monkeypatch, rate_limits):
    """Every request passes the form's look-up before any of them writes: only the database can stop them.

    The form's rate limit (one address, one mailbox) is lifted: the crowd is here to meet the database."""
    rate_limits("register", address=(100, 3600), phone=(100, 3600), email=(100, 3600))
    looked_up = registration.email_owner

    def slow(email):
        owner = looked_up(email)
        time.sleep(0.5)
        return owner

    monkeypatch.setattr(registration, "email_owner", slow)


def register_together(count=8):
    requests = [
        lambda n=n, c=Client(): c.post("/accounts/register/", form(f"crowd{n}", "crowd@example.org"))
        for n in range(count)
    ]
    return run_together(requests)


def check_one_account(results):
    assert all(not isinstance(r, Exception) for r in results), results
    assert {r.status_code for r in results} == {302}
    assert {r["Location"] for r in results} == {"/accounts/register/sent/"}
    assert User.objects.filter(email__iexact="crowd@example.org").count() == 1


@pytest.mark.concurrency
def test_simultaneous_registrations_with_one_address_make_one_account(places, slow_check):
    results = register_together()
    check_one_account(results)
    owner = User.objects.get(email="crowd@example.org")
    assert Volunteer.objects.filter(user__username__startswith="crowd").count() == 1
    # Every request sent one mail to the address, each with the link of the one account.
    assert [m.to for m in mail.outbox] == [["crowd@example.org"]] * 8
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    assert {link_in(m).split("/")[3] for m in mail.outbox} == {uid}


@pytest.mark.concurrency
def test_control_without_the_database_guard_the_crowd_gets_through(places, slow_check):
    with connection.schema_editor() as editor:
        editor.remove_constraint(User, guard.EMAIL_UNIQUE)
    try:
        results = register_together()
        with pytest.raises(AssertionError):
            check_one_account(results)
        assert User.objects.filter(email__iexact="crowd@example.org").count() > 1
    finally:
        User.objects.filter(username__startswith="crowd").delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(User, guard.EMAIL_UNIQUE)


def test_the_migration_keeps_the_first_account_of_each_address(places, caplog):
    with connection.schema_editor() as editor:
        editor.remove_constraint(User, guard.EMAIL_UNIQUE)
    try:
        first = factories.user("first", email="Dup@example.org")
        second = factories.user("second", email="dup@example.org")
        third = factories.user("third", email="DUP@EXAMPLE.ORG")
        other = factories.user("other", email="other@example.org")
    finally:
        from django.apps import apps

        with connection.schema_editor() as editor:
            guard.forward(apps, editor)
    emails = dict(
        User.objects.filter(pk__in=[first.pk, second.pk, third.pk, other.pk]).values_list("username", "email")
    )
    assert emails == {"first": "Dup@example.org", "second": "", "third": "", "other": "other@example.org"}
    assert "second" in caplog.text and "third" in caplog.text
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.user("fourth", email="dup@example.org")
