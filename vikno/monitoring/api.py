"""API of the monitoring room: the oblast summary and a center's history. Staff see their scope only;
a center outside it answers 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from vikno.core.api_errors import error_responses
from vikno.core.errors import NotFound

from . import services

router = Router(tags=["monitoring"])


class SectionScoreOut(Schema):
    kind: str = Field(..., examples=["accessibility"])
    title: str
    points: Decimal
    max: Decimal
    percent: Decimal


class AssessmentOut(Schema):
    id: int
    period: str = Field(..., examples=["2026-Q1"])
    period_start: dt.date
    period_end: dt.date
    questionnaire: str
    questionnaire_version: int
    status: str = Field(..., description="draft, submitted, reviewed or returned.")
    total_score: Decimal
    max_score: Decimal
    percent: Decimal
    sections: list[SectionScoreOut]
    submitted_at: dt.datetime | None = None
    reviewed_at: dt.datetime | None = None
    reviewer_comment: str = ""


class IndicatorValueOut(Schema):
    indicator: str = Field(..., examples=["refused_share"])
    name: str
    unit: str
    period_start: dt.date
    period_end: dt.date
    value: Decimal | None
    score: Decimal | None
    source: str


class HistoryOut(Schema):
    center_id: int
    center: str
    assessments: list[AssessmentOut]
    indicator_values: list[IndicatorValueOut]


class SummaryRowOut(Schema):
    center_id: int
    center: str
    status: str | None = Field(None, description="Status of the assessment for the period; null: not started.")
    submitted: bool
    latest_period: str | None
    latest_percent: Decimal | None
    sections: dict[str, Decimal | None] = Field(..., description="Percent per section kind, latest assessment.")
    change: Decimal | None = Field(None, description="Percentage points against the previous period.")
    indicator_scores: dict[str, Decimal | None]
    indicator_score: Decimal | None


class SummaryOut(Schema):
    period: str
    period_start: dt.date
    period_end: dt.date
    questionnaire: str | None
    average_percent: Decimal | None
    rows: list[SummaryRowOut]
    not_submitted: list[int] = Field(..., description="Ids of centers with no submitted assessment for the period.")


def _reader(request):
    if getattr(request.user, "role", None) not in services.READ_ROLES:
        raise NotFound("Не знайдено.")
    return request.user


def _assessment(a) -> dict:
    return {
        "id": a.pk,
        "period": a.period,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "questionnaire": a.questionnaire.code,
        "questionnaire_version": a.questionnaire.version,
        "status": a.status,
        "total_score": a.total_score,
        "max_score": a.max_score,
        "percent": a.percent,
        "sections": a.section_scores or [],
        "submitted_at": a.submitted_at,
        "reviewed_at": a.reviewed_at,
        "reviewer_comment": a.reviewer_comment,
    }


@router.get(
    "/monitoring/summary", response={200: SummaryOut, **error_responses(400, 404)}, summary="Oblast monitoring summary"
)
def summary(
    request,
    period: str | None = Query(None, description="2026-Q1, 2026-H1 or 2026; default: the current period."),
    region: int | None = Query(None, description="Region id (system administrators)."),
):
    result = services.oblast_summary(_reader(request), period=period, region_id=region)
    return {
        "period": result.period.key,
        "period_start": result.period.start,
        "period_end": result.period.end,
        "questionnaire": result.questionnaire.code if result.questionnaire else None,
        "average_percent": result.average_percent,
        "rows": [
            {
                "center_id": row.center.pk,
                "center": str(row.center),
                "status": row.current.status if row.current else None,
                "submitted": row.submitted,
                "latest_period": row.latest.period if row.latest else None,
                "latest_percent": row.latest.percent if row.latest else None,
                "sections": {
                    kind: value for (kind, _), value in zip(result.section_kinds, row.section_cells, strict=True)
                },
                "change": row.change,
                "indicator_scores": {
                    i.code: (cell.score if cell else None)
                    for i, cell in zip(result.indicators, row.indicator_cells, strict=True)
                },
                "indicator_score": row.indicator_score,
            }
            for row in result.rows
        ],
        "not_submitted": [c.pk for c in result.not_submitted],
    }


@router.get("/monitoring/centers/{center_id}/history", response=HistoryOut, summary="A center's monitoring history")
def center_history(request, center_id: int):
    history = services.center_history(_reader(request), center_id)
    return {
        "center_id": history.center.pk,
        "center": str(history.center),
        "assessments": [_assessment(a) for a in history.assessments],
        "indicator_values": [
            {
                "indicator": v.indicator.code,
                "name": v.indicator.name,
                "unit": v.indicator.unit,
                "period_start": v.period_start,
                "period_end": v.period_end,
                "value": v.value,
                "score": v.score,
                "source": v.source,
            }
            for _, _, values in history.indicator_periods
            for v in values
        ],
    }
