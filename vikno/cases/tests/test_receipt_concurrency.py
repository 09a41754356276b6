"""One receipt pays one fee even when two payments of it are recorded at the same moment, on real
parallel connections: the database's unique index of receipts (payments.0005) refuses the second one,
and the caller answers the same 409 as the service check, with nothing half-written."""

from __future__ import annotations

import importlib
import threading
import time
from types import SimpleNamespace

import pytest
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from vikno.cases import services
from vikno.cases.models import Case, CaseNumberCounter
from vikno.core.audit import Actor, verify_chain
from vikno.core.db.errors import violated_constraint
from vikno.core.errors import Conflict
from vikno.core.models import AuditEvent
from vikno.payments import services as payments
from vikno.payments.models import Payment

from .core_factories import make_service, person, register

RECEIPT = "R-500"


def _pos(receipt=RECEIPT):
    return {"method": "pos", "amount": "85", "receipt_number": receipt}


def _collect(work, outcome: dict, key: str):
    try:
        outcome[key] = work()
    except BaseException as exc:  # the test looks at what each worker got
        outcome[key] = exc
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_registrations_with_one_receipt_at_once_make_one_case(world):
    service = make_service(fee="85")
    applicants = [person(world, last_name="Коваль"), person(world, last_name="Мельник")]
    actor = Actor(user=world.admin_a)
    barrier = threading.Barrier(2)
    outcome: dict = {}

    def work(i):
        barrier.wait(timeout=30)
        return register(world, service, applicant=applicants[i], actor=actor, payment=_pos())

    threads = [threading.Thread(target=_collect, args=(lambda i=i: work(i), outcome, i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    cases = [o for o in outcome.values() if isinstance(o, Case)]
    refused = [o for o in outcome.values() if not isinstance(o, Case)]
    assert len(cases) == 1 and len(refused) == 1, outcome
    (case,), (error,) = cases, refused
    assert isinstance(error, Conflict) and error.status == 409 and error.code == "duplicate_receipt"
    assert case.number in error.message
    # nothing of the refused registration is left: no case, no number used, no payment, no audit record
    assert list(Case.objects.values_list("number", flat=True)) == [case.number]
    assert case.seq == 1 and CaseNumberCounter.objects.get(center=world.center_a).last_value == 1
    assert list(Payment.objects.values_list("case_id", flat=True)) == [case.pk]
    assert AuditEvent.objects.filter(action="case.registered").count() == 1
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 1
    assert verify_chain(f"center:{world.center_a.pk}") == []


@pytest.mark.django_db(transaction=True)
def test_two_staff_payments_of_one_receipt_at_once_pay_one_case(world):
    service = make_service(fee="85")
    actor = Actor(user=world.admin_a)
    first, second = register(world, service), register(world, service)
    barrier = threading.Barrier(2)
    outcome: dict = {}

    def work(case):
        barrier.wait(timeout=30)
        return services.record_payment(case, method="pos", amount="85", receipt_number=RECEIPT, actor=actor)

    threads = [
        threading.Thread(target=_collect, args=(lambda c=c: work(c), outcome, c.number)) for c in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    paid = [n for n, o in outcome.items() if isinstance(o, Payment)]
    refused = [o for o in outcome.values() if not isinstance(o, Payment)]
    assert len(paid) == 1 and len(refused) == 1, outcome
    assert isinstance(refused[0], Conflict) and refused[0].code == "duplicate_receipt"
    assert paid[0] in refused[0].message
    assert Payment.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 1


# --- the index itself: a payment the check cannot see yet -----------------------------------------------
#
# The entry points above take the center's audit-chain lock before the check, which queues two payments
# of one center today, so the check alone refuses the second. The index must hold without that: here a
# payment of the receipt is written by another transaction that has not committed yet (invisible to the
# check, as two checks at one moment are to each other) and holds no chain lock; the second insert waits
# on the unique index, the first commits, and the second is refused by the database.


def _blocked_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def _while_a_payment_is_uncommitted(paid_case: Case, receipt: str, work):
    """Run ``work`` on its own connection while another transaction holds an uncommitted payment of
    ``receipt`` on ``paid_case``; commit that payment once ``work`` waits on it. Returns what ``work``
    returned or raised."""
    inserted, release = threading.Event(), threading.Event()
    outcome: dict = {}
    state = SimpleNamespace(pid=None)

    def first():
        with transaction.atomic():
            Payment.objects.create(
                case_id=paid_case.pk,
                center_id=paid_case.center_id,
                region_id=paid_case.region_id,
                method="pos",
                amount=paid_case.fee_amount,
                receipt_number=receipt,
                paid_on=timezone.localdate(),
            )
            inserted.set()
            assert release.wait(30)

    def second():
        assert inserted.wait(30)
        connection.ensure_connection()
        state.pid = connection.connection.info.backend_pid
        return work()

    threads = [
        threading.Thread(target=_collect, args=(first, outcome, "first")),
        threading.Thread(target=_collect, args=(second, outcome, "second")),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    try:
        while threads[1].is_alive() and time.monotonic() < deadline:
            if state.pid and _blocked_on_a_lock(state.pid):
                break
            time.sleep(0.02)
        waited = bool(state.pid) and _blocked_on_a_lock(state.pid)
    finally:
        release.set()
        for thread in threads:
            thread.join(60)
    assert outcome.get("first") is None, outcome
    assert waited, "the second payment never waited on the first one's receipt"
    return outcome["second"]


@pytest.mark.django_db(transaction=True)
def test_a_registration_refused_by_the_index_is_answered_409_and_leaves_nothing(world):
    service = make_service(fee="85")
    paid = register(world, service)
    applicant = person(world, last_name="Мельник")
    audit_before = AuditEvent.objects.count()

    error = _while_a_payment_is_uncommitted(
        paid, "r-9", lambda: register(world, service, applicant=applicant, payment=_pos("R-9"))
    )

    assert isinstance(error, Conflict) and error.status == 409 and error.code == "duplicate_receipt", error
    assert f"№ R-9 вже зареєстровано (звернення № {paid.number})" in error.message
    assert list(Case.objects.values_list("number", flat=True)) == [paid.number]
    assert CaseNumberCounter.objects.get(center=world.center_a).last_value == 1
    assert list(Payment.objects.values_list("case_id", "receipt_number")) == [(paid.pk, "r-9")]
    assert AuditEvent.objects.count() == audit_before
    assert verify_chain(f"center:{world.center_a.pk}") == []
    # the number the refused registration took is the next one's
    assert register(world, service, applicant=applicant, payment=_pos("R-10")).seq == 2


@pytest.mark.django_db(transaction=True)
def test_a_staff_payment_refused_by_the_index_is_answered_409(world):
    service = make_service(fee="85")
    paid, other = register(world, service), register(world, service)
    actor = Actor(user=world.admin_a)

    error = _while_a_payment_is_uncommitted(
        paid,
        "R-9",
        lambda: services.record_payment(other, method="pos", amount="85", receipt_number="R-9", actor=actor),
    )

    assert isinstance(error, Conflict) and error.code == "duplicate_receipt", error
    assert paid.number in error.message
    assert not other.payments.exists()
    assert not other.events.filter(action="payment_recorded").exists()


@pytest.mark.django_db(transaction=True)
def test_the_payments_room_alone_answers_the_index_409(world):
    """``payments.services.record_payment`` outside any transaction: its own transaction is lost, so it
    answers the refusal itself."""
    service = make_service(fee="85")
    paid, other = register(world, service), register(world, service)

    error = _while_a_payment_is_uncommitted(
        paid,
        "R-9",
        lambda: payments.record_payment(other, method="pos", amount="85", receipt_number="R-9", actor=None),
    )

    assert isinstance(error, Conflict) and error.code == "duplicate_receipt", error
    assert paid.number in error.message
    assert not other.payments.exists()


@pytest.mark.django_db
def test_other_database_refusals_are_not_taken_for_a_receipt(world):
    case = register(world, make_service(fee="85"))
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Payment.objects.create(
            case=case, center=world.center_a, region=world.r1, method="pos", amount=-1, paid_on=timezone.localdate()
        )
    assert violated_constraint(caught.value) == "payment_amount_non_negative"
    assert payments.receipt_refusal(caught.value, center_id=world.center_a.pk, method="pos", receipt_number="") is None


@pytest.mark.django_db
def test_an_exemption_or_an_empty_receipt_is_not_a_receipt(world):
    service = make_service(fee="85")
    first, second = register(world, service), register(world, service)
    for case in (first, second):  # the index counts neither
        Payment.objects.create(
            case=case,
            center=world.center_a,
            region=world.r1,
            method="exemption",
            amount=0,
            receipt_number="X-1",
            exemption_ground="ст. 38",
            paid_on=timezone.localdate(),
        )
        Payment.objects.create(
            case=case, center=world.center_a, region=world.r1, method="bank", amount=1, paid_on=timezone.localdate()
        )
    assert Payment.objects.count() == 4


# --- the migration: receipts already recorded twice are listed, never changed ---------------------------


@pytest.mark.django_db
def test_the_migration_lists_receipts_recorded_twice_and_stops(world):
    migration = importlib.import_module("vikno.payments.migrations.0005_receipt_recorded_once")
    editor = SimpleNamespace(connection=connection)
    service = make_service(fee="85")
    first, second, third = register(world, service), register(world, service), register(world, service)
    migration.refuse_receipts_recorded_twice(None, editor)  # nothing recorded twice: it passes

    with connection.cursor() as cursor:  # as a database from before the index (rolled back with the test)
        cursor.execute("DROP INDEX payment_receipt_once")
    for case, receipt in ((first, "R-1"), (second, "r-1"), (third, "R-2")):
        Payment.objects.create(
            case=case,
            center=world.center_a,
            region=world.r1,
            method="pos",
            amount=85,
            receipt_number=receipt,
            paid_on=timezone.localdate(),
        )
    with pytest.raises(CommandError) as refused:
        migration.refuse_receipts_recorded_twice(None, editor)
    message = str(refused.value)
    assert "1 receipt number(s) are recorded more than once" in message
    assert f"center {world.center_a.pk} (ЦНАП А), pos, receipt R-1: {first.number} (payment" in message
    assert f"{second.number} (payment" in message and third.number not in message
    assert "Nothing was changed" in message
    assert sorted(Payment.objects.values_list("receipt_number", flat=True)) == ["R-1", "R-2", "r-1"]
