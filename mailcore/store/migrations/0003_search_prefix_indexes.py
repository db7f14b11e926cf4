"""SQLite: give the full-text index prefix indexes (see search/sqlite.py). PostgreSQL's
GIN index needs none."""
from django.db import migrations


def add_prefix_indexes(apps, schema_editor):
    from mailcore.store.search import sqlite

    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            sqlite.add_prefix_indexes(cursor)


class Migration(migrations.Migration):
    dependencies = [("store", "0002_search_index")]
    operations = [migrations.RunPython(add_prefix_indexes, migrations.RunPython.noop)]
