"""«My ticket»: people ahead by the call rule and the estimated wait from the open windows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from vikno.core.errors import NotFound
from vikno.queue import services

from .core_factories import at, issue, make_queue, make_workplace, open_workdays

pytestmark = pytest.mark.django_db


def test_people_ahead_and_wait(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a, service_minutes=10)
    other = make_queue(world.office_a, "С")
    w1 = make_workplace(world.office_a, "Вікно 1", queue)
    w2 = make_workplace(world.office_a, "Вікно 2", queue, other)
    first = issue(queue, now=at(9))
    second = issue(queue, now=at(9, 1))
    issue(other, now=at(9, 2))
    third = issue(queue, now=at(9, 3))
    urgent = issue(queue, now=at(9, 4), priority="disability")

    # Nobody at a window: one service time at least, and the whole line at one per service time.
    assert services.position_of(first) == (1, 10)  # the priority ticket is ahead
    assert services.position_of(urgent) == (0, 10)
    assert services.position_of(third) == (3, 30)

    services.open_session(w1, world.admin_a, now=at(9, 5))
    assert services.position_of(third) == (3, 30)
    services.open_session(w2, world.head_a, now=at(9, 5))
    assert services.position_of(third) == (3, 15)
    assert services.position_of(urgent) == (0, 0)

    called = services.call_next(w1, world.admin_a, now=at(9, 6))
    assert called == urgent
    assert services.position_of(urgent) == (0, 0)
    assert services.position_of(second) == (1, 5)


def test_ticket_status_by_token(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a, name="Реєстрація")
    ticket = issue(queue)
    status = services.ticket_status(ticket.token)
    assert status["code"] == "Р-001" and status["status"] == "waiting" and status["queue"] == "Реєстрація"
    assert status["people_ahead"] == 0 and status["workplace"] is None
    with pytest.raises(NotFound):
        services.ticket_status("not-a-token")
    with pytest.raises(NotFound):
        services.ticket_status("")


def test_booked_ticket_is_placed_at_its_booked_time(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a)
    walk_in_before = issue(queue, now=at(9, 50))
    booked = issue(queue, now=at(9, 55), source="booking", order_at=at(10))
    walk_in_after = issue(queue, now=at(9, 56) + timedelta(minutes=5))
    assert services.position_of(booked)[0] == 1
    assert services.position_of(walk_in_after)[0] == 2
    assert services.position_of(walk_in_before)[0] == 0
