"""Property: after random new cases, decisions, withdrawals, reopenings and moved deadlines, ``refresh_dirty()``
leaves the service-timing roll-up equal to a direct computation over the cases."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vikno.cases.models import Case, Status
from vikno.reports import rollup
from vikno.reports.models import ServiceTimingRollup, bucket_of

from .factories import case, kyiv, version

START = date(2026, 3, 27)  # the window spans the change to summer time on 29 March
DAYS = 5
DECIDED = (Status.RESULT_READY, Status.ISSUED, Status.REFUSED, Status.REFUSAL_ISSUED)
CLOSED = (Status.ISSUED, Status.REFUSAL_ISSUED, Status.WITHDRAWN, Status.DISMISSED)
STATUSES = [Status.IN_PROGRESS, *DECIDED, Status.WITHDRAWN, Status.DISMISSED]

# minutes from filing to the decision: around every bucket edge, negative (bad data) and beyond 90 days
minutes_st = st.one_of(
    st.integers(-120, 48 * 60),
    st.sampled_from([0, 59, 60, 23 * 60 + 59, 24 * 60, 89 * 24 * 60 + 1439, 90 * 24 * 60, 120 * 24 * 60]),
    st.integers(0, 100 * 24 * 60),
)
new_case = st.tuples(
    st.just("case"),
    st.integers(0, 2),
    st.integers(0, 1),
    st.integers(0, DAYS - 1),
    st.integers(0, 23),
    st.one_of(st.none(), st.integers(-48, 24 * 30)),  # deadline: hours after filing
)
decide = st.tuples(st.just("decide"), st.integers(0, 50), st.sampled_from(STATUSES), minutes_st, st.booleans())
move_due = st.tuples(st.just("due"), st.integers(0, 50), st.one_of(st.none(), st.integers(-48, 24 * 120)))
operations = st.lists(st.one_of(new_case, decide, move_due), max_size=25)


def expected(center_ids) -> Counter:
    out: Counter = Counter()
    for c in Case.objects.filter(center_id__in=center_ids, status__in=DECIDED):
        at = c.result_ready_at or c.closed_at
        if at is None or (c.status in CLOSED and c.closed_at is None):
            continue
        key = (c.center_id, rollup.local_day(at), c.service_id, bucket_of((at - c.filed_at).total_seconds() / 3600))
        out[(*key, "decided")] += 1
        out[(*key, "on_time")] += c.due_at is None or at <= c.due_at
    return Counter({k: v for k, v in out.items() if v})


def stored(center_ids) -> Counter:
    out: Counter = Counter()
    for row in ServiceTimingRollup.objects.filter(center_id__in=center_ids):
        key = (row.center_id, row.day, row.service_id, row.hours_from)
        out[(*key, "decided")] += row.decided
        out[(*key, "on_time")] += row.on_time
    return Counter({k: v for k, v in out.items() if v})


@pytest.fixture
def places(world):
    return {
        "offices": [world.office_a, world.remote_a, world.office_b],
        "versions": [version("REG"), version("SOC")],
        "centers": [world.center_a.pk, world.center_b.pk],
    }


def _apply(op, places, made):
    kind, *args = op
    if kind == "case":
        office_no, version_no, day_no, hour, due_hours = args
        office = places["offices"][office_no]
        when = START + timedelta(days=day_no)
        filed = kyiv(when.year, when.month, when.day, hour)
        due = None if due_hours is None else filed + timedelta(hours=due_hours)
        made.append(case(office.center, office, places["versions"][version_no], filed, due_at=due))
    elif kind == "decide" and made:
        index, status, minutes, with_ready = args
        c = made[index % len(made)]
        at = c.filed_at + timedelta(minutes=minutes)
        c.status = status
        if status == Status.IN_PROGRESS:  # reopened: no decision, not closed
            c.result_ready_at = c.closed_at = None
        elif status in (Status.RESULT_READY, Status.REFUSED):
            c.result_ready_at, c.closed_at = at, None
        elif status in (Status.ISSUED, Status.REFUSAL_ISSUED):
            c.result_ready_at = at if with_ready else None
            c.closed_at = at + timedelta(hours=3)
        else:  # withdrawn or dismissed, possibly after a decision (result_ready_at kept)
            c.closed_at = at
        c.save()
    elif kind == "due" and made:
        index, hours = args
        c = made[index % len(made)]
        c.due_at = None if hours is None else c.filed_at + timedelta(hours=hours)
        c.save()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(operations, min_size=1, max_size=3))
def test_refreshed_timing_equals_a_direct_computation(places, django_capture_on_commit_callbacks, batches):
    with transaction.atomic():
        made: list[Case] = []
        for ops in batches:
            with django_capture_on_commit_callbacks(execute=True):
                for op in ops:
                    _apply(op, places, made)
            rollup.refresh_dirty()
            assert stored(places["centers"]) == expected(places["centers"])
        transaction.set_rollback(True)
