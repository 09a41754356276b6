"""Background jobs of the portal (procrastinate; run with ``manage.py procrastinate worker``).

- ``portal.sweep_staged_uploads`` every hour: delete the files kept for online applications that were
  refused and not finished within a day (``services.sweep_staged_uploads``). Idempotent.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from procrastinate.contrib.django import app

from . import services

logger = logging.getLogger(__name__)


@app.periodic(cron="17 * * * *", periodic_id="portal-staged-sweep")
@app.task(name="portal.sweep_staged_uploads", queueing_lock="portal.sweep_staged_uploads", retry=3)
def sweep_staged_uploads(timestamp: int) -> int:
    swept = services.sweep_staged_uploads(timezone.now())
    if swept:
        logger.info("Staged uploads swept for the run scheduled at %s: %s", timestamp, swept)
    return swept
