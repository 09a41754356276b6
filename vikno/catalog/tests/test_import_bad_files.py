"""Bad catalog files are refused as a whole, with the row and field of every problem."""

import io
import json

import pytest

from vikno.catalog.importers import import_catalog
from vikno.catalog.models import LifeSituation, Service, Sphere
from vikno.core.errors import DomainError, ImportProblem

HEADER = "code,name_uk,sphere_code,term_value,term_unit,paid,fee_rule_id,life_situation_codes\n"


@pytest.fixture
def spheres(db):
    Sphere.objects.create(code="RMP", name_uk="Місце проживання")
    LifeSituation.objects.create(code="RELOCATION", name_uk="Переїзд")


def _csv(text: str):
    return import_catalog(io.BytesIO(text.encode()), "csv")


def _problems(call) -> list[str]:
    with pytest.raises(ImportProblem) as exc:
        call()
    return exc.value.problems


def test_good_minimal_csv(spheres):
    report = _csv(HEADER + "RMP-001,Декларування,RMP,1,working_days,no,,RELOCATION\n")
    assert report.created["services"] == 1
    assert Service.objects.get().current_version.tech_steps.count() == 3


def test_malformed_csv(spheres):
    problems = _problems(lambda: _csv(HEADER + 'RMP-001,"Декларування,RMP,1,working_days,no,,\n'))
    assert any("пошкоджений CSV" in p for p in problems)
    problems = _problems(lambda: _csv(HEADER + "RMP-001,Декларування,RMP,1\n"))
    assert problems == ["CSV, рядок 2: полів 4, а в заголовку 8"]
    problems = _problems(lambda: _csv("code,name\nRMP-001,x\n"))
    assert "немає обов'язкових стовпців" in problems[0]
    problems = _problems(lambda: import_catalog(io.BytesIO(b"\xff\xfe\x00bad"), "csv"))
    assert "UTF-8" in problems[0]
    assert not Service.objects.exists()


def test_xlsx_that_is_not_an_xlsx(spheres):
    problems = _problems(lambda: import_catalog(io.BytesIO(b"PK\x03\x04 not really a zip"), "xlsx"))
    assert problems == ["файл: це не книга Excel XLSX або файл пошкоджено"]
    problems = _problems(lambda: import_catalog(io.BytesIO(HEADER.encode()), "xlsx"))
    assert "XLSX" in problems[0]


def test_duplicate_codes_and_unknown_sphere_name_row_and_field(spheres):
    text = (
        HEADER
        + "RMP-001,Декларування,RMP,1,working_days,no,,\n"
        + "RMP-001,Ще раз,RMP,1,working_days,no,,\n"
        + "ZEM-001,Земля,ZEM,1,working_days,no,,\n"
        + "RMP-002,Реєстрація,RMP,0,days,maybe,,MOON\n"
    )
    problems = _problems(lambda: _csv(text))
    assert "CSV, рядок 3, поле code: код послуги RMP-001 повторюється" in problems
    assert "CSV, рядок 4, поле sphere_code: невідома сфера «ZEM»" in problems
    assert "CSV, рядок 5, поле term_value: строк «0» має бути цілим числом від 1" in problems
    assert any(p.startswith("CSV, рядок 5, поле term_unit") for p in problems)
    assert any(p.startswith("CSV, рядок 5, поле paid") for p in problems)
    assert "CSV, рядок 5, поле life_situation_codes: невідома життєва ситуація «MOON»" in problems
    assert not Service.objects.exists(), "nothing is half-imported"


def test_fee_and_complex_problems(spheres):
    text = (
        HEADER.strip()
        + ",complex,sub_service_codes\n"
        + "RMP-001,А,RMP,1,working_days,no,fixed:10,,no,\n"
        + "RMP-002,Б,RMP,1,working_days,yes,fixed:abc,,no,\n"
        + "RMP-003,В,RMP,1,working_days,yes,,,yes,RMP-999\n"
        + "RMP-004,Г,RMP,1,working_days,yes,,,no,RMP-001\n"
    )
    problems = _problems(lambda: _csv(text))
    assert any(p.startswith("CSV, рядок 2, поле fee_rule_id") for p in problems)
    assert any(p.startswith("CSV, рядок 3, поле fee_rule_id") for p in problems)
    assert "CSV, рядок 4, поле sub_service_codes: складову послугу «RMP-999» не знайдено" in problems
    assert any(p.startswith("CSV, рядок 5, поле sub_service_codes") for p in problems)


def test_bad_json(spheres):
    problems = _problems(lambda: import_catalog(io.BytesIO(b'{"services": [}'), "json"))
    assert problems[0].startswith("файл, рядок 1: пошкоджений JSON")
    problems = _problems(lambda: import_catalog(io.BytesIO(b'{"items": []}'), "json"))
    assert "services" in problems[0]
    payload = {
        "services": [
            {
                "code": "RMP-001",
                "name_uk": "А",
                "sphere_code": "XYZ",
                "term_value": 1,
                "term_unit": "working_days",
                "paid": False,
            },
            "oops",
        ]
    }
    problems = _problems(lambda: import_catalog(io.BytesIO(json.dumps(payload).encode()), "json"))
    assert "services[1] (RMP-001), поле sphere_code: невідома сфера «XYZ»" in problems
    assert "services[2]: очікується JSON-об'єкт" in problems


def test_unknown_format(db):
    with pytest.raises(DomainError) as exc:
        import_catalog(io.BytesIO(b""), "ods")
    assert exc.value.field == "format"
