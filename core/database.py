"""Upkeep of the database that commands which write many rows at once share."""

from django.db import connection


def refresh_planner_statistics():
    """Gives the query planner statistics of rows just written in bulk, at once.

    Without them (the autovacuum daemon analyses a table only some time after a bulk
    insert, if it runs at all) PostgreSQL plans with stale row counts, and a page that
    takes a millisecond can take a second. VACUUM also marks the new pages all-visible,
    which index-only scans need; it cannot run inside a transaction (as in the tests),
    where ANALYZE runs alone. Returns the statement run."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    statement = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement
