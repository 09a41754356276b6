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
        ("cases", "0005_fk_indexes_served_by_composites"),
        ("notify", "0002_alter_notification_event"),
        ("orgs", "0002_settlement_hromada_optional"),
    ]

    operations = [
        without_own_index(
            "notify",
            (
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
                "notify_notification_case_id_97ca610f",
            ),
            (
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
                "notify_notification_center_id_9c3c094a",
            ),
            (
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
                "notify_notification_region_id_17d8b565",
            ),
        )
    ]
