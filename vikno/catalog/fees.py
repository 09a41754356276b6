"""Fees of administrative services: free, a fixed amount, a formula on the ПМ, or «depends on the case».

A formula fee is ``coefficient × ПМ для працездатних осіб on 1 January of the filing year``, rounded
as the rule says: ``nearest_10_uah`` (half-up to a multiple of 10 грн, Закон 1952-IV ст.34 and
Закон 755-IV ст.36) or ``none_kopecks`` (kopecks kept, half-up to 0,01 грн). A mid-year change of the
ПМ does not change the fees of that year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext

from vikno.core.errors import DomainError

from .models import FeeRule, ServiceVersion, SubsistenceMinimum

CENT = Decimal("0.01")
TEN = Decimal("10")


@dataclass(frozen=True)
class FeeQuote:
    """What an applicant pays for one version on one day. ``amount`` is None when it depends on the case.

    ``text_uk`` is the fee in Ukrainian whatever the page's language, for the API and printed documents;
    ``text`` says the same in the language of the page (from the details kept below)."""

    amount: Decimal | None
    budget_code: str
    text_uk: str
    kind: str = ""
    coefficient: Decimal | None = None
    minimum: Decimal | None = None  # the ПМ the formula was applied to
    year: int | None = None
    rounding: str = ""

    @property
    def text(self) -> str:
        if self.kind == ServiceVersion.FeeKind.FREE:
            return gettext("Free of charge")
        if self.kind == ServiceVersion.FeeKind.FIXED and self.amount is not None:
            return format_money(self.amount)
        if self.kind == ServiceVersion.FeeKind.RULE and self.amount is not None and self.minimum is not None:
            if self.rounding == FeeRule.Rounding.NEAREST_10_UAH:
                rounding = gettext("rounded to 10 UAH")
            else:
                rounding = gettext("with kopecks")
            return gettext(
                "%(amount)s (%(coefficient)s of the subsistence minimum for able-bodied persons on 1 January "
                "%(year)s — %(minimum)s; %(rounding)s)"
            ) % {
                "amount": format_money(self.amount),
                "coefficient": _format_coefficient(Decimal(self.coefficient), ukrainian=_ukrainian()),
                "year": self.year,
                "minimum": format_money(self.minimum),
                "rounding": rounding,
            }
        if self.kind == ServiceVersion.FeeKind.VARIABLE:
            return gettext(
                "Paid service: the fee depends on the circumstances of the application; the administrator "
                "will tell you the amount."
            )
        return self.text_uk


def format_uah(amount: Decimal) -> str:
    """``Decimal("1147")`` → ``"1 147,00 грн"`` (Ukrainian separators)."""
    whole, _, cents = f"{amount.quantize(CENT, ROUND_HALF_UP):,.2f}".partition(".")
    return f"{whole.replace(',', ' ')},{cents} грн"


def _ukrainian() -> bool:
    return (translation.get_language() or "uk").startswith("uk")


def format_money(amount: Decimal) -> str:
    """The amount in the page's language: «1 147,00 грн» in Ukrainian, «1,147.00 UAH» in English."""
    number = f"{amount.quantize(CENT, ROUND_HALF_UP):,.2f}"
    if _ukrainian():
        whole, _, cents = number.partition(".")
        number = f"{whole.replace(',', ' ')},{cents}"
    return gettext("%(amount)s UAH") % {"amount": number}


def _format_coefficient(value: Decimal, *, ukrainian: bool = True) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if ukrainian else text


def subsistence_minimum(year: int) -> Decimal:
    """ПМ for able-bodied persons on 1 January of ``year``; DomainError when it is not recorded."""
    amount = SubsistenceMinimum.objects.filter(year=year).values_list("amount", flat=True).first()
    if amount is None:
        raise DomainError(
            gettext(
                "The subsistence minimum for able-bodied persons on 1 January %(year)s is not set: a system "
                "administrator must add it before the fee can be calculated."
            )
            % {"year": year},
            code="subsistence_minimum_missing",
            field="on_date",
        )
    return amount


def round_fee(raw: Decimal, rounding: str) -> Decimal:
    if rounding == FeeRule.Rounding.NEAREST_10_UAH:
        return ((raw / TEN).quantize(Decimal("1"), ROUND_HALF_UP) * TEN).quantize(CENT)
    if rounding == FeeRule.Rounding.NONE_KOPECKS:
        return raw.quantize(CENT, ROUND_HALF_UP)
    raise DomainError(
        gettext("Unknown rounding of the fee: «%(rounding)s».") % {"rounding": rounding}, code="fee_rounding_unknown"
    )


def rule_amount(rule: FeeRule, year: int) -> Decimal:
    """The amount of a formula fee for applications filed in ``year``."""
    return round_fee(Decimal(rule.coefficient) * subsistence_minimum(year), rule.rounding)


def _rule_in_force(rule: FeeRule, on_date: dt.date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= on_date) and (
        rule.valid_to is None or on_date <= rule.valid_to
    )


def fee_for(version: ServiceVersion, on_date: dt.date) -> FeeQuote:
    """The fee of ``version`` for an application filed on ``on_date``."""
    kind = version.fee_kind
    if kind == ServiceVersion.FeeKind.FREE:
        return FeeQuote(Decimal("0.00"), "", "Безоплатно", kind=kind)
    if kind == ServiceVersion.FeeKind.FIXED:
        if version.fee_amount is None:
            raise DomainError(
                gettext("No amount is set for the fixed fee."), code="fee_amount_missing", field="fee_amount"
            )
        amount = Decimal(version.fee_amount).quantize(CENT)
        return FeeQuote(amount, version.fee_budget_code, format_uah(amount), kind=kind)
    if kind == ServiceVersion.FeeKind.RULE:
        rule = version.fee_rule
        if rule is None:
            raise DomainError(
                gettext("No rule is set for the fee by a formula."), code="fee_rule_missing", field="fee_rule"
            )
        if not _rule_in_force(rule, on_date):
            raise DomainError(
                gettext("Fee rule «%(rule)s» is not in force on %(date)s.")
                % {"rule": rule.rule_id, "date": f"{on_date:%d.%m.%Y}"},
                code="fee_rule_not_in_force",
                field="on_date",
            )
        year = on_date.year
        pm = subsistence_minimum(year)
        amount = round_fee(Decimal(rule.coefficient) * pm, rule.rounding)
        rounding = "округлено до 10 грн" if rule.rounding == FeeRule.Rounding.NEAREST_10_UAH else "з копійками"
        text = (
            f"{format_uah(amount)} ({_format_coefficient(Decimal(rule.coefficient))} прожиткового мінімуму "
            f"для працездатних осіб на 1 січня {year} р. — {format_uah(pm)}; {rounding})"
        )
        return FeeQuote(
            amount,
            rule.budget_code or version.fee_budget_code,
            text,
            kind=kind,
            coefficient=Decimal(rule.coefficient),
            minimum=pm,
            year=year,
            rounding=rule.rounding,
        )
    if kind == ServiceVersion.FeeKind.VARIABLE:
        return FeeQuote(
            None,
            version.fee_budget_code,
            "Платна послуга: розмір плати залежить від обставин звернення, його повідомляє адміністратор.",
            kind=kind,
        )
    raise DomainError(
        gettext("Unknown kind of fee: «%(kind)s».") % {"kind": kind}, code="fee_kind_unknown", field="fee_kind"
    )
