# Foreign keys that lead a composite index of their table lose their own single-column index: the
# composite one serves every look-up (and the foreign-key checks) the single one did, and each insert
# no longer pays for the extra upkeep (vikno/core/tests/test_indexes.py). The indexes are dropped
# CONCURRENTLY, outside a transaction, so that the tables stay writable meanwhile.

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [  # table, column, index
    ("reports_dailyrollup", "center_id", "reports_dailyrollup_center_id_015837fd"),
    ("reports_dailyrollup", "region_id", "reports_dailyrollup_region_id_b60851cf"),
    ("reports_monthlyrollup", "center_id", "reports_monthlyrollup_center_id_ebae0530"),
    ("reports_monthlyrollup", "region_id", "reports_monthlyrollup_region_id_7373221d"),
    ("reports_servicetimingrollup", "center_id", "reports_servicetimingrollup_center_id_64abd08b"),
    ("reports_servicetimingrollup", "region_id", "reports_servicetimingrollup_region_id_64808b04"),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orgs", "0002_settlement_hromada_optional"),
        ("reports", "0005_rollupdirty_recount_all"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dailyrollup",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.center"
                    ),
                ),
                migrations.AlterField(
                    model_name="dailyrollup",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.region"
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlyrollup",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.center"
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlyrollup",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.region"
                    ),
                ),
                migrations.AlterField(
                    model_name="servicetimingrollup",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.center"
                    ),
                ),
                migrations.AlterField(
                    model_name="servicetimingrollup",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.region"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX CONCURRENTLY IF EXISTS {index}",
                    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {table} ({column})",
                )
                for table, column, index in DROPPED
            ],
        )
    ]
