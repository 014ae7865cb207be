"""Settings refuse nonsense: one line naming the variable, never a silent default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from civic_portal import env

ROOT = Path(__file__).resolve().parents[2]


def start(**variables):
    """Run `manage.py check` in a fresh process with these environment variables."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("raw, expected", [("true", True), ("0", False), ("Yes", True), ("off", False), ("", True)])
def test_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env.env_bool("X_FLAG", True) is expected


def test_bool_rejects_perhaps(monkeypatch):
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.env_bool("X_FLAG", False)


def test_int_rejects_words_and_too_small(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env.env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("X_NUM", 1, minimum=0)


def test_origins_need_a_scheme(monkeypatch):
    monkeypatch.setenv("X_ORIGINS", "https://portal.example.org, example.org")
    with pytest.raises(ImproperlyConfigured, match="example.org"):
        env.env_origins("X_ORIGINS")


def test_database_url_for_postgres_keeps_connections(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://portal:secret@db.internal:5432/portal")
    config = env.env_database("X_DB", "/tmp/unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "portal"
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["connect_timeout"] == 5


def test_sqlite_default_runs_wal_and_immediate(monkeypatch, tmp_path):
    monkeypatch.delenv("X_DB", raising=False)
    config = env.env_database("X_DB", tmp_path / "portal.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


@pytest.mark.parametrize("raw", ["mysql://root@localhost/portal", "postgres://", "not a url"])
def test_database_url_rejects_nonsense(monkeypatch, raw):
    monkeypatch.setenv("X_DB", raw)
    with pytest.raises(ImproperlyConfigured, match="X_DB"):
        env.env_database("X_DB", "/tmp/unused.sqlite3")


def test_start_up_stops_on_debug_perhaps():
    result = start(DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DJANGO_DEBUG" in lines[0]


def test_start_up_stops_on_malformed_database_url():
    result = start(DATABASE_URL="postgres//oops")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_the_development_secret_key():
    result = start(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_run_without_allowed_hosts():
    result = start(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_real_values():
    result = start(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 50, DJANGO_ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in settings.LANGUAGES


# The production environment as the README's Production section sets it (the key made as documented).
DOCUMENTED_PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
    "DATABASE_URL": "postgres://portal:secret@db:5432/portal",
    "REDIS_URL": "redis://cache:6379/0",
    "MEDIA_ROOT": "/srv/portal/media",
    "STATIC_ROOT": "/srv/portal/static",
}


@pytest.mark.parametrize("length", [32, 49])
def test_production_refuses_a_secret_key_shorter_than_fifty(length):
    import secrets

    key = secrets.token_hex(length)[:length]
    result = start(**DOCUMENTED_PRODUCTION, DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "50" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_environment():
    import secrets

    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environ.update(DOCUMENTED_PRODUCTION, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
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
