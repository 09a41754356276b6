"""API of the center report: the same figures, scope and errors as the staff page /staff/reports/center/.

Readers: administrators and heads of a center (their center), oblast monitors (their oblast) and system
administrators; other roles, and a center outside the caller's scope, get 404. A missing or inverted
period is a 400 with the reason in Ukrainian.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from vikno.core.api_errors import error_responses
from vikno.core.errors import NotFound
from vikno.core.scoping import Role

from . import national, series, services
from .views import READERS

router = Router(tags=["reports"])

CENTER = Query(None, description="The center (id); it must be in the caller's scope.", examples=[1])
FROM = Query(None, alias="from", description="First day of the period (local date).", examples=["2026-01-01"])
TO = Query(
    None, alias="to", description="Last day of the period, at most five years after the first.", examples=["2026-03-31"]
)


ERRORS = error_responses(400, 404)


class FigureOut(Schema):
    key: str = Field(..., examples=["cases_registered"])
    label: str = Field(..., examples=["Зареєстровано заяв"])
    unit: str = Field(..., description="«%», «грн» or empty for a count.")
    current: float | None = Field(..., description="The period.")
    previous: float | None = Field(..., description="The same period a year before.")
    change: float | None = Field(..., description="Change in per cent, one decimal; null when the earlier figure is 0.")


class ServicesYearOut(Schema):
    year: int
    services: int = Field(..., description="Services in the approved list on 31 December.")
    change: float | None = Field(..., description="Change on the year before, per cent.")


class CenterReportOut(Schema):
    center_id: int
    center_name: str
    date_from: dt.date
    date_to: dt.date
    previous_from: dt.date
    previous_to: dt.date
    figures: list[FigureOut]
    spheres: list[FigureOut] = Field(..., description="Applications registered by sphere, the ten largest.")
    payments: list[FigureOut] = Field(..., description="Payments by method: count and sum in UAH.")
    services_by_year: list[ServicesYearOut]


class PeriodOut(Schema):
    key: str = Field(..., examples=["2026-01"], description="YYYY-MM for a month, YYYY-MM-DD for a day.")
    start: dt.date = Field(..., description="First day (the period's first day for a month cut by the period).")
    end: dt.date


class SeriesOut(Schema):
    key: str = Field(..., examples=["cases_registered"])
    label: str
    values: list[float] = Field(..., description="One value per period, in the order of `periods`.")
    total: float


class SphereFiguresOut(Schema):
    code: str = Field(..., examples=["REG"], description="Sphere code; empty for figures without a sphere.")
    name: str
    registered: float
    issued: float


class CenterSeriesOut(Schema):
    center_id: int
    date_from: dt.date
    date_to: dt.date
    granularity: str = Field(..., description="month or day.")
    periods: list[PeriodOut]
    series: list[SeriesOut]
    spheres: list[SphereFiguresOut]


def _reader(request) -> None:
    if request.user.role not in READERS:
        raise NotFound("ЦНАП не знайдено.", field="center")


def _number(value) -> float | None:
    return None if value is None else float(value)


def _figure(f: services.Figure) -> dict:
    return {
        "key": f.key,
        "label": str(f.label),
        "unit": f.unit,
        "current": _number(f.current),
        "previous": _number(f.previous),
        "change": _number(f.change),
    }


@router.get(
    "/reports/center",
    response={200: CenterReportOut, **ERRORS},
    summary="Center report: every figure, a year before and the change",
)
def center_report(request, center: int | None = CENTER, date_from: dt.date | None = FROM, date_to: dt.date | None = TO):
    _reader(request)
    report = services.center_report(request.user, center, date_from, date_to)
    return {
        "center_id": report.center.pk,
        "center_name": report.center.name,
        "date_from": report.date_from,
        "date_to": report.date_to,
        "previous_from": report.prev_from,
        "previous_to": report.prev_to,
        "figures": [_figure(f) for f in report.figures],
        "spheres": [_figure(f) for f in report.spheres],
        "payments": [_figure(f) for f in report.payments],
        "services_by_year": [
            {"year": year, "services": count, "change": _number(change)}
            for year, count, change in report.services_by_year
        ],
    }


@router.get(
    "/reports/center/series",
    response={200: CenterSeriesOut, **ERRORS},
    summary="Center report as time series (by month, or by day for up to 31 days) and by sphere",
)
def center_series(
    request,
    center: int | None = CENTER,
    date_from: dt.date | None = FROM,
    date_to: dt.date | None = TO,
    granularity: str = Query(
        "auto", description="auto (by day for up to 31 days, else by month), month or day (at most 93 days)."
    ),
):
    _reader(request)
    cs = series.user_series(request.user, center, date_from, date_to, granularity)
    return {
        "center_id": cs.center.pk,
        "date_from": cs.date_from,
        "date_to": cs.date_to,
        "granularity": cs.granularity,
        "periods": [{"key": p.key, "start": p.start, "end": p.end} for p in cs.periods],
        "series": [
            {"key": s.key, "label": s.label, "values": [float(v) for v in s.values], "total": float(s.total)}
            for s in cs.series
        ],
        "spheres": [
            {"code": r.code, "name": r.name, "registered": float(r.registered), "issued": float(r.issued)}
            for r in cs.spheres
        ],
    }


class RegionRowOut(Schema):
    region_id: int | None = Field(..., description="null for the total row.")
    name: str
    centers: int
    access_points: int
    population: int = Field(..., description="Residents of the hromadas with a center (0 when unknown).")
    figures: dict[str, float] = Field(..., description="Sums of the period by roll-up metric.")
    per_1000: float | None = Field(..., description="Applications per 1,000 residents.")
    refused_share: float | None
    satisfied_share: float | None
    loyalty_index: float | None


class NationalOut(Schema):
    date_from: dt.date
    date_to: dt.date
    rows: list[RegionRowOut]
    total: RegionRowOut


def _region_row(row: national.RegionRow) -> dict:
    return {
        "region_id": row.region_id,
        "name": row.name,
        "centers": row.centers,
        "access_points": row.access_points,
        "population": row.population,
        "figures": {key: float(value) for key, value in row.figures.items()},
        "per_1000": _number(row.per_1000),
        "refused_share": _number(row.refused_share),
        "satisfied_share": _number(row.satisfied_share),
        "loyalty_index": _number(row.loyalty_index),
    }


@router.get(
    "/reports/national",
    response={200: NationalOut, **ERRORS},
    summary="National dashboard: every region (system administrators; an oblast monitor gets their region)",
)
def national_report(request, date_from: dt.date | None = FROM, date_to: dt.date | None = TO):
    if request.user.role not in (Role.SYSADMIN, Role.OBLAST_MONITOR):
        raise NotFound("Не знайдено.")
    board = national.national_dashboard(request.user, date_from, date_to)
    return {
        "date_from": board.date_from,
        "date_to": board.date_to,
        "rows": [_region_row(r) for r in board.rows],
        "total": _region_row(board.total),
    }
