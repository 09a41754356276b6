"""Export the catalog as CSV, XLSX and JSON and import it into an empty catalog: the same catalog comes back."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from vikno.catalog import services as catalog
from vikno.catalog.importers import export_catalog, import_catalog
from vikno.catalog.models import FeeRule, LifeSituation, Service, ServiceVersion, Sphere, SubsistenceMinimum
from vikno.core.audit import Actor

ACTOR = Actor(label="test")
D = dt.date


def _base(name, **extra):
    return {"name_uk": name, "term_value": 1, "term_unit": "working_days", **extra}


@pytest.fixture
def small_catalog(db):
    SubsistenceMinimum.objects.create(year=2026, amount=Decimal("3328"), source="закон")
    FeeRule.objects.create(
        rule_id="residence_reg_on_time",
        name_uk="Декларування вчасно",
        coefficient=Decimal("0.015"),
        rounding="none_kopecks",
        budget_code="22012500",
        valid_from=D(2022, 1, 1),
    )
    acs = Sphere.objects.create(code="ACS", name_uk="ДРАЦС", name_en="Civil status", position=1)
    pas = Sphere.objects.create(code="PAS", name_uk="Паспорти", position=2)
    cmp_ = Sphere.objects.create(code="CMP", name_uk="Комплексні", position=3)
    birth = LifeSituation.objects.create(code="CHILD_BIRTH", name_uk="Народження", synonyms=["пологи", "немовля"])
    catalog.create_service(
        "ACS-001",
        sphere=acs,
        data=_base(
            "Реєстрація народження",
            documents=["Паспорт", {"name": "Медичне свідоцтво", "copy": True, "pages": 2, "condition": "з пологового"}],
            grounds_for_refusal=["Неповний пакет", "Пункт a|b"],
            result_uk="Свідоцтво",
            info_card={"notes": "примітка", "legal_acts": ["Закон 2398-VI"]},
            verified=True,
        ),
        valid_from=D(2026, 1, 1),
        actor=ACTOR,
        life_situations=[birth],
    )
    catalog.create_service(
        "ACS-002",
        sphere=acs,
        data=_base("Декларування", fee_kind="rule", fee_rule="residence_reg_on_time", instant=True, online=True),
        valid_from=D(2026, 1, 1),
        actor=ACTOR,
    )
    passport = catalog.create_service(
        "PAS-001",
        sphere=pas,
        data=_base(
            "ID-картка",
            term_value=20,
            fee_kind="fixed",
            fee_amount="618",
            fee_budget_code="22012500",
            provider_kind="ДМС",
            provider_level="state",
            tech_steps=[{"action": "Фотографує заявника", "role": "administrator", "action_type": "В"}],
        ),
        valid_from=D(2026, 1, 1),
        actor=ACTOR,
    )
    catalog.create_version(passport, {"name_uk": "Оформлення ID-картки"}, valid_from=timezone.localdate(), actor=ACTOR)
    catalog.create_service(
        "PAS-002",
        sphere=pas,
        data=_base("Посвідка", fee_kind="variable", term_unit="calendar_days"),
        valid_from=D(2026, 1, 1),
        actor=ACTOR,
    )
    catalog.create_service(
        "CMP-001",
        sphere=cmp_,
        data=_base("єМалятко", complex=True, sub_services=["ACS-001", "ACS-002"], pay_later_allowed=True),
        valid_from=D(2026, 1, 1),
        actor=ACTOR,
        life_situations=[birth],
    )
    Service.objects.filter(code="PAS-002").update(is_active=False)


def _wipe(keep_reference: bool) -> None:
    ServiceVersion.objects.all().delete()
    Service.objects.all().delete()
    if not keep_reference:
        for model in (LifeSituation, Sphere, FeeRule, SubsistenceMinimum):
            model.objects.all().delete()


def _snapshot() -> dict:
    payload = json.loads(export_catalog("json"))
    payload.pop("exported_at")
    return payload


@pytest.mark.parametrize("fmt", ["json", "xlsx", "csv"])
def test_round_trip(small_catalog, fmt):
    before = _snapshot()
    assert [s["code"] for s in before["services"]] == ["ACS-001", "ACS-002", "CMP-001", "PAS-001", "PAS-002"]
    content = export_catalog(fmt)
    _wipe(keep_reference=(fmt == "csv"))
    report = import_catalog(io.BytesIO(content), fmt)
    assert report.created["services"] == 5
    assert _snapshot() == before
    again = import_catalog(io.BytesIO(content), fmt)
    assert not again.changed and again.unchanged["services"] == 5


def test_export_contents(small_catalog):
    rows = export_catalog("csv").decode().splitlines()
    assert rows[0].startswith("code,name_uk,name_en,sphere_code,life_situation_codes,provider_uk,provider_level")
    pas = next(r for r in rows if r.startswith("PAS-001"))
    assert "Оформлення ID-картки" in pas and "fixed:618.00" in pas
    book = load_workbook(io.BytesIO(export_catalog("xlsx")), read_only=True)
    assert book.sheetnames == ["services", "spheres", "life_situations", "fee_rules", "subsistence_minimum"]
    payload = json.loads(export_catalog("json"))
    acs = payload["services"][0]
    assert acs["required_documents"][1] == {
        "name": "Медичне свідоцтво",
        "original": True,
        "copy": True,
        "pages": 2,
        "condition": "з пологового",
    }
    assert acs["tech_steps"][1]["role"] == "officer"
    assert payload["life_situations"][0]["synonyms"] == ["пологи", "немовля"]


def test_an_edited_row_becomes_a_new_version_from_today(small_catalog):
    text = export_catalog("csv").decode().replace("Реєстрація народження,", "Державна реєстрація народження,", 1)
    report = import_catalog(io.BytesIO(text.encode()), "csv", actor=ACTOR)
    assert report.updated["services"] == 1 and report.unchanged["services"] == 4
    service = Service.objects.get(code="ACS-001")
    assert service.name_uk == "Державна реєстрація народження"
    assert service.current_version.number == 2
    assert service.current_version.valid_from == timezone.localdate()
    assert list(service.current_version.documents.values_list("copy", flat=True)) == [False, True]


def test_management_commands(small_catalog, tmp_path, capsys):
    target = tmp_path / "catalog.xlsx"
    call_command("export_catalog", "--format", "xlsx", "--output", str(target))
    call_command("export_catalog", "--format", "csv")
    assert capsys.readouterr().out.count("\n") >= 6
    _wipe(keep_reference=False)
    call_command("import_catalog_file", str(target))
    assert "послуги: створено 5" in capsys.readouterr().out
    assert Service.objects.count() == 5
