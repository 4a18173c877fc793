"""The audit log is append-only: through the model, its QuerySet and raw SQL alike."""

import pytest
from django.db import DatabaseError, connection, transaction

from moderation import services
from moderation.models import ModeratorAction
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    moderator = factories.moderator()
    services.post_lock(post=factories.question(), moderator=moderator, reason="Heated.")
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


def test_the_database_refuses_to_change_an_entry_even_through_raw_sql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_moderatoraction SET reason = 'Rewritten.'")
    assert ModeratorAction.objects.get().reason == "Heated."


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite empties tables with DELETE, so it refuses only changes")
def test_postgresql_refuses_to_delete_an_entry_even_through_raw_sql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM moderation_moderatoraction")
    assert ModeratorAction.objects.count() == 1
