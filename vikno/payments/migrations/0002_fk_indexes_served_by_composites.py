# Foreign keys that lead a composite index of their table lose their own single-column index: the
# composite one serves every look-up (and the foreign-key checks) the single one did, and each insert
# no longer pays for the extra upkeep (vikno/core/tests/test_indexes.py). The indexes are dropped
# CONCURRENTLY, outside a transaction, so that the tables stay writable meanwhile.

import django.db.models.deletion
from django.db import migrations, models

from vikno.core.migration_ops import without_own_index


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orgs", "0002_settlement_hromada_optional"),
        ("payments", "0001_initial"),
    ]

    operations = [
        without_own_index(
            "payments",
            (
                migrations.AlterField(
                    model_name="payment",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.center"
                    ),
                ),
                "payments_payment_center_id_eb870365",
            ),
        )
    ]
