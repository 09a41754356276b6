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
        ("reports", "0005_rollupdirty_recount_all"),
    ]

    operations = [
        without_own_index(
            "reports",
            (
                migrations.AlterField(
                    model_name="dailyrollup",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.center"
                    ),
                ),
                "reports_dailyrollup_center_id_015837fd",
            ),
            (
                migrations.AlterField(
                    model_name="dailyrollup",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.region"
                    ),
                ),
                "reports_dailyrollup_region_id_b60851cf",
            ),
            (
                migrations.AlterField(
                    model_name="monthlyrollup",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.center"
                    ),
                ),
                "reports_monthlyrollup_center_id_ebae0530",
            ),
            (
                migrations.AlterField(
                    model_name="monthlyrollup",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.region"
                    ),
                ),
                "reports_monthlyrollup_region_id_7373221d",
            ),
            (
                migrations.AlterField(
                    model_name="servicetimingrollup",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.center"
                    ),
                ),
                "reports_servicetimingrollup_center_id_64abd08b",
            ),
            (
                migrations.AlterField(
                    model_name="servicetimingrollup",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.region"
                    ),
                ),
                "reports_servicetimingrollup_region_id_64808b04",
            ),
        )
    ]
