"""Property: after random inserts, changes and deletions of source rows, ``refresh_dirty()`` leaves roll-ups
equal to a direct computation over the source tables."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vikno.cases.models import Case, Consultation, Status
from vikno.orgs.models import Office
from vikno.payments.models import Payment
from vikno.queue.models import Rating, Ticket
from vikno.reports import rollup, store
from vikno.reports.models import DailyRollup, MonthlyRollup

from .factories import case, consultation, kyiv, payment, queue, rating, ticket, version

START = date(2026, 3, 27)  # the window spans the change to summer time on 29 March
DAYS = 5
STATUSES = [Status.ACCEPTED, Status.ISSUED, Status.REFUSED, Status.REFUSAL_ISSUED, Status.WITHDRAWN, Status.DISMISSED]
CODES = ["22012500", "22010300", "22010100", ""]

day_st = st.integers(0, DAYS - 1)
hour_st = st.integers(0, 23)
new_case = st.tuples(
    st.just("case"),
    st.integers(0, 2),
    st.integers(0, 1),
    day_st,
    hour_st,
    st.booleans(),
    st.sampled_from([None, Decimal("0"), Decimal("85.50")]),
)
change_status = st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(STATUSES), day_st, hour_st)
new_payment = st.tuples(
    st.just("payment"),
    st.integers(0, 50),
    day_st,
    st.sampled_from(["pos", "bank", "exemption"]),
    st.sampled_from(CODES),
    st.integers(0, 500),
)
drop_payment = st.tuples(st.just("drop_payment"), st.integers(0, 50))
new_consultation = st.tuples(st.just("consult"), st.integers(0, 1), day_st, hour_st, st.booleans())
move_consultation = st.tuples(st.just("move_consult"), st.integers(0, 50), day_st, hour_st)
new_ticket = st.tuples(st.just("ticket"), st.integers(0, 1), day_st, st.sampled_from(["done", "cancelled"]))
new_rating = st.tuples(
    st.just("rating"), st.integers(0, 1), day_st, hour_st, st.integers(1, 5), st.one_of(st.none(), st.integers(0, 10))
)
operations = st.lists(
    st.one_of(
        new_case, change_status, new_payment, drop_payment, new_consultation, move_consultation, new_ticket, new_rating
    ),
    max_size=25,
)


def _day(moment):
    return rollup.local_day(moment)


def expected_rollups(center_ids) -> Counter:
    """The figures computed directly, row by row, from the source tables."""
    out: Counter = Counter()
    offices = dict(Office.objects.values_list("pk", "kind"))
    for c in Case.objects.filter(center_id__in=center_ids).select_related("service__sphere"):
        key = (c.center_id, c.office_id, _day(c.filed_at), c.service.sphere.code)
        out[(*key, "cases_registered")] += 1
        out[(*key, "instant")] += c.instant
        out[(*key, "refused")] += c.status in (Status.REFUSED, Status.REFUSAL_ISSUED)
        out[(*key, "withdrawn")] += c.status == Status.WITHDRAWN
        out[(*key, "dismissed")] += c.status == Status.DISMISSED
        out[(*key, "mobile_cases")] += c.channel == "mobile"
        out[(*key, "paid_cases")] += bool(c.fee_amount and c.fee_amount > 0)
        if offices[c.office_id] == "mobile":
            out[(c.center_id, c.office_id, _day(c.filed_at), "", "mobile_visits")] = 1
        out[(c.center_id, None, _day(c.filed_at), "", "working_days")] = 1
        if c.status == Status.ISSUED and c.closed_at:
            out[(c.center_id, c.office_id, _day(c.closed_at), c.service.sphere.code, "results_issued")] += 1
    for p in Payment.objects.filter(center_id__in=center_ids).select_related("case__service__sphere"):
        key = (p.center_id, p.case.office_id, p.paid_on, p.case.service.sphere.code)
        out[(*key, f"payments_{p.method}")] += 1
        out[(*key, f"amount_{p.method}")] += p.amount
        side = "revenue_local" if p.budget_code in rollup.LOCAL_BUDGET_CODES else "revenue_state"
        out[(*key, side)] += 0 if p.method == "exemption" else p.amount
    for k in Consultation.objects.filter(center_id__in=center_ids).select_related("service__sphere"):
        sphere = k.service.sphere.code if k.service else ""
        out[(k.center_id, k.office_id, _day(k.at), sphere, "consultations")] += 1
    for t in Ticket.objects.filter(center_id__in=center_ids).exclude(status="cancelled"):
        out[(t.center_id, t.office_id, t.day, "", "tickets")] += 1
        out[(t.center_id, None, t.day, "", "working_days")] = 1
    for r in Rating.objects.filter(center_id__in=center_ids):
        key = (r.center_id, r.office_id, _day(r.created_at), "")
        out[(*key, "ratings_count")] += 1
        out[(*key, "ratings_satisfied")] += r.stars >= 4
        out[(*key, "ratings_recommend")] += r.recommend is not None
        out[(*key, "ratings_promoters")] += r.recommend is not None and r.recommend >= 9
        out[(*key, "ratings_detractors")] += r.recommend is not None and r.recommend <= 6
    return Counter({key: Decimal(value) for key, value in out.items() if value})


def stored_rollups(center_ids) -> Counter:
    rows = DailyRollup.objects.filter(center_id__in=center_ids).values_list(
        "center_id", "office_id", "day", "sphere_code", "metric", "value"
    )
    return Counter({tuple(row[:5]): row[5] for row in rows})


@pytest.fixture
def places(world):
    mobile = Office.objects.create(center=world.center_a, kind="mobile", name="Мобільний ЦНАП А")
    return {
        "offices": [world.office_a, mobile, world.office_b],
        "versions": [version("REG"), version("SOC")],
        "queues": [queue(world.office_a), queue(world.office_b)],
        "centers": [world.center_a.pk, world.center_b.pk],
    }


def _apply(op, places, made):
    kind, *args = op
    offices, versions = places["offices"], places["versions"]
    if kind == "case":
        office_no, version_no, day_no, hour, instant, fee = args
        office = offices[office_no]
        when = START + timedelta(days=day_no)
        made["cases"].append(
            case(
                office.center,
                office,
                versions[version_no],
                kyiv(when.year, when.month, when.day, hour),
                instant=instant,
                fee_amount=fee,
                channel="mobile" if office.kind == "mobile" else "main",
            )
        )
    elif kind == "status" and made["cases"]:
        index, status, day_no, hour = args
        c = made["cases"][index % len(made["cases"])]
        when = START + timedelta(days=day_no)
        c.status = status
        c.closed_at = kyiv(when.year, when.month, when.day, hour) if status != Status.ACCEPTED else None
        c.save()
    elif kind == "payment" and made["cases"]:
        index, day_no, method, code, amount = args
        c = made["cases"][index % len(made["cases"])]
        amount = Decimal(0) if method == "exemption" else Decimal(amount)
        made["payments"].append(payment(c, START + timedelta(days=day_no), amount, method=method, budget_code=code))
    elif kind == "drop_payment" and made["payments"]:
        made["payments"].pop(args[0] % len(made["payments"])).delete()
    elif kind == "consult":
        office_no, day_no, hour, with_service = args
        office = offices[2 * office_no]
        when = START + timedelta(days=day_no)
        made["consultations"].append(
            consultation(
                office.center,
                office,
                kyiv(when.year, when.month, when.day, hour),
                versions[0] if with_service else None,
            )
        )
    elif kind == "move_consult" and made["consultations"]:
        index, day_no, hour = args
        k = made["consultations"][index % len(made["consultations"])]
        when = START + timedelta(days=day_no)
        k.at = kyiv(when.year, when.month, when.day, hour)
        k.save()
    elif kind == "ticket":
        queue_no, day_no, status = args
        ticket(places["queues"][queue_no], START + timedelta(days=day_no), status=status)
    elif kind == "rating":
        office_no, day_no, hour, stars, recommend = args
        when = START + timedelta(days=day_no)
        rating(offices[2 * office_no], kyiv(when.year, when.month, when.day, hour), stars, recommend)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(operations, min_size=1, max_size=3))
def test_refreshed_rollups_equal_a_direct_computation(places, django_capture_on_commit_callbacks, batches):
    with transaction.atomic():
        made = {"cases": [], "payments": [], "consultations": []}
        for ops in batches:
            with django_capture_on_commit_callbacks(execute=True):
                for op in ops:
                    _apply(op, places, made)
            rollup.refresh_dirty()
            assert stored_rollups(places["centers"]) == expected_rollups(places["centers"])
        check_range_months_and_totals(places["centers"])
        transaction.set_rollback(True)


def check_range_months_and_totals(centers) -> None:
    """The one-statement period rebuild writes what the center-day rebuilds wrote; the monthly roll-ups
    are the sums of the daily ones; ``store.totals`` of any period equals summing the daily rows."""
    daily = stored_rollups(centers)
    rollup.rebuild_range(START - timedelta(days=2), START + timedelta(days=DAYS + 1), centers)
    assert stored_rollups(centers) == daily

    months: Counter = Counter()
    for (center, _office, day, _sphere, metric), value in daily.items():
        months[(center, day.replace(day=1), metric)] += value
    stored = MonthlyRollup.objects.filter(center_id__in=centers).values_list("center_id", "month", "metric", "value")
    assert Counter({row[:3]: row[3] for row in stored}) == +months

    periods = [(START, START + timedelta(days=DAYS - 1)), (date(2026, 3, 1), date(2026, 4, 30)),
               (date(2026, 3, 28), date(2026, 4, 1)), (date(2026, 2, 1), date(2026, 3, 31))]  # fmt: skip
    for first, last in periods:
        direct: dict = {}
        for (center, _office, day, _sphere, metric), value in daily.items():
            if first <= day <= last:
                direct.setdefault(center, Counter())[metric] += value
        assert store.totals(first, last, centers=centers) == {c: dict(+m) for c, m in direct.items() if +m}
