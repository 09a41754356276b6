# Foreign keys that lead a composite index of their table lose their own single-column index: the
# composite one serves every look-up (and the foreign-key checks) the single one did, and each insert
# no longer pays for the extra upkeep (vikno/core/tests/test_indexes.py). The indexes are dropped
# CONCURRENTLY, outside a transaction, so that the tables stay writable meanwhile.

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [  # table, column, index
    ("cases_applicant", "center_id", "cases_applicant_center_id_ed22aebf"),
    ("cases_case", "applicant_id", "cases_case_applicant_id_756c921c"),
    ("cases_case", "center_id", "cases_case_center_id_de7b7087"),
    ("cases_case", "provider_id", "cases_case_provider_id_0dba6a13"),
    ("cases_case", "region_id", "cases_case_region_id_ffee331b"),
    ("cases_caseevent", "case_id", "cases_caseevent_case_id_6c6031ac"),
    ("cases_casetask", "case_id", "cases_casetask_case_id_bf00219b"),
    ("cases_consultation", "center_id", "cases_consultation_center_id_660cfe75"),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0004_case_center_decided"),
        ("orgs", "0002_settlement_hromada_optional"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="applicant",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applicants",
                        to="orgs.center",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="applicant",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="cases.applicant",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="orgs.center",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="provider",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="orgs.provider",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.region",
                    ),
                ),
                migrations.AlterField(
                    model_name="caseevent",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="cases.case",
                    ),
                ),
                migrations.AlterField(
                    model_name="casetask",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tasks",
                        to="cases.case",
                    ),
                ),
                migrations.AlterField(
                    model_name="consultation",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consultations",
                        to="orgs.center",
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
