# Indexes of the open cases (a small share of the table) by center and by region, covering what the staff
# workplace counts (vikno/cases/services.py ``workload``), so its counts are index-only scans.
# Built CONCURRENTLY (outside a transaction) so that centers keep registering while they are built.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

OPEN = (
    "submitted_online",
    "accepted",
    "sent_to_provider",
    "in_progress",
    "needs_clarification",
    "result_ready",
    "refused",
)
COUNTED = ("due_at", "suspended_since", "result_ready_at", "escalated_at")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0007_case_document_extra"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["center", "status"],
                include=COUNTED,
                name="case_center_open",
            ),
        ),
        AddIndexConcurrently(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["region", "status"],
                include=("center", *COUNTED),
                name="case_region_open",
            ),
        ),
    ]
