"""Django's bare floor (ops/barefloor.py) answers as the portal's /floor does, security headers included,
and the middleware cost table (ops/middlewarecost.py) names every middleware."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ops import middlewarecost

ROOT = Path(__file__).resolve().parents[2]
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
)

# Run as gunicorn runs it: the module is the settings, the URLconf and the WSGI application.
BARE_GET = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "ops.barefloor"
from ops.barefloor import application
from ops.middlewarecost import environ
answer = {}
def start_response(status, headers, exc_info=None):
    answer["status"] = status
    answer["headers"] = dict(headers)
body = b"".join(application(environ(sys.argv[1]), start_response))
print(json.dumps({**answer, "body": body.decode()}))
"""


def bare_get(path):
    result = subprocess.run(
        [sys.executable, "-c", BARE_GET, path], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def directives(policy):
    """A policy as {directive: sources}: django-csp writes the directives in no fixed order."""
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.urls("tests.portal.floor_urls")
def test_the_bare_floor_sends_the_portals_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 0  # as the benchmark serves both (ops.serve.production_env)
    portal = client.get("/floor")
    bare = bare_get("/floor")
    assert portal.status_code == 200
    assert bare["status"] == "200 OK"
    assert bare["body"] == portal.content.decode() == "floor\n"
    assert bare["headers"]["Content-Type"] == portal["Content-Type"] == "text/plain"
    assert directives(bare["headers"].pop("Content-Security-Policy")) == directives(portal["Content-Security-Policy"])
    assert {name: bare["headers"].get(name) for name in SECURITY_HEADERS[1:]} == {
        name: portal.headers.get(name) for name in SECURITY_HEADERS[1:]
    }


def test_the_bare_floor_answers_the_health_check_and_nothing_else():
    assert bare_get("/healthz")["status"] == "200 OK"
    assert bare_get("/")["status"] == "404 Not Found"


def test_the_cost_table_has_a_row_per_middleware(settings):
    rows = middlewarecost.cumulative(settings.MIDDLEWARE, requests=2, host="testserver")
    assert [name for name, _, _ in rows[1:]] == settings.MIDDLEWARE
    assert all(total > 0 for _, total, _ in rows)
