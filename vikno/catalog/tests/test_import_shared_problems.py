"""Bad rows in the shared data: every one is reported with file, line and reason; nothing is written."""

import csv
import io
import shutil

import pytest
from django.conf import settings

from vikno.catalog.importers import import_shared_catalog
from vikno.catalog.models import FeeRule, Service, Sphere, SubsistenceMinimum
from vikno.core.errors import ImportProblem


@pytest.fixture
def data_dir(tmp_path):
    for part in ("services", "fees"):
        shutil.copytree(settings.DATA_DIR / part, tmp_path / part)
        for path in (tmp_path / part).iterdir():
            path.chmod(0o644)
    return tmp_path


def _edit_services(data_dir, change):
    path = data_dir / "services" / "services.csv"
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return {row["code"]: number for number, row in enumerate(rows, start=2)}


def test_every_bad_row_is_reported_and_nothing_is_written(db, data_dir):
    def change(rows):
        by_code = {r["code"]: r for r in rows}
        by_code["ACS-002"]["term_unit"] = "weeks"
        by_code["NER-001"]["fee_rule_id"] = "no_such_rule"
        by_code["CMP-002"]["sub_service_codes"] = "PAS-001|ZZZ-999"
        by_code["ZEM-001"]["sphere_code"] = "XYZ"
        return [*rows, dict(by_code["RMP-001"])]

    lines = _edit_services(data_dir, change)
    with pytest.raises(ImportProblem) as exc:
        import_shared_catalog(data_dir)
    problems = exc.value.problems
    text = "\n".join(problems)
    assert f"services.csv, рядок {lines['ACS-002']}, поле term_unit: невідома одиниця строку «weeks»" in text
    assert f"services.csv, рядок {lines['NER-001']}, поле fee_rule_id: невідоме правило збору «no_such_rule»" in text
    assert f"services.csv, рядок {lines['CMP-002']}, поле sub_service_codes: складову послугу «ZZZ-999»" in text
    assert f"services.csv, рядок {lines['ZEM-001']}, поле sphere_code: невідома сфера «XYZ»" in text
    assert "services.csv, рядок 159, поле code: код послуги RMP-001 повторюється" in text
    assert len(problems) == 5
    assert exc.value.status == 400 and exc.value.as_dict()["problems"] == problems
    assert not Service.objects.exists()
    assert not Sphere.objects.exists()
    assert not FeeRule.objects.exists()
    assert not SubsistenceMinimum.objects.exists()


def test_bad_reference_rows_and_info_cards(db, data_dir):
    pm = data_dir / "fees" / "subsistence-minimum-able-bodied.csv"
    pm.write_text(pm.read_text(encoding="utf-8") + "2027,багато,\n", encoding="utf-8")
    cards = data_dir / "services" / "info-cards.jsonl"
    cards.write_text(cards.read_text(encoding="utf-8") + '{"code": "ABC-999"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ImportProblem) as exc:
        import_shared_catalog(data_dir)
    text = "\n".join(exc.value.problems)
    assert "subsistence-minimum-able-bodied.csv, рядок 11, поле amount" in text
    assert "info-cards.jsonl, рядок 26, поле code: послугу «ABC-999» не знайдено" in text
    assert "info-cards.jsonl, рядок 27: пошкоджений JSON" in text
    assert not Service.objects.exists()
