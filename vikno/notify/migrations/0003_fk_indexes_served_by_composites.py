# Foreign keys that lead a composite index of their table lose their own single-column index: the
# composite one serves every look-up (and the foreign-key checks) the single one did, and each insert
# no longer pays for the extra upkeep (vikno/core/tests/test_indexes.py). The indexes are dropped
# CONCURRENTLY, outside a transaction, so that the tables stay writable meanwhile.

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [  # table, column, index
    ("notify_notification", "case_id", "notify_notification_case_id_97ca610f"),
    ("notify_notification", "center_id", "notify_notification_center_id_9c3c094a"),
    ("notify_notification", "region_id", "notify_notification_region_id_17d8b565"),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0005_fk_indexes_served_by_composites"),
        ("notify", "0002_alter_notification_event"),
        ("orgs", "0002_settlement_hromada_optional"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="case",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notifications",
                        to="cases.case",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="center",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.center",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.region",
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
