"""A backup restores into an empty database with every record, and the media files."""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from communities.models import Community
from ops import backup as backups


@pytest.fixture
def empty_target(settings, tmp_path):
    """A second, empty database of the same kind as the default one."""
    config = dict(connections["default"].settings_dict)
    alias = "restore_target"
    vendor = connections["default"].vendor
    name = f"restore_check_{uuid.uuid4().hex[:8]}"
    if vendor == "sqlite":
        config["NAME"] = str(tmp_path / f"{name}.sqlite3")
    else:
        with connections["default"].cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        config["NAME"] = name
    connections.settings[alias] = config
    yield alias
    connections[alias].close()
    del connections[alias]
    del connections.settings[alias]
    if vendor != "sqlite":
        with connections["default"].cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_record_and_media(settings, tmp_path, empty_target):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    cover = Community.objects.get(slug="chunshuyuan").cover.name
    folder = backups.backup(tmp_path / "backups")
    manifest = backups.read_manifest(folder)
    assert manifest["counts"]["communities_community"] == Community.objects.count() > 0

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    backups.restore(folder, alias=empty_target)
    assert backups.verify(manifest, alias=empty_target) == {}
    assert sum(manifest["counts"].values()) > 20
    assert (settings.MEDIA_ROOT / cover).exists()

    # The check can fail: a row the backup does not have is reported.
    config = connections[empty_target].settings_dict
    if connections[empty_target].vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(config["NAME"])
    else:
        import psycopg2

        raw = psycopg2.connect(dbname=config["NAME"], user=config["USER"], host=config["HOST"], port=config["PORT"])
    with raw:
        raw.cursor().execute(
            "INSERT INTO communities_district (name, slug, description) VALUES ('多出来的区', 'extra', '')"
        )
    raw.close()
    assert "communities_district" in backups.verify(manifest, alias=empty_target)


@pytest.mark.django_db(transaction=True)
def test_backup_command_writes_a_manifest(settings, tmp_path, capsys):
    call_command("backup", output=str(tmp_path), no_media=True)
    assert "Backup written to" in capsys.readouterr().out
    folders = list(tmp_path.iterdir())
    assert len(folders) == 1
    assert (folders[0] / "manifest.json").exists()


def test_restore_asks_for_yes_and_a_real_backup(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(tmp_path), yes=True)
