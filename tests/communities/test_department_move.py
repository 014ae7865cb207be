"""Department moved from feedback to communities: a database made by the code before the move
migrates forward with every row kept, and ends with the schema a fresh database gets.

The old database is built by the old code itself: commit d18903e (the last before the move) is
taken out of this repository's history with `git archive`, then its `migrate` and `load_demo` run
in a subprocess. The current code's `migrate` then runs on that file. Both run on SQLite in a
temporary folder, whatever DATABASE_URL says, so the check never touches a shared server.
"""

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BEFORE_THE_MOVE = "d18903e"

# Rows that migrate adds for new code (its own record, content types and permissions of models
# added later, and the roles' grants of those permissions): for these the old rows must all still
# be there, not the same number.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "auth_group_permissions"}


def _manage(tree, var_dir, *args):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "STATIC_ROOT"}}
    env["DJANGO_VAR_DIR"] = str(var_dir)
    env.pop("PYTHONPATH", None)  # manage.py puts its own tree first; nothing else may shadow it
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=tree, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {tree} failed:\n{result.stdout}\n{result.stderr}"


def _old_tree(target):
    if not (ROOT / ".git").exists():
        pytest.skip("needs the repository's history (a git checkout) to rebuild the code before the move")
    archive = subprocess.run(["git", "archive", "--format=tar", BEFORE_THE_MOVE], cwd=ROOT, capture_output=True)
    assert archive.returncode == 0, (
        f"commit {BEFORE_THE_MOVE} is missing (a shallow clone?): {archive.stderr.decode(errors='replace')}"
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # Our own history, but extracted safely where Python can (3.11.4 and later).
        tar.extractall(target, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return target


def _counts(db):
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables if t != "sqlite_sequence"}


def _rows(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _schema(db):
    # Table and index definitions, as SQLite stores them (names, columns, constraints, references).
    return sorted(_rows(db, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


PERMISSIONS = (
    "SELECT p.id, ct.app_label, ct.model, p.codename FROM auth_permission p "
    "JOIN django_content_type ct ON ct.id = p.content_type_id"
)
DEPARTMENT_GRANTS = (
    "SELECT g.name, ct.app_label, p.codename FROM auth_group g "
    "JOIN auth_group_permissions gp ON gp.group_id = g.id JOIN auth_permission p ON p.id = gp.permission_id "
    "JOIN django_content_type ct ON ct.id = p.content_type_id WHERE ct.model = 'department'"
)
SCOPES = (
    "SELECT u.username, s.role, d.name FROM communities_staffscope s JOIN auth_user u ON u.id = s.user_id "
    "LEFT JOIN {department} d ON d.id = s.department_id ORDER BY u.username"
)
TASKS = "SELECT t.id, t.case_id, d.name FROM feedback_dispatchtask t JOIN {department} d ON d.id = t.department_id"


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    base = tmp_path_factory.mktemp("department-move")
    old = _old_tree(base / "old")
    _manage(old, base / "var", "migrate", "--noinput")
    _manage(old, base / "var", "load_demo")
    db = base / "var" / "portal.sqlite3"
    before = {
        "counts": _counts(db),
        "permissions": _rows(db, PERMISSIONS),
        "grants": sorted(_rows(db, DEPARTMENT_GRANTS)),
        "scopes": _rows(db, SCOPES.format(department="feedback_department")),
        "tasks": sorted(_rows(db, TASKS.format(department="feedback_department"))),
    }
    _manage(ROOT, base / "var", "migrate", "--noinput")
    _manage(ROOT, base / "fresh", "migrate", "--noinput")
    return {"before": before, "db": db, "fresh": base / "fresh" / "portal.sqlite3"}


def test_the_old_database_really_had_departments_in_feedback(upgraded):
    # Without this, the checks below could pass on a database that never had the old layout.
    counts = upgraded["before"]["counts"]
    assert counts["feedback_department"] > 0
    assert "communities_department" not in counts
    assert counts["feedback_dispatchtask"] > 0
    assert any(name for _user, role, name in upgraded["before"]["scopes"] if role == "department_officer")


def test_every_table_keeps_its_rows(upgraded):
    before, after = upgraded["before"]["counts"], _counts(upgraded["db"])
    renamed = {"feedback_department": "communities_department"}
    lost = {
        table: (count, after.get(renamed.get(table, table)))
        for table, count in before.items()
        if table not in BOOKKEEPING and after.get(renamed.get(table, table)) != count
    }
    assert not lost, f"tables whose row count changed (before, after): {lost}"
    shrunk = {
        table: (before[table], after.get(table, 0)) for table in BOOKKEEPING if after.get(table, 0) < before[table]
    }
    assert not shrunk, f"bookkeeping tables that lost rows (before, after): {shrunk}"
    assert "feedback_department" not in after
    assert after["communities_department"] == before["feedback_department"]


def test_staff_scopes_and_tasks_still_point_at_their_departments(upgraded):
    db = upgraded["db"]
    assert _rows(db, SCOPES.format(department="communities_department")) == upgraded["before"]["scopes"]
    assert sorted(_rows(db, TASKS.format(department="communities_department"))) == upgraded["before"]["tasks"]
    assert _rows(db, "PRAGMA foreign_key_check") == []


def test_permissions_follow_the_department(upgraded):
    """The same permission rows (same ids, so every group and user holding one keeps it), now communities'."""
    after = set(_rows(upgraded["db"], PERMISSIONS))
    moved = {
        (pk, "communities" if (label, model) == ("feedback", "department") else label, model, codename)
        for pk, label, model, codename in upgraded["before"]["permissions"]
    }
    assert moved <= after
    assert not any(label == "feedback" and model == "department" for _pk, label, model, _c in after)
    grants = sorted(_rows(upgraded["db"], DEPARTMENT_GRANTS))
    before = upgraded["before"]["grants"]
    assert grants == sorted((group, "communities", codename) for group, _label, codename in before)
    assert ("街道编辑", "communities", "view_department") in grants


def test_the_upgraded_schema_is_the_fresh_schema(upgraded):
    assert _schema(upgraded["db"]) == _schema(upgraded["fresh"])
