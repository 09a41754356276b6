"""Catalog test data for the staff UI tests, built with the ORM (no tests here).

``make_service`` creates a service with one version in force (documents and ТК steps included) and
points ``current_version`` at it, as the catalog services do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from vikno.catalog.models import (
    FeeRule,
    LifeSituation,
    RequiredDocument,
    Service,
    ServiceVersion,
    Sphere,
    SubsistenceMinimum,
    TechStep,
)

FIRST_DOCUMENT = "Паспорт громадянина України або ID-картка"


def sphere(code="RMP", name="Реєстрація місця проживання"):
    return Sphere.objects.get_or_create(code=code, defaults={"name_uk": name})[0]


def life_situation(code="RELOCATION", name="Переїзд на нове місце проживання"):
    return LifeSituation.objects.get_or_create(code=code, defaults={"name_uk": name})[0]


def fee_rule():
    SubsistenceMinimum.objects.get_or_create(
        year=timezone.localdate().year, defaults={"amount": Decimal("3328.00"), "source": "тест"}
    )
    return FeeRule.objects.get_or_create(
        rule_id="residence_reg_on_time",
        defaults={
            "name_uk": "Реєстрація місця проживання у строк",
            "coefficient": Decimal("0.015"),
            "rounding": FeeRule.Rounding.NONE_KOPECKS,
            "budget_code": "22090100",
        },
    )[0]


def make_service(
    code="RMP-001",
    name="Декларування місця проживання",
    *,
    sphere_obj=None,
    situations=(),
    online=False,
    instant=False,
    fee_kind=ServiceVersion.FeeKind.FREE,
    fee_amount=None,
    rule=None,
    valid_from=dt.date(2024, 1, 1),
    documents=True,
    steps=True,
):
    sphere_obj = sphere_obj or sphere()
    service = Service.objects.create(code=code, sphere=sphere_obj, name_uk=name)
    if situations:
        service.life_situations.set(situations)
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        valid_from=valid_from,
        name_uk=name,
        provider_kind="Виконавчий орган ради",
        legal_basis="Закон України № 1871-IX",
        term_value=1,
        term_unit=ServiceVersion.TermUnit.WORKING_DAYS,
        fee_kind=fee_kind,
        fee_amount=fee_amount,
        fee_rule=rule,
        result_uk="Відомості внесено до реєстру територіальної громади.",
        how_to_receive_uk="Особисто в ЦНАП.",
        grounds_for_refusal=["Неповний пакет документів", "Недостовірні відомості"],
        online=online,
        instant=instant,
        change_note="Перша версія",
    )
    if documents:
        RequiredDocument.objects.create(version=version, position=1, name=FIRST_DOCUMENT, original=True, copy=True)
        RequiredDocument.objects.create(
            version=version, position=2, name="Довіреність", original=True, condition="для представника"
        )
    if steps:
        TechStep.objects.create(
            version=version,
            position=1,
            action="Приймає заяву та документи",
            role=TechStep.Role.ADMINISTRATOR,
            action_type=TechStep.ActionType.PERFORMS,
            term_value=1,
            term_unit=ServiceVersion.TermUnit.HOURS,
        )
        TechStep.objects.create(
            version=version,
            position=2,
            action="Вносить відомості до реєстру",
            role=TechStep.Role.OFFICER,
            action_type=TechStep.ActionType.PERFORMS,
        )
    service.current_version = version
    service.save(update_fields=["current_version"])
    return service
