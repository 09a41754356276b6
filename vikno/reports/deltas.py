"""Case deltas: the roll-ups of cases kept up to date by difference, not by recounting a day.

A change of a case writes, in its own transaction, what the stored row counted in the roll-ups with the
sign minus (before an update or a delete) and what the new row counts with the sign plus (after an
insert or an update): one prepared ``INSERT … SELECT`` each into ``RollupDelta``, computed from the row by the SQL
of ``casemetrics.py`` — the same expressions the center-day statements of ``rollup.py`` use. The sweep
(``rollup.refresh_dirty``) claims the deltas and adds their sums to ``DailyRollup``,
``ServiceTimingRollup`` and ``MonthlyRollup``. The cost of a case change is therefore at most two short
statements (none when nothing counted changes, see receivers.py) and a share of a set-based sweep,
whatever the size of the day — where recounting a busy
center-day after every change cost more than the change itself (bench/RESULTS.md).

Only the case metrics (``casemetrics.CASE_METRICS`` and the service timing) are kept this way; payments,
consultations, tickets and ratings mark their center-day for a recount of their own metrics
(``rollup.py``), and the two derived metrics are read from the daily rows of every touched day.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connection

from vikno.cases.models import Case
from vikno.catalog.models import Service, Sphere
from vikno.core.db.ordered import reuse_plans, server_side_binding
from vikno.orgs.models import Center

from .casemetrics import (
    CASE_METRICS,
    DECIDED_AT,
    FILING_METRICS,
    ISSUED,
    TIMING_HOURS,
    TIMING_ON_TIME,
    decided_statuses,
    timing_bucket,
)
from .models import DailyRollup, MonthlyRollup, RollupDelta, ServiceTimingRollup

TIMING = "_timing"  # RollupDelta.metric of a service-timing row

_RECORD_SQL: list[str] = []


def _record_sql() -> str:
    """One read of the case row by its key, one delta row per figure it counts (filing-day metrics, the
    result issued on its closing day, its service-timing bucket on its decision day)."""
    if not _RECORD_SQL:
        case, service, sphere = Case._meta.db_table, Service._meta.db_table, Sphere._meta.db_table
        filed, closed = "(c.filed_at AT TIME ZONE %(zone)s)::date", "(c.closed_at AT TIME ZONE %(zone)s)::date"
        decided = f"({DECIDED_AT} AT TIME ZONE %(zone)s)::date"
        rows = [
            f"('{metric}', {value}, {filed}, c.office_id, sp.code, NULL::bigint, NULL::int, 0)"
            for metric, value in FILING_METRICS
        ]
        rows.append(
            f"('results_issued', CASE WHEN {ISSUED} THEN 1 ELSE 0 END, {closed}, c.office_id, sp.code, NULL, NULL, 0)"
        )
        rows.append(
            f"('{TIMING}', CASE WHEN c.status IN ({decided_statuses()}) AND {DECIDED_AT} IS NOT NULL THEN 1 ELSE 0 END, "
            f"{decided}, NULL, '', c.service_id, {timing_bucket(TIMING_HOURS)}, CASE WHEN {TIMING_ON_TIME} THEN 1 ELSE 0 END)"
        )
        values = ",\n    ".join(rows)
        _RECORD_SQL.append(
            f"""
INSERT INTO {RollupDelta._meta.db_table}
    (center_id, day, office_id, sphere_code, metric, value, service_id, hours_from, on_time)
SELECT c.center_id, m.day, m.office_id, m.sphere_code, m.metric, %(sign)s * m.value, m.service_id, m.hours_from,
       %(sign)s * m.on_time
FROM {case} c
JOIN {service} s ON s.id = c.service_id
JOIN {sphere} sp ON sp.id = s.sphere_id
CROSS JOIN LATERAL (VALUES
    {values}
) AS m(metric, value, day, office_id, sphere_code, service_id, hours_from, on_time)
WHERE c.id = %(pk)s AND m.value <> 0 AND m.day IS NOT NULL
"""  # noqa: S608 — table names from the models, expressions from casemetrics
        )
    return _RECORD_SQL[0]


_STATEMENT = "vikno_case_delta"
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # database connections that have it


def record(case_id: int, sign: int) -> None:
    """Write what the stored case ``case_id`` counts in the roll-ups, times ``sign`` (+1 or −1), inside the
    transaction of the change. The statement is prepared once per database connection: planning it took
    three times longer than running it (bench/RESULTS.md)."""
    with connection.cursor() as cursor:
        if server_side_binding():  # psycopg prepares it after VIKNO_DB_PREPARE_THRESHOLD runs; the
            # session plans prepared statements for their values, this one keeps its plan (reuse_plans)
            for statement, params in reuse_plans():
                cursor.execute(statement, params)
            cursor.execute(_record_sql(), {"pk": case_id, "sign": sign, "zone": settings.TIME_ZONE})
            return
        raw = connection.connection
        if raw not in _prepared:
            text = _record_sql().replace("%(pk)s", "$1").replace("%(sign)s", "$2").replace("%(zone)s", "$3")
            cursor.execute(f"PREPARE {_STATEMENT}(bigint, int, text) AS {text}")
            _prepared[raw] = True
        cursor.execute(f"EXECUTE {_STATEMENT}(%s, %s, %s)", [case_id, sign, settings.TIME_ZONE])


def claim(cursor, batch: int) -> list[tuple]:
    """Remove up to ``batch`` deltas (oldest first) and return them; inside the sweep's transaction, so a
    failure leaves them in place."""
    table = RollupDelta._meta.db_table
    cursor.execute(
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) "  # noqa: S608
        "RETURNING center_id, day, office_id, sphere_code, metric, value, service_id, hours_from, on_time",
        [batch],
    )
    return cursor.fetchall()


def apply(cursor, deltas: list[tuple]) -> tuple[set, set, set]:
    """Add the claimed deltas to the daily, timing and monthly roll-ups (rows that come to zero are
    removed). Returns the center-days they touched, those whose ``cases_registered`` changed (their derived
    metrics must be read again), and those where a count would go below zero — roll-ups that were never
    built for that day, or built out of step: the caller recounts those from the sources."""
    daily: dict[tuple, Decimal] = defaultdict(Decimal)
    timing: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for center, day, office, sphere, metric, value, service, hours_from, on_time in deltas:
        if metric == TIMING:
            sums = timing[(center, day, service, hours_from)]
            sums[0] += int(value)
            sums[1] += on_time
        else:
            daily[(center, day, office, sphere, metric)] += value
    daily = {key: value for key, value in daily.items() if value}
    timing = {key: sums for key, sums in timing.items() if sums != [0, 0]}
    touched = {(key[0], key[1]) for key in daily} | {(key[0], key[1]) for key in timing}
    registered = {(key[0], key[1]) for key in daily if key[4] == "cases_registered"}
    center_table = Center._meta.db_table
    recount: set[tuple[int, dt.date]] = set()
    if daily:
        rows = sorted(daily.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0, item[0][3], item[0][4]))
        columns = list(zip(*[(*key, value) for key, value in rows], strict=True))
        table = DailyRollup._meta.db_table
        cursor.execute(
            f"INSERT INTO {table} AS r (center_id, region_id, office_id, day, sphere_code, metric, value) "  # noqa: S608
            f"SELECT d.center_id, ce.region_id, d.office_id, d.day, d.sphere_code, d.metric, d.value "
            "FROM unnest(%s::bigint[], %s::date[], %s::bigint[], %s::text[], %s::text[], %s::numeric[]) "
            "WITH ORDINALITY AS d(center_id, day, office_id, sphere_code, metric, value, n) "
            f"JOIN {center_table} ce ON ce.id = d.center_id ORDER BY d.n "
            "ON CONFLICT (center_id, day, office_id, sphere_code, metric) DO UPDATE SET value = r.value + EXCLUDED.value",
            [list(column) for column in columns],
        )
        cursor.execute(
            f"DELETE FROM {table} WHERE value = 0 AND (center_id, day) IN "  # noqa: S608
            "(SELECT * FROM unnest(%s::bigint[], %s::date[]))",
            [[center for center, _day in touched], [day for _center, day in touched]],
        )
        cursor.execute(
            f"SELECT DISTINCT center_id, day FROM {table} WHERE value < 0 AND metric = ANY(%s) "  # noqa: S608
            "AND (center_id, day) IN (SELECT * FROM unnest(%s::bigint[], %s::date[]))",
            [list(CASE_METRICS), [center for center, _day in touched], [day for _center, day in touched]],
        )
        recount = set(cursor.fetchall())
        months: dict[tuple, Decimal] = defaultdict(Decimal)
        for (center, day, _office, _sphere, metric), value in rows:
            months[(center, day.replace(day=1), metric)] += value
        month_rows = sorted((key, value) for key, value in months.items() if value)
        if month_rows:
            columns = list(zip(*[(*key, value) for key, value in month_rows], strict=True))
            cursor.execute(
                f"INSERT INTO {MonthlyRollup._meta.db_table} AS m (center_id, region_id, month, metric, value) "  # noqa: S608
                "SELECT d.center_id, ce.region_id, d.month, d.metric, d.value "
                "FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::numeric[]) "
                "WITH ORDINALITY AS d(center_id, month, metric, value, n) "
                f"JOIN {center_table} ce ON ce.id = d.center_id ORDER BY d.n "
                "ON CONFLICT (center_id, month, metric) DO UPDATE SET value = m.value + EXCLUDED.value",
                [list(column) for column in columns],
            )
    if timing:
        rows = sorted(timing.items())
        columns = list(zip(*[(*key, *sums) for key, sums in rows], strict=True))
        table = ServiceTimingRollup._meta.db_table
        # UPDATE the buckets that exist, INSERT the others (an INSERT … ON CONFLICT would check a negative
        # change against the table's «not negative» constraints before finding the row it updates); a change
        # that would leave a bucket below zero is not applied and its center-day is returned for a recount
        match = "{a}.center_id = d.center_id AND {a}.day = d.day AND {a}.service_id = d.service_id AND {a}.hours_from = d.hours_from"
        cursor.execute(
            "WITH d AS (SELECT * FROM unnest(%s::bigint[], %s::date[], %s::bigint[], %s::int[], %s::int[], %s::int[]) "  # noqa: S608 — model tables
            "AS d(center_id, day, service_id, hours_from, decided, on_time)), "
            f"existing AS (SELECT t.center_id, t.day, t.service_id, t.hours_from FROM {table} t JOIN d ON {match.format(a='t')}), "
            f"updated AS (UPDATE {table} t SET decided = t.decided + d.decided, on_time = t.on_time + d.on_time "
            f"FROM d WHERE {match.format(a='t')} AND t.decided + d.decided >= 0 "
            "AND t.on_time + d.on_time BETWEEN 0 AND t.decided + d.decided "
            "RETURNING t.center_id, t.day, t.service_id, t.hours_from), "
            f"inserted AS (INSERT INTO {table} (center_id, region_id, day, service_id, hours_from, decided, on_time) "
            "SELECT d.center_id, ce.region_id, d.day, d.service_id, d.hours_from, d.decided, d.on_time "
            f"FROM d JOIN {center_table} ce ON ce.id = d.center_id "
            f"WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE {match.format(a='e')}) "
            "AND d.decided > 0 AND d.on_time BETWEEN 0 AND d.decided "
            "RETURNING center_id, day, service_id, hours_from) "
            "SELECT DISTINCT d.center_id, d.day FROM d "
            f"WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE {match.format(a='u')}) "
            f"AND NOT EXISTS (SELECT 1 FROM inserted i WHERE {match.format(a='i')})",
            [list(column) for column in columns],
        )
        recount |= set(cursor.fetchall())
        cursor.execute(
            f"DELETE FROM {table} WHERE decided = 0 AND (center_id, day) IN "  # noqa: S608
            "(SELECT * FROM unnest(%s::bigint[], %s::date[]))",
            [[key[0] for key in timing], [key[1] for key in timing]],
        )
    return touched, registered, recount
