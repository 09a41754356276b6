"""Property: the queue metrics of the roll-ups equal the queue KPIs computed directly from the visit events
by ``vikno/queue/kpi.py`` (per office and local day), after events are added in several batches and the
nightly closing cancels the tickets left waiting (a bulk update the visit-event receiver must catch)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vikno.queue import kpi
from vikno.queue import services as queue_services
from vikno.queue.models import OperatorSession, Queue, Ticket, VisitEvent, Workplace
from vikno.reports import rollup
from vikno.reports.models import DailyRollup

from .factories import kyiv, queue, ticket

START = date(2026, 3, 27)  # spans the change to summer time on 29 March
DAYS = 4
METRICS = (
    "tickets_issued",
    "tickets_called",
    "wait_seconds_sum",
    "tickets_within_target",
    "tickets_abandoned",
    "tickets_no_show",
    "tickets_served",
    "service_intervals",
    "service_seconds_sum",
)

# What happens after the ticket is issued: (kind, seconds after the previous step).
step = st.tuples(
    st.sampled_from(["called", "recalled", "no_show", "started", "finished", "transferred", "parked", "returned"]),
    st.integers(0, 2400),
)
visit_st = st.tuples(st.integers(0, 1), st.integers(0, DAYS - 1), st.integers(8, 23), st.lists(step, max_size=6))
later_st = st.tuples(st.integers(0, 50), step)


def stored(center_id) -> Counter:
    rows = DailyRollup.objects.filter(center_id=center_id, metric__in=METRICS).values_list(
        "office_id", "day", "metric", "value"
    )
    return Counter({tuple(row[:3]): row[3] for row in rows})


def direct(center_id, offices) -> Counter:
    """The same figures from kpi.compute (one office and local day at a time) and the event rows."""
    out: Counter = Counter()
    now = kyiv(2026, 4, 10, 12)
    for office in offices:
        events = VisitEvent.objects.filter(center_id=center_id, ticket__office=office)
        for n in range(DAYS + 1):
            day = START + timedelta(days=n)
            start, end = kpi.day_bounds(day, day)
            total, lines, *_ = kpi.compute(
                events, OperatorSession.objects.none(), Queue.objects.all(), Workplace.objects.none(), start, end, now
            )
            key = (office.pk, day)
            out[(*key, "tickets_issued")] += total.tickets
            out[(*key, "tickets_called")] += total.called
            out[(*key, "wait_seconds_sum")] += round(total.wait_seconds)
            out[(*key, "tickets_within_target")] += sum(line.within_target for line in lines)
            out[(*key, "tickets_abandoned")] += sum(line.level_base for line in lines) - total.called
            out[(*key, "tickets_no_show")] += total.no_shows
            out[(*key, "service_intervals")] += total.services
            out[(*key, "service_seconds_sum")] += round(total.service_seconds)
    finished = defaultdict(set)
    for ticket_id, office_id, day in VisitEvent.objects.filter(center_id=center_id, kind="finished").values_list(
        "ticket_id", "ticket__office_id", "ticket__day"
    ):
        finished[(office_id, day)].add(ticket_id)
    for (office_id, day), tickets in finished.items():
        out[(office_id, day, "tickets_served")] += len(tickets)
    return Counter({key: value for key, value in out.items() if value})


@pytest.fixture
def places(world):
    queues = [queue(world.office_a), queue(world.remote_a)]
    Queue.objects.filter(pk=queues[0].pk).update(target_wait_minutes=10)
    return {"center": world.center_a, "offices": [world.office_a, world.remote_a], "queues": queues}


def _event(t: Ticket, kind: str, at: datetime) -> None:
    VisitEvent.objects.create(ticket=t, queue=t.queue, center_id=t.center_id, region_id=t.region_id, kind=kind, at=at)


def _visit(places, spec, made) -> None:
    queue_no, day_no, hour, steps = spec
    day = START + timedelta(days=day_no)
    t = ticket(places["queues"][queue_no], day, status="waiting")
    at = kyiv(day.year, day.month, day.day, hour, 17)
    _event(t, "issued", at)
    for kind, seconds in steps:
        at += timedelta(seconds=seconds)
        _event(t, kind, at)
    made.append((t, at))


def _later(op, made) -> None:
    index, (kind, seconds) = op
    t, last = made[index % len(made)]
    at = last + timedelta(seconds=seconds)
    _event(t, kind, at)
    made[index % len(made)] = (t, at)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(visits=st.lists(visit_st, min_size=1, max_size=12), later=st.lists(later_st, max_size=8))
def test_queue_rollups_equal_the_kpi_computation(places, django_capture_on_commit_callbacks, visits, later):
    center_id = places["center"].pk
    with transaction.atomic():
        made: list = []
        with django_capture_on_commit_callbacks(execute=True):
            for spec in visits:
                _visit(places, spec, made)
        rollup.refresh_dirty()
        assert stored(center_id)[(made[0][0].office_id, made[0][0].day, "tickets_issued")] >= 1
        assert stored(center_id) == direct(center_id, places["offices"])

        with django_capture_on_commit_callbacks(execute=True):
            for op in later:
                _later(op, made)
            # the nightly closing: a bulk update of the tickets plus one «cancelled» event each
            queue_services.close_stale_tickets(now=kyiv(2026, 4, 5, 1))
        rollup.refresh_dirty()
        assert stored(center_id) == direct(center_id, places["offices"])
        transaction.set_rollback(True)
