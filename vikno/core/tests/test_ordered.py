"""``core.db.ordered.run_in_order`` with either parameter binding: a read placed after an advisory lock
sees the row that the lock's previous holder committed while the read waited."""

from __future__ import annotations

import copy
import threading

import pytest
from django.db import connection, connections, transaction

from vikno.core.db.ordered import reuse_plans, run_in_order, server_side_binding

TABLE = "vikno_test_ordered"


def _connection(server_binding: bool):
    """A second Django connection to the test database, binding parameters as asked."""
    settings = copy.deepcopy(connection.settings_dict)
    options = settings.setdefault("OPTIONS", {})
    options.pop("prepare_threshold", None)
    options.pop("server_side_binding", None)
    if server_binding:
        options.update(server_side_binding=True, prepare_threshold=1)
    return type(connections["default"])(settings)  # the alias "default": Django looks settings up by it


@pytest.fixture
def table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (n int)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")


@pytest.mark.parametrize("server_binding", [False, True], ids=["client-side binding", "server-side binding"])
def test_the_read_after_the_lock_sees_what_the_holder_committed(table, server_binding):
    holder = _connection(server_binding)
    assert server_side_binding(holder) is server_binding
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('ordered-test'))")
            cursor.execute(f"INSERT INTO {TABLE} VALUES (1)")
        seen: list = []

        def wait_and_read():
            waiter = _connection(server_binding)  # a connection belongs to its thread
            try:
                waiter.set_autocommit(False)
                seen.extend(
                    run_in_order(
                        [
                            ("SELECT pg_advisory_xact_lock(hashtext(%s))", ["ordered-test"]),
                            (f"SELECT count(*) FROM {TABLE} WHERE n >= %s", [1]),
                        ],
                        using=waiter,
                    )
                )
                waiter.rollback()
            finally:
                waiter.close()

        thread = threading.Thread(target=wait_and_read)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the lock
        holder.commit()
        thread.join(10)
        assert len(seen) == 2 and seen[1] == (1,)
    finally:
        holder.close()


def _plan_cache_mode(using) -> str:
    with using.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # the transaction below is the outermost one
def test_prepared_statements_are_planned_for_their_values_except_where_plans_are_reused():
    if not server_side_binding():
        pytest.skip("VIKNO_DB_PREPARE_THRESHOLD=0: nothing is prepared")
    assert _plan_cache_mode(connection) == "force_custom_plan"  # e.g. a search: planned for its pattern
    with transaction.atomic():
        run_in_order([*reuse_plans(), ("SELECT 1", [])])
        assert _plan_cache_mode(connection) == "auto"  # the registration's statements
    assert _plan_cache_mode(connection) == "force_custom_plan"  # SET LOCAL: only that transaction
