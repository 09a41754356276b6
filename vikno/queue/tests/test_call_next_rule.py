"""The call rule: transferred to this window first, then priority categories, then the work profile, then
``order_at`` (booked tickets at their booked time among walk-ins)."""

from __future__ import annotations

import pytest

from vikno.queue import services

from .core_factories import at, issue, make_queue, make_workplace, open_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world):
    open_workdays(world.office_a)
    return world.office_a


def _drain(workplace, user, minute=30):
    """Call and finish until nobody is left; the codes in call order."""
    codes = []
    while True:
        ticket = services.call_next(workplace, user, now=at(11, minute))
        if ticket is None:
            return codes
        codes.append(ticket.code)
        services.start_service(ticket, user, now=at(11, minute))
        services.finish_service(ticket, user, now=at(11, minute))


def test_priority_before_walk_ins_and_booked_time_among_walk_ins(world, office):
    queue = make_queue(office)
    window = make_workplace(office, "Вікно 1", queue)
    issue(queue, now=at(9, 50))  # Р-001
    issue(queue, now=at(9, 52), source="booking", order_at=at(10, 0))  # Р-002 booked for 10:00
    issue(queue, now=at(9, 58))  # Р-003 came before 10:00
    issue(queue, now=at(10, 5))  # Р-004 came after 10:00
    issue(queue, now=at(10, 6), priority="pregnant")  # Р-005
    services.open_session(window, world.admin_a, now=at(10, 10))
    assert _drain(window, world.admin_a) == ["Р-005", "Р-001", "Р-003", "Р-002", "Р-004"]


def test_profile_order_then_time(world, office):
    first_q, second_q = make_queue(office, "Р"), make_queue(office, "А")
    window = make_workplace(office, "Вікно 1", first_q, second_q)
    issue(second_q, now=at(9))  # А-001, long waiting but in the second queue of the profile
    issue(first_q, now=at(9, 30))  # Р-001
    issue(second_q, now=at(9, 40), priority="veteran")  # А-002: priority beats the profile
    services.open_session(window, world.admin_a, now=at(10))
    assert _drain(window, world.admin_a) == ["А-002", "Р-001", "А-001"]


def test_transferred_to_this_window_first_and_only_here(world, office):
    queue = make_queue(office)
    w1 = make_workplace(office, "Вікно 1", queue)
    w2 = make_workplace(office, "Вікно 2", queue)
    w3 = make_workplace(office, "Вікно 3")  # serves no queue: only what is sent to it
    early = issue(queue, now=at(9))
    urgent = issue(queue, now=at(9, 1), priority="infant")
    moved = issue(queue, now=at(9, 30))
    services.open_session(w1, world.admin_a, now=at(10))
    services.open_session(w2, world.head_a, now=at(10))
    # The operator at window 1 sends the 9:30 visitor to window 2.
    services.transfer(moved, world.admin_a, to_workplace=w2, now=at(10, 1))
    assert services.call_next(w2, world.head_a, now=at(10, 2)) == moved
    services.mark_no_show(moved, world.head_a, now=at(10, 3))
    assert services.call_next(w1, world.admin_a, now=at(10, 4)) == urgent
    # A ticket transferred to window 3 is not called by window 2 but is by window 3 despite its profile.
    services.transfer(urgent, world.admin_a, to_workplace=w3, now=at(10, 5))
    assert services.call_next(w2, world.head_a, now=at(10, 6)) == early
    services.open_session(w3, world.sysadmin, now=at(10, 7))
    assert services.call_next(w3, world.sysadmin, now=at(10, 8)) == urgent


def test_empty_line_returns_none_and_changes_nothing(world, office):
    queue = make_queue(office)
    window = make_workplace(office, "Вікно 1", queue)
    services.open_session(window, world.admin_a, now=at(10))
    assert services.call_next(window, world.admin_a, now=at(10, 1)) is None


@pytest.mark.django_db
def test_yesterdays_waiting_tickets_are_not_called_and_are_closed_at_night(world):
    from datetime import timedelta

    from vikno.queue.models import Ticket, VisitEvent
    from vikno.queue.tests.core_factories import at, issue, make_queue, make_workplace, open_always

    open_always(world.office_a)
    queue = make_queue(world.office_a, "Ж")
    window = make_workplace(world.office_a, "Вікно 9", queue)
    old = issue(queue, now=at(17, day=24))
    services.open_session(window, world.admin_a, now=at(9))
    fresh = issue(queue, now=at(9, 5))
    assert services.call_next(window, world.admin_a, now=at(9, 10)) == fresh
    assert services.close_stale_tickets(now=at(9, 15)) == 1
    assert Ticket.objects.get(pk=old.pk).status == "cancelled"
    assert VisitEvent.objects.filter(ticket=old, kind="cancelled").exists()
    assert services.close_stale_tickets(now=at(9, 16)) == 0
    assert timedelta(0) <= at(9, 16) - at(9, 15)
