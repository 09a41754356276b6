"""Fee payments on a case (owner: cases-core).

- ``record_payment(case, *, method, amount, receipt_number="", paid_on, exemption_ground="", actor)``:
  a POS or bank payment, or an exemption with its legal ground; audited. Refused: an amount above the
  fee still due, any payment once the fee is covered or exempted (or for a free service), and a
  receipt number already recorded with the same method in the center (409 ``duplicate_receipt``).
- ``receipt_refusal(error, *, center_id, method, receipt_number)``: the same 409 for the
  ``IntegrityError`` of the unique index of receipts (two payments of one receipt recorded at the same
  moment: both pass the check, the database refuses the second); for a caller whose transaction wraps
  ``record_payment``, once that transaction has rolled back.
- ``paid_total(case)``; ``exemption_ground(case)``; ``is_paid(case)``: no fee due, or payments cover it, or an exemption is recorded.

The case comes from the cases room, which sits above this one: it is passed in and used by its
attributes only (``center_id``, ``region_id``, ``fee_amount``, ``fee_budget_code``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vikno.catalog.fees import format_money
from vikno.core.audit import Actor, record
from vikno.core.db.errors import violated_constraint
from vikno.core.errors import Conflict, DomainError

from .models import Payment

METHODS = {m.value for m in Payment.Method}
MAX_AMOUNT = Decimal("9999999999.99")
MAX_RECEIPT = 80  # Payment.receipt_number
RECEIPT_ONCE = "payment_receipt_once"  # the unique index of receipts (Payment.Meta.constraints)


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("The payment amount must be a number, e.g. 85.00."), code="invalid_amount", field="amount")
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise DomainError(
            _("The payment amount cannot be negative or too large."), code="invalid_amount", field="amount"
        )
    return amount


def record_payment(
    case,
    *,
    method: str,
    amount=None,
    receipt_number: str = "",
    paid_on: dt.date | None = None,
    exemption_ground: str = "",
    actor: Actor | None,
) -> Payment:
    """Record one payment (or an exemption) of the case's fee. Permission checks are the caller's."""
    if method not in METHODS:
        raise DomainError(
            _("The payment method must be: POS terminal, bank or exemption from payment."),
            code="invalid_method",
            field="method",
        )
    # as stored (the check below compares what the unique index will)
    receipt_number = (receipt_number or "").strip()[:MAX_RECEIPT]
    exemption_ground = (exemption_ground or "").strip()
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise DomainError(_("The payment date cannot be in the future."), code="invalid_paid_on", field="paid_on")
    if method == Payment.Method.EXEMPTION:
        if not exemption_ground:
            raise DomainError(
                _("For an exemption from payment give its legal ground (law, article, benefit)."),
                code="exemption_ground_required",
                field="exemption_ground",
            )
        amount = _amount(amount if amount not in (None, "") else 0)
    else:
        if amount in (None, ""):
            raise DomainError(_("Give the payment amount."), code="amount_required", field="amount")
        amount = _amount(amount)
        if amount == 0:
            raise DomainError(_("The payment amount must be greater than zero."), code="invalid_amount", field="amount")
        if not receipt_number:
            raise DomainError(
                _("Give the number of the payment receipt or cheque."),
                code="receipt_number_required",
                field="receipt_number",
            )
    _check_against_fee(case, method=method, amount=amount, receipt_number=receipt_number)
    try:
        payment = _insert(case, method, amount, receipt_number, paid_on, exemption_ground, actor)
    except IntegrityError as error:
        # The same receipt recorded for another case at this very moment passed the check too; the
        # unique index refused this insert and the transaction is lost. Inside a caller's transaction
        # (a registration, a staff action) the caller answers it once its block has rolled back
        # (``receipt_refusal``); on its own, the transaction is over and this function answers it.
        if transaction.get_connection().in_atomic_block:
            raise
        refusal = receipt_refusal(error, center_id=case.center_id, method=method, receipt_number=receipt_number)
        if refusal is None:
            raise
        raise refusal from error
    return payment


def _insert(case, method, amount, receipt_number, paid_on, exemption_ground, actor) -> Payment:
    # savepoint=False: inside a registration or a staff action the caller's transaction is the unit; a
    # savepoint would add two round trips and nothing to undo separately.
    with transaction.atomic(savepoint=False):
        payment = Payment.objects.create(
            case_id=case.pk,
            center_id=case.center_id,
            region_id=case.region_id,
            method=method,
            amount=amount,
            budget_code=getattr(case, "fee_budget_code", "") or "",
            receipt_number=receipt_number,
            paid_on=paid_on,
            exemption_ground=exemption_ground[:500],
            recorded_by_id=actor.user_id if actor else None,
        )
        record(
            actor,
            "payment.recorded",
            payment,
            data={
                "case": getattr(case, "number", case.pk),
                "method": method,
                "amount": str(amount),
                "receipt_number": receipt_number,
                "paid_on": paid_on.isoformat(),
                "exemption_ground": exemption_ground,
            },
        )
    return payment


def _check_against_fee(case, *, method: str, amount: Decimal, receipt_number: str) -> None:
    """Refuse a payment the case does not need: more than the fee still due, anything once the fee is
    paid or exempted, and a receipt already recorded in the center (a double entry). One query."""
    fee = case.fee_amount
    on_case = Q(case_id=case.pk)
    checks = {"paid": Sum("amount", filter=on_case & ~Q(method=Payment.Method.EXEMPTION), default=Decimal("0"))}
    checks["exempt"] = Count("id", filter=on_case & Q(method=Payment.Method.EXEMPTION))
    wanted = on_case
    if receipt_number and method != Payment.Method.EXEMPTION:
        same_receipt = _same_receipt(case.center_id, method, receipt_number)
        checks["duplicate"] = Min("case__number", filter=same_receipt)
        wanted |= same_receipt
    found = Payment.objects.filter(wanted).aggregate(**checks)
    if found.get("duplicate"):
        raise _duplicate_receipt(receipt_number, found["duplicate"])
    if fee is None:
        return  # the fee depends on the case: staff know what is due
    if fee == 0:
        raise Conflict(_("This service is free: there is no fee to pay."), code="no_fee_due")
    due = fee - found["paid"]
    if found["exempt"] or due <= 0:
        raise Conflict(_("The fee for this case is already paid."), code="already_paid")
    if method != Payment.Method.EXEMPTION and amount > due:
        raise DomainError(
            _("The amount %(amount)s is more than the fee still due, %(due)s. Enter at most %(due)s.")
            % {"amount": format_money(amount), "due": format_money(due)},
            code="amount_over_due",
            field="amount",
        )


def _same_receipt(center_id: int, method: str, receipt_number: str) -> Q:
    """Payments counted as the same receipt, as the unique index ``RECEIPT_ONCE`` counts them (its
    condition repeated, so that the index serves the look-up)."""
    return Q(center_id=center_id, method=method, receipt_number__iexact=receipt_number) & (
        ~Q(receipt_number="") & ~Q(method=Payment.Method.EXEMPTION)
    )


def _duplicate_receipt(receipt_number: str, number) -> Conflict:
    return Conflict(
        _("Receipt No. %(receipt)s is already recorded (case No. %(number)s); one receipt pays one fee.")
        % {"receipt": receipt_number, "number": number},
        code="duplicate_receipt",
    )


def receipt_refusal(error: IntegrityError, *, center_id: int, method: str, receipt_number: str) -> Conflict | None:
    """The 409 of a receipt recorded twice (as ``record_payment`` answers it) when ``error`` is the unique
    index of receipts refusing the second of two payments recorded at the same moment; None for any
    other error. Call it once the transaction (or savepoint) that raised ``error`` has rolled back: it
    reads the case the receipt paid, committed by the other payment."""
    if violated_constraint(error) != RECEIPT_ONCE:
        return None
    receipt_number = (receipt_number or "").strip()[:MAX_RECEIPT]
    number = Payment.objects.filter(_same_receipt(center_id, method, receipt_number)).aggregate(
        number=Min("case__number")
    )["number"]
    return _duplicate_receipt(receipt_number, number or "—")


def paid_total(case) -> Decimal:
    total = Payment.objects.filter(case_id=case.pk).exclude(method=Payment.Method.EXEMPTION).aggregate(s=Sum("amount"))
    return total["s"] or Decimal("0.00")


def exemption_ground(case) -> str:
    """The legal ground of the case's exemption from the fee; empty when none is recorded."""
    found = Payment.objects.filter(case_id=case.pk, method=Payment.Method.EXEMPTION).order_by("id").first()
    return found.exemption_ground if found else ""


def is_paid(case) -> bool:
    """True when nothing is due, the payments cover the fee, or an exemption is recorded."""
    fee = case.fee_amount
    if fee is None or fee == 0:
        return True
    payments = Payment.objects.filter(case_id=case.pk)
    if payments.filter(method=Payment.Method.EXEMPTION).exists():
        return True
    return paid_total(case) >= fee
