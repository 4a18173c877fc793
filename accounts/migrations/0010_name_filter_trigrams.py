"""Trigram indexes for the users page's name filter, which finds members whose username
or shown name contains the words typed (`accounts.selectors.user_list`, `icontains`).
Without them every filtered page read the whole users table.

PostgreSQL only: the expressions are exactly what Django's `icontains` compares,
`UPPER(column::text) LIKE UPPER('%…%')`, so the planner can take the GIN index for any
search of three characters or more. SQLite keeps scanning, as it does for every search.
"""

from django.db import migrations

INDEXES = {
    "user_username_trgm_idx": "username",
    "user_display_name_trgm_idx": "display_name",
}


def _on_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def add_indexes(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON accounts_user "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_email_verified")]

    operations = [migrations.RunPython(add_indexes, drop_indexes)]
