"""API of service timing: per-service processing time (from the roll-up) and the overdue and late lists.

Handlers are thin: vikno/reports/timing.py computes. Center administrators and heads, oblast monitors and
system administrators read their own scope; a center outside it (or another role) answers 404, a bad
period 400 with a Ukrainian message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from . import timing
from .api import ERRORS  # one error schema for the reports API

router = Router(tags=["reports"])

CENTER = Query(..., description="Center id.", examples=[1])
FROM = Query(None, alias="from", description="First day of the period (local date), YYYY-MM-DD.")
TO = Query(None, alias="to", description="Last day of the period (local date, included), YYYY-MM-DD.")


class QuantileOut(Schema):
    hours_from: int = Field(..., description="Lower bound of the bucket, hours.")
    hours_to: int | None = Field(..., description="Upper bound (exclusive), hours; null for «90 days or more».")
    text: str = Field(..., examples=["≤ 3 дн."])


class ServiceTimingOut(Schema):
    service_id: int | None = Field(..., description="Null in the totals.")
    code: str
    name: str
    decided: int = Field(..., description="Cases decided in the period.")
    on_time: int
    late: int
    on_time_share: Decimal | None = Field(..., description="Per cent, one decimal; null with no cases.")
    median: QuantileOut | None
    p90: QuantileOut | None


class TimingOut(Schema):
    center_id: int
    date_from: dt.date
    date_to: dt.date
    services: list[ServiceTimingOut]
    total: ServiceTimingOut


class CaseRowOut(Schema):
    number: str
    service_code: str
    service_name: str
    status: str
    filed_at: dt.datetime
    due_at: dt.datetime
    decided_at: dt.datetime | None
    late_hours: int = Field(..., description="Whole hours past the deadline.")


class CasePageOut(Schema):
    kind: str
    items: list[CaseRowOut]
    total: int
    limit: int
    offset: int
    next_offset: int | None


def _quantile(value: timing.Quantile | None) -> dict | None:
    if value is None:
        return None
    return {"hours_from": value.hours_from, "hours_to": value.hours_to, "text": value.text}


def _item(item: timing.ServiceTiming) -> dict:
    return {
        "service_id": item.service_id,
        "code": item.code,
        "name": item.name,
        "decided": item.decided,
        "on_time": item.on_time,
        "late": item.late,
        "on_time_share": item.on_time_share,
        "median": _quantile(item.median),
        "p90": _quantile(item.p90),
    }


@router.get(
    "/reports/timing",
    response={200: TimingOut, **ERRORS},
    summary="Processing time per service: median, 90th percentile, share on time",
    description=(
        "Cases decided (result ready or refusal) in the period, per service, read from the daily roll-up. "
        "Percentiles are nearest-rank, given as the upper bound of a bucket: to the hour below one day, "
        "to the day below 90 days."
    ),
)
def get_timing(request, center: int = CENTER, date_from: dt.date | None = FROM, date_to: dt.date | None = TO):
    report = timing.service_timing(request.user, center, date_from, date_to)
    return {
        "center_id": report.center.pk,
        "date_from": report.date_from,
        "date_to": report.date_to,
        "services": [_item(s) for s in report.services],
        "total": _item(report.total),
    }


@router.get(
    "/reports/overdue",
    response={200: CasePageOut, **ERRORS},
    summary="Open cases past their deadline, or cases decided late in a period",
    description=(
        "`kind=open` (default): cases whose legal term is running and has passed, most overdue first. "
        "`kind=late`: cases decided in the period `from`–`to` after their deadline, latest first."
    ),
)
def get_overdue(
    request,
    center: int = CENTER,
    kind: Literal["open", "late"] = Query("open", description="open or late."),
    date_from: dt.date | None = FROM,
    date_to: dt.date | None = TO,
    limit: int = Query(timing.DEFAULT_LIMIT, ge=1, le=timing.MAX_LIMIT, description="Page size."),
    offset: int = Query(0, ge=0, description="Rows to skip."),
):
    if kind == "late":
        page = timing.late_cases(request.user, center, date_from, date_to, limit=limit, offset=offset)
    else:
        page = timing.overdue_cases(request.user, center, limit=limit, offset=offset)
    return {
        "kind": kind,
        "items": [
            {
                "number": row.number,
                "service_code": row.service_code,
                "service_name": row.service_name,
                "status": row.status,
                "filed_at": row.filed_at,
                "due_at": row.due_at,
                "decided_at": row.decided_at,
                "late_hours": int(row.late_by.total_seconds() // 3600),
            }
            for row in page.items
        ],
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.next_offset,
    }
