"""Login throttling keys on the real client behind the proxy, never on the proxy itself.

Behind the TLS proxy every request arrives from the proxy's address; the client is the entry the
proxy appended to X-Forwarded-For. A stranger's failures lock only the stranger's address for that
username, and writing someone else's address into the header changes nothing.
"""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from core.client import client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.2"  # REMOTE_ADDR of every request that comes through the proxy
STRANGER = "203.0.113.7"
WORKER = "198.51.100.20"

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_proxy(settings):
    settings.PROXY_COUNT = 1


def login(client, url, username, password, forwarded):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.axes
@pytest.mark.parametrize("url", ["/admin/login/?next=/admin/", "/accounts/login/"])
def test_a_stranger_cannot_lock_a_worker_out_through_the_proxy(client, settings, behind_proxy, worker_sihuan, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, url, "worker-sihuan", "wrong-guess", STRANGER).status_code == 200
    assert login(client, url, "worker-sihuan", "wrong-guess", STRANGER).status_code == 429

    # The worker, at another address behind the same proxy, logs in.
    assert login(client, url, "worker-sihuan", PASSWORD, WORKER).status_code == 302
    client.logout()

    # The stranger's own address is locked, even with the right password, even when it claims another address.
    assert login(client, url, "worker-sihuan", PASSWORD, STRANGER).status_code == 429
    assert login(client, url, "worker-sihuan", PASSWORD, f"{WORKER}, {STRANGER}").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {STRANGER}


@pytest.mark.axes
def test_the_audit_log_names_the_client_not_the_proxy(client, behind_proxy, worker_sihuan, caplog):
    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    login(client, "/accounts/login/", "worker-sihuan", "wrong-guess", STRANGER)
    login(client, "/accounts/login/", "worker-sihuan", PASSWORD, WORKER)
    assert f"login-failed user=worker-sihuan ip={STRANGER}" in caplog.text
    assert f"login user=worker-sihuan staff=True ip={WORKER}" in caplog.text
    assert PROXY not in caplog.text


@pytest.mark.axes
def test_without_a_proxy_the_header_is_not_trusted(client, settings, worker_sihuan):
    settings.PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "/accounts/login/", "worker-sihuan", "wrong-guess", f"192.0.2.{n}")
    # Every try came from one address (REMOTE_ADDR): a changing header does not dodge the lock.
    assert login(client, "/accounts/login/", "worker-sihuan", PASSWORD, "192.0.2.99").status_code == 429


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.7", "192.0.2.1"),  # no proxy: the header is the client's own words
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        (1, PROXY, "1.1.1.1, 203.0.113.7", "203.0.113.7"),  # a forged entry stays on the left
        (2, PROXY, "1.1.1.1, 203.0.113.7, 10.0.0.3", "203.0.113.7"),  # two proxies, two entries from the end
        (1, PROXY, " 2001:db8::1 ", "2001:db8::1"),
        (1, PROXY, "not-an-address", PROXY),  # nonsense never reaches an address column
        (2, PROXY, "203.0.113.7", PROXY),  # fewer entries than proxies: the request skipped one
        (1, PROXY, "", PROXY),
        (0, "", "", None),  # a Unix socket has no address
    ],
)
def test_client_ip(settings, count, remote, forwarded, expected):
    settings.PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_form_rate_limits_read_the_same_address(settings):
    from core import ratelimit

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert ratelimit.client_ip(request) == client_ip(request) == "203.0.113.7"
