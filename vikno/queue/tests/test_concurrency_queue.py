"""Real parallel connections: numbers are never shared, and a ticket is never called by two windows."""

from __future__ import annotations

from collections import Counter

import pytest

from vikno.queue import services
from vikno.queue.models import Ticket, TicketCounter, VisitEvent
from vikno.testing.fixtures import make_user
from vikno.testing.parallel import run_together

from .core_factories import make_queue, make_workplace, open_always

TICKETS = 30
WINDOWS = 5
WAITING = 20


@pytest.mark.django_db(transaction=True)
def test_thirty_tickets_at_once_get_numbers_one_to_thirty(world):
    open_always(world.office_a)
    queue = make_queue(world.office_a)
    other = make_queue(world.office_a, "С")

    errors = run_together(
        [lambda: services.issue_ticket(queue) for _ in range(TICKETS)] + [lambda: services.issue_ticket(other)]
    )

    assert errors == []
    numbers = sorted(Ticket.objects.filter(queue=queue).values_list("number", flat=True))
    assert numbers == list(range(1, TICKETS + 1))
    assert len(set(Ticket.objects.filter(queue=queue).values_list("code", flat=True))) == TICKETS
    assert TicketCounter.objects.get(queue=queue).last_value == TICKETS
    assert list(Ticket.objects.filter(queue=other).values_list("number", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_five_windows_calling_at_once_never_call_a_ticket_twice(world):
    open_always(world.office_a)
    queue = make_queue(world.office_a)
    tickets = [services.issue_ticket(queue) for _ in range(WAITING)]
    desks = []
    for i in range(1, WINDOWS + 1):
        user = make_user(f"operator_{i}", "administrator", center=world.center_a)
        window = make_workplace(world.office_a, f"Вікно {i}", queue)
        services.open_session(window, user)
        desks.append((window, user))
    served: dict[str, list[int]] = {window.name: [] for window, _ in desks}

    def operator(window, user):
        def work():
            while (ticket := services.call_next(window, user)) is not None:
                served[window.name].append(ticket.pk)
                services.start_service(ticket, user)
                services.finish_service(ticket, user)

        return work

    errors = run_together([operator(window, user) for window, user in desks])

    assert errors == []
    called = [pk for pks in served.values() for pk in pks]
    assert sorted(called) == sorted(t.pk for t in tickets)
    calls = Counter(VisitEvent.objects.filter(kind="called").values_list("ticket_id", flat=True))
    assert len(calls) == WAITING and set(calls.values()) == {1}
    assert set(Ticket.objects.values_list("status", flat=True)) == {"done"}
    # More than one window took part (they really ran side by side).
    assert sum(1 for pks in served.values() if pks) > 1
