"""Triggers that refuse to change or delete audit-log rows, whatever the interface: the
admin, a shell, raw SQL.

On SQLite only changes are refused in the database: Django empties SQLite tables with
DELETE (PostgreSQL's TRUNCATE fires no row triggers), and the test suite must be able
to. The model and its QuerySet refuse deletion on both."""

from django.db import migrations

TABLE = "moderation_moderatoraction"

POSTGRESQL = [
    (
        f"""
        CREATE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'The audit log is append-only.';
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
        CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
        """,
        f"""
        DROP TRIGGER {TABLE}_no_delete ON {TABLE};
        DROP TRIGGER {TABLE}_no_update ON {TABLE};
        DROP FUNCTION {TABLE}_append_only();
        """,
    )
]

SQLITE = [
    (
        f"""
        CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;
        """,
        f"DROP TRIGGER {TABLE}_no_update;",
    ),
]


def _statements(schema_editor):
    return {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])


def create(apps, schema_editor):
    for forward, _backward in _statements(schema_editor):
        schema_editor.execute(forward)


def drop(apps, schema_editor):
    for _forward, backward in reversed(_statements(schema_editor)):
        schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
