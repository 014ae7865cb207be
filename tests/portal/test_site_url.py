"""In development SITE_URL follows the address the server runs on; a deployment sets it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.portal.test_settings import start

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
}


def site_url(**variables):
    """settings.SITE_URL in a fresh process with only these of our variables set."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL")) and k not in ("SITE_URL", "HOST", "PORT")
    }
    environ.update(variables)
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "civic_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8831"}, "http://127.0.0.1:8831"),
        ({"PORT": "8831", "HOST": "192.168.1.20"}, "http://192.168.1.20:8831"),
        ({"PORT": "8831", "HOST": "0.0.0.0"}, "http://127.0.0.1:8831"),
        ({"PORT": "8831", "HOST": "::1"}, "http://[::1]:8831"),
        ({"PORT": "8831", "SITE_URL": "https://dev.example.org/"}, "https://dev.example.org"),
    ],
)
def test_development_follows_the_servers_port_unless_set(variables, expected):
    assert site_url(**variables) == expected


def test_a_deployment_never_derives_it_from_the_port():
    assert site_url(PORT="8831", **PRODUCTION) == "http://127.0.0.1:8000"
    assert site_url(PORT="8831", SITE_URL="https://portal.example.org", **PRODUCTION) == "https://portal.example.org"


@pytest.mark.parametrize("port", ["eighty", "0", "70000"])
def test_a_nonsense_port_stops_start_up_naming_it(port):
    result = start(PORT=port)
    assert result.returncode != 0
    assert "PORT=" in result.stderr


def test_make_gives_the_server_its_port():
    # What `PORT=8831 make run` hands the processes it starts (a probe recipe instead of runserver).
    result = subprocess.run(
        ["make", "--no-print-directory", "--eval", "probe: ; @echo $$HOST:$$PORT", "probe", "PORT=8831"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in ("HOST", "PORT")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "127.0.0.1:8831"
