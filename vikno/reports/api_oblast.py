"""API of the oblast dashboard (figures and rules in ``vikno/reports/oblast.py``).

Readers: center heads (their own center only), oblast monitors (their oblast) and system administrators.
A center or an oblast outside the caller's scope answers 404; a missing or inverted period answers 400.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from vikno.core.api_errors import ApiError

from . import oblast

router = Router(tags=["reports"])


class PeriodIn(Schema):
    date_from: dt.date | None = Field(None, description="First day of the period (local date).")
    date_to: dt.date | None = Field(None, description="Last day of the period (local date), at most five years on.")


class OblastIn(PeriodIn):
    region: int | None = Field(None, description="The oblast (Region id); by default the caller's own oblast.")


class LineOut(Schema):
    name: str
    center_id: int | None
    office_id: int | None
    kind: str = Field(..., description="Office kind for an access point line (main, branch, remote, mobile).")
    is_active: bool
    access_points: dict[str, int] = Field(..., description="Offices by kind: main, branch (ТП), remote (ВРМ), mobile.")
    access_points_total: int
    access_points_active: int
    staff: dict[str, int] = Field(..., description="Active staff accounts by role.")
    staff_total: int
    list_size: int | None = Field(..., description="Services in the approved list (an office: services it offers).")
    groups: dict[str, int] = Field(
        ...,
        description="Services of each basic group in the list; in the total line, the centers covering the group.",
    )
    groups_covered: int
    groups_missing: list[str]
    cases_registered: float
    population: int | None
    per_1000: float | None = Field(..., description="Cases registered per 1,000 residents of the hromada.")
    visitors: float
    average_wait_minutes: float | None
    service_level: float | None = Field(..., description="Per cent of tickets called within the queue's target.")
    no_show_share: float | None = Field(..., description="Per cent of tickets issued.")
    ratings_count: float
    satisfied_share: float | None
    loyalty_index: float | None
    report_url: str


class DashboardOut(Schema):
    title: str
    region_id: int | None
    center_id: int | None
    date_from: dt.date
    date_to: dt.date
    basic_groups: dict[str, list[str]] = Field(
        ..., description="Basic group → sphere codes; «council» is the services the hromada council decides on."
    )
    lines: list[LineOut]
    total: LineOut


def _out(board: oblast.Dashboard) -> dict:
    return {
        "title": board.title,
        "region_id": board.region.pk if board.region else board.center.region_id,
        "center_id": board.center.pk if board.center else None,
        "date_from": board.date_from,
        "date_to": board.date_to,
        "basic_groups": {key: list(codes) for key, codes in oblast.BASIC_GROUPS.items()},
        "lines": [line.as_dict() for line in board.lines],
        "total": board.total.as_dict(),
    }


@router.get(
    "/reports/oblast",
    response={200: DashboardOut, 400: ApiError, 404: ApiError},
    summary="Oblast dashboard: every center in the caller's scope with the oblast total",
)
def get_oblast(request, params: Query[OblastIn]):
    board = oblast.oblast_dashboard(request.user, params.region, params.date_from, params.date_to)
    return _out(board)


@router.get(
    "/reports/oblast/centers/{center_id}",
    response={200: DashboardOut, 400: ApiError, 404: ApiError},
    summary="A center of the oblast dashboard by access point (main office, ТП, ВРМ, mobile)",
)
def get_oblast_center(request, center_id: int, params: Query[PeriodIn]):
    board = oblast.center_drilldown(request.user, center_id, params.date_from, params.date_to)
    return _out(board)
