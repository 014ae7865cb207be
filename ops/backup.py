"""Back up and restore the database and the media files.

Contract: a backup's manifest counts exactly the rows its database file holds, even while the
portal writes: SQLite is copied with the online backup API and counted in the copy; PostgreSQL
is counted in a REPEATABLE READ transaction whose snapshot pg_dump is given (``--snapshot``), so
both read the same moment. A restore first counts the rows in the backup file itself and refuses,
touching nothing, when they differ from the manifest; only then does it replace the database (for
PostgreSQL in a single transaction, so a failure half-way leaves the database as it was), and the
restore command checks the result table by table. Backups hold residents' names and phone
numbers: the folder is readable by its owner only (0700, files 0600). Media files go into a tar.gz.
"""

import json
import os
import re
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


def _count(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names of the models' own tables
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


def _pg_connect(config):
    import psycopg2

    return psycopg2.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(target_dir, alias="default", media=True):
    """Write a backup into a new folder under ``target_dir`` and return its path."""
    old_umask = os.umask(0o077)  # everything made below, pg_dump's file included, is the owner's only
    try:
        return _backup(Path(target_dir), connections[alias], media)
    finally:
        os.umask(old_umask)


def _backup(target_dir, connection, media):
    folder = target_dir / f"portal-{timezone.now():%Y%m%d-%H%M%S-%f}"
    folder.mkdir(parents=True, mode=0o700)
    tables = [t for t in _tables() if t in set(connection.introspection.table_names())]
    if connection.vendor == "sqlite":
        database_file = "db.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(folder / database_file)
        try:
            with destination:
                connection.connection.backup(destination)
            counts = _count(destination.cursor(), tables)  # in the copy: exactly what the backup holds
        finally:
            destination.close()
    elif connection.vendor == "postgresql":
        database_file = "db.dump"
        counts = _pg_dump(connection.settings_dict, tables, folder / database_file)
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


def _pg_dump(config, tables, path):
    """Count the rows and dump them from one snapshot: rows committed meanwhile are in neither."""
    raw = _pg_connect(config)
    try:
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count(cursor, tables)
        # The exporting transaction stays open until pg_dump is done: the snapshot lives as long as it.
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                *_pg_args(config),
                "-f",
                str(path),
                config["NAME"],
            ],
            env=_pg_env(config),
        )
    finally:
        raw.close()
    return counts


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a backup made by `manage.py backup`.")
    return json.loads(path.read_text())


def check(folder, manifest):
    """Tables whose rows in the backup file differ from the manifest ({table: (manifest, file)});
    empty when the backup is whole. Reads the file only: no database is touched."""
    path = Path(folder) / manifest["database"]
    if not path.exists():
        raise BackupError(f"{path} is missing: the backup is incomplete.")
    if manifest["vendor"] == "sqlite":
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            found = _count(copy.cursor(), [t for t in manifest["counts"] if t in existing])
        finally:
            copy.close()
    else:
        found = _dump_counts(path)
    expected = manifest["counts"]
    return {t: (expected[t], found.get(t, 0)) for t in expected if found.get(t, 0) != expected[t]}


_COPY = re.compile(r'^COPY (?:[^ ]+\.)?"?([^" ]+)"? \(')


def _dump_counts(path):
    """Rows per table in a custom-format dump: pg_restore writes each table's data as a COPY block
    with one line per row (newlines inside values are escaped), ended by a line holding \\."""
    try:
        process = subprocess.Popen(
            ["pg_restore", "--data-only", "-f", "-", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except FileNotFoundError:
        raise BackupError("pg_restore is not installed (apt-get install postgresql-client).") from None
    counts, table = {}, None
    for line in process.stdout:
        if table is None:
            match = _COPY.match(line.decode("utf-8", "replace"))
            if match:
                table = match.group(1)
                counts[table] = 0
        elif line.rstrip(b"\n") == b"\\.":
            table = None
        else:
            counts[table] += 1
    error = process.stderr.read().decode("utf-8", "replace").strip()
    if process.wait() != 0:
        raise BackupError(f"pg_restore cannot read {path}: {error}")
    return counts


def restore(folder, alias="default", media=True):
    """Restore a backup into the database ``alias`` and MEDIA_ROOT; returns the manifest. Refuses,
    with the database untouched, a backup whose file does not hold the rows its manifest counts."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[alias]
    config = connection.settings_dict
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"This backup is of {manifest['vendor']}; the target database is {connection.vendor}.")
    differences = check(folder, manifest)
    if differences:
        raise BackupError(f"Nothing was restored: the backup does not hold the rows its manifest counts {differences}.")
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
                "--single-transaction",  # all or nothing: an error half-way leaves the database as it was
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


def live_counts(alias, tables):
    """Row counts of ``tables`` in the database ``alias``, read through a fresh driver connection,
    outside Django's connection handling."""
    connection = connections[alias]
    connection.close()
    config = connection.settings_dict
    raw = sqlite3.connect(config["NAME"]) if connection.vendor == "sqlite" else _pg_connect(config)
    try:
        return _count(raw.cursor(), tables)
    finally:
        raw.close()


def verify(manifest, alias="default"):
    """Tables whose row count differs from the manifest: empty when the restore is whole."""
    known = set(_tables())
    tables = [t for t in manifest["counts"] if t in known]
    counts = live_counts(alias, tables)
    return {t: (manifest["counts"][t], counts.get(t)) for t in tables if counts.get(t) != manifest["counts"][t]}
