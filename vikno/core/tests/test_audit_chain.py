"""The audit log is hash-chained per center and append-only; parallel writers leave no gaps."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from vikno.core.audit import GENESIS, SYSTEM, Actor, HeadMarker, record, record_many, verify_all, verify_chain
from vikno.core.models import AuditEvent
from vikno.testing.parallel import run_together


@pytest.mark.django_db
def test_events_chain_per_center_with_scope_taken_from_the_object(world):
    actor = Actor(user=world.head_a, ip="192.0.2.7", office_id=world.office_a.pk)
    first = record(actor, "center.changed", world.center_a, data={"phone": ["", "0432"]})
    second = record(actor, "office.changed", world.remote_a)
    other = record(SYSTEM, "center.changed", world.center_b)
    glob = record(SYSTEM, "catalog.imported", object_type="catalog.service", data={"rows": 3})

    assert (first.chain, first.seq, first.prev_hash) == (f"center:{world.center_a.pk}", 1, GENESIS)
    assert (second.chain, second.seq, second.prev_hash) == (first.chain, 2, first.hash)
    assert (other.chain, other.seq) == (f"center:{world.center_b.pk}", 1)
    assert (glob.chain, glob.seq) == ("global", 1)
    assert first.region_id == world.r1.pk and other.region_id == world.r2.pk
    assert first.actor_label == "head_a" and first.ip == "192.0.2.7" and first.office_id == world.office_a.pk
    provider_event = record(SYSTEM, "provider.changed", world.provider_b)
    assert (provider_event.provider_id, provider_event.region_id) == (world.provider_b.pk, world.r2.pk)
    assert provider_event.chain == f"region:{world.r2.pk}"
    results = verify_all()
    assert len(results) == 4
    assert all(problems == [] for problems in results.values())


def _tamper(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


@pytest.mark.django_db
def test_verify_chain_detects_an_edited_row(world):
    events = [record(SYSTEM, "center.changed", world.center_a, data={"n": n}) for n in range(3)]
    chain = events[0].chain
    assert verify_chain(chain) == []
    _tamper("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[1].pk])
    assert verify_chain(chain) == [f"{chain}#2: вміст змінено"]

    out = StringIO()
    with pytest.raises(CommandError, match="порушеннями: 1"):
        call_command("verify_audit", stdout=out)
    assert f"{chain}: ПОРУШЕНО" in out.getvalue()
    assert f"{chain}#2: вміст змінено" in out.getvalue()


@pytest.mark.django_db
def test_verify_chain_detects_a_removed_row_and_a_forged_hash(world):
    events = [record(SYSTEM, "center.changed", world.center_a, data={"n": n}) for n in range(4)]
    chain = events[0].chain
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    problems = verify_chain(chain)
    assert f"{chain}: бракує запису 2" in problems
    assert f"{chain}#3: розірвано ланцюжок" in problems
    _tamper("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["f" * 64, events[3].pk])
    assert f"{chain}#4: вміст змінено" in verify_chain(chain)


@pytest.mark.django_db
def test_intact_log_passes_verify_audit(world):
    record(SYSTEM, "center.changed", world.center_a)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert f"center:{world.center_a.pk}: гаразд" in out.getvalue()


@pytest.mark.django_db
def test_update_and_delete_through_the_orm_are_refused(world):
    event = record(SYSTEM, "center.changed", world.center_a)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.action = "forged"
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()
    event.refresh_from_db()
    assert event.action == "center.changed"


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_on_one_chain_get_gap_free_seq(world):
    per_thread, threads = 15, 3
    barrier = threading.Barrier(threads)
    errors = []

    def writer(n):
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                with transaction.atomic():
                    record(SYSTEM, "center.changed", world.center_a, data={"writer": n, "i": i})
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert errors == []
    chain = f"center:{world.center_a.pk}"
    seqs = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, per_thread * threads + 1))
    writers = set(AuditEvent.objects.filter(chain=chain).values_list("data__writer", flat=True))
    assert writers == set(range(threads))
    assert verify_chain(chain) == []


def _lock_statements(queries) -> int:
    return sum("pg_advisory_xact_lock" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_a_transaction_takes_the_chain_lock_once_and_then_uses_the_head_it_wrote(world):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        events = [record(SYSTEM, "center.changed", world.center_a, data={"n": n}) for n in range(3)]
        markers = [f for _sids, f, _robust in connection.run_on_commit if isinstance(f, HeadMarker)]
    assert _lock_statements(queries.captured_queries) == 1
    assert len(markers) == 1  # one per chain and savepoint level, however many records
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[2].prev_hash == events[1].hash
    assert verify_chain(f"center:{world.center_a.pk}") == []


@pytest.mark.django_db
def test_a_rolled_back_savepoint_forgets_the_head_written_inside_it(world):
    with transaction.atomic():
        first = record(SYSTEM, "center.changed", world.center_a, data={"n": 1})
        with pytest.raises(RuntimeError), transaction.atomic():
            record(SYSTEM, "center.changed", world.center_a, data={"n": "undone"})
            raise RuntimeError
        after = record(SYSTEM, "center.changed", world.center_a, data={"n": 2})
    assert (after.seq, after.prev_hash) == (2, first.hash)
    assert verify_chain(f"center:{world.center_a.pk}") == []


@pytest.mark.django_db(transaction=True)
def test_a_new_transaction_reads_the_head_again_after_another_writer(world):
    chain = f"center:{world.center_a.pk}"
    with transaction.atomic():
        record(SYSTEM, "center.changed", world.center_a, data={"who": "main"})

    def other():
        with transaction.atomic():
            record(SYSTEM, "center.changed", world.center_a, data={"who": "other"})

    errors = run_together([other])
    assert errors == []
    with transaction.atomic():
        third = record(SYSTEM, "center.changed", world.center_a, data={"who": "main again"})
    assert third.seq == 3
    assert verify_chain(chain) == []


@pytest.mark.django_db(transaction=True)
def test_parallel_transactions_of_several_records_each_keep_the_chain_intact(world):
    per_worker, records_each, workers = 5, 3, 4

    def writer(n):
        def work():
            for i in range(per_worker):
                with transaction.atomic():
                    for j in range(records_each):
                        record(SYSTEM, "center.changed", world.center_a, data={"w": n, "i": i, "j": j})

        return work

    assert run_together([writer(n) for n in range(workers)]) == []
    chain = f"center:{world.center_a.pk}"
    seqs = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, per_worker * records_each * workers + 1))
    assert verify_chain(chain) == []


@pytest.mark.django_db
def test_record_many_appends_in_order_with_one_insert_across_chains(world):
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        first = record(SYSTEM, "center.changed", world.center_a, data={"n": 0})
        with CaptureQueriesContext(connection) as queries:
            events = record_many(
                SYSTEM,
                "center.changed",
                [(world.center_a, {"n": 1}), (world.center_b, {"n": 1}), (world.center_a, {"n": 2})],
            )
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "core_auditevent"')]
    assert len(inserts) == 1
    assert _lock_statements(queries.captured_queries) == 1  # center B's chain; A's head is known
    assert [(e.chain, e.seq) for e in events] == [
        (f"center:{world.center_a.pk}", 2),
        (f"center:{world.center_b.pk}", 1),
        (f"center:{world.center_a.pk}", 3),
    ]
    assert events[0].prev_hash == first.hash and events[2].prev_hash == events[0].hash
    assert all(e.pk for e in events)
    assert not any(verify_all().values())
    after = record(SYSTEM, "center.changed", world.center_b, data={"n": 2})
    assert after.seq == 2
