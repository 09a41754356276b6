"""Fees: free, fixed, formula on the ПМ of 1 January of the filing year (checked against every published
amount in the shared CSVs), and «depends on the case»."""

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from vikno.catalog.fees import fee_for, format_uah, round_fee
from vikno.catalog.models import FeeRule, ServiceVersion, SubsistenceMinimum
from vikno.core.errors import DomainError

RULE_FILES = [
    settings.DATA_DIR / "fees" / "admin-fee-rules.csv",
    settings.DATA_DIR / "services" / "fee-rules-supplement.csv",
]


def _rows(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def pm(db):
    for row in _rows(settings.DATA_DIR / "fees" / "subsistence-minimum-able-bodied.csv"):
        SubsistenceMinimum.objects.create(year=int(row["year"]), amount=Decimal(row["pm_able_bodied_jan1_uah"]))


def _rule(row) -> FeeRule:
    return FeeRule.objects.create(
        rule_id=row["rule_id"],
        name_uk=row["service"],
        coefficient=Decimal(row["coefficient"]),
        rounding=row["rounding"],
        budget_code=row["kbk_code"],
    )


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_published_amounts_of_every_rule(pm, path):
    rows = _rows(path)
    assert rows
    for row in rows:
        version = ServiceVersion(fee_kind="rule", fee_rule=_rule(row))
        for year, column in ((2024, "amount_2024_uah"), (2026, "amount_2026_uah")):
            quote = fee_for(version, dt.date(year, 6, 15))
            assert quote.amount == Decimal(row[column]), (row["rule_id"], year)
            assert quote.budget_code == row["kbk_code"]
            assert str(year) in quote.text_uk


def test_the_year_of_filing_decides(pm):
    rule = FeeRule.objects.create(rule_id="x", name_uk="x", coefficient=Decimal("0.015"), rounding="none_kopecks")
    version = ServiceVersion(fee_kind="rule", fee_rule=rule)
    assert fee_for(version, dt.date(2025, 12, 31)).amount == Decimal("45.42")
    assert fee_for(version, dt.date(2026, 1, 1)).amount == Decimal("49.92")


def test_rounding_is_half_up():
    assert round_fee(Decimal("305"), "nearest_10_uah") == Decimal("310.00")
    assert round_fee(Decimal("304.99"), "nearest_10_uah") == Decimal("300.00")
    assert round_fee(Decimal("0.005"), "none_kopecks") == Decimal("0.01")
    assert round_fee(Decimal("15308.8"), "none_kopecks") == Decimal("15308.80")


def test_missing_subsistence_minimum_is_a_clear_error(db):
    rule = FeeRule.objects.create(rule_id="y", name_uk="y", coefficient=Decimal("0.1"), rounding="nearest_10_uah")
    with pytest.raises(DomainError) as exc:
        fee_for(ServiceVersion(fee_kind="rule", fee_rule=rule), dt.date(2031, 2, 1))
    assert exc.value.code == "subsistence_minimum_missing"
    assert "2031" in exc.value.message and "прожитковий мінімум" in exc.value.message


def test_rule_outside_its_validity_is_refused(pm):
    rule = FeeRule.objects.create(
        rule_id="z", name_uk="z", coefficient=Decimal("0.1"), rounding="nearest_10_uah", valid_to=dt.date(2025, 12, 31)
    )
    version = ServiceVersion(fee_kind="rule", fee_rule=rule)
    assert fee_for(version, dt.date(2025, 5, 1)).amount == Decimal("300.00")
    with pytest.raises(DomainError):
        fee_for(version, dt.date(2026, 1, 1))


def test_free_fixed_and_variable():
    free = fee_for(ServiceVersion(fee_kind="free"), dt.date(2026, 1, 5))
    assert free.amount == Decimal("0") and free.text_uk == "Безоплатно"
    fixed = fee_for(
        ServiceVersion(fee_kind="fixed", fee_amount=Decimal("1147"), fee_budget_code="22012500"), dt.date(2026, 1, 5)
    )
    assert fixed.amount == Decimal("1147.00")
    assert fixed.budget_code == "22012500"
    assert fixed.text_uk == "1 147,00 грн"
    variable = fee_for(ServiceVersion(fee_kind="variable"), dt.date(2026, 1, 5))
    assert variable.amount is None
    assert "залежить" in variable.text_uk


def test_money_is_written_the_ukrainian_way():
    assert format_uah(Decimal("15308.8")) == "15 308,80 грн"
    assert format_uah(Decimal("0.85")) == "0,85 грн"
