from django.db import migrations

# The SQL lives in experiences/sqlite_search.py because the post_migrate hook (experiences/apps.py)
# must re-create exactly these triggers after a later migration rebuilds the experience table.
from experiences import sqlite_search


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_search.create_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_search.drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    """SQLite only: the FTS5 index of experiences' titles and descriptions, kept in step by triggers."""

    dependencies = [("experiences", "0014_forget_warm_dashboards_beat_entry")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
