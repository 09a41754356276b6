"""A small hand-made catalog for the search and API tests, built through the ORM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

SPHERES = [
    ("ACS", "Державна реєстрація актів цивільного стану"),
    ("PAS", "Паспортні та міграційні послуги"),
    ("SOC", "Соціальний захист"),
    ("CMP", "Комплексні послуги"),
    ("ZEM", "Земельні відносини та Державний земельний кадастр"),
    ("TRN", "Транспортні засоби та посвідчення водія"),
    ("BUS", "Реєстрація бізнесу та громадських формувань"),
]

LIFE_SITUATIONS = [
    ("CHILD_BIRTH", "Народження дитини", ["поповнення в сім'ї", "новонароджений"]),
    ("DOC_LOSS", "Втрата документів", ["загубив паспорт", "вкрали документи"]),
    ("MARRIAGE", "Одруження", ["весілля", "вийти заміж"]),
    ("DEATH", "Смерть близької людини", ["помер родич", "похорон"]),
    ("BUSINESS_START", "Відкриття бізнесу (ФОП)", ["стати підприємцем"]),
    ("CAR_PURCHASE", "Купівля автомобіля", []),
]

# code, name, sphere, life situations, fee kind, amount, online, instant
SERVICES = [
    (
        "ACS-001",
        "Державна реєстрація народження фізичної особи та її походження",
        "ACS",
        ["CHILD_BIRTH"],
        "free",
        None,
        True,
        True,
    ),
    ("CMP-001", "Комплексна електронна публічна послуга «єМалятко»", "CMP", ["CHILD_BIRTH"], "free", None, True, False),
    ("SOC-003", "Призначення допомоги при народженні дитини", "SOC", ["CHILD_BIRTH"], "free", None, True, False),
    ("ACS-002", "Державна реєстрація шлюбу", "ACS", ["MARRIAGE"], "fixed", Decimal("0.85"), False, False),
    ("ACS-003", "Державна реєстрація смерті", "ACS", ["DEATH"], "free", None, False, True),
    (
        "PAS-001",
        "Оформлення паспорта громадянина України у формі ID-картки",
        "PAS",
        ["DOC_LOSS"],
        "fixed",
        Decimal("279"),
        False,
        False,
    ),
    (
        "PAS-002",
        "Оформлення паспорта громадянина України для виїзду за кордон",
        "PAS",
        [],
        "fixed",
        Decimal("682"),
        False,
        False,
    ),
    (
        "ZEM-001",
        "Видача витягу з Державного земельного кадастру про земельну ділянку",
        "ZEM",
        [],
        "fixed",
        Decimal("160"),
        True,
        False,
    ),
    ("TRN-001", "Державна реєстрація транспортного засобу", "TRN", ["CAR_PURCHASE"], "variable", None, False, False),
    ("TRN-002", "Обмін посвідчення водія", "TRN", [], "fixed", Decimal("217"), False, False),
    (
        "BUS-001",
        "Державна реєстрація фізичної особи — підприємця",
        "BUS",
        ["BUSINESS_START"],
        "free",
        None,
        True,
        False,
    ),
    ("SOC-009", "Призначення житлової субсидії", "SOC", [], "free", None, True, False),
]


def build_catalog(*, reindex: bool = True) -> dict:
    """Create the spheres, life situations and services above; returns services by code."""
    from vikno.catalog import search
    from vikno.catalog.models import LifeSituation, Sphere

    spheres = {
        code: Sphere.objects.create(code=code, name_uk=name, position=i) for i, (code, name) in enumerate(SPHERES)
    }
    situations = {
        code: LifeSituation.objects.create(code=code, name_uk=name, synonyms=synonyms, position=i)
        for i, (code, name, synonyms) in enumerate(LIFE_SITUATIONS)
    }
    services = {}
    for code, name, sphere, ls_codes, fee_kind, amount, online, instant in SERVICES:
        services[code] = make_service(
            code,
            name,
            spheres[sphere],
            [situations[c] for c in ls_codes],
            fee_kind=fee_kind,
            fee_amount=amount,
            online=online,
            instant=instant,
            complex=code.startswith("CMP"),
        )
    if reindex:
        search.reindex()
    return {"services": services, "spheres": spheres, "situations": situations}


def make_service(
    code,
    name,
    sphere,
    situations=(),
    *,
    fee_kind="free",
    fee_amount=None,
    online=False,
    instant=False,
    complex=False,
    is_active=True,
):
    from vikno.catalog.models import Service, ServiceVersion

    service = Service.objects.create(code=code, sphere=sphere, name_uk=name, is_active=is_active)
    service.life_situations.set(situations)
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        valid_from=dt.date(2024, 1, 1),
        name_uk=name,
        term_value=1,
        term_unit=ServiceVersion.TermUnit.WORKING_DAYS,
        fee_kind=fee_kind,
        fee_amount=fee_amount,
        online=online,
        instant=instant,
        complex=complex,
    )
    service.current_version = version
    service.save(update_fields=["current_version"])
    return service
