"""Case numbers are unique per center and year with no gaps, even when many register at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from vikno.cases.models import Case, CaseNumberCounter
from vikno.core.audit import Actor, verify_chain
from vikno.core.models import AuditEvent

from .core_factories import make_service, person, register

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_get_numbers_one_to_n(world):
    service = make_service()
    applicant = person(world)
    other_center = person(world, world.center_b)
    barrier = threading.Barrier(THREADS + 2)
    errors: list[BaseException] = []

    def work(office, who, actor, with_new_applicant=False):
        try:
            barrier.wait(timeout=30)
            if with_new_applicant:
                # As the intake form does: a new applicant and the case in one transaction (the
                # applicant's audit record is written before the number is taken).
                with transaction.atomic():
                    who = person(world, office.center, actor=actor, last_name="Новенька")
                    register(world, service, applicant=who, office=office, actor=actor)
            else:
                register(world, service, applicant=who, office=office, actor=actor)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(world.office_a, applicant, Actor(user=world.admin_a), i % 2 == 0))
        for i in range(THREADS)
    ]
    # Two registrations in center B at the same moment have a counter of their own.
    threads += [
        threading.Thread(target=work, args=(world.office_b, other_center, Actor(user=world.admin_b))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    seqs = sorted(Case.objects.filter(center=world.center_a).values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS + 1))
    numbers = set(Case.objects.filter(center=world.center_a).values_list("number", flat=True))
    assert len(numbers) == THREADS
    assert sorted(Case.objects.filter(center=world.center_b).values_list("seq", flat=True)) == [1, 2]
    assert CaseNumberCounter.objects.get(center=world.center_a).last_value == THREADS
    # Each registration appends several audit records on its center's chain, all but the first from
    # the head its transaction already knows (vikno.core.audit.remember_head): the chains stay whole.
    for center in (world.center_a, world.center_b):
        chain = f"center:{center.pk}"
        assert (
            AuditEvent.objects.filter(chain=chain, action="case.registered").count()
            == Case.objects.filter(center=center).count()
        )
        assert verify_chain(chain) == []


@pytest.mark.django_db
def test_a_failed_registration_leaves_no_gap(world):
    service = make_service(instant=True, fee="40")
    paid_later = make_service()
    with pytest.raises(Exception):  # noqa: B017 — an unpaid instant service is refused
        register(world, service)
    first = register(world, paid_later)
    assert first.seq == 1
    assert first.number.endswith("-000001")
