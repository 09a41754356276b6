"""The oblast summary, the computed indicators and their scores, and a center's history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from vikno.core.errors import DomainError, NotFound
from vikno.core.models import AuditEvent
from vikno.monitoring import exports, services
from vikno.monitoring.models import IndicatorValue
from vikno.reports.models import DailyRollup
from vikno.testing.fixtures import make_user

from .helpers import actor, answers, make_indicator, make_questionnaire


@pytest.fixture
def t(db):
    return make_questionnaire()


def _submitted(world, t, center, user, period, **kw):
    return services.save_answers(center, t.questionnaire, period, answers(t, **kw), actor=actor(user), submit=True)


def _rollup(center, day, **metrics):
    for metric, value in metrics.items():
        DailyRollup.objects.create(
            center=center, region_id=center.region_id, day=day, metric=metric, value=Decimal(value)
        )


@pytest.fixture
def indicators(db):
    return {
        "refused": make_indicator(
            "refused", "refused_share", direction="lower", target=Decimal(2), threshold=Decimal(10), weight=1
        ),
        "visitors": make_indicator("visitors", "visitors_per_day", weight=3),
        "satisfied": make_indicator("satisfied", "satisfied_share", target=Decimal(95), threshold=Decimal(70)),
        "loyalty": make_indicator("loyalty", "loyalty_index", target=Decimal(70), threshold=Decimal(0)),
        "points": make_indicator("points", "access_points", target=Decimal(5), threshold=Decimal(1)),
        "per1000": make_indicator("per1000", "cases_per_1000", target=Decimal(300), threshold=Decimal(50)),
        "wait": make_indicator(
            "wait", direction="lower", target=Decimal(10), threshold=Decimal(40), min_value=0, max_value=600
        ),
    }


def test_computed_indicators_and_scores(world, indicators):
    _rollup(world.center_a, date(2026, 2, 2), cases_registered=30, refused=1, tickets=200, working_days=6)
    _rollup(world.center_a, date(2026, 3, 2), cases_registered=20, refused=1, tickets=100, working_days=4)
    _rollup(world.center_a, date(2026, 3, 3), ratings_count=20, ratings_satisfied=18)
    _rollup(world.center_a, date(2026, 3, 4), ratings_recommend=10, ratings_promoters=6, ratings_detractors=1)
    _rollup(world.center_a, date(2026, 4, 1), cases_registered=1000, refused=1000)  # another quarter
    world.h1.population = 10000
    world.h1.save()
    world.center_a.refresh_from_db()
    stored = services.compute_indicators(world.center_a, "2026-Q1", actor=actor(world.head_a))
    got = {v.indicator.code: (v.value, v.score) for v in stored}
    assert got == {
        "refused": (Decimal("4.00"), Decimal("75.00")),  # 2 of 50; (10 − 4) / (10 − 2)
        "visitors": (Decimal("30.00"), Decimal("55.56")),  # 300 / 10 days; (30 − 5) / (50 − 5)
        "satisfied": (Decimal("90.00"), Decimal("80.00")),  # 18 of 20; (90 − 70) / (95 − 70)
        "loyalty": (Decimal("50.00"), Decimal("71.43")),  # (6 − 1) / 10; 50 / 70
        "points": (Decimal("2"), Decimal("25.00")),  # main office + ВРМ; (2 − 1) / (5 − 1)
        "per1000": (Decimal("5.00"), Decimal("0.00")),  # 50 per 10,000 residents, below the threshold
    }
    assert "wait" not in got  # manual: never computed
    event = AuditEvent.objects.get(action="monitoring.indicators.computed")
    assert event.center_id == world.center_a.pk and event.data["period"] == "2026-Q1"
    # Computing again replaces the values of the period.
    services.compute_indicators(world.center_a, "2026-Q1", actor=actor(world.head_a))
    assert IndicatorValue.objects.filter(center=world.center_a).count() == 6


def test_no_data_gives_no_value_and_no_score(world, indicators):
    stored = {v.indicator.code: v for v in services.compute_indicators(world.center_b, "2026-Q1")}
    assert stored["refused"].value is None and stored["refused"].score is None
    assert stored["per1000"].value is None  # population unknown


def test_manual_value(world, indicators):
    row = services.set_manual_value(indicators["wait"], world.center_a, "2026-Q1", "25", actor=actor(world.head_a))
    assert (row.value, row.score, row.source, row.entered_by) == (Decimal(25), Decimal("50.00"), "manual", world.head_a)
    with pytest.raises(DomainError) as error:
        services.set_manual_value(indicators["wait"], world.center_a, "2026-Q1", "601", actor=actor(world.head_a))
    assert error.value.code == "out_of_range"
    with pytest.raises(DomainError) as error:
        services.set_manual_value(indicators["refused"], world.center_a, "2026-Q1", "5", actor=actor(world.head_a))
    assert error.value.code == "not_manual"
    with pytest.raises(NotFound):
        services.set_manual_value(indicators["wait"], world.center_b, "2026-Q1", "5", actor=actor(world.head_a))
    assert IndicatorValue.objects.get().value == Decimal(25)


def test_oblast_summary(world, t, indicators):
    monitor = world.monitor_1
    center_c = type(world.center_a).objects.create(name="ЦНАП В", slug="center-c", hromada=world.h1)
    head_c = make_user("head_c", "center_head", center=center_c)
    # Center A: 2025-Q4 reviewed at 60 %, 2026-Q1 submitted at 80 % → +20 p.p.
    old = _submitted(world, t, world.center_a, world.head_a, "2025-Q4")
    services.transition(old, "accept", actor=actor(monitor))
    _submitted(world, t, world.center_a, world.head_a, "2026-Q1", dracs="full")
    # Center C: only a draft for 2026-Q1 → not submitted; its latest is none.
    services.save_answers(center_c, t.questionnaire, "2026-Q1", answers(t), actor=actor(head_c))
    _rollup(world.center_a, date(2026, 2, 2), cases_registered=50, refused=2, tickets=300, working_days=10)
    services.compute_indicators(world.center_a, "2026-Q1", actor=actor(monitor))

    summary = services.oblast_summary(monitor, period="2026-Q1")
    assert [str(r.center) for r in summary.rows] == ["ЦНАП А", "ЦНАП В"]  # center B is another region
    a, c = summary.rows
    assert a.latest.period == "2026-Q1" and a.latest.percent == Decimal("80.00")
    assert a.previous.period == "2025-Q4" and a.change == Decimal("20.00")
    assert summary.section_kinds == [
        ("accessibility", "Доступність (чек-лист)"),
        ("registers", "Доступ до реєстрів"),
        ("staff", "Персонал"),
    ]
    assert a.section_cells == [Decimal("66.67"), Decimal("100.00"), Decimal("66.67")]
    # Indicator mean: refused 75 (w 1), visitors 55.56 (w 3), points 25 (w 1); others have no data.
    # (75 + 166.68 + 25) / 5 = 53.34
    assert a.indicator_score == Decimal("53.34")
    assert c.current.status == "draft" and c.latest is None and c.change is None
    assert c.section_cells == [None, None, None]
    assert summary.not_submitted == [center_c]
    assert summary.average_percent == Decimal("80.00")
    assert summary.region == world.r1  # the monitor's oblast, named in the summary and its files
    assert exports.title_lines(summary)[0] == f"Моніторинг ЦНАП: {world.r1.name}"

    # For 2025-Q4 centre A is the only one with a score and no previous period to compare.
    earlier = services.oblast_summary(monitor, period="2025-Q4")
    assert earlier.rows[0].latest.percent == Decimal("60.00") and earlier.rows[0].change is None
    assert earlier.not_submitted == [center_c]

    # A center head sees their own center only; a monitor of another region sees none of these.
    assert [r.center for r in services.oblast_summary(world.head_a, period="2026-Q1").rows] == [world.center_a]
    assert [r.center for r in services.oblast_summary(world.admin_b, period="2026-Q1").rows] == [world.center_b]
    everything = services.oblast_summary(world.sysadmin, period="2026-Q1", region_id=world.r1.pk)
    assert len(everything.rows) == 2
    with pytest.raises(NotFound):
        services.oblast_summary(monitor, period="2026-Q1", region_id=world.r2.pk)
    with pytest.raises(DomainError):
        services.oblast_summary(monitor, period="2026")


def test_history(world, t, indicators):
    _submitted(world, t, world.center_a, world.head_a, "2025-Q4")
    services.save_answers(world.center_a, t.questionnaire, "2026-Q1", answers(t), actor=actor(world.head_a))
    services.compute_indicators(world.center_a, "2026-Q1")
    history = services.center_history(world.monitor_1, world.center_a.pk)
    assert [(a.period, a.status) for a in history.assessments] == [("2026-Q1", "draft"), ("2025-Q4", "submitted")]
    assert [(start, len(rows)) for start, _, rows in history.indicator_periods] == [(date(2026, 1, 1), 6)]
    with pytest.raises(NotFound):
        services.center_history(world.head_a, world.center_b.pk)
    with pytest.raises(NotFound):
        services.center_history(world.officer_a, world.center_a.pk)
