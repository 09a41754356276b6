"""Background jobs of the cases room, discovered by procrastinate (``PROCRASTINATE_AUTODISCOVER_MODULE_NAME``).

``sweep_deadlines`` runs every day at 06:00 UTC (08:00 or 09:00 in Kyiv) through the periodic deferrer of
``manage.py procrastinate worker``; run it by hand with ``manage.py sweep_deadlines``. ``refresh_demand``
recounts each service's cases of the last year for the catalog search at 02:30 UTC (``manage.py
refresh_service_demand``). ``sweep_staged_uploads`` removes, every hour, the files kept for refused intake forms
and online applications once they are a day old (``staging.sweep``; ``manage.py sweep_staged_uploads``).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from procrastinate.contrib.django import app

from . import deadlines, demand, staging

logger = logging.getLogger(__name__)


@app.periodic(cron="0 6 * * *", periodic_id="daily")
@app.task(name="cases.sweep_deadlines", queueing_lock="cases.sweep_deadlines", retry=3)
def sweep_deadlines(timestamp: int) -> str:
    """Escalate overdue cases and remind applicants of uncollected results and refusal decisions (idempotent)."""
    report = deadlines.sweep(timezone.now())
    logger.info("Deadline sweep for the run scheduled at %s: %s", timestamp, report)
    return str(report)


@app.periodic(cron="30 2 * * *", periodic_id="demand")
@app.task(name="cases.refresh_demand", queueing_lock="cases.refresh_demand", retry=3)
def refresh_demand(timestamp: int) -> int:
    """Recount how many cases of each service were filed in the last year (idempotent)."""
    changed = demand.refresh()
    logger.info("Service demand for the run scheduled at %s: %s services changed", timestamp, changed)
    return changed


@app.periodic(cron="17 * * * *", periodic_id="staged_uploads")
@app.task(name="cases.sweep_staged_uploads", queueing_lock="cases.sweep_staged_uploads", retry=3)
def sweep_staged_uploads(timestamp: int) -> int:
    """Remove the files kept for refused forms (intake, online application) over a day ago (idempotent)."""
    removed = staging.sweep()
    if removed:
        logger.info("Staged uploads swept for the run scheduled at %s: %s", timestamp, removed)
    return removed
