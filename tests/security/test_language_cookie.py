"""The language choice is kept for a year, like the display preferences, and the cookie is locked down."""

import pytest

from tests.security.test_headers import production_settings


@pytest.mark.django_db
def test_the_language_cookie_lasts_a_year_and_is_httponly_and_lax(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert cookie["expires"]  # survives closing the browser
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert client.get("/").headers["Content-Language"] == "en"


def test_the_language_cookie_is_secure_in_production():
    values = production_settings(
        "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_AGE"
    )
    assert values == ["True", "True", "Lax", str(365 * 24 * 3600)]
