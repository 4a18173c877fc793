"""The audit log loses no row on either database: 0002 refuses UPDATE on both and DELETE on
PostgreSQL; this adds what it left open. On PostgreSQL, TRUNCATE, which fires no row
triggers: a statement-level BEFORE TRUNCATE trigger. On SQLite (the default database, what
`make run` uses), DELETE: a BEFORE DELETE trigger.

Both refuse only when there are rows to lose; emptying an empty audit log changes nothing.
That is what Django's flush does after every transactional test (one TRUNCATE of all tables
on PostgreSQL, a DELETE per table on SQLite), so the test suite needs no escape hatch: no
session setting or role lets a removal through. A transactional test that wrote audit
rows has them erased before the flush by a fixture (tests/conftest.py) that does what only
the table's owner can: switch the triggers off inside one transaction, so no other
connection ever sees them off. Whoever may do that may also drop the triggers, so the
triggers guard against mistakes and the application, not against the database's owner."""

from django.db import migrations

TABLE = "moderation_moderatoraction"

POSTGRESQL = (
    f"""
    CREATE FUNCTION {TABLE}_keep_rows() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT FROM {TABLE}) THEN
            RAISE EXCEPTION 'The audit log is append-only.';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_keep_rows();
    """,
    f"""
    DROP TRIGGER {TABLE}_no_truncate ON {TABLE};
    DROP FUNCTION {TABLE}_keep_rows();
    """,
)

SQLITE = (
    f"""
    CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;
    """,
    f"DROP TRIGGER {TABLE}_no_delete;",
)


def _statements(schema_editor):
    return {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor)


def create(apps, schema_editor):
    if statements := _statements(schema_editor):
        schema_editor.execute(statements[0])


def drop(apps, schema_editor):
    if statements := _statements(schema_editor):
        schema_editor.execute(statements[1])


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_audit_log_append_only")]

    operations = [migrations.RunPython(create, drop)]
