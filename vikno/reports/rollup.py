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
- queue KPIs, by the ticket's day (its local issue date) and office, no sphere, from the ticket's visit
  events (``VisitEvent``) exactly as ``vikno/queue/kpi.py`` defines them; a ticket without an ``issued``
  event is not counted: ``tickets_issued`` (every ticket, cancelled ones too); ``tickets_called`` (called at
  least once); ``wait_seconds_sum`` (first ``called`` − first ``issued``, over the called tickets);
  ``tickets_within_target`` (first called within ``target_wait_minutes`` of the queue it was issued to);
  ``tickets_abandoned`` (cancelled without a call after waiting longer than that target; with
  ``tickets_called`` the base of the service level); ``tickets_no_show`` (with a ``no_show`` event);
  ``tickets_served`` (with a ``finished`` event); ``service_intervals`` and ``service_seconds_sum`` (each
  ``started`` event up to the ticket's next ``finished``/``transferred``/``parked`` event). The queue's
  current target applies, as on the KPI page.
- ``working_days``: 1 per day with a visitor or a registered case (no office, no sphere); the report calls
  it «days with intake», since it is not the calendar's count of working days.
- by the rating time: ``ratings_count``; ``ratings_satisfied`` (4 or 5 stars); ``ratings_recommend``
  (answered the 0–10 question); ``ratings_promoters`` (9–10); ``ratings_detractors`` (0–6).

Service timing (``ServiceTimingRollup``, the rules and buckets in ``vikno/reports/models.py``) is rebuilt
with the same center-day, on the local day each case was decided.

Maintenance (signal receivers in ``vikno/reports/receivers.py``, all in the transaction of the change):

- a case writes its *deltas* (``deltas.py``): what the stored row counted, negated, and what the new row
  counts — the case metrics above and its service-timing bucket;
- a payment, consultation, ticket, visit event or rating *marks* its center-days in ``RollupDirty``.

``refresh_dirty()`` (periodic task every five minutes and ``manage.py refresh_rollups``) adds the pending
deltas, recounts the other metrics of the marked center-days, derives ``mobile_visits`` and
``working_days`` of every touched day from its daily rows, and corrects the months — one transaction per
batch, under an advisory lock (one sweep at a time). ``rebuild_range()`` / ``rebuild_many()`` recount from
the sources and drop the pending deltas of their days in the same snapshot. Bulk ``update()`` calls bypass
signals: after one, run ``manage.py refresh_rollups --center ID --from … --to …``.
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
from vikno.core.db.ordered import reuse_plans, run_in_order
from vikno.orgs.models import Center, Office
from vikno.payments.models import Payment
from vikno.queue.models import Queue, Rating, Ticket, VisitEvent

from . import deltas
from .casemetrics import (
    CASE_METRICS,
    DECIDED_AT,
    DERIVED_METRICS,
    ISSUED,
    TIMING_HOURS,
    TIMING_ON_TIME,
    decided_statuses,
    filing_values,
    timing_bucket,
)
from .models import DailyRollup, MonthlyRollup, RollupDelta, RollupDirty, ServiceTimingRollup

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


def _tables() -> dict[str, str]:
    return {
        "rollup": DailyRollup._meta.db_table,
        "case": Case._meta.db_table,
        "service": Service._meta.db_table,
        "sphere": Sphere._meta.db_table,
        "office": Office._meta.db_table,
        "payment": Payment._meta.db_table,
        "consultation": Consultation._meta.db_table,
        "ticket": Ticket._meta.db_table,
        "rating": Rating._meta.db_table,
        "event": VisitEvent._meta.db_table,
        "queue": Queue._meta.db_table,
        "center": Center._meta.db_table,
    }


def _case_branches(t: dict[str, str]) -> list[str]:
    return [
        f"""
    SELECT c.office_id AS office_id, sp.code AS sphere_code, m.metric AS metric, m.value AS value
    FROM {t["case"]} c
    JOIN {t["service"]} s ON s.id = c.service_id
    JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    CROSS JOIN LATERAL (VALUES {filing_values()}) AS m(metric, value)
    WHERE c.center_id = %(center)s AND c.filed_at >= %(start)s AND c.filed_at < %(end)s""",  # noqa: S608 — table names from the models
        f"""
    SELECT c.office_id, sp.code, 'results_issued', 1
    FROM {t["case"]} c
    JOIN {t["service"]} s ON s.id = c.service_id
    JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    WHERE c.center_id = %(center)s AND {ISSUED} AND c.closed_at >= %(start)s AND c.closed_at < %(end)s""",  # noqa: S608 — table names from the models
    ]


def _other_branches(t: dict[str, str]) -> list[str]:
    return [
        f"""
    SELECT c.office_id AS office_id, sp.code AS sphere_code, m.metric AS metric, m.value AS value
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
    WHERE p.center_id = %(center)s AND p.paid_on = %(day)s""",  # noqa: S608 — table names from the models
        f"""
    SELECT k.office_id, COALESCE(sp.code, ''), 'consultations', 1
    FROM {t["consultation"]} k
    LEFT JOIN {t["service"]} s ON s.id = k.service_id
    LEFT JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    WHERE k.center_id = %(center)s AND k.at >= %(start)s AND k.at < %(end)s""",  # noqa: S608 — table names from the models
        f"""
    SELECT tk.office_id, COALESCE(sp.code, ''), 'tickets', 1
    FROM {t["ticket"]} tk
    LEFT JOIN {t["service"]} s ON s.id = tk.service_id
    LEFT JOIN {t["sphere"]} sp ON sp.id = s.sphere_id
    WHERE tk.center_id = %(center)s AND tk.day = %(day)s AND tk.status <> 'cancelled'""",  # noqa: S608 — table names from the models
        f"""
    SELECT tk.office_id, '', m.metric, m.value
    FROM {t["ticket"]} tk
    JOIN LATERAL (
        SELECT MIN(e.at) FILTER (WHERE e.kind = 'issued') AS issued_at,
               MIN(e.at) FILTER (WHERE e.kind = 'called') AS called_at,
               MIN(e.at) FILTER (WHERE e.kind = 'cancelled') AS cancelled_at,
               BOOL_OR(e.kind = 'no_show') AS no_show,
               BOOL_OR(e.kind = 'finished') AS finished,
               (ARRAY_AGG(e.queue_id ORDER BY e.at, e.id) FILTER (WHERE e.kind = 'issued'))[1] AS queue_id
        FROM {t["event"]} e WHERE e.ticket_id = tk.id
    ) ev ON ev.issued_at IS NOT NULL
    LEFT JOIN {t["queue"]} q ON q.id = ev.queue_id
    CROSS JOIN LATERAL (
        SELECT COUNT(*) AS n, COALESCE(SUM(EXTRACT(EPOCH FROM se.next_at - se.at)), 0) AS seconds
        FROM (
            SELECT e.kind, e.at, LEAD(e.kind) OVER w AS next_kind, LEAD(e.at) OVER w AS next_at
            FROM {t["event"]} e
            WHERE e.ticket_id = tk.id AND e.kind IN ('started', 'finished', 'transferred', 'parked')
            WINDOW w AS (ORDER BY e.at, e.id)
        ) se
        WHERE se.kind = 'started' AND se.next_kind IN ('finished', 'transferred', 'parked')
    ) sv
    CROSS JOIN LATERAL (VALUES
        ('tickets_issued', 1),
        ('tickets_called', CASE WHEN ev.called_at IS NOT NULL THEN 1 ELSE 0 END),
        ('wait_seconds_sum', COALESCE(EXTRACT(EPOCH FROM ev.called_at - ev.issued_at), 0)),
        ('tickets_within_target',
         CASE WHEN ev.called_at - ev.issued_at <= make_interval(mins => q.target_wait_minutes) THEN 1 ELSE 0 END),
        ('tickets_abandoned',
         CASE WHEN ev.called_at IS NULL
                   AND ev.cancelled_at - ev.issued_at > make_interval(mins => q.target_wait_minutes)
              THEN 1 ELSE 0 END),
        ('tickets_no_show', CASE WHEN ev.no_show THEN 1 ELSE 0 END),
        ('tickets_served', CASE WHEN ev.finished THEN 1 ELSE 0 END),
        ('service_intervals', sv.n),
        ('service_seconds_sum', sv.seconds)
    ) AS m(metric, value)
    WHERE tk.center_id = %(center)s AND tk.day = %(day)s""",  # noqa: S608 — table names from the models
        f"""
    SELECT r.office_id, '', m.metric, m.value
    FROM {t["rating"]} r
    CROSS JOIN LATERAL (VALUES
        ('ratings_count', 1),
        ('ratings_satisfied', CASE WHEN r.stars >= 4 THEN 1 ELSE 0 END),
        ('ratings_recommend', CASE WHEN r.recommend IS NOT NULL THEN 1 ELSE 0 END),
        ('ratings_promoters', CASE WHEN r.recommend >= 9 THEN 1 ELSE 0 END),
        ('ratings_detractors', CASE WHEN r.recommend <= 6 THEN 1 ELSE 0 END)
    ) AS m(metric, value)
    WHERE r.center_id = %(center)s AND r.created_at >= %(start)s AND r.created_at < %(end)s""",  # noqa: S608 — table names from the models
    ]


def _sql(parts: tuple[str, ...] = ("cases", "others")) -> str:
    """The center-day statement: the daily rows of the case metrics (``cases``) and/or of everything else
    (``others``: payments, consultations, tickets and queue KPIs, ratings). The two derived metrics come
    after it from the daily rows (``_derived_sql``)."""
    t = _tables()
    branches = (_case_branches(t) if "cases" in parts else []) + (_other_branches(t) if "others" in parts else [])
    union = "\n  UNION ALL".join(branches)
    return f"""
INSERT INTO {t["rollup"]} (center_id, region_id, office_id, day, sphere_code, metric, value)
SELECT %(center)s, (SELECT region_id FROM {t["center"]} WHERE id = %(center)s), src.office_id, %(day)s,
       src.sphere_code, src.metric, SUM(src.value)
FROM ({union}
) AS src
GROUP BY src.office_id, src.sphere_code, src.metric
HAVING SUM(src.value) <> 0
"""  # noqa: S608 — table names from the models


def _derived_sql(keys: str) -> str:
    """``mobile_visits`` (1 per mobile office that registered a case that day) and ``working_days`` (1 per
    center-day with a visitor or a registered case), read from the daily rows of the keys."""
    t = _tables()
    return f"""
INSERT INTO {t["rollup"]} (center_id, region_id, office_id, day, sphere_code, metric, value)
SELECT k.center_id, ce.region_id, o.id, k.day, '', 'mobile_visits', 1
FROM ({keys}) AS k
JOIN {t["center"]} ce ON ce.id = k.center_id
JOIN {t["office"]} o ON o.center_id = k.center_id AND o.kind = 'mobile'
WHERE EXISTS (SELECT 1 FROM {t["rollup"]} d WHERE d.center_id = k.center_id AND d.day = k.day
              AND d.office_id = o.id AND d.metric = 'cases_registered' AND d.value > 0)
UNION ALL
SELECT k.center_id, ce.region_id, NULL, k.day, '', 'working_days', 1
FROM ({keys}) AS k
JOIN {t["center"]} ce ON ce.id = k.center_id
WHERE EXISTS (SELECT 1 FROM {t["rollup"]} d WHERE d.center_id = k.center_id AND d.day = k.day
              AND d.metric IN ('cases_registered', 'tickets') AND d.value > 0)
"""  # noqa: S608 — table names from the models


def rebuild(center_id: int, day: dt.date) -> int:
    """Recompute the roll-ups of one center-day from the source tables (and its month in
    ``MonthlyRollup``)."""
    return rebuild_many([(center_id, day)])


# A whole period in one statement per table: the center-day statements above, run by PostgreSQL for every
# (center, day) of the period through LATERAL — the same SQL, so the rules cannot drift apart, without a
# round trip and a Python loop per center-day.
_KEYS = f"""
SELECT c.id AS center_id, d::date AS day,
       (d::date::timestamp AT TIME ZONE '{{zone}}') AS start_at,
       ((d::date + 1)::timestamp AT TIME ZONE '{{zone}}') AS end_at
FROM {Center._meta.db_table} c CROSS JOIN generate_series(%(from)s::date, %(to)s::date, interval '1 day') AS d
WHERE c.id = ANY(%(centers)s)
"""  # noqa: S608 — the model's table


# The same key columns for an explicit list of center-days (the marks a sweep claimed).
_PAIR_KEYS = """
SELECT k.center_id, k.day,
       (k.day::timestamp AT TIME ZONE '{zone}') AS start_at,
       ((k.day + 1)::timestamp AT TIME ZONE '{zone}') AS end_at
FROM unnest(%(key_centers)s::bigint[], %(key_days)s::date[]) AS k(center_id, day)
"""

_IN_RANGE = "center_id = ANY(%(centers)s) AND day BETWEEN %(from)s AND %(to)s"
_IN_PAIRS = "(center_id, day) IN (SELECT * FROM unnest(%(key_centers)s::bigint[], %(key_days)s::date[]))"

# Sweeps and rebuilds of the roll-ups take this transaction-level advisory lock: one at a time.
SWEEP_LOCK = 0x56494B4E4F  # "VIKNO"


def _keys(keys: str) -> str:
    return keys.replace("{zone}", str(local_zone()))


def _over_keys(sql: str, keys: str = _KEYS) -> str:
    """Turn a center-day statement (``INSERT INTO … (cols)`` then a query on %(center)s, %(day)s,
    %(start)s, %(end)s) into one statement over every key of ``keys``."""
    lines = sql.strip("\n").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("INSERT INTO "))
    query = "\n".join(lines[:at] + lines[at + 1 :])
    for name, column in (("center", "center_id"), ("day", "day"), ("start", "start_at"), ("end", "end_at")):
        query = query.replace(f"%({name})s", f"rollup_key.{column}")
    return f"{lines[at]}\nSELECT x.* FROM ({_keys(keys)}) AS rollup_key CROSS JOIN LATERAL (\n{query}\n) AS x"


def _consuming(statement: str, deltas_where: str) -> str:
    """``statement`` with the pending case deltas matching ``deltas_where`` removed by the same statement:
    one snapshot, so a delta is dropped exactly when the recount already sees its change."""
    table = RollupDelta._meta.db_table
    consumed = f"consumed AS (DELETE FROM {table} WHERE {deltas_where})"  # noqa: S608 — model table
    if statement.startswith("WITH "):
        return f"WITH {consumed}, {statement.removeprefix('WITH ')}"
    return f"WITH {consumed} {statement}"


def _into_months(rows: str, sign: str) -> str:
    """A data-modifying statement ``rows`` RETURNING daily rows, whose sums (times ``sign``) move the
    months of ``MonthlyRollup``."""
    monthly = MonthlyRollup._meta.db_table
    return (
        f"WITH changed AS ({rows} RETURNING center_id, region_id, day, metric, value) "  # noqa: S608 — model tables
        f"INSERT INTO {monthly} AS m (center_id, region_id, month, metric, value) "
        f"SELECT center_id, MIN(region_id), date_trunc('month', day)::date, metric, {sign}SUM(value) "
        "FROM changed GROUP BY center_id, date_trunc('month', day), metric ORDER BY 1, 3, 4 "
        "ON CONFLICT (center_id, month, metric) DO UPDATE SET value = m.value + EXCLUDED.value"
    )


def _metric_list(metrics: Iterable[str]) -> str:
    return ", ".join(f"'{metric}'" for metric in metrics)


def rebuild_range(date_from: dt.date, date_to: dt.date, center_ids: Iterable[int] | None = None) -> int:
    """Recompute every roll-up of the centers (default: all) for every day of the period, in one
    transaction and a few statements (``refresh_rollups --from --to``; after bulk imports or ``update()``
    calls that bypass the signals), and re-add their months. Returns the daily and timing rows written."""
    if center_ids is None:
        center_ids = list(Center.objects.values_list("pk", flat=True))
    centers = sorted(set(center_ids))
    if not centers or date_from > date_to:
        return 0
    params = {"from": date_from, "to": date_to, "centers": centers, "local_codes": list(LOCAL_BUDGET_CODES)}
    with transaction.atomic(), connection.cursor() as cursor:
        _take_sweep_lock()
        written = _recount(cursor, params, _KEYS, _IN_RANGE, months_by_difference=False)
        rebuild_months(cursor, centers, date_from, date_to)
    return written


def _take_sweep_lock() -> None:
    """The sweep lock, at the head of a roll-up transaction; its statements then reuse their plans
    (``core.db.ordered.reuse_plans``): planning them for each run's values made rebuilds ~1.7× slower."""
    run_in_order([*reuse_plans(), ("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])])


def rebuild_many(pairs: Iterable[tuple[int, dt.date]]) -> int:
    """Recompute the given center-days from the source tables in one transaction and a fixed number of
    statements, whatever their number; their months in ``MonthlyRollup`` are corrected by difference.
    Returns how many center-days were recounted."""
    keys = sorted(set(pairs))
    if not keys:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        _take_sweep_lock()
        _recount_pairs(cursor, keys)
    return len(keys)


def _recount_pairs(cursor, keys: list[tuple[int, dt.date]]) -> None:
    params = _pair_params(keys)
    _recount(cursor, params, _PAIR_KEYS, _IN_PAIRS, months_by_difference=True)
    _drop_empty_months(cursor, params)


def _recount(cursor, params: dict, keys: str, where: str, *, months_by_difference: bool) -> int:
    """Every daily and timing row of the keys (``keys``: the key query, ``where``: the same keys as a
    condition on a roll-up table) counted again from the sources; the pending case deltas of those days
    are dropped by the statement that counts them, in its snapshot. With ``months_by_difference`` each
    statement also moves ``MonthlyRollup``; otherwise the caller re-adds the months. Returns the daily
    and timing rows written (months by difference: the month rows moved instead of the daily ones)."""
    daily, timing = DailyRollup._meta.db_table, ServiceTimingRollup._meta.db_table

    def moving_months(statement: str, sign: str = "") -> str:
        return _into_months(statement, sign) if months_by_difference else statement

    cursor.execute(moving_months(f"DELETE FROM {daily} WHERE {where}", "-"), params)  # noqa: S608 — model table
    cursor.execute(f"DELETE FROM {timing} WHERE {where}", params)  # noqa: S608 — model table
    cases_and_others = moving_months(_over_keys(_sql(), keys))
    cursor.execute(_consuming(cases_and_others, f"metric <> '{deltas.TIMING}' AND {where}"), params)
    written = cursor.rowcount
    cursor.execute(_consuming(_over_keys(_timing_sql(), keys), f"metric = '{deltas.TIMING}' AND {where}"), params)
    written += cursor.rowcount
    cursor.execute(moving_months(_derived_sql(_keys(keys))), params)
    return written + cursor.rowcount


def _pair_params(keys: list[tuple[int, dt.date]]) -> dict:
    return {
        "key_centers": [center for center, _day in keys],
        "key_days": [day for _center, day in keys],
        "local_codes": list(LOCAL_BUDGET_CODES),
    }


def _drop_empty_months(cursor, params: dict) -> None:
    cursor.execute(
        f"DELETE FROM {MonthlyRollup._meta.db_table} WHERE value = 0 AND (center_id, month) IN ("  # noqa: S608 — model table
        "SELECT DISTINCT k.center_id, date_trunc('month', k.day)::date "
        "FROM unnest(%(key_centers)s::bigint[], %(key_days)s::date[]) AS k(center_id, day))",
        params,
    )


def rebuild_months(cursor, center_ids: list[int], date_from: dt.date, date_to: dt.date) -> None:
    """Re-add ``MonthlyRollup`` from ``DailyRollup`` for the centers and every month the period touches."""
    first = date_from.replace(day=1)
    last = date_to.replace(day=1)
    end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    monthly, daily = MonthlyRollup._meta.db_table, DailyRollup._meta.db_table
    cursor.execute(
        f"DELETE FROM {monthly} WHERE center_id = ANY(%s) AND month BETWEEN %s AND %s",  # noqa: S608
        [center_ids, first, last],
    )
    cursor.execute(
        f"INSERT INTO {monthly} (center_id, region_id, month, metric, value) "  # noqa: S608 — model tables
        f"SELECT center_id, MIN(region_id), date_trunc('month', day)::date, metric, SUM(value) FROM {daily} "
        "WHERE center_id = ANY(%s) AND day >= %s AND day < %s "
        "GROUP BY center_id, date_trunc('month', day), metric HAVING SUM(value) <> 0",
        [center_ids, first, end],
    )


def _timing_sql() -> str:
    t = {"timing": ServiceTimingRollup._meta.db_table, "case": Case._meta.db_table, "center": Center._meta.db_table}
    # The decision moment is result_ready_at, else closed_at; the condition repeats the expression and the
    # statuses of the index ``case_center_decided`` word for word, so the day's cases are one index range.
    return f"""
WITH timed AS (
    SELECT c.service_id, {TIMING_HOURS} AS hours, {TIMING_ON_TIME} AS on_time
    FROM {t["case"]} c
    WHERE c.center_id = %(center)s AND c.status IN ({decided_statuses()})
      AND {DECIDED_AT} >= %(start)s AND {DECIDED_AT} < %(end)s
)
INSERT INTO {t["timing"]} (center_id, region_id, day, service_id, hours_from, decided, on_time)
SELECT %(center)s, (SELECT region_id FROM {t["center"]} WHERE id = %(center)s), %(day)s, b.service_id,
       b.hours_from, COUNT(*), COUNT(*) FILTER (WHERE b.on_time)
FROM (SELECT service_id, on_time, {timing_bucket("hours")} AS hours_from FROM timed) AS b
GROUP BY b.service_id, b.hours_from
"""  # noqa: S608 — table names from the models, expressions from casemetrics


def mark_dirty(pairs: Iterable[tuple[int, dt.date | None]]) -> None:
    """Record center-days to recompute (duplicates and empty days are ignored). Called inside the
    transaction of the change, so the mark commits or rolls back with it."""
    rows = sorted({(center, day) for center, day in pairs if center and day})
    if not rows:
        return
    values = ", ".join(["(%s, %s, now())"] * len(rows))
    flat = [item for row in rows for item in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RollupDirty._meta.db_table} (center_id, day, marked_at) VALUES {values}",  # noqa: S608 — model table, placeholders
            flat,
        )


_STORED_DAYS_SQL: dict[type, str] = {}


def _stored_days_sql(model, day_fields: tuple[str, ...]) -> str:
    """``SELECT center_id, day`` of every local day the stored row ``%(pk)s`` of ``model`` counts on."""
    if model not in _STORED_DAYS_SQL:
        days = []
        for name in day_fields:
            field = model._meta.get_field(name)
            column = connection.ops.quote_name(field.column)
            is_moment = field.get_internal_type() == "DateTimeField"
            days.append(f"(({column} AT TIME ZONE %(zone)s)::date)" if is_moment else f"({column})")
        _STORED_DAYS_SQL[model] = (
            f"SELECT s.center_id, d.day FROM {model._meta.db_table} s "  # noqa: S608 — model table and columns
            f"CROSS JOIN LATERAL (VALUES {', '.join(days)}) AS d(day) WHERE s.{model._meta.pk.column} = %(pk)s"
        )
    return _STORED_DAYS_SQL[model]


def mark_dirty_with_stored(model, day_fields: tuple[str, ...], pk, pairs: Iterable[tuple[int, dt.date | None]]) -> None:
    """Mark the days of the stored row ``pk`` (read by the same statement, before an update changes them)
    and ``pairs``, in one statement inside the transaction of the change."""
    rows = sorted({(center, day) for center, day in pairs if center and day})
    params = {"pk": pk, "zone": settings.TIME_ZONE}
    union = ""
    if rows:
        values = ", ".join(f"(%(c{k})s::bigint, %(d{k})s::date)" for k in range(len(rows)))
        union = f" UNION SELECT * FROM (VALUES {values}) AS n(center_id, day)"  # noqa: S608 — placeholders only
        for k, (center, day) in enumerate(rows):
            params[f"c{k}"], params[f"d{k}"] = center, day
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RollupDirty._meta.db_table} (center_id, day, marked_at) "  # noqa: S608 — model table
            f"SELECT center_id, day, now() FROM ({_stored_days_sql(model, day_fields)}{union}) AS m "
            "WHERE center_id IS NOT NULL AND day IS NOT NULL",
            params,
        )


def _claim_marks(cursor, batch: int) -> tuple[list[tuple[int, dt.date]], list[tuple[int, dt.date]]]:
    """Remove up to ``batch`` marks; returns the center-days to recount in part and those to recount fully."""
    table = RollupDirty._meta.db_table
    cursor.execute(
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) "  # noqa: S608
        "RETURNING center_id, day, recount_all",
        [batch],
    )
    claimed = cursor.fetchall()
    full = {(center, day) for center, day, whole in claimed if whole}
    return sorted({(center, day) for center, day, _whole in claimed} - full), sorted(full)


def _sweep_once(batch: int) -> int:
    """One batch of the sweep in one transaction: claim marks and case deltas, add the deltas, recount the
    marked days' other metrics, re-derive the touched days; returns the center-days touched."""
    daily = DailyRollup._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        _take_sweep_lock()
        marked, full = _claim_marks(cursor, batch)
        added, registered, out_of_step = deltas.apply(cursor, deltas.claim(cursor, batch * 20))
        touched = added | set(marked) | set(full)
        if not touched:
            return 0
        if out_of_step:
            logger.warning("Roll-ups out of step with the cases on %s center-days: recounted", len(out_of_step))
        if out_of_step or full:
            _recount_pairs(cursor, sorted(out_of_step | set(full)))
        if marked:
            params = _pair_params(marked)
            own = _metric_list((*CASE_METRICS, *DERIVED_METRICS))
            recount = f"DELETE FROM {daily} WHERE metric NOT IN ({own}) AND {_IN_PAIRS}"  # noqa: S608 — model table
            cursor.execute(_into_months(recount, "-"), params)
            cursor.execute(_into_months(_over_keys(_sql(("others",)), _PAIR_KEYS), ""), params)
        # the derived metrics read cases_registered (case deltas) and tickets (marks) only
        rederive = set(marked) | registered
        if rederive:
            params = _pair_params(sorted(rederive))
            derived = _metric_list(DERIVED_METRICS)
            stale = f"DELETE FROM {daily} WHERE metric IN ({derived}) AND {_IN_PAIRS}"  # noqa: S608 — model table
            cursor.execute(_into_months(stale, "-"), params)
            cursor.execute(_into_months(_derived_sql(_keys(_PAIR_KEYS)), ""), params)
        _drop_empty_months(cursor, _pair_params(sorted(touched)))
        return len(touched)


def refresh_dirty(batch: int = 500) -> int:
    """Bring the roll-ups up to date: every pending case delta added, every marked center-day's other
    metrics recounted, a batch at a time; returns how many center-days were touched."""
    done = 0
    while touched := _sweep_once(batch):
        done += touched
    return done
