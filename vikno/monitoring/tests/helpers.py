"""A small hand-made questionnaire whose scores are worked out by hand in the tests.

Accessibility (weight 1): ramp yes/no (weight 2, max 1); toilet yes/no (weight 1, max 1)
Registers (weight 2): dracs single choice (full 2 / read 1 / none 0; max 2)
Staff (weight 1): admins number 0–100, scale 0 → 0 points … 10 → all (max 2);
                  vacancies number 0–100, scale 5 → 0 … 0 → all (max 1), optional
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from vikno.core.audit import Actor
from vikno.monitoring.models import Choice, Indicator, Question, Questionnaire, Section


def make_questionnaire(code: str = "test-q") -> SimpleNamespace:
    q = Questionnaire.objects.create(code=code, version=1, title="Тестове самооцінювання", period_kind="quarter")
    access = Section.objects.create(questionnaire=q, kind="accessibility", title="Доступність", position=1)
    registers = Section.objects.create(
        questionnaire=q, kind="registers", title="Реєстри", position=2, weight=Decimal(2)
    )
    staff = Section.objects.create(questionnaire=q, kind="staff", title="Персонал", position=3)
    ramp = Question.objects.create(section=access, code="ramp", kind="yes_no", text="Пандус", weight=2, position=1)
    toilet = Question.objects.create(section=access, code="toilet", kind="yes_no", text="Вбиральня", position=2)
    dracs = Question.objects.create(section=registers, code="dracs", kind="choice", text="ДРАЦС", max_points=2)
    full = Choice.objects.create(question=dracs, label="Повний", points=2, position=1)
    read = Choice.objects.create(question=dracs, label="Перегляд", points=1, position=2)
    none = Choice.objects.create(question=dracs, label="Немає", points=0, position=3)
    admins = Question.objects.create(
        section=staff, code="admins", kind="number", text="Адміністраторів", max_points=2,
        min_value=0, max_value=100, scale_zero=0, scale_full=10, position=1,
    )  # fmt: skip
    vacancies = Question.objects.create(
        section=staff, code="vacancies", kind="number", text="Вакансій", max_points=1,
        min_value=0, max_value=100, scale_zero=5, scale_full=0, position=2, required=False,
    )  # fmt: skip
    return SimpleNamespace(
        questionnaire=q, access=access, registers=registers, staff=staff, ramp=ramp, toilet=toilet, dracs=dracs,
        full=full, read=read, none=none, admins=admins, vacancies=vacancies,
    )  # fmt: skip


def answers(t, *, ramp="yes", toilet="no", dracs="read", admins="7", vacancies="2") -> dict[str, str]:
    choice = {"full": t.full, "read": t.read, "none": t.none}.get(dracs)
    return {
        f"q{t.ramp.pk}": ramp,
        f"q{t.toilet.pk}": toilet,
        f"q{t.dracs.pk}": str(choice.pk) if choice else (dracs or ""),
        f"q{t.admins.pk}": admins,
        f"q{t.vacancies.pk}": vacancies,
    }


def actor(user, ip: str = "10.0.0.7") -> Actor:
    return Actor(user=user, ip=ip)


def make_indicator(code: str, function: str = "", **fields) -> Indicator:
    defaults = {
        "name": code,
        "direction": "higher",
        "target": Decimal(50),
        "threshold": Decimal(5),
        "method": "computed" if function else "manual",
        "function": function,
    }
    return Indicator.objects.create(code=code, **{**defaults, **fields})
