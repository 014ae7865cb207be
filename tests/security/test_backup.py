"""A backup restores into an empty database with every record, and the media files."""

import json
import os
import stat
import threading
import time
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
    insert_district(empty_target)
    assert "communities_district" in backups.verify(manifest, alias=empty_target)


def insert_district(alias):
    """A row written straight into the database ``alias``, past Django (as another program would)."""
    config = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(config["NAME"])
    else:
        import psycopg2

        raw = psycopg2.connect(dbname=config["NAME"], user=config["USER"], host=config["HOST"], port=config["PORT"])
    with raw:
        slug = f"extra-{uuid.uuid4().hex[:8]}"
        raw.cursor().execute(
            f"INSERT INTO communities_district (name, slug, description) VALUES ('多出来的区', '{slug}', '')"  # noqa: S608
        )
    raw.close()


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


class Writer(threading.Thread):
    """Residents reporting while the backup runs: a row a few milliseconds, each its own commit."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.written = 0

    def run(self):
        from django.db import OperationalError, connection

        try:
            while not self.stop.is_set():
                try:
                    n = self.written
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "INSERT INTO communities_district (name, slug, description) VALUES (%s, %s, '')",
                            [f"写入中{n}", f"writing-{uuid.uuid4().hex[:12]}"],
                        )
                    self.written += 1
                except OperationalError:  # SQLite busy for a moment: try again, as the portal would
                    pass
                time.sleep(0.001)
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_rows_are_written_passes_its_own_restore_check(settings, tmp_path, empty_target):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    writer = Writer()
    writer.start()
    try:
        while writer.written < 20:  # writing is under way before the backup starts
            time.sleep(0.01)
        folders = [backups.backup(tmp_path / "backups", media=False) for _ in range(3)]
    finally:
        writer.stop.set()
        writer.join()
    assert writer.written > 20
    for folder in folders:
        manifest = backups.read_manifest(folder)
        backups.restore(folder, alias=empty_target, media=False)
        assert backups.verify(manifest, alias=empty_target) == {}, folder.name


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_the_database_is_touched(settings, tmp_path, empty_target):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    folder = backups.backup(tmp_path / "backups", media=False)
    backups.restore(folder, alias=empty_target, media=False)
    insert_district(empty_target)  # the live database has moved on since the backup
    manifest = backups.read_manifest(folder)
    before = backups.live_counts(empty_target, manifest["counts"])
    manifest["counts"]["communities_community"] += 1  # the backup lacks a row its manifest promises
    (folder / backups.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backups.BackupError, match="communities_community"):
        backups.restore(folder, alias=empty_target, media=False)
    assert backups.live_counts(empty_target, manifest["counts"]) == before, "the database is as it was"


@pytest.mark.django_db(transaction=True)
def test_backup_files_are_readable_by_their_owner_only(settings, tmp_path):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "photo.jpg").write_bytes(b"\xff\xd8")
    old = os.umask(0o022)  # what a shell usually has: files 0644, anyone on the machine may read them
    try:
        folder = backups.backup(tmp_path / "backups")
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert {f.name for f in files} >= {"manifest.json", "media.tar.gz"}
    for item in files:
        assert stat.S_IMODE(item.stat().st_mode) == 0o600, item.name
