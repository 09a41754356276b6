"""Background jobs of the reports room (procrastinate).

- ``reports.refresh_rollups`` every five minutes: rebuild the center-days marked dirty. Idempotent.
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from . import rollup


@app.periodic(cron="*/5 * * * *", periodic_id="reports-refresh-rollups")
@app.task(name="reports.refresh_rollups", queue="reports", queueing_lock="reports.refresh_rollups")
def refresh_rollups(timestamp: int) -> str:
    return f"rebuilt={rollup.refresh_dirty()}"
