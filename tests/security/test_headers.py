"""Deployment hardening: headers on every response, check --deploy, login throttling, audit log."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/communities/", "/healthz", "/no-such-page/", "/admin/login/"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "default-src 'self'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_inline_scripts_or_handlers_in_public_pages(client, places):
    import re

    for url in ["/", "/communities/", "/communities/chunshu/chunshuyuan/", "/accessibility/", "/no-such-page/"]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag or "application/ld+json" in tag, (url, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "javascript:" not in html, url


def test_check_deploy_is_clean_in_production():
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def production_settings(*names):
    """The values of these settings, as text, in a fresh process with the production environment."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environ.update(PRODUCTION)
    code = "import django; django.setup(); from django.conf import settings as s;" + "".join(
        f"print(getattr(s, {name!r}));" for name in names
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "civic_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_cookies_are_secure_httponly_and_samesite():
    values = production_settings(
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE"
    )
    assert values == ["True", "True", "True", "Lax"]
    hsts, redirect = production_settings("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT")
    assert int(hsts) >= 31536000 and redirect == "True"


@pytest.mark.axes
@pytest.mark.django_db
def test_admin_login_is_throttled_then_cools_off(client, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    from tests import factories

    factories.user("clerk", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "wrong"})
    locked = client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": factories.PASSWORD})
    assert locked.status_code == 429
    assert "登录尝试次数过多" in locked.content.decode()

    # Another address is not locked out: an attacker cannot lock the clerk out everywhere.
    other = client.post(
        "/admin/login/?next=/admin/",
        {"username": "clerk", "password": factories.PASSWORD},
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 302

    # After the cool-off the right password works again from the first address.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    client.logout()
    again = client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": factories.PASSWORD})
    assert again.status_code == 302


@pytest.mark.django_db
def test_login_and_permission_changes_are_logged(client, places, caplog):
    from communities.models import StaffScope
    from tests import factories

    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    account = factories.user("new-editor")
    StaffScope.objects.create(user=account, role=StaffScope.Role.STREET_EDITOR, street=places["chunshu"])
    client.post("/admin/login/?next=/admin/", {"username": "new-editor", "password": "wrong"})
    client.post("/admin/login/?next=/admin/", {"username": "new-editor", "password": factories.PASSWORD})
    text = caplog.text
    assert "scope-granted user=new-editor" in text
    assert "permission-change target=new-editor" in text and "街道编辑" in text
    assert "login-failed user=new-editor" in text
    assert "login user=new-editor" in text
    assert "wrong" not in text


@pytest.mark.django_db
def test_the_admin_editor_import_map_is_allowed_by_hash_not_by_unsafe_inline(client, admin_user):
    import base64
    import hashlib
    import re

    client.force_login(admin_user)
    response = client.get("/admin/news/story/add/")
    body = re.search(rb'<script type="importmap"[^>]*>(.*?)</script>', response.content, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    script_src = next(d for d in response["Content-Security-Policy"].split(";") if "script-src" in d)
    assert f"'sha256-{digest}'" in script_src
    assert "'unsafe-inline'" not in script_src
