"""Reading the roll-ups: totals of any period at the cost of its whole months plus its edge days.

A year of an oblast is ~25,000 center-days of ``DailyRollup`` (a few million rows); the same year is
~840 center-months of ``MonthlyRollup`` (tens of thousands). ``totals()`` therefore reads the whole
calendar months of a period from ``MonthlyRollup`` and only the days before the first and after the
last whole month from ``DailyRollup``. Both tables hold additive figures (counts and sums), so the
parts simply add up; shares and averages are computed by the callers from the sums.

Breakdowns by office or sphere stay on ``DailyRollup`` (one center at a time, see ``services.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection

from .models import DailyRollup, MonthlyRollup

GROUPS = {"center": "center_id", "region": "region_id"}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split_period(date_from: dt.date, date_to: dt.date) -> tuple[list[tuple[dt.date, dt.date]], tuple | None]:
    """([(first, last) day ranges read from the daily table], (first month, last month) or None)."""
    first_whole = date_from if date_from.day == 1 else next_month(date_from)
    end_whole = month_start(date_to + dt.timedelta(days=1))  # the first day after the last whole month
    if first_whole >= end_whole:
        return [(date_from, date_to)], None
    days = []
    if date_from < first_whole:
        days.append((date_from, first_whole - dt.timedelta(days=1)))
    if end_whole <= date_to:
        days.append((end_whole, date_to))
    last_whole_month = month_start(end_whole - dt.timedelta(days=1))
    return days, (first_whole, last_whole_month)


def totals(
    date_from: dt.date,
    date_to: dt.date,
    *,
    centers: Iterable[int] | None = None,
    region_id: int | None = None,
    by: str | None = "center",
    metrics: Iterable[str] | None = None,
) -> dict:
    """Sums per metric of the period: ``{key: {metric: Decimal}}`` where key is the center id or the
    region id (``by``), or ``{metric: Decimal}`` when ``by`` is None. Restrict with ``centers`` (ids the
    caller may see) and/or ``region_id``; with neither, the whole country."""
    where, params = [], []
    if centers is not None:
        where.append("center_id = ANY(%s)")
        params.append(list(centers))
    if region_id is not None:
        where.append("region_id = %s")
        params.append(region_id)
    if metrics is not None:
        where.append("metric = ANY(%s)")
        params.append(list(metrics))
    key = GROUPS[by] if by else None
    select_key = f"{key}, " if key else ""
    day_ranges, months = split_period(date_from, date_to)
    parts, part_params = [], []
    for first, last in day_ranges:
        parts.append(
            f"SELECT {select_key}metric, value FROM {DailyRollup._meta.db_table} "  # noqa: S608 — model table
            f"WHERE {' AND '.join([*where, 'day BETWEEN %s AND %s'])}"
        )
        part_params += [*params, first, last]
    if months is not None:
        parts.append(
            f"SELECT {select_key}metric, value FROM {MonthlyRollup._meta.db_table} "  # noqa: S608 — model table
            f"WHERE {' AND '.join([*where, 'month BETWEEN %s AND %s'])}"
        )
        part_params += [*params, months[0], months[1]]
    sql = (
        f"SELECT {select_key}metric, SUM(value) FROM ({' UNION ALL '.join(parts)}) AS part "  # noqa: S608
        f"GROUP BY {select_key}metric"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, part_params)
        rows = cursor.fetchall()
    if key is None:
        return {metric: Decimal(value) for metric, value in rows}
    out: dict = defaultdict(dict)
    for group, metric, value in rows:
        out[group][metric] = Decimal(value)
    return dict(out)
