"""The audit log is hash-chained per center and append-only; parallel writers leave no gaps."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from vikno.core.audit import GENESIS, SYSTEM, Actor, record, verify_all, verify_chain
from vikno.core.models import AuditEvent


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
