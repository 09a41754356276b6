"""Fee payments recorded on a case (the case itself lives in the cases room)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from vikno.core.db.atomic import SavedWithItsSignals
from vikno.core.scoping import ScopedManager


class Payment(SavedWithItsSignals):
    class Method(models.TextChoices):
        POS = "pos", _("POS terminal")
        BANK = "bank", _("Bank / online payment")
        EXEMPTION = "exemption", _("Exemption from payment")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="payments")
    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    budget_code = models.CharField(max_length=8, blank=True)
    receipt_number = models.CharField(max_length=80, blank=True)
    paid_on = models.DateField()
    exemption_ground = models.CharField(max_length=500, blank=True, help_text="Legal ground of the exemption.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["center", "paid_on"], name="payment_center_paid_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_non_negative"),
            models.CheckConstraint(
                condition=~Q(method="exemption") | ~Q(exemption_ground=""), name="payment_exemption_has_ground"
            ),
            # One receipt pays one fee: a receipt number is recorded once per center and method, whatever
            # the letter case (an exemption has no receipt to count). payments.services refuses a second
            # one first, naming the case it paid; this index settles two recorded at the same moment, and
            # serves that check (without it, a scan of the center's payments on every payment taken: 66 ms
            # on the 1M-case bench database). Its name is payments.services.RECEIPT_ONCE.
            models.UniqueConstraint(
                "center",
                "method",
                Upper("receipt_number"),
                condition=~Q(receipt_number="") & ~Q(method="exemption"),
                name="payment_receipt_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.amount} ({self.method})"
