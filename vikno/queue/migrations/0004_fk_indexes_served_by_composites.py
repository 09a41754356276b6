# Foreign keys that lead a composite index of their table lose their own single-column index: the
# composite one serves every look-up (and the foreign-key checks) the single one did, and each insert
# no longer pays for the extra upkeep (vikno/core/tests/test_indexes.py). The indexes are dropped
# CONCURRENTLY, outside a transaction, so that the tables stay writable meanwhile.

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [  # table, column, index
    ("queue_booking", "office_id", "queue_booking_office_id_0ae777b7"),
    ("queue_booking", "queue_id", "queue_booking_queue_id_adb8854a"),
    ("queue_rating", "center_id", "queue_rating_center_id_38d3cb05"),
    ("queue_ticket", "center_id", "queue_ticket_center_id_2366c073"),
    ("queue_ticket", "office_id", "queue_ticket_office_id_baece8fb"),
    ("queue_visitevent", "center_id", "queue_visitevent_center_id_c982dc1d"),
    ("queue_visitevent", "ticket_id", "queue_visitevent_ticket_id_e7a59301"),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orgs", "0002_settlement_hromada_optional"),
        ("queue", "0003_ticket_ticket_workplace_active"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
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
                migrations.AlterField(
                    model_name="rating",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.center"
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.center"
                    ),
                ),
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
                migrations.AlterField(
                    model_name="visitevent",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.center"
                    ),
                ),
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
