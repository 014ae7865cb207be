"""Back up and restore the database and the media files.

SQLite uses the SQLite online backup API (a consistent copy while the portal
runs); PostgreSQL uses pg_dump / pg_restore in custom format. Media files go
into a tar.gz. A manifest records the row count of every table, so a restore
can be checked table by table.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _tables():
    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})


def row_counts(connection):
    counts = {}
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in _tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(config):
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    return env


def _pg_args(config):
    args = []
    if config.get("HOST"):
        args += ["-h", str(config["HOST"])]
    if config.get("PORT"):
        args += ["-p", str(config["PORT"])]
    if config.get("USER"):
        args += ["-U", str(config["USER"])]
    return args


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(target_dir, alias="default", media=True):
    """Write a backup into a new folder under ``target_dir`` and return its path."""
    connection = connections[alias]
    config = connection.settings_dict
    folder = Path(target_dir) / f"portal-{timezone.now():%Y%m%d-%H%M%S-%f}"
    folder.mkdir(parents=True)
    counts = row_counts(connection)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(folder / "db.sqlite3")
        with destination:
            connection.connection.backup(destination)
        destination.close()
        database_file = "db.sqlite3"
    elif connection.vendor == "postgresql":
        database_file = "db.dump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                *_pg_args(config),
                "-f",
                str(folder / database_file),
                config["NAME"],
            ],
            env=_pg_env(config),
        )
    else:  # pragma: no cover - only SQLite and PostgreSQL are configured
        raise BackupError(f"No backup method for {connection.vendor}.")
    media_file = None
    media_root = Path(settings.MEDIA_ROOT)
    if media and media_root.exists():
        media_file = "media.tar.gz"
        with tarfile.open(folder / media_file, "w:gz") as archive:
            archive.add(media_root, arcname="media")
    manifest = {
        "created": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "database": database_file,
        "media": media_file,
        "counts": counts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a backup made by `manage.py backup`.")
    return json.loads(path.read_text())


def restore(folder, alias="default", media=True):
    """Restore a backup into the (empty) database ``alias`` and MEDIA_ROOT; returns the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[alias]
    config = connection.settings_dict
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"This backup is of {manifest['vendor']}; the target database is {connection.vendor}.")
    if connection.vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(folder / manifest["database"])
        target = sqlite3.connect(config["NAME"])
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                *_pg_args(config),
                "-d",
                config["NAME"],
                str(folder / manifest["database"]),
            ],
            env=_pg_env(config),
        )
    if media and manifest.get("media"):
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / manifest["media"], "r:gz") as archive:
            staging = media_root.parent / f".restore-{folder.name}"
            archive.extractall(staging, filter="data")
        for item in (staging / "media").iterdir():
            destination = media_root / item.name
            if item.is_dir():
                shutil.copytree(item, destination, dirs_exist_ok=True)
            else:
                shutil.copy2(item, destination)
        shutil.rmtree(staging)
    return manifest


def _raw_counts(config, vendor, tables):
    """Row counts read through a fresh driver connection, outside Django's connection handling."""
    if vendor == "sqlite":
        raw = sqlite3.connect(config["NAME"])
    else:
        import psycopg2

        raw = psycopg2.connect(
            dbname=config["NAME"],
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
        )
    try:
        cursor = raw.cursor()
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the manifest's own tables
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        raw.close()


def verify(manifest, alias="default"):
    """Tables whose row count differs from the manifest: empty when the restore is whole."""
    connection = connections[alias]
    connection.close()
    known = set(_tables())
    tables = [t for t in manifest["counts"] if t in known]
    counts = _raw_counts(connection.settings_dict, connection.vendor, tables)
    return {t: (manifest["counts"][t], counts.get(t)) for t in tables if counts.get(t) != manifest["counts"][t]}
