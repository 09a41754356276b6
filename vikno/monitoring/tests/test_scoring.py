"""Scores worked out by hand for the questionnaire of helpers.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vikno.monitoring import services
from vikno.monitoring.models import Answer, Assessment

from .helpers import actor, answers, make_questionnaire

PERIOD = "2026-Q1"


@pytest.fixture
def t(db):
    return make_questionnaire()


def test_scores_per_section_and_total(world, t):
    # Accessibility: ramp yes 1×2 + toilet no 0×1 = 2 of 3 → 66.67 %
    # Registers: read-only 1 of 2 → 50 %, section weight 2
    # Staff: 7 admins → 2 × 7/10 = 1.4; 2 vacancies → 1 × (2−5)/(0−5) = 0.6; 2 of 3 → 66.67 %
    # Total: (2×1 + 1×2 + 2×1) / (3×1 + 2×2 + 3×1) = 6 / 10 = 60 %
    a = services.save_answers(world.center_a, t.questionnaire, PERIOD, answers(t), actor=actor(world.head_a))
    assert a.status == "draft"
    assert (a.total_score, a.max_score, a.percent) == (Decimal("6.00"), Decimal("10.00"), Decimal("60.00"))
    sections = {s["kind"]: (s["points"], s["max"], s["percent"]) for s in a.section_scores}
    assert sections == {
        "accessibility": ("2.00", "3.00", "66.67"),
        "registers": ("1.00", "2.00", "50.00"),
        "staff": ("2.00", "3.00", "66.67"),
    }
    points = dict(Answer.objects.filter(assessment=a).values_list("question__code", "points"))
    assert points == {
        "ramp": Decimal("1.00"),
        "toilet": Decimal("0.00"),
        "dracs": Decimal("1.00"),
        "admins": Decimal("1.40"),
        "vacancies": Decimal("0.60"),
    }
    assert a.section_percent("registers") == Decimal("50.00")


def test_full_marks_and_the_scale_is_clamped(world, t):
    # 12 admins is beyond the full-points value 10 → all 2 points; 0 vacancies → all 1 point.
    raw = answers(t, toilet="yes", dracs="full", admins="12", vacancies="0")
    a = services.save_answers(world.center_a, t.questionnaire, PERIOD, raw, actor=actor(world.head_a))
    assert (a.total_score, a.percent) == (Decimal("10.00"), Decimal("100.00"))
    # 9 vacancies is worse than the zero-points value 5 → 0, never negative.
    raw = answers(t, ramp="no", toilet="no", dracs="none", admins="0", vacancies="9")
    a = services.save_answers(world.center_a, t.questionnaire, PERIOD, raw, actor=actor(world.head_a))
    assert (a.total_score, a.percent) == (Decimal("0.00"), Decimal("0.00"))


def test_unanswered_optional_question_earns_nothing(world, t):
    raw = answers(t, vacancies="")
    a = services.save_answers(world.center_a, t.questionnaire, PERIOD, raw, actor=actor(world.head_a))
    # Staff: 1.4 of 3; total (2 + 2 + 1.4) / 10 = 54 %
    assert (a.total_score, a.percent) == (Decimal("5.40"), Decimal("54.00"))
    assert not Answer.objects.filter(assessment=a, question=t.vacancies).exists()


def test_decimal_comma_is_accepted(world, t):
    a = services.save_answers(
        world.center_a, t.questionnaire, PERIOD, answers(t, admins="2,5"), actor=actor(world.head_a)
    )
    assert Answer.objects.get(assessment=a, question=t.admins).points == Decimal("0.50")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("admins", "101", "out of range"), ("admins", "-1", "менше"), ("admins", "багато", "не число"),
     ("ramp", "maybe", "так"), ("dracs", "999999", "варіант"), ("admins", "1.234", "двох знаків")],
)  # fmt: skip
def test_bad_answers_are_refused_and_nothing_is_stored(world, t, field, value, code):
    raw = answers(t, **{field: value})
    with pytest.raises(services.AnswerErrors) as error:
        services.save_answers(world.center_a, t.questionnaire, PERIOD, raw, actor=actor(world.head_a))
    name = f"q{getattr(t, field).pk}"
    assert list(error.value.errors) == [name]
    assert error.value.status == 400
    if code != "out of range":
        assert code in error.value.errors[name]
    else:
        assert "більше за допустиме (100)" in error.value.errors[name]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [("2026-Q1", "2026-01-01", "2026-03-31"), ("2026-q4", "2026-10-01", "2026-12-31"),
     ("2024-H1", "2024-01-01", "2024-06-30"), ("2025", "2025-01-01", "2025-12-31")],
)  # fmt: skip
def test_periods(key, start, end):
    period = services.parse_period(key)
    assert (str(period.start), str(period.end)) == (start, end)


def test_bad_periods():
    for key in ["2026-Q5", "2026-H3", "Q1", "", "1999"]:
        with pytest.raises(services.DomainError):
            services.parse_period(key)
    with pytest.raises(services.DomainError) as error:
        services.parse_period("2026", "quarter")
    assert error.value.code == "period_kind"
    assert services.previous_period(services.parse_period("2026-Q1")).key == "2025-Q4"
    assert services.previous_period(services.parse_period("2026-H1")).key == "2025-H2"
