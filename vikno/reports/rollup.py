"""Daily roll-ups: set-based recomputation of a center-day and incremental maintenance.

Every metric, with the local (Europe/Kyiv) day it is counted on:

- by the filing day of a case (``filed_at``): ``cases_registered``; ``instant`` (issued on the spot);
  ``refused`` (status «Відмова» or «Видано відмову»); ``withdrawn``; ``dismissed`` (залишено без
  розгляду); ``mobile_cases`` (channel «Мобільний ЦНАП»); ``paid_cases`` (a fee above zero). The
  outcome figures are counted on the filing day so that their shares have the applications of the same
  period as the base.
- by the closing day (``closed_at``): ``results_issued`` (status «Видано»).
- ``mobile_visits``: 1 per mobile office (kind «Мобільний ЦНАП») that registered a case that day.
- by the payment day (``paid_on``), office and sphere taken from the case: ``payments_<method>`` (count)
  and ``amount_<method>`` (sum) per payment method; ``revenue_local`` and ``revenue_state`` (sums, without
  exemptions). Budget rule: a payment whose budget classification code (КБК) is one of the
  administrative-fee codes credited to local budgets — 22012500 (плата за надання інших адміністративних
  послуг), 22012600 (адміністративний збір за державну реєстрацію речових прав), 22010300
  (адміністративний збір за реєстрацію юридичних осіб і ФОП) — is local revenue; any other or empty code
  is state revenue.
- ``consultations`` by the consultation time (sphere of its service, if any).
- ``tickets`` (visitors: queue tickets not cancelled) by the ticket's day.
- ``working_days``: 1 per day with a visitor or a registered case (no office, no sphere).
- by the rating time: ``ratings_count``; ``ratings_satisfied`` (4 or 5 stars); ``ratings_recommend``
  (answered the 0–10 question); ``ratings_promoters`` (9–10); ``ratings_detractors`` (0–6).

Maintenance: signal receivers (``vikno/reports/receivers.py``) mark the center-days a saved or deleted
row touches, after the transaction commits, in ``RollupDirty``; ``refresh_dirty()`` (periodic task and
``manage.py refresh_rollups``) claims the marks and rebuilds those center-days. Bulk ``update()`` calls
bypass signals: after one, run ``manage.py refresh_rollups --center ID --from … --to …``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from vikno.cases.models import Case, Consultation
from vikno.catalog.models import Service, Sphere
from vikno.orgs.models import Center, Office
from vikno.payments.models import Payment
from vikno.queue.models import Rating, Ticket

from .models import DailyRollup, RollupDirty

logger = logging.getLogger(__name__)

LOCAL_BUDGET_CODES = ("22012500", "22012600", "22010300")


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return moment.astimezone(local_zone()).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = local_zone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _sql() -> str:
    t = {
        "rollup": DailyRollup._meta.db_table,
        "case": Case._meta.db_table,
        "service": Service._meta.db_table,
        "sphere": Sphere._meta.db_table,
        "office": Office._meta.db_table,
        "payment": Payment._meta.db_table,
        "consultation": Consultation._meta.db_table,
        "ticket": Ticket._meta.db_table,
        "rating": Rating._meta.db_table,
        "center": Center._meta.db_table,
    }
    return f"""
INSERT INTO {t["rollup"]} (center_id, region_id, office_id, day, sphere_code, metric, value)
SELECT %(center)s, (SELECT region_id FROM {t["center"]} WHERE id = %(center)s), src.office_id, %(day)s,
       src.sphere_code, src.metric, SUM(src.value)
FROM (
    SELECT c.office_id, sp.code AS sphere_code, m.metric, m.value
    FROM {t["case"]} c
    JOIN {t["service"]} s ON s.id = c.service_id
    JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    CROSS JOIN LATERAL (VALUES
        ('cases_registered', 1),
        ('instant', CASE WHEN c.instant THEN 1 ELSE 0 END),
        ('refused', CASE WHEN c.status IN ('refused', 'refusal_issued') THEN 1 ELSE 0 END),
        ('withdrawn', CASE WHEN c.status = 'withdrawn' THEN 1 ELSE 0 END),
        ('dismissed', CASE WHEN c.status = 'dismissed' THEN 1 ELSE 0 END),
        ('mobile_cases', CASE WHEN c.channel = 'mobile' THEN 1 ELSE 0 END),
        ('paid_cases', CASE WHEN c.fee_amount > 0 THEN 1 ELSE 0 END)
    ) AS m(metric, value)
    WHERE c.center_id = %(center)s AND c.filed_at >= %(start)s AND c.filed_at < %(end)s
  UNION ALL
    SELECT c.office_id, sp.code, 'results_issued', 1
    FROM {t["case"]} c
    JOIN {t["service"]} s ON s.id = c.service_id
    JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    WHERE c.center_id = %(center)s AND c.status = 'issued' AND c.closed_at >= %(start)s AND c.closed_at < %(end)s
  UNION ALL
    SELECT DISTINCT c.office_id, '', 'mobile_visits', 1
    FROM {t["case"]} c JOIN {t["office"]} o ON o.id = c.office_id
    WHERE c.center_id = %(center)s AND o.kind = 'mobile' AND c.filed_at >= %(start)s AND c.filed_at < %(end)s
  UNION ALL
    SELECT c.office_id, sp.code, m.metric, m.value
    FROM {t["payment"]} p
    JOIN {t["case"]} c ON c.id = p.case_id
    JOIN {t["service"]} s ON s.id = c.service_id
    JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    CROSS JOIN LATERAL (VALUES
        ('payments_' || p.method, 1),
        ('amount_' || p.method, p.amount),
        (CASE WHEN p.budget_code = ANY(%(local_codes)s) THEN 'revenue_local' ELSE 'revenue_state' END,
         CASE WHEN p.method = 'exemption' THEN 0 ELSE p.amount END)
    ) AS m(metric, value)
    WHERE p.center_id = %(center)s AND p.paid_on = %(day)s
  UNION ALL
    SELECT k.office_id, COALESCE(sp.code, ''), 'consultations', 1
    FROM {t["consultation"]} k
    LEFT JOIN {t["service"]} s ON s.id = k.service_id
    LEFT JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    WHERE k.center_id = %(center)s AND k.at >= %(start)s AND k.at < %(end)s
  UNION ALL
    SELECT tk.office_id, COALESCE(sp.code, ''), 'tickets', 1
    FROM {t["ticket"]} tk
    LEFT JOIN {t["service"]} s ON s.id = tk.service_id
    LEFT JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    WHERE tk.center_id = %(center)s AND tk.day = %(day)s AND tk.status <> 'cancelled'
  UNION ALL
    SELECT NULL, '', 'working_days', 1
    WHERE EXISTS (SELECT 1 FROM {t["ticket"]} tk
                  WHERE tk.center_id = %(center)s AND tk.day = %(day)s AND tk.status <> 'cancelled')
       OR EXISTS (SELECT 1 FROM {t["case"]} c
                  WHERE c.center_id = %(center)s AND c.filed_at >= %(start)s AND c.filed_at < %(end)s)
  UNION ALL
    SELECT r.office_id, '', m.metric, m.value
    FROM {t["rating"]} r
    CROSS JOIN LATERAL (VALUES
        ('ratings_count', 1),
        ('ratings_satisfied', CASE WHEN r.stars >= 4 THEN 1 ELSE 0 END),
        ('ratings_recommend', CASE WHEN r.recommend IS NOT NULL THEN 1 ELSE 0 END),
        ('ratings_promoters', CASE WHEN r.recommend >= 9 THEN 1 ELSE 0 END),
        ('ratings_detractors', CASE WHEN r.recommend <= 6 THEN 1 ELSE 0 END)
    ) AS m(metric, value)
    WHERE r.center_id = %(center)s AND r.created_at >= %(start)s AND r.created_at < %(end)s
) AS src
GROUP BY src.office_id, src.sphere_code, src.metric
HAVING SUM(src.value) <> 0
"""  # noqa: S608 — table names from the models


def rebuild(center_id: int, day: dt.date) -> int:
    """Recompute the roll-ups of one center-day from the source tables; returns the rows written."""
    start, end = day_bounds(day)
    params = {
        "center": center_id,
        "day": day,
        "start": start,
        "end": end,
        "local_codes": list(LOCAL_BUDGET_CODES),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        table = DailyRollup._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE center_id = %s AND day = %s", [center_id, day])  # noqa: S608
        cursor.execute(_sql(), params)
        return cursor.rowcount


def rebuild_range(center_id: int, date_from: dt.date, date_to: dt.date) -> int:
    day, written = date_from, 0
    while day <= date_to:
        written += rebuild(center_id, day)
        day += dt.timedelta(days=1)
    return written


def mark_dirty(pairs: Iterable[tuple[int, dt.date | None]]) -> None:
    """Record center-days to recompute (duplicates and empty days are ignored)."""
    rows = sorted({(center, day) for center, day in pairs if center and day})
    if not rows:
        return
    values = ", ".join(["(%s, %s, now())"] * len(rows))
    flat = [item for row in rows for item in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RollupDirty._meta.db_table} (center_id, day, marked_at) VALUES {values} "  # noqa: S608 — model table, placeholders
            "ON CONFLICT (center_id, day) DO UPDATE SET marked_at = EXCLUDED.marked_at",
            flat,
        )


def _claim(batch: int) -> list[tuple[int, dt.date]]:
    # The marks are removed in their own short transaction before the rebuild reads the sources: a change
    # committed later marks its day again (after commit), so no change is ever missed.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {RollupDirty._meta.db_table} WHERE id IN ("  # noqa: S608 — the model's table
            f"SELECT id FROM {RollupDirty._meta.db_table} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) "
            "RETURNING center_id, day",
            [batch],
        )
        return list(cursor.fetchall())


def refresh_dirty(batch: int = 500) -> int:
    """Rebuild every center-day marked dirty; returns how many were rebuilt."""
    done = 0
    while claimed := _claim(batch):
        for position, (center_id, day) in enumerate(claimed):
            try:
                rebuild(center_id, day)
            except Exception:
                logger.exception("Roll-up rebuild failed for center %s, %s", center_id, day)
                mark_dirty(claimed[position:])
                raise
            done += 1
    return done
