"""A pytest plugin: commits inside a test's transaction, as production sees them.

pytest-django runs a test (without `transaction=True`) inside a transaction that is rolled
back at its end, so nothing ever commits and `transaction.on_commit()` callbacks, which
deliver the domain events (core/events.py), would never run. This plugin takes the end of
the outermost transaction that the code under test opens for its commit: the callbacks
registered inside it run when it ends without an error. A callback registered outside any
such transaction runs at once, as in autocommit mode. A savepoint that rolls back drops
its callbacks, as Django does, so what a rolled-back write published is never delivered.

Tests with `transaction=True` commit for real and need none of this; the events' own
tests (tests/test_events.py) use real commits.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import Atomic


def _only_the_tests_transaction(connection):
    return connection.in_atomic_block and all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def _run(callbacks):
    for _savepoints, func, _robust in callbacks:
        func()


def pytest_configure(config):
    on_commit = BaseDatabaseWrapper.on_commit
    atomic_exit = Atomic.__exit__

    def test_on_commit(self, func, robust=False):
        if _only_the_tests_transaction(self) and not self.needs_rollback:
            _run([(None, func, robust)])
        else:
            on_commit(self, func, robust)

    def test_atomic_exit(self, exc_type, exc_value, traceback):
        result = atomic_exit(self, exc_type, exc_value, traceback)
        connection = connections[self.using or DEFAULT_DB_ALIAS]
        if (
            exc_type is None
            and not self._from_testcase
            and _only_the_tests_transaction(connection)
            and not connection.needs_rollback
        ):
            callbacks, connection.run_on_commit = connection.run_on_commit, []
            _run(callbacks)
        return result

    BaseDatabaseWrapper.on_commit = test_on_commit
    Atomic.__exit__ = test_atomic_exit
