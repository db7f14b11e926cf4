"""Create the search index for the database in use (SQLite FTS5 or PostgreSQL)."""
from django.db import migrations


def create_index(apps, schema_editor):
    from mailcore.store.search import postgres, sqlite

    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            for statement in postgres.CREATE_SQL:
                cursor.execute(statement)
        else:
            cursor.execute(sqlite.CREATE_SQL)


def drop_index(apps, schema_editor):
    from mailcore.store.search import postgres, sqlite

    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            for statement in postgres.DROP_SQL:
                cursor.execute(statement)
        else:
            cursor.execute(sqlite.DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
