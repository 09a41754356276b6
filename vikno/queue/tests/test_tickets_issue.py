"""Tickets are numbered per queue per local day, coded «Р-001», and refused while the office is closed."""

from __future__ import annotations

import pytest

from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.queue import services
from vikno.queue.models import Ticket, TicketCounter, VisitEvent

from .core_factories import at, issue, make_queue, open_always, open_workdays

pytestmark = pytest.mark.django_db


def test_numbers_codes_and_issue_event(world):
    open_workdays(world.office_a)
    registration = make_queue(world.office_a, "Р")
    social = make_queue(world.office_a, "С")

    first, second = issue(registration), issue(registration, priority="veteran")
    other = issue(social, now=at(10, 5))

    assert (first.number, first.code, second.code, other.code) == (1, "Р-001", "Р-002", "С-001")
    assert first.day.isoformat() == "2026-11-25"
    assert first.status == Ticket.Status.WAITING and first.order_at == first.issued_at == at(10)
    assert second.priority == "veteran"
    assert len({first.token, second.token, other.token}) == 3 and len(first.token) >= 20
    assert (first.center_id, first.region_id, first.office_id) == (world.center_a.pk, world.r1.pk, world.office_a.pk)
    event = VisitEvent.objects.get(ticket=first)
    assert (event.kind, event.at, event.queue_id, event.center_id) == (
        "issued",
        at(10),
        registration.pk,
        world.center_a.pk,
    )
    # A kiosk ticket is not a staff action: no audit record.
    assert not AuditEvent.objects.filter(action="queue.ticket_issued").exists()


def test_numbers_restart_on_the_local_day(world):
    open_always(world.office_a)
    queue = make_queue(world.office_a)
    # 23:30 and 00:30 Kyiv time are the same UTC date (21:30 and 22:30 UTC) but different local days.
    late = issue(queue, now=at(23, 30, day=25))
    early = issue(queue, now=at(0, 30, day=26))
    assert (late.day.day, late.number, early.day.day, early.number) == (25, 1, 26, 1)
    assert TicketCounter.objects.filter(queue=queue).count() == 2


def test_closed_office_refuses_without_a_trace(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a)
    with pytest.raises(Conflict) as saturday:
        issue(queue, now=at(11, day=28))
    assert saturday.value.code == "office_closed"
    assert "зачинено" in saturday.value.message and "не працює" in saturday.value.message
    with pytest.raises(Conflict) as evening:
        issue(queue, now=at(19))
    assert "08:00–17:00" in evening.value.message
    assert not Ticket.objects.exists() and not TicketCounter.objects.exists() and not VisitEvent.objects.exists()
    # The first ticket of the day, once open, is still number 1.
    assert issue(queue, now=at(8)).number == 1


def test_office_without_hours_counts_as_closed(world):
    queue = make_queue(world.remote_a)
    with pytest.raises(Conflict):
        issue(queue)


def test_bad_input(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a)
    with pytest.raises(DomainError) as priority:
        issue(queue, priority="vip")
    assert priority.value.field == "priority"
    with pytest.raises(DomainError):
        issue(queue, source="fax")
    with pytest.raises(DomainError):
        issue(queue, language="українська")
    services.update_queue(queue, is_active=False, actor=Actor(user=world.head_a))
    with pytest.raises(Conflict) as inactive:
        issue(queue)
    assert inactive.value.code == "queue_inactive"
    assert not Ticket.objects.exists()


def test_staff_issue_is_audited_and_scoped(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a)
    ticket = issue(queue, source="staff", actor=Actor(user=world.admin_a))
    assert AuditEvent.objects.filter(action="queue.ticket_issued", object_id=str(ticket.pk)).exists()
    assert VisitEvent.objects.get(ticket=ticket).user_id == world.admin_a.pk
    with pytest.raises(NotFound):
        issue(queue, source="staff", actor=Actor(user=world.admin_b))
    with pytest.raises(PermissionDenied):
        issue(queue, source="staff", actor=Actor(user=world.monitor_1))
    assert Ticket.objects.count() == 1
