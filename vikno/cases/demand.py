"""How often each service is asked for: ``catalog.Service.demand``, the search's tie-breaker.

``refresh()`` counts the cases filed in the 365 days before today, over every center, and writes the
count onto each service whose figure changed (one statement). The nightly job ``cases.refresh_demand``
runs it; ``manage.py refresh_service_demand`` runs it by hand. A year is long enough that a seasonal
service (school enrolment, heating subsidies) keeps its place all year round.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import connection
from django.utils import timezone

WINDOW_DAYS = 365

_REFRESH_SQL = """
UPDATE catalog_service AS s
SET demand = coalesce(c.filed, 0)
FROM catalog_service AS t
LEFT JOIN (
    SELECT service_id, count(*) AS filed FROM cases_case WHERE filed_at >= %(since)s GROUP BY service_id
) AS c ON c.service_id = t.id
WHERE s.id = t.id AND s.demand IS DISTINCT FROM coalesce(c.filed, 0)
"""


def refresh(today=None) -> int:
    """Recount the demand of every service; returns how many services changed."""
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=WINDOW_DAYS), time.min))
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL, {"since": since})
        return cursor.rowcount
