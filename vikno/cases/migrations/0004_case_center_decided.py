# Index for the service-timing roll-up: the cases of a center decided on a given day.
# Built CONCURRENTLY (outside a transaction) so that a center with millions of cases keeps registering
# while it is built.

import django.db.models.functions.comparison
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0003_case_case_center_closed"),
        ("catalog", "0002_search_vocabulary"),
        ("orgs", "0002_settlement_hromada_optional"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="case",
            index=models.Index(
                models.F("center"),
                django.db.models.functions.comparison.Coalesce("result_ready_at", "closed_at"),
                condition=models.Q(("status__in", ("result_ready", "issued", "refused", "refusal_issued"))),
                name="case_center_decided",
            ),
        ),
    ]
