"""Trigram (pg_trgm) GIN indexes for the `search_text LIKE '% term %'` searches, on PostgreSQL only.

SQLite has no such index and keeps scanning (its data sets are small); the
query is the same on both, so the two databases still answer alike.
"""

from django.db import migrations


def trigram_index(table, name):
    """A migration operation creating ``name`` on ``table.search_text`` when the database is PostgreSQL."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
