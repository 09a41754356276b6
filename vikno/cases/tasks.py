"""Background jobs of the cases room, discovered by procrastinate (``PROCRASTINATE_AUTODISCOVER_MODULE_NAME``).

``sweep_deadlines`` runs every day at 06:00 UTC (08:00 or 09:00 in Kyiv) through the periodic deferrer of
``manage.py procrastinate worker``; run it by hand with ``manage.py sweep_deadlines``. ``refresh_demand``
recounts each service's cases of the last year for the catalog search at 02:30 UTC (``manage.py
refresh_service_demand``). ``sweep_staged_scans`` removes the intake scans staged for a form that was never
registered, once they are a day old, at 03:15 UTC (``manage.py sweep_staged_scans``).
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


@app.periodic(cron="15 3 * * *", periodic_id="staged_scans")
@app.task(name="cases.sweep_staged_scans", queueing_lock="cases.sweep_staged_scans", retry=3)
def sweep_staged_scans(timestamp: int) -> int:
    """Remove scans staged by intake forms that were left with errors over a day ago (idempotent)."""
    removed = staging.sweep()
    logger.info("Staged intake scans for the run scheduled at %s: %s removed", timestamp, removed)
    return removed
