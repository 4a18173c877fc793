"""The audit log is append-only: through the model, its QuerySet and raw SQL alike."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from moderation import services
from moderation.models import ModeratorAction
from tests import factories

pytestmark = pytest.mark.django_db

TABLE = ModeratorAction._meta.db_table
# What each database refuses: PostgreSQL's TRUNCATE fires no row triggers, so it has its own.
REFUSED = {
    "postgresql": ["UPDATE", "DELETE", "TRUNCATE"],
    "sqlite": ["UPDATE", "DELETE"],
}
STATEMENTS = {
    "UPDATE": f"UPDATE {TABLE} SET reason = 'Rewritten.'",
    "DELETE": f"DELETE FROM {TABLE}",
    "TRUNCATE": f"TRUNCATE {TABLE}",
}


def lock_a_question():
    services.post_lock(post=factories.question(), moderator=factories.moderator(), reason="Heated.")


@pytest.fixture
def entry():
    lock_a_question()
    return ModeratorAction.objects.get()


def test_an_action_writes_one_row_with_actor_verb_target_reason_and_time(entry):
    assert (entry.verb, entry.reason) == ("post_locked", "Heated.")
    assert entry.actor.is_moderator and entry.target.locked_at and entry.created_at


def test_the_model_refuses_to_change_or_delete_an_entry(entry):
    entry.reason = "Something else."
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_the_queryset_refuses_bulk_changes_and_deletion(entry):
    with pytest.raises(ValueError):
        ModeratorAction.objects.update(reason="Rewritten.")
    with pytest.raises(ValueError):
        ModeratorAction.objects.all().delete()


@pytest.mark.parametrize("statement", REFUSED[connection.vendor])
def test_the_database_refuses_to_change_or_remove_entries_even_through_raw_sql(entry, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(STATEMENTS[statement])

    assert list(ModeratorAction.objects.values_list("pk", "reason")) == [(entry.pk, "Heated.")]


@pytest.mark.django_db(transaction=True)
def test_djangos_flush_empties_an_empty_audit_log_but_not_one_with_rows():
    call_command("flush", interactive=False, verbosity=0)
    lock_a_question()

    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)

    assert ModeratorAction.objects.count() == 1


def removal_is_refused():
    lock_a_question()
    statement = STATEMENTS[REFUSED[connection.vendor][-1]]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_the_migration_that_refuses_removal_can_be_reversed_and_applied_again():
    assert removal_is_refused()

    call_command("migrate", "moderation", "0002", verbosity=0)
    assert not removal_is_refused()

    call_command("migrate", "moderation", verbosity=0)
    assert removal_is_refused()
