"""Background jobs of the queue room (procrastinate; run with ``manage.py procrastinate worker``).

- ``queue.booking_sweep`` every minute: expire holds whose time ran out, mark bookings not checked in by the
  end of the late window as no-shows; delete ended rate-limit windows (``core.ratelimit``).
- ``queue.booking_reminders`` every ten minutes: remind of bookings starting within ``QUEUE_REMINDER_HOURS``
  (once per booked time).
Each job is idempotent, so a run that was missed or repeated does no harm.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from procrastinate.contrib.django import app

from vikno.core import ratelimit

from . import booking

logger = logging.getLogger(__name__)


@app.periodic(cron="* * * * *", periodic_id="queue-booking-sweep")
@app.task(name="queue.booking_sweep", queue="queue", queueing_lock="queue.booking_sweep")
def booking_sweep(timestamp: int) -> str:
    now = timezone.now()
    expired = booking.expire_holds(now)
    no_shows = booking.mark_no_shows(now)
    ratelimit.purge(now=now)  # ended rate-limit windows (status check, booking forms and API)
    if expired or no_shows:
        logger.info("Booking sweep: %s holds expired, %s no-shows", expired, no_shows)
    return f"expired={expired} no_shows={no_shows}"


@app.periodic(cron="*/10 * * * *", periodic_id="queue-booking-reminders")
@app.task(name="queue.booking_reminders", queue="queue", queueing_lock="queue.booking_reminders")
def booking_reminders(timestamp: int) -> str:
    sent = booking.send_reminders(timezone.now())
    return f"reminded={sent}"


@app.periodic(cron="30 22 * * *", periodic_id="queue-close-day")
@app.task(name="queue.close_stale_tickets", queue="queue", queueing_lock="queue.close_stale_tickets")
def close_stale_tickets(timestamp: int) -> str:
    """After closing time (22:30 UTC = after midnight in Kyiv in summer, 00:30 in winter)."""
    from . import services

    return f"closed={services.close_stale_tickets()}"
