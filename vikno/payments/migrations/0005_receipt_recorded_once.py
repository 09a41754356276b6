"""One receipt pays one fee, now enforced by the database: the index of the receipt double-entry check
(0004, center + method + upper(receipt number)) becomes a UNIQUE index over the payments that carry a
receipt (a receipt number given, and not an exemption), named ``payment_receipt_once``.

Receipts already recorded twice (before the service check existed, or by two payments taken at the
same moment) are NOT changed here: which payment a receipt really belongs to is known only from the
paper receipts, so no rule could pick one, and a suffix or a deleted payment would falsify a financial
record. The migration lists them (center, method, receipt, the cases and payment ids) and stops before
changing anything; staff correct the wrong receipt numbers (see docs/operations.md, «Receipts recorded
twice») and the migration is run again.
"""

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Upper

# Listed in full up to this many; beyond it, a count (the query is in docs/operations.md).
SHOWN = 50

DUPLICATES = """
SELECT p.center_id, c.name, p.method, upper(p.receipt_number),
       array_agg(k.number || ' (payment ' || p.id || ', ' || p.receipt_number || ')' ORDER BY p.id)
FROM payments_payment p
JOIN orgs_center c ON c.id = p.center_id
JOIN cases_case k ON k.id = p.case_id
WHERE p.receipt_number <> '' AND p.method <> 'exemption'
GROUP BY p.center_id, c.name, p.method, upper(p.receipt_number)
HAVING count(*) > 1
ORDER BY p.center_id, p.method, upper(p.receipt_number)
"""


def refuse_receipts_recorded_twice(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DUPLICATES)
        found = cursor.fetchall()
    if not found:
        return
    lines = [
        f"  center {center_id} ({name}), {method}, receipt {receipt}: " + "; ".join(payments)
        for center_id, name, method, receipt, payments in found[:SHOWN]
    ]
    if len(found) > SHOWN:
        lines.append(f"  … and {len(found) - SHOWN} more")
    raise CommandError(
        f"payments.0005 makes a receipt number unique per center and payment method, but {len(found)} "
        "receipt number(s) are recorded more than once (letter case ignored):\n"
        + "\n".join(lines)
        + "\nNothing was changed. Which payment a receipt belongs to is known only from the paper receipts: "
        "correct the receipt number of each payment recorded by mistake (see docs/operations.md, "
        "«Receipts recorded twice»), then run migrate again."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_document_extra"),
        ("orgs", "0004_weekday_names_translated"),
        ("payments", "0004_receipt_index"),
    ]

    operations = [
        migrations.RunPython(refuse_receipts_recorded_twice, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="payment", name="payment_center_receipt"),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(
                models.F("center"),
                models.F("method"),
                Upper("receipt_number"),
                condition=~Q(receipt_number="") & ~Q(method="exemption"),
                name="payment_receipt_once",
            ),
        ),
    ]
