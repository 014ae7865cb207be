"""A `next` (or Referer) never leads off the site, however it is spelled.

Each hostile target is posted to every view that redirects to one; the Location is then read
as a browser would read it (leading controls and spaces dropped, tabs and newlines removed,
backslashes taken for slashes) and must still name this host.
"""

from urllib.parse import urljoin, urlsplit

import pytest

from tests.factories import PASSWORD

HOST = "testserver"
HOSTILE = [
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "\\/evil.example/",
    "https:evil.example",
    "http:/\\evil.example",
    "///evil.example/",
    "////evil.example/",
    f"http://{HOST}@evil.example/",
    f"http://{HOST}//evil.example/",  # this host, then a path that reads as another host
    f"https://{HOST}//evil.example/",
    f"http://{HOST}/\\evil.example/",
    "https://evil.example/",
    "%2F%2Fevil.example/",
    "/%2F%2Fevil.example/",
    "%5C%5Cevil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " //evil.example/",
    "\t//evil.example/",
    "\x01//evil.example/",
    "\r\n//evil.example/",
    "/\t/evil.example/",
    "/ok\r\nSet-Cookie: sessionid=x",
    "\u3000//evil.example/",
]


def browser_reads(location, base):
    """Where a browser goes from ``base`` on this Location (WHATWG's URL parser, roughly)."""
    cleaned = location.lstrip("".join(chr(c) for c in range(0x21)))
    cleaned = cleaned.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    return urlsplit(urljoin(base, cleaned))


def assert_stays(response, base):
    assert response.status_code == 302
    target = browser_reads(response["Location"], base)
    assert target.scheme in ("http", "https")
    assert target.hostname == HOST, response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_display_switch(client, db, target):
    response = client.post("/display/", {"name": "elder", "value": "1", "next": target})
    assert_stays(response, f"http://{HOST}/display/")


@pytest.mark.parametrize("target", HOSTILE)
def test_display_switch_from_the_referer(client, db, target):
    response = client.post("/display/", {"name": "elder", "value": "1"}, HTTP_REFERER=target)
    assert_stays(response, f"http://{HOST}/display/")


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch(client, db, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert_stays(response, f"http://{HOST}/i18n/setlang/")


@pytest.mark.parametrize("target", HOSTILE)
def test_login(client, places, target):
    from tests import factories

    factories.user("volunteer-wang")
    response = client.post("/accounts/login/", {"username": "volunteer-wang", "password": PASSWORD, "next": target})
    assert_stays(response, f"http://{HOST}/accounts/login/")


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/news/?page=2", "/news/?page=2"),
        (f"http://{HOST}/news/", f"http://{HOST}/news/"),
        ("/news/tag/垃圾分类/", "/news/tag/%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB/"),
        ("news", "/"),  # not a path: redirect() would read it as a view's name
    ],
)
def test_a_page_of_the_site_is_kept_as_given(client, db, target, location):
    response = client.post("/display/", {"name": "elder", "value": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == location


def test_over_https_a_plain_http_target_is_refused(client, db):
    response = client.post("/display/", {"name": "elder", "value": "1", "next": f"http://{HOST}/news/"}, secure=True)
    assert response["Location"] == "/"
