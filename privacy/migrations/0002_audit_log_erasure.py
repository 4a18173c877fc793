"""The audit log's one allowed change: an erased account's name becomes its placeholder.

Moderation's migration 0002 refuses every UPDATE of the audit log. An erasure
(privacy.services.account_erase) keeps the account's actions there but not its name, so
the rows that name it by `actor_name` (it acted) or `target_label` (it was acted on) are
rewritten to the placeholder. The database allows exactly that: a row whose other columns
stay as they are, whose `actor_name` stays or becomes the current `display_name` of its
actor, and whose `target_label` stays or becomes that of the user it targets, where that
account is erased (inactive, without email, with an unusable password: "!…"). Any other
change is refused as before; DELETE and TRUNCATE are untouched."""

from django.db import migrations

TABLE = "moderation_moderatoraction"

ERASED = (
    "SELECT display_name FROM accounts_user WHERE id = {id} AND is_active = {false} "
    "AND email = '' AND substr(password, 1, 1) = '!'"
)
USER_TYPE = (
    "SELECT id FROM django_content_type WHERE app_label = 'accounts' AND model = 'user'"
)


def _allowed(false):
    # Compared with IS (NULL-safe): a comparison with NULL must not let a change through.
    return f"""
        NEW.id IS OLD.id AND NEW.verb IS OLD.verb AND NEW.reason IS OLD.reason
        AND NEW.created_at IS OLD.created_at AND NEW.actor_id IS OLD.actor_id
        AND NEW.target_type_id IS OLD.target_type_id AND NEW.target_id IS OLD.target_id
        AND (NEW.actor_name IS OLD.actor_name
             OR NEW.actor_name IS ({ERASED.format(id="OLD.actor_id", false=false)}))
        AND (NEW.target_label IS OLD.target_label
             OR (OLD.target_type_id IS ({USER_TYPE})
                 AND NEW.target_label IS ({ERASED.format(id="OLD.target_id", false=false)})))
    """


POSTGRESQL = (
    f"""
    CREATE FUNCTION {TABLE}_erasure_only() RETURNS trigger AS $$
    BEGIN
        IF {_allowed("false").replace(" IS ", " IS NOT DISTINCT FROM ")} THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'The audit log is append-only.';
    END;
    $$ LANGUAGE plpgsql;
    DROP TRIGGER {TABLE}_no_update ON {TABLE};
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_erasure_only();
    """,
    f"""
    DROP TRIGGER {TABLE}_no_update ON {TABLE};
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
    DROP FUNCTION {TABLE}_erasure_only();
    """,
)

# SQLite's driver runs one statement at a time.
SQLITE = (
    [
        f"DROP TRIGGER {TABLE}_no_update",
        f"""
        CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        WHEN NOT ({_allowed("0")})
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;
        """,
    ],
    [
        f"DROP TRIGGER {TABLE}_no_update",
        f"""
        CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;
        """,
    ],
)
POSTGRESQL = ([POSTGRESQL[0]], [POSTGRESQL[1]])


def _statements(schema_editor):
    return {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor)


def create(apps, schema_editor):
    if statements := _statements(schema_editor):
        for statement in statements[0]:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if statements := _statements(schema_editor):
        for statement in statements[1]:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("moderation", "0004_comment_moderation"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
