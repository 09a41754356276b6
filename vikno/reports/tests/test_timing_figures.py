"""Service timing on a hand-made data set: the exact medians, 90th percentiles and on-time shares, the
cases that do not count, the local decision day, and the overdue and late lists."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from vikno.cases.models import Status
from vikno.core.errors import DomainError, NotFound
from vikno.reports import rollup, timing
from vikno.reports.models import ServiceTimingRollup, bucket_of, bucket_upper

from .factories import case, kyiv, version

DAY = date(2026, 2, 10)
H = timedelta(hours=1)
D = timedelta(days=1)


def decided(world, ver, duration, *, status=Status.ISSUED, late=False, due=True, at=None, ready=True, center=None):
    """A case filed ``duration`` before ``at`` (default 10 Feb 2026 12:00 Kyiv), ready then (closed two hours
    later if issued); due an hour before the decision when ``late``, else an hour after (``due=False``: none)."""
    at = at or kyiv(2026, 2, 10, 12)
    office = world.office_b if center is world.center_b else world.office_a
    closed = at + 2 * H if status in (Status.ISSUED, Status.REFUSAL_ISSUED) else None
    moment = at if ready else closed  # the decision: result ready, else the closing
    return case(
        office.center,
        office,
        ver,
        at - duration,
        status=status,
        closed_at=closed,
        result_ready_at=at if ready else None,
        due_at=(moment - H if late else moment + H) if due else None,
    )


@pytest.fixture
def data(world, django_capture_on_commit_callbacks):
    reg = version("REG", "Реєстрація")
    soc = version("SOC", "Соціальний захист")
    with django_capture_on_commit_callbacks(execute=True):
        # REG: ten cases, buckets 0, 2, 5, 22, 24, 72, 72, 144, 288, 2160 hours; three late.
        decided(world, reg, 30 * timedelta(minutes=1), status=Status.RESULT_READY, due=False)
        decided(world, reg, 2 * H + 30 * timedelta(minutes=1), status=Status.REFUSED)
        decided(world, reg, 5 * H, status=Status.REFUSAL_ISSUED)
        decided(world, reg, 20 * H, ready=False)  # no result_ready_at: closed 2 h later, 22 h counts
        decided(world, reg, 27 * H)
        decided(world, reg, 3 * D + 2 * H)
        decided(world, reg, 3 * D + 5 * H, late=True)
        decided(world, reg, 6 * D)
        decided(world, reg, 12 * D, late=True)
        decided(world, reg, 95 * D, late=True, status=Status.RESULT_READY)
        # SOC: three cases, buckets 1, 1, 2160 hours; one late.
        decided(world, soc, H)
        decided(world, soc, H + 59 * timedelta(minutes=1))
        decided(world, soc, 100 * D, late=True)
        # Not counted: withdrawn or dismissed after the decision, still open, another day, another center.
        decided(world, reg, 2 * H, status=Status.WITHDRAWN)
        decided(world, reg, 2 * H, status=Status.DISMISSED)
        case(world.center_a, world.office_a, reg, kyiv(2026, 2, 9, 9), status=Status.IN_PROGRESS)
        decided(world, reg, 2 * H, at=kyiv(2026, 2, 9, 23, 30))  # 9 Feb local
        decided(world, reg, 2 * H, at=kyiv(2026, 2, 11, 0, 30))  # 10 Feb in UTC, 11 Feb in Kyiv
        decided(world, reg, 2 * H, center=world.center_b)
    rollup.refresh_dirty()
    return {"reg": reg.service, "soc": soc.service}


def test_buckets():
    assert [bucket_of(h) for h in (-2, 0, 0.99, 1, 23.99, 24, 47.9, 48, 2159.9, 2160, 10_000)] == [
        0,
        0,
        0,
        1,
        23,
        24,
        24,
        48,
        2136,
        2160,
        2160,
    ]
    assert [bucket_upper(b) for b in (0, 23, 24, 2136, 2160)] == [1, 24, 48, 2160, None]


def test_percentiles_are_nearest_rank_upper_bounds():
    assert timing.percentile({}, 50) is None
    assert timing.percentile({5: 1}, 50) == timing.Quantile(5, 6)
    assert timing.percentile({1: 1, 24: 1}, 50) == timing.Quantile(1, 2)  # rank ceil(1) = 1
    assert timing.percentile({1: 1, 24: 1}, 90) == timing.Quantile(24, 48)
    assert timing.percentile({2160: 3}, 90) == timing.Quantile(2160, None)


def test_exact_figures_per_service_and_in_total(data, world):
    report = timing.service_timing(world.head_a, world.center_a.pk, DAY, DAY)
    reg, soc = report.services  # most decided first
    assert reg.service_id == data["reg"].pk and soc.service_id == data["soc"].pk
    assert (reg.decided, reg.on_time, reg.late, reg.on_time_share) == (10, 7, 3, Decimal("70.0"))
    assert reg.median == timing.Quantile(24, 48)  # 5th of 10: 27 h → within 2 days
    assert reg.p90 == timing.Quantile(288, 312)  # 9th of 10: 12 days → within 13 days
    assert (soc.decided, soc.on_time, soc.on_time_share) == (3, 2, Decimal("66.7"))
    assert soc.median == timing.Quantile(1, 2)  # 2nd of 3: 1 h 59 min → within 2 hours
    assert soc.p90 == timing.Quantile(2160, None)  # 3rd of 3: 100 days → 90 days or more
    total = report.total
    assert (total.decided, total.on_time, total.on_time_share) == (13, 9, Decimal("69.2"))
    assert total.median == timing.Quantile(24, 48)  # 7th of 13
    assert total.p90 == timing.Quantile(2160, None)  # 12th of 13
    assert not report.is_empty


def test_the_local_decision_day_counts(data, world):
    assert timing.service_timing(world.head_a, world.center_a.pk, date(2026, 2, 9), date(2026, 2, 9)).total.decided == 1
    assert (
        timing.service_timing(world.head_a, world.center_a.pk, date(2026, 2, 11), date(2026, 2, 11)).total.decided == 1
    )
    month = timing.service_timing(world.head_a, world.center_a.pk, date(2026, 2, 1), date(2026, 2, 28))
    assert month.total.decided == 15
    empty = timing.service_timing(world.head_a, world.center_a.pk, date(2026, 3, 1), date(2026, 3, 31))
    assert empty.is_empty and empty.services == [] and empty.total.median is None
    assert empty.total.on_time_share is None


def test_reading_needs_no_case_scan(data, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the center, the roll-up, the service names
        timing.service_timing(world.monitor_1, world.center_a.pk, DAY, DAY)


def test_a_withdrawal_after_the_decision_removes_the_case(data, world, django_capture_on_commit_callbacks):
    ready = ServiceTimingRollup.objects.filter(day=DAY, hours_from=0, service=data["reg"]).get()
    assert (ready.decided, ready.on_time) == (1, 1)
    from vikno.cases.models import Case

    with django_capture_on_commit_callbacks(execute=True):
        c = Case.objects.get(status=Status.RESULT_READY, due_at__isnull=True)
        c.status, c.closed_at = Status.WITHDRAWN, kyiv(2026, 2, 12, 9)
        c.save()
    rollup.refresh_dirty()
    assert not ServiceTimingRollup.objects.filter(day=DAY, hours_from=0, service=data["reg"]).exists()
    assert timing.service_timing(world.head_a, world.center_a.pk, DAY, DAY).total.decided == 12


def test_period_and_scope_are_checked(data, world):
    with pytest.raises(DomainError) as error:
        timing.service_timing(world.head_a, world.center_a.pk, date(2026, 3, 1), date(2026, 2, 1))
    assert error.value.code == "period_inverted" and error.value.status == 400
    with pytest.raises(DomainError) as error:
        timing.service_timing(world.head_a, world.center_a.pk, None, DAY)
    assert error.value.code == "period_missing"
    with pytest.raises(NotFound):
        timing.service_timing(world.head_a, world.center_b.pk, DAY, DAY)
    with pytest.raises(NotFound):
        timing.service_timing(world.monitor_1, world.center_b.pk, DAY, DAY)
    with pytest.raises(NotFound):
        timing.service_timing(world.officer_a, world.center_a.pk, DAY, DAY)
    with pytest.raises(NotFound):
        timing.overdue_cases(world.admin_a, world.center_b.pk)
    assert timing.service_timing(world.sysadmin, world.center_b.pk, DAY, DAY).total.decided == 1


def test_late_cases_in_the_period(data, world):
    page = timing.late_cases(world.head_a, world.center_a.pk, DAY, DAY)
    assert page.total == 4 and page.next_offset is None
    # latest first: due an hour before the decision for all four, so ties go by id
    assert [row.late_by for row in page.items] == [H] * 4
    assert {row.service_code for row in page.items} == {data["reg"].code, data["soc"].code}
    assert all(row.decided_at == kyiv(2026, 2, 10, 12) for row in page.items)
    second = timing.late_cases(world.head_a, world.center_a.pk, DAY, DAY, limit=3, offset=3)
    assert len(second.items) == 1 and second.total == 4 and second.next_offset is None
    assert timing.late_cases(world.head_a, world.center_a.pk, DAY, DAY, limit=3).next_offset == 3


def test_overdue_open_cases_most_overdue_first(world):
    ver = version()
    now = kyiv(2026, 4, 20, 12)
    made = {}
    for name, hours, fields in [
        ("two_days", 48, {}),
        ("one_hour", 1, {}),
        ("ten_days", 240, {"status": Status.NEEDS_CLARIFICATION}),
        ("suspended", 500, {"suspended_since": kyiv(2026, 4, 1, 9)}),
        ("decided", 500, {"status": Status.RESULT_READY, "result_ready_at": kyiv(2026, 4, 19, 9)}),
        ("not_yet", -5, {}),
    ]:
        fields.setdefault("status", Status.IN_PROGRESS)
        made[name] = case(world.center_a, world.office_a, ver, kyiv(2026, 3, 1, 9), due_at=now - hours * H, **fields)
    case(world.center_b, world.office_b, ver, kyiv(2026, 3, 1, 9), status=Status.IN_PROGRESS, due_at=now - 900 * H)
    page = timing.overdue_cases(world.admin_a, world.center_a.pk, now=now)
    assert [row.number for row in page.items] == [made[n].number for n in ("ten_days", "two_days", "one_hour")]
    assert [row.late_days for row in page.items] == [10, 2, 0]
    assert page.items[0].late_by == 240 * H and page.total == 3
    first = timing.overdue_cases(world.admin_a, world.center_a.pk, now=now, limit=2)
    assert len(first.items) == 2 and first.next_offset == 2 and first.total == 3
    with pytest.raises(DomainError):
        timing.overdue_cases(world.admin_a, world.center_a.pk, now=now, limit=0)
    with pytest.raises(DomainError):
        timing.overdue_cases(world.admin_a, world.center_a.pk, now=now, limit=500)
    with pytest.raises(DomainError):
        timing.overdue_cases(world.admin_a, world.center_a.pk, now=now, offset=-1)
    with pytest.raises(DomainError):
        timing.overdue_cases(world.admin_a, world.center_a.pk, now=now, offset="x")
