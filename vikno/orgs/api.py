"""API of the orgs room: the codifier (public), centers, offices with schedules, providers.

Lists use keyset pagination: pass ``next_cursor`` of one page as ``cursor`` to get the next.
Staff see only their scope; an object outside it answers 404.
"""

from __future__ import annotations

import datetime as dt
from datetime import time, timedelta
from typing import Annotated, Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator

from vikno.core.api_errors import ApiError, error_responses
from vikno.core.audit import actor_from_request
from vikno.core.pagination import paginate

from . import services
from .models import Center, Hromada, Office, Provider, Region

router = Router(tags=["orgs"])

UPCOMING_DAYS = 60

CURSOR = Query(None, description="`next_cursor` of the previous page; empty for the first page.")
LIMIT = Query(50, ge=1, le=200, description="Page size, 1–200.")


# --- schemas -----------------------------------------------------------------------------------


class RegionOut(Schema):
    id: int
    katottg: str = Field(..., examples=["UA05000000000010236"], description="КАТОТТГ code, UA + 17 digits.")
    name: str = Field(..., examples=["Вінницька"])
    category: Literal["O", "K"] = Field(..., description="O: oblast or АР Крим; K: city with special status.")


class RegionPage(Schema):
    items: list[RegionOut]
    next_cursor: str | None = Field(None, description="Cursor of the next page; null on the last page.")


class HromadaOut(Schema):
    id: int
    katottg: str = Field(..., examples=["UA05020030000031457"])
    name: str = Field(..., examples=["Вінницька"], description="As in the codifier: an adjective.")
    region_id: int
    region_name: str = Field(..., examples=["Вінницька"])
    raion_name: str | None = Field(None, examples=["Вінницький"])

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_raion_name(obj) -> str | None:
        return obj.raion.name if obj.raion_id else None


class HromadaPage(Schema):
    items: list[HromadaOut]
    next_cursor: str | None = None


class CenterOut(Schema):
    id: int
    name: str = Field(..., examples=["Центр надання адміністративних послуг Вінницької міської ради"])
    short_name: str = Field(..., examples=["ЦНАП Вінниця"])
    slug: str = Field(..., examples=["vinnytsia"])
    hromada_id: int
    hromada_katottg: str = Field(..., examples=["UA05020030000031457"])
    region_id: int
    edrpou: str
    address: str
    phone: str
    email: str
    website: str
    is_active: bool

    @staticmethod
    def resolve_hromada_katottg(obj) -> str:
        return obj.hromada.katottg


class CenterPage(Schema):
    items: list[CenterOut]
    next_cursor: str | None = None


class OfficeOut(Schema):
    id: int
    center_id: int
    kind: Literal["main", "branch", "remote", "mobile"] = Field(
        ..., description="main: головний офіс; branch: ТП; remote: ВРМ; mobile: мобільний ЦНАП."
    )
    kind_label: str = Field(..., examples=["Віддалене робоче місце (ВРМ)"])
    name: str
    settlement_katottg: str | None = None
    address: str
    phone: str
    email: str
    latitude: float | None = None
    longitude: float | None = None
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_settlement_katottg(obj) -> str | None:
        return obj.settlement.katottg if obj.settlement_id else None


class OfficePage(Schema):
    items: list[OfficeOut]
    next_cursor: str | None = None


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("Час роботи вказують за місцевим часом офісу, без часового поясу: ГГ:ХХ.")
    return value


# Opening hours are the office's wall clock; a time with an offset ("08:00Z") means nothing there.
LocalTime = Annotated[time, AfterValidator(_wall_clock)]


class Interval(Schema):
    opens: LocalTime = Field(..., examples=["08:00"])
    closes: LocalTime = Field(..., examples=["20:00"])


class DayHours(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday.", examples=[3])
    day: str = Field("", examples=["Четвер"], description="Ukrainian day name (ignored on input).")
    intervals: list[Interval] = Field(..., description="Several intervals for a lunch break; empty: closed.")


class ExceptionIn(Schema):
    date: dt.date = Field(..., examples=["2026-12-31"])
    kind: Literal["closed", "shortened", "special"] = Field(
        ..., description="closed: не працює; shortened: скорочений день; special: особливий графік."
    )
    opens: LocalTime | None = Field(None, examples=["08:00"], description="Required unless the kind is `closed`.")
    closes: LocalTime | None = Field(None, examples=["13:00"], description="Required unless the kind is `closed`.")
    note: str = Field("", examples=["Передноворічний скорочений день"])


class ExceptionOut(ExceptionIn):
    id: int


class OfficeDetailOut(OfficeOut):
    weekly_hours: list[DayHours] = Field(..., description="Days without intervals are closed and not listed.")
    exceptions: list[ExceptionOut] = Field(..., description=f"Exceptions from today for {UPCOMING_DAYS} days.")
    today: list[Interval] = Field(..., description="Opening hours today, exceptions applied.")

    @staticmethod
    def resolve_weekly_hours(obj) -> list[dict]:
        return [
            {"weekday": d, "day": services.DAY_NAMES[d], "intervals": [{"opens": o, "closes": c} for o, c in intervals]}
            for d, intervals in sorted(services.weekly_hours(obj).items())
        ]

    @staticmethod
    def resolve_exceptions(obj) -> list:
        today = timezone.localdate()
        upcoming = obj.schedule_exceptions.filter(date__gte=today, date__lt=today + timedelta(days=UPCOMING_DAYS))
        return list(upcoming.order_by("date"))

    @staticmethod
    def resolve_today(obj) -> list[dict]:
        return [{"opens": o, "closes": c} for o, c in services.opening_hours(obj, timezone.localdate())]


class WeekIn(Schema):
    days: list[DayHours] = Field(
        ...,
        description="The whole week; days not listed are closed.",
        examples=[[{"weekday": 3, "intervals": [{"opens": "08:00", "closes": "20:00"}]}]],
    )


class ProviderOut(Schema):
    id: int
    name: str = Field(..., examples=["Вінницький відділ ДРАЦС"])
    short_name: str
    edrpou: str = Field(..., examples=["00032129"])
    kind: str = Field(..., examples=["state_territorial"])
    region_id: int
    hromada_id: int | None = None
    address: str
    phone: str
    email: str
    website: str
    is_active: bool


class ProviderPage(Schema):
    items: list[ProviderOut]
    next_cursor: str | None = None


class ProviderIn(Schema):
    name: str = Field(..., examples=["Вінницький відділ ДРАЦС"])
    short_name: str = ""
    edrpou: str = Field(..., examples=["00032129"], description="8 digits with a valid control digit.")
    kind: Literal["state_territorial", "council_department", "state_registrar"]
    region: str = Field(..., examples=["UA05000000000010236"], description="КАТОТТГ code of the oblast.")
    hromada: str | None = Field(None, examples=["UA05020030000031457"], description="КАТОТТГ code of the hromada.")
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


ERRORS = error_responses(400, 404, 409)


# --- codifier (public) -------------------------------------------------------------------------


@router.get(
    "/regions",
    response=RegionPage,
    auth=None,
    summary="Oblasts and cities with special status, in codifier order (public)",
)
def list_regions(request, cursor: str | None = CURSOR, limit: int = LIMIT):
    page = paginate(Region.objects.all(), key=("katottg",), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/hromadas",
    response={200: HromadaPage, 400: ApiError},
    auth=None,
    summary="Territorial hromadas, searchable by name (public)",
)
def list_hromadas(
    request,
    q: str = Query("", description="Part of the name, case-insensitive, e.g. `Вінн`."),
    region: str | None = Query(None, description="КАТОТТГ code of the oblast, e.g. `UA05000000000010236`."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    queryset = Hromada.objects.select_related("region", "raion")
    if q.strip():
        queryset = queryset.filter(name__icontains=q.strip())
    if region:
        queryset = queryset.filter(region=services.region_by_katottg(region))
    page = paginate(queryset, key=("name", "id"), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


# --- centers and offices -----------------------------------------------------------------------


def _center(request, center_id: int) -> Center:
    return get_object_or_404(Center.objects.visible_to(request.user).select_related("hromada"), pk=center_id)


def _office(request, office_id: int) -> Office:
    return get_object_or_404(
        Office.objects.visible_to(request.user).select_related("center", "settlement"), pk=office_id
    )


@router.get("/centers", response=CenterPage, summary="Centers in the caller's scope")
def list_centers(
    request,
    q: str = Query("", description="Part of the name, e.g. `Вінниц`."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    queryset = Center.objects.visible_to(request.user).select_related("hromada")
    if q.strip():
        queryset = queryset.filter(Q(name__icontains=q.strip()) | Q(short_name__icontains=q.strip()))
    page = paginate(queryset, key=("id",), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/centers/{center_id}", response={200: CenterOut, 404: ApiError}, summary="One center")
def get_center(request, center_id: int):
    return _center(request, center_id)


@router.get("/centers/{center_id}/offices", response={200: OfficePage, 404: ApiError}, summary="Offices of a center")
def list_center_offices(request, center_id: int, cursor: str | None = CURSOR, limit: int = LIMIT):
    center = _center(request, center_id)
    queryset = Office.objects.visible_to(request.user).filter(center=center).select_related("settlement")
    page = paginate(queryset, key=("id",), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/offices/{office_id}", response={200: OfficeDetailOut, 404: ApiError}, summary="An office with its schedule"
)
def get_office(request, office_id: int):
    return _office(request, office_id)


@router.put(
    "/offices/{office_id}/weekly-hours",
    response={200: OfficeDetailOut, 400: ApiError, 403: ApiError, 404: ApiError},
    summary="Replace the weekly schedule of an office",
)
def put_weekly_hours(request, office_id: int, payload: WeekIn):
    office = _office(request, office_id)
    hours: dict[int, list[tuple[time, time]]] = {}
    for day in payload.days:
        hours.setdefault(day.weekday, []).extend((i.opens, i.closes) for i in day.intervals)
    services.set_weekly_hours(office, hours, actor=actor_from_request(request))
    return office


@router.post(
    "/offices/{office_id}/schedule-exceptions",
    response={201: ExceptionOut, 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError},
    summary="Add a closure, a shortened day or special hours",
)
def post_schedule_exception(request, office_id: int, payload: ExceptionIn):
    office = _office(request, office_id)
    exception = services.add_schedule_exception(
        office,
        date=payload.date,
        kind=payload.kind,
        opens=payload.opens,
        closes=payload.closes,
        note=payload.note,
        actor=actor_from_request(request),
    )
    return Status(201, exception)


# --- providers ---------------------------------------------------------------------------------


@router.get("/providers", response=ProviderPage, summary="Providers (СНАП) in the caller's scope")
def list_providers(request, cursor: str | None = CURSOR, limit: int = LIMIT):
    page = paginate(Provider.objects.visible_to(request.user), key=("id",), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/providers/{provider_id}", response={200: ProviderOut, 404: ApiError}, summary="One provider")
def get_provider(request, provider_id: int):
    return get_object_or_404(Provider.objects.visible_to(request.user), pk=provider_id)


@router.post(
    "/providers",
    response={201: ProviderOut, 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError},
    summary="Register a provider (system administrator or the oblast monitor)",
)
def post_provider(request, payload: ProviderIn):
    data = payload.dict()
    region = services.region_by_katottg(data.pop("region"))
    hromada_code = data.pop("hromada")
    hromada = services.hromada_by_katottg(hromada_code) if hromada_code else None
    provider = services.create_provider(region=region, hromada=hromada, actor=actor_from_request(request), **data)
    return Status(201, provider)
