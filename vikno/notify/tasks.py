"""Background jobs of the notify room (procrastinate; run with ``manage.py procrastinate worker``).

- ``notify.deliver``: deliver one notification; after a gateway error or a timeout the job is
  retried with exponential backoff (``NOTIFY_RETRY_BASE_SECONDS`` doubling up to
  ``NOTIFY_RETRY_MAX_SECONDS``) until ``NOTIFY_MAX_ATTEMPTS`` attempts are spent.
- ``notify.sweep``: every five minutes, re-defer notifications left waiting.
"""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.retry import RetryDecision

from . import delivery, services

QUEUE = "notify"


class Backoff(RetryStrategy):
    """Retry only ``RetryLater``, after the delay the delivery computed from the notification's own
    attempt count (which survives a job re-deferred by the sweeper). Settings are read at each
    decision, so tests can make the backoff tiny."""

    def get_retry_decision(self, *, exception, job):
        if not isinstance(exception, delivery.RetryLater):
            return None
        return RetryDecision(retry_in={"seconds": exception.delay})


@app.task(name="notify.deliver", queue=QUEUE, retry=Backoff(retry_exceptions=[delivery.RetryLater]))
def deliver_notification(notification_id: int) -> str:
    return delivery.deliver(notification_id)


@app.periodic(cron="*/5 * * * *", periodic_id="notify-sweep")
@app.task(name="notify.sweep", queue=QUEUE, queueing_lock="notify.sweep")
def sweep_notifications(timestamp: int) -> int:
    return services.sweep()
