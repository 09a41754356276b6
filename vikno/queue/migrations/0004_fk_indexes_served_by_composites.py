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
        ("queue", "0003_ticket_ticket_workplace_active"),
    ]

    operations = [
        without_own_index(
            "queue",
            (
                migrations.AlterField(
                    model_name="booking",
                    name="office",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="orgs.office",
                    ),
                ),
                "queue_booking_office_id_0ae777b7",
            ),
            (
                migrations.AlterField(
                    model_name="booking",
                    name="queue",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="queue.queue",
                    ),
                ),
                "queue_booking_queue_id_adb8854a",
            ),
            (
                migrations.AlterField(
                    model_name="rating",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.center"
                    ),
                ),
                "queue_rating_center_id_38d3cb05",
            ),
            (
                migrations.AlterField(
                    model_name="ticket",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.center"
                    ),
                ),
                "queue_ticket_center_id_2366c073",
            ),
            (
                migrations.AlterField(
                    model_name="ticket",
                    name="office",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="orgs.office",
                    ),
                ),
                "queue_ticket_office_id_baece8fb",
            ),
            (
                migrations.AlterField(
                    model_name="visitevent",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.center"
                    ),
                ),
                "queue_visitevent_center_id_c982dc1d",
            ),
            (
                migrations.AlterField(
                    model_name="visitevent",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="queue.ticket",
                    ),
                ),
                "queue_visitevent_ticket_id_e7a59301",
            ),
        )
    ]
