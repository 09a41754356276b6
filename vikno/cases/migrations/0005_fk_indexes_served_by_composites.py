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
        ("cases", "0004_case_center_decided"),
        ("orgs", "0002_settlement_hromada_optional"),
    ]

    operations = [
        without_own_index(
            "cases",
            (
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
                "cases_applicant_center_id_ed22aebf",
            ),
            (
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
                "cases_case_applicant_id_756c921c",
            ),
            (
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
                "cases_case_center_id_de7b7087",
            ),
            (
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
                "cases_case_provider_id_0dba6a13",
            ),
            (
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
                "cases_case_region_id_ffee331b",
            ),
            (
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
                "cases_caseevent_case_id_6c6031ac",
            ),
            (
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
                "cases_casetask_case_id_bf00219b",
            ),
            (
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
                "cases_consultation_center_id_660cfe75",
            ),
        )
    ]
