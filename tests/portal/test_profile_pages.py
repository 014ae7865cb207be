"""`manage.py profile_pages` names each page's biggest costs by the kind of work (ops/management/commands)."""

import cProfile
import pstats
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.template import engines

from ops.management.commands.profile_pages import kind_of, split


def test_work_is_named_by_where_it_runs():
    assert kind_of("/x/site-packages/django/template/base.py:render") == "template rendering"
    assert kind_of("~:<method 'execute' of 'psycopg2.extensions.cursor' objects>") == "SQL in the database"
    assert kind_of("/x/site-packages/django/db/models/sql/compiler.py:as_sql") == "building queries and rows (ORM)"
    assert kind_of("/x/site-packages/django/core/cache/backends/redis.py:get") == "cache round trips"
    assert kind_of("/repo/core/fragments.py:get_or_render") == "portal code"
    assert kind_of("/x/site-packages/django/utils/formats.py:number_format") == "number and date formatting"
    assert kind_of("/usr/lib/python3.11/json/decoder.py:decode") == "other Python"


def test_a_builtin_counts_for_its_caller():
    template = engines["django"].from_string("{% for word in words %}<b>{{ word|upper }}</b>{% endfor %}")
    database = sqlite3.connect(":memory:")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(50):
        template.render({"words": ["社区", "胡同", "志愿"] * 70})
        database.execute("SELECT 1").fetchall()
    profile.disable()
    kinds = split(pstats.Stats(profile))
    assert max(kinds, key=kinds.get) == "template rendering", kinds
    assert kinds["SQL in the database"] > 0


def test_it_refuses_debug(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DJANGO_DEBUG=false"):
        call_command("profile_pages")
