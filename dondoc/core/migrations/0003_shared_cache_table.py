"""The table of the "shared" cache when there is no Redis (settings.CACHES): what
`createcachetable` makes, created here so that the migration role makes it and the application
role (docs/operations.md) never needs DDL. Created whatever the cache is set to, so that a
deployment can drop Redis later."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "dondoc_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_heartbeat")]
    operations = [migrations.RunPython(create, drop)]
