"""Sessions at windows: one per window and per operator, clear refusals, calls only at an open window."""

from __future__ import annotations

import pytest

from vikno.core.errors import Conflict, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.queue import services
from vikno.queue.models import OperatorSession, Ticket, VisitEvent
from vikno.testing.fixtures import make_user

from .core_factories import at, issue, make_queue, make_workplace, open_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a)
    return queue, make_workplace(world.office_a, "Вікно 1", queue), make_workplace(world.office_a, "Вікно 2", queue)


def test_open_and_close(world, desk):
    _queue, w1, _w2 = desk
    session = services.open_session(w1, world.admin_a, now=at(9))
    assert services.open_session(w1, world.admin_a, now=at(9, 1)) == session  # opening again: same session
    assert services.current_session(w1) == session
    closed = services.close_session(w1, world.admin_a, now=at(12))
    assert closed.closed_at == at(12) and services.current_session(w1) is None
    assert services.close_session(w1, world.admin_a) is None
    assert AuditEvent.objects.filter(action__in=["queue.session_opened", "queue.session_closed"]).count() == 2


def test_one_session_per_window_and_per_operator(world, desk):
    _queue, w1, w2 = desk
    other = make_user("admin_a2", "administrator", center=world.center_a)
    services.open_session(w1, world.admin_a, now=at(9))
    with pytest.raises(Conflict) as taken:
        services.open_session(w1, other, now=at(9))
    assert taken.value.code == "workplace_taken" and "Вікно 1" in taken.value.message
    with pytest.raises(Conflict) as busy:
        services.open_session(w2, world.admin_a, now=at(9))
    assert busy.value.code == "operator_busy" and "Вікно 1" in busy.value.message
    assert OperatorSession.objects.filter(closed_at__isnull=True).count() == 1
    # Another administrator may not close it; the center's head may.
    with pytest.raises(PermissionDenied):
        services.close_session(w1, other)
    services.close_session(w1, world.head_a, now=at(10))


def test_call_at_a_closed_window_changes_nothing(world, desk):
    queue, w1, _w2 = desk
    ticket = issue(queue)
    with pytest.raises(Conflict) as closed:
        services.call_next(w1, world.admin_a, now=at(10, 1))
    assert closed.value.code == "workplace_closed" and "відкрийте" in closed.value.message
    ticket.refresh_from_db()
    assert ticket.status == "waiting" and ticket.call_count == 0
    assert list(VisitEvent.objects.values_list("kind", flat=True)) == ["issued"]


def test_no_call_at_a_window_switched_off_with_its_session_open(world, desk):
    queue, w1, _w2 = desk
    ticket = issue(queue)
    services.open_session(w1, world.admin_a, now=at(9))
    w1.is_active = False
    w1.save(update_fields=["is_active"])
    with pytest.raises(Conflict) as off:
        services.call_next(w1, world.admin_a, now=at(10, 1))
    assert off.value.code == "workplace_inactive"
    ticket.refresh_from_db()
    assert ticket.status == "waiting"
    assert services.close_session(w1, world.admin_a, now=at(10, 2)) is not None  # leaving it is possible


def test_call_by_someone_else_or_with_a_ticket_in_progress(world, desk):
    queue, w1, _w2 = desk
    issue(queue), issue(queue, now=at(10, 1))
    services.open_session(w1, world.admin_a, now=at(10, 2))
    with pytest.raises(Conflict) as foreign:
        services.call_next(w1, world.head_a, now=at(10, 3))
    assert foreign.value.code == "workplace_taken"
    first = services.call_next(w1, world.admin_a, now=at(10, 3))
    with pytest.raises(Conflict) as in_progress:
        services.call_next(w1, world.admin_a, now=at(10, 4))
    assert in_progress.value.code == "ticket_in_progress" and first.code in in_progress.value.message
    with pytest.raises(Conflict):
        services.close_session(w1, world.admin_a)
    assert Ticket.objects.filter(status="called").count() == 1


def test_scope_and_roles(world, desk):
    _queue, w1, _w2 = desk
    with pytest.raises(NotFound):
        services.open_session(w1, world.admin_b)
    with pytest.raises(NotFound):
        services.open_session(w1, world.officer_a)
    with pytest.raises(PermissionDenied):
        services.open_session(w1, world.monitor_1)
    assert not OperatorSession.objects.exists()
