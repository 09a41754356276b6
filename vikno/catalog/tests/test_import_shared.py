"""Import of shared/data/services and shared/data/fees: everything lands, and a second run changes nothing."""

import csv
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from vikno.catalog.fees import fee_for
from vikno.catalog.importers import import_shared_catalog
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
from vikno.core.models import AuditEvent
from vikno.testing import work_callbacks

DATA = settings.DATA_DIR
SERVICES = DATA / "services"


def _csv(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def imported(db):
    return import_shared_catalog(DATA)


def test_everything_is_imported_with_counts(imported):
    assert imported.created["services"] == len(_csv(SERVICES / "services.csv")) == Service.objects.count() == 157
    assert Sphere.objects.count() == len(_csv(SERVICES / "spheres.csv"))
    assert LifeSituation.objects.count() == len(_csv(SERVICES / "life-situations.csv"))
    assert SubsistenceMinimum.objects.get(year=2026).amount == Decimal("3328.00")
    rules = len(_csv(DATA / "fees" / "admin-fee-rules.csv")) + len(_csv(SERVICES / "fee-rules-supplement.csv"))
    assert FeeRule.objects.count() == rules
    assert ServiceVersion.objects.count() == 157
    assert not ServiceVersion.objects.exclude(valid_from=dt.date(2026, 1, 1)).exists()
    assert Service.objects.filter(current_version__isnull=True).count() == 0


def test_every_life_situation_has_synonyms_and_business_kind(imported):
    for situation in LifeSituation.objects.all():
        assert len(situation.synonyms) >= 4, situation.code
    birth = LifeSituation.objects.get(code="CHILD_BIRTH")
    assert "народила дитину" in birth.synonyms
    assert LifeSituation.objects.get(code="BUSINESS_START").kind == LifeSituation.Kind.BUSINESS
    assert LifeSituation.objects.get(code="MARRIAGE").kind == LifeSituation.Kind.LIFE
    rmp = Service.objects.get(code="RMP-001")
    assert set(rmp.life_situations.values_list("code", flat=True)) == {"RELOCATION", "HOME_PURCHASE", "CHILD_BIRTH"}


def test_fee_kinds_follow_the_fee_column(imported):
    on = dt.date(2026, 3, 2)
    by_code = {s.code: s.current_version for s in Service.objects.select_related("current_version__fee_rule")}
    for row in _csv(SERVICES / "services.csv"):
        version = by_code[row["code"]]
        fee = row["fee_rule_id"]
        if fee.startswith("fixed:"):
            assert version.fee_kind == "fixed"
            assert fee_for(version, on).amount == Decimal(fee[6:])
        elif fee:
            assert version.fee_kind == "rule" and version.fee_rule.rule_id == fee
        elif row["paid"] == "yes":
            assert version.fee_kind == "variable" and fee_for(version, on).amount is None
        else:
            assert version.fee_kind == "free" and fee_for(version, on).amount == 0
    assert fee_for(by_code["RMP-001"], on).amount == Decimal("49.92")
    assert fee_for(by_code["RMP-001"], on).budget_code == "22012500"


def test_terms_flags_and_complex_services(imported):
    for row in _csv(SERVICES / "services.csv"):
        version = Service.objects.get(code=row["code"]).current_version
        assert (version.term_value, version.term_unit) == (int(row["term_value"]), row["term_unit"])
        assert version.instant == (row["instant"] == "yes")
        assert version.online == (row["online"] == "yes")
        assert version.verified == (row["verified"] == "yes")
        assert version.provider_level == row["provider_level"]
        if row["complex"] == "yes":
            assert set(version.sub_services.values_list("code", flat=True)) == set(row["sub_service_codes"].split("|"))
    emalyatko = Service.objects.get(code="CMP-001").current_version
    assert emalyatko.complex and emalyatko.sub_services.count() == 10


def test_info_cards_fill_documents_in_order(imported):
    with (SERVICES / "info-cards.jsonl").open(encoding="utf-8") as handle:
        cards = [json.loads(line) for line in handle if line.strip()]
    for card in cards:
        version = Service.objects.get(code=card["code"]).current_version
        # «… — за наявності»: the condition is split off the name, and together they read as the ІК line
        # (less the comma some lines put before the dash: «…представника, — у разі…»)
        documents = version.documents.values_list("name", "condition")
        lines = [" ".join(line.split()) for line in card["required_documents"]]
        assert len(documents) == len(lines)
        for (name, condition), line in zip(documents, lines, strict=True):
            assert line in ({f"{name} — {condition}", f"{name}, — {condition}"} if condition else {name})
        assert version.result_uk == card["result_uk"]
        assert version.how_to_receive_uk == card["how_to_receive_uk"]
        assert version.grounds_for_refusal == card["grounds_for_refusal"]
        assert version.info_card["fee_text_uk"] == card["fee_text_uk"]
        assert version.info_card["legal_acts"] == card["legal_acts"]
    assert RequiredDocument.objects.values("version").distinct().count() == len(cards)
    assert not RequiredDocument.objects.filter(name__regex=r"[,;]$").exists()
    optional = RequiredDocument.objects.filter(condition="за наявності").first()
    assert optional is not None and "наявності" not in optional.name


def test_default_tech_card_depends_on_flags(imported):
    instant = Service.objects.get(code="RMP-001").current_version
    steps = list(instant.tech_steps.all())
    assert [s.role for s in steps] == ["administrator", "administrator"]
    assert all(s.action_type == "В" for s in steps)
    standard = Service.objects.get(code="ACS-002").current_version
    roles = list(standard.tech_steps.values_list("role", "term_value", "term_unit"))
    assert roles[0] == ("administrator", 1, "working_days")
    assert roles[1] == ("officer", standard.term_value, standard.term_unit)
    assert roles[-1][0] == "administrator"
    assert not ServiceVersion.objects.filter(tech_steps__isnull=True).exists()
    assert TechStep.objects.filter(version__complex=True, role="center_head").count() == 4


def test_second_run_changes_nothing(imported):
    versions = list(ServiceVersion.objects.order_by("pk").values_list("pk", "valid_to", "number"))
    audit = AuditEvent.objects.count()
    again = import_shared_catalog(DATA)
    assert not again.changed
    assert again.unchanged["services"] == 157
    assert again.unchanged["fee_rules"] == FeeRule.objects.count()
    assert list(ServiceVersion.objects.order_by("pk").values_list("pk", "valid_to", "number")) == versions
    assert AuditEvent.objects.count() == audit


def test_management_command_prints_counts(db, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_catalog", "--data-dir", str(DATA))
    assert len(work_callbacks(callbacks)) == 1, "search is reindexed once, after the commit"
    out = capsys.readouterr().out
    assert "послуги: створено 157" in out
    assert "сфери: створено 24" in out
