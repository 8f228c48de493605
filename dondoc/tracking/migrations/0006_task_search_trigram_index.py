"""On PostgreSQL, a trigram index serves the diacritic-free text search (`search_text LIKE
'%word%'`) without reading every task; SQLite has no such index and scans."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted since PostgreSQL 13
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS task_search_trgm ON tracking_task "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS task_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("tracking", "0005_task_deadline_index")]
    operations = [migrations.RunPython(create, drop)]
