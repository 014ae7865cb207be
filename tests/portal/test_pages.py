"""The portal's own pages: health, display preferences, language, error pages."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import override_settings
from django.urls import path

from core import views


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_elder_mode_is_remembered_in_a_cookie_and_rendered_by_the_server(client):
    page = client.get("/")
    assert 'class="fs-m"' in page.content.decode()
    response = client.post("/display/", {"name": "elder", "value": "1", "next": "/communities/"})
    assert response.status_code == 302
    assert response["Location"] == "/communities/"
    cookie = response.cookies["elder"]
    assert cookie.value == "1"
    assert int(cookie["max-age"]) >= 30 * 24 * 3600
    assert cookie["httponly"]
    html = client.get("/").content.decode()
    assert "mode-elder" in html
    assert 'aria-pressed="true" data-pref="elder"' in html


@pytest.mark.django_db
def test_high_contrast_and_switching_back(client):
    client.post("/display/", {"name": "contrast", "value": "high"})
    assert "contrast-high" in client.get("/").content.decode()
    client.post("/display/", {"name": "contrast", "value": "normal"})
    assert "contrast-high" not in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"name": "elder", "value": "2"}, {"name": "evil", "value": "1"}, {}])
def test_display_refuses_unknown_values(client, data):
    response = client.post("/display/", data)
    assert response.status_code == 400
    assert not response.cookies


@pytest.mark.django_db
def test_display_refuses_get_and_foreign_redirects(client):
    assert client.get("/display/?name=elder&value=1").status_code == 405
    response = client.post("/display/", {"name": "elder", "value": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_display_needs_csrf():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/display/", {"name": "elder", "value": "1"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@pytest.mark.django_db
def test_plain_urls_serve_chinese_even_to_english_browsers(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    assert "社区名录" in html


@pytest.mark.django_db
def test_language_switcher_gives_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Communities" in html


def _boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", _boom)] + __import__("civic_portal.urls", fromlist=["urlpatterns"]).urlpatterns
handler500 = "core.views.error_500"


@pytest.mark.django_db
def test_404_page_is_friendly(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_friendly(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统暂时出了点问题" in body
    assert "kaboom" not in body


@pytest.mark.django_db
def test_403_and_400_pages_render(rf):
    request = rf.get("/")
    request.display = None
    assert "没有权限" in views.error_403(request).content.decode()
    assert "请求有误" in views.error_400(request).content.decode()


@pytest.mark.django_db
def test_robots_and_accessibility(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap:" in robots
    page = client.get("/accessibility/").content.decode()
    assert "无障碍声明" in page
    assert "/feedback/new/?category=accessibility" in page


@pytest.mark.django_db
def test_every_page_has_skip_link_landmarks_and_language(client):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<nav" in html and "<footer" in html and "<header" in html


def _db_down(request):
    from django.db import OperationalError

    raise OperationalError("could not connect to server: Connection refused")


outage_urlpatterns = [path("db-down/", _db_down)]


class OutageUrls:
    urlpatterns = outage_urlpatterns
    handler500 = "core.views.error_500"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=OutageUrls)
def test_database_outage_gives_a_friendly_503(client):
    client.raise_request_exception = False
    response = client.get("/db-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "系统正在维护" in body
    assert "Connection refused" not in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=OutageUrls)
def test_database_outage_is_one_log_line_not_a_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level("WARNING"):
        response = client.get("/db-down/")
    assert response.status_code == 503
    outage = [r for r in caplog.records if r.name == "civic_portal.outage"]
    assert [r.getMessage() for r in outage] == [
        "database unavailable: GET /db-down/: could not connect to server: Connection refused"
    ]
    assert not [r for r in caplog.records if r.exc_info]  # Django's own one-line "Service Unavailable" stays


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=OutageUrls)
def test_other_errors_still_give_the_500_page_and_a_traceback(client, caplog):
    def broken(request):
        raise ValueError("a bug")

    OutageUrls.urlpatterns = [*outage_urlpatterns, path("bug/", broken)]
    try:
        client.raise_request_exception = False
        with caplog.at_level("ERROR"):
            response = client.get("/bug/")
    finally:
        OutageUrls.urlpatterns = outage_urlpatterns
    assert response.status_code == 500
    assert any(r.exc_info and r.name == "django.request" for r in caplog.records)
