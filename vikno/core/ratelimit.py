"""Rate-limit counters in PostgreSQL, so every app process counts against the same budget.

``hit(key, window)`` adds one to the key's count and returns the new count, in one statement
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``): the row lock taken by the upsert serialises
concurrent hits of a key, so none is lost, and a window that has ended restarts at 1 in the same
statement. ``count(key)`` reads the count of the current window; ``purge()`` deletes ended windows
(called by the periodic booking sweep). The table is UNLOGGED: counters need no crash safety.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from .models import RateCounter

_HIT = """
INSERT INTO core_ratecounter AS c (key, expires_at, count) VALUES (%s, %s, 1)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN c.expires_at <= %s THEN 1 ELSE c.count + 1 END,
  expires_at = CASE WHEN c.expires_at <= %s THEN EXCLUDED.expires_at ELSE c.expires_at END
RETURNING count
"""


def hit(key: str, window_seconds: int, *, now: datetime | None = None) -> int:
    """Count one more under ``key`` in a window of ``window_seconds`` from its first hit; the new count."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_HIT, [key[:200], now + timedelta(seconds=window_seconds), now, now])
        return cursor.fetchone()[0]


def count(key: str, *, now: datetime | None = None) -> int:
    """The count under ``key`` in its current window (0 when none or ended)."""
    now = now or timezone.now()
    row = RateCounter.objects.filter(key=key[:200], expires_at__gt=now).values_list("count", flat=True).first()
    return row or 0


def purge(*, now: datetime | None = None) -> int:
    """Delete the counters whose window has ended; how many."""
    deleted, _ = RateCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
