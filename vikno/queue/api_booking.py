"""API of online booking, ratings and queue KPIs (mounted under /api/v1/).

Public (no authentication, lightly rate-limited per address): queues open to booking, free slots, the
anti-bot stamp, hold → confirm, and the manage operations by the booking's secret token; rating a visit by
the ticket's token. Staff: check-in by code (the kiosk's token) and the KPIs (center heads, oblast
monitors, system administrators, each in their scope).
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from vikno.core.api_errors import ApiError, error_responses
from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError, NotFound
from vikno.core.net import client_ip
from vikno.orgs.models import Office

from . import booking as booking_service
from . import kpi, ratings
from .models import Queue, Rating, Ticket

router = Router(tags=["booking"])

PUBLIC_LIMIT = 60  # writes per address per window
PUBLIC_WINDOW_SECONDS = 600

QUEUE_ID = Query(..., examples=[3], description="The queue (GET /booking/offices/{office_id}/queues).")
DAY = Query(..., examples=["2026-05-12"], description="Local date.")
OFFICE_ID = Query(None, examples=[1], description="One office; omitted: the whole scope.")
DATE_FROM = Query(
    None,
    examples=["2026-05-01"],
    description="First local day of the period (YYYY-MM-DD, Europe/Kyiv), inclusive; omitted: date_to.",
)
DATE_TO = Query(
    None,
    examples=["2026-05-31"],
    description="Last local day of the period (YYYY-MM-DD, Europe/Kyiv), inclusive; omitted: today. "
    f"At most {kpi.MAX_DAYS} days from date_from.",
)
KPI_PARAMETERS = ("office_id", "date_from", "date_to")


ERRORS = error_responses(400, 404, 409, 429)


def _throttle(request) -> None:
    ip = client_ip(request) or ""
    if not booking_service.allow_request(ip, "booking-api", limit=PUBLIC_LIMIT, window=PUBLIC_WINDOW_SECONDS):
        raise DomainError(
            f"Забагато запитів з Вашої адреси. Спробуйте за {PUBLIC_WINDOW_SECONDS // 60} хв.",
            code="too_many_requests",
            status=429,
        )


# --- schemas -----------------------------------------------------------------------------------


class BookableQueueOut(Schema):
    id: int
    name: str = Field(..., examples=["Реєстрація місця проживання"])
    service_minutes: int = Field(..., examples=[15], description="Length of one slot, minutes.")
    bookable_workplaces: int = Field(..., examples=[2], description="People per slot.")


class SlotOut(Schema):
    starts_at: dt.datetime = Field(..., examples=["2026-05-12T06:30:00Z"])
    ends_at: dt.datetime = Field(..., examples=["2026-05-12T06:45:00Z"])
    free: int = Field(..., examples=[1], description="Places still free in the slot.")


class StampOut(Schema):
    stamp: str = Field(..., description="Send it back with the hold, no sooner than `QUEUE_FORM_MIN_SECONDS` later.")


class HoldIn(Schema):
    queue_id: int = Field(..., examples=[3])
    starts_at: dt.datetime = Field(..., examples=["2026-05-12T09:30:00+03:00"], description="Start of a free slot.")
    phone: str = Field(..., examples=["0501234567"], description="Mobile number; Ukrainian numbers without +380 too.")
    service_id: int | None = Field(None, examples=[None])
    stamp: str = Field(..., description="From GET /booking/stamp.")
    website: str = Field("", description="Anti-bot honeypot: leave empty.")


class ConfirmIn(Schema):
    full_name: str = Field(..., examples=["Коваленко Іван"])
    email: str = Field("", examples=["ivan@example.com"])
    sms_allowed: bool = Field(True, description="Send the code and the reminder by SMS.")
    email_allowed: bool = Field(False, description="Send the code and the reminder by email.")
    personal_data_consent: bool = Field(..., description="Must be true.", examples=[True])


class RescheduleIn(Schema):
    starts_at: dt.datetime = Field(..., examples=["2026-05-13T10:00:00+03:00"])


class BookingOut(Schema):
    status: str = Field(
        ..., examples=["confirmed"], description="held, confirmed, cancelled, checked_in, no_show, expired"
    )
    code: str = Field(..., examples=["042917"], description="Check-in code for the kiosk.")
    manage_token: str = Field(..., description="Secret of the manage link; keep it private.")
    manage_url: str = Field(..., examples=["https://vikno.example/booking/manage/…/"])
    office_id: int
    office_name: str
    queue_id: int
    queue_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    hold_expires_at: dt.datetime | None = None

    @staticmethod
    def resolve_manage_url(obj) -> str:
        return booking_service.manage_url(obj)

    @staticmethod
    def resolve_office_name(obj) -> str:
        return obj.office.name

    @staticmethod
    def resolve_queue_name(obj) -> str:
        return obj.queue.name


class CheckInIn(Schema):
    office_id: int = Field(..., examples=[1])
    code: str = Field(..., examples=["042917"])


class CheckInTicketOut(Schema):
    id: int
    code: str = Field(..., examples=["Р-012"])
    token: str = Field(..., description="Secret of the «my ticket» link.")
    queue_id: int
    order_at: dt.datetime = Field(..., description="The booked time: the ticket's place in the line.")


class RatingIn(Schema):
    token: str = Field(..., description="The ticket's token (from the «my ticket» link or the SMS).")
    stars: int = Field(..., ge=1, le=5, examples=[5])
    recommend: int | None = Field(None, ge=0, le=10, examples=[9], description="0–10: would you recommend the center?")
    comment: str = Field("", max_length=ratings.COMMENT_MAX, examples=["Швидко і ввічливо."])
    channel: str = Field("qr", examples=["qr"], description="qr, sms or tablet")


class RatingOut(Schema):
    id: int
    stars: int
    recommend: int | None
    channel: str


class FiguresOut(Schema):
    tickets: int = Field(..., examples=[120])
    called: int = Field(..., examples=[115])
    no_shows: int = Field(..., examples=[4])
    average_wait_minutes: float | None = Field(None, examples=[11.5])
    average_service_minutes: float | None = Field(None, examples=[9.25])
    no_show_share: float | None = Field(None, examples=[0.0333], description="0…1")


class QueueKpiOut(FiguresOut):
    queue_id: int
    name: str
    target_wait_minutes: int = Field(..., examples=[15])
    target_share: float = Field(..., examples=[0.8])
    service_level: float | None = Field(None, examples=[0.85], description="Share called within the target wait.")
    meets_target: bool | None = None


class DayKpiOut(FiguresOut):
    day: dt.date


class HourKpiOut(FiguresOut):
    hour: int = Field(..., examples=[9], description="Local hour, 0–23.")


class WorkplaceKpiOut(Schema):
    workplace_id: int
    name: str = Field(..., examples=["Вікно 3"])
    open_hours: float = Field(..., examples=[7.5])
    serving_hours: float = Field(..., examples=[5.25])
    utilisation: float | None = Field(
        None, examples=[0.7], description="Serving time (a service in progress counted up to now) / open session time."
    )


class RatingSummaryOut(Schema):
    count: int
    average_stars: float | None = None
    loyalty_index: float | None = Field(None, examples=[42.5], description="% of 9–10 minus % of 0–6.")


class KpiOut(Schema):
    date_from: dt.date
    date_to: dt.date
    total: FiguresOut
    queues: list[QueueKpiOut]
    days: list[DayKpiOut]
    hours: list[HourKpiOut]
    workplaces: list[WorkplaceKpiOut]
    ratings: RatingSummaryOut


# --- booking (public) --------------------------------------------------------------------------


def _bookable_office(office_id: int) -> Office:
    return get_object_or_404(Office, pk=office_id, is_active=True)


def _bookable_queue(queue_id: int) -> Queue:
    queue = Queue.objects.select_related("office").filter(pk=queue_id, is_active=True).first()
    if queue is None or not booking_service.is_bookable(queue):
        raise NotFound("Чергу не знайдено або до неї не можна записатися онлайн.", field="queue_id")
    return queue


@router.get(
    "/booking/offices/{office_id}/queues",
    response={200: list[BookableQueueOut], 404: ApiError},
    auth=None,
    summary="Queues of an office open to online booking (public)",
)
def booking_queues(request, office_id: int):
    office = _bookable_office(office_id)
    return [q for q in Queue.objects.filter(office=office, is_active=True) if booking_service.is_bookable(q)]


@router.get(
    "/booking/slots",
    response={200: list[SlotOut], 400: ApiError, 404: ApiError},
    auth=None,
    summary="Free slots of a queue on a day (public)",
    description="Empty when the day is outside the booking window or the office is closed; "
    "GET /booking/slots?queue_id=3&day=2026-05-12",
)
def booking_slots(
    request,
    queue_id: int = QUEUE_ID,
    day: dt.date = DAY,
):
    queue = _bookable_queue(queue_id)
    booking_service.check_day(queue.office, day)
    return [
        {"starts_at": s.starts_at, "ends_at": s.ends_at, "free": s.free}
        for s in booking_service.free_slots(queue.office, queue, day)
    ]


@router.get("/booking/stamp", response=StampOut, auth=None, summary="Anti-bot stamp for a hold (public)")
def booking_stamp(request):
    return {"stamp": booking_service.form_stamp()}


@router.post(
    "/booking/holds",
    response={201: BookingOut, **ERRORS},
    auth=None,
    summary="Hold a slot while the form is filled in (public)",
    description="The place is kept for `QUEUE_HOLD_MINUTES`; confirm it with POST /booking/{token}/confirm.",
)
def booking_hold(request, payload: HoldIn):
    _throttle(request)
    booking_service.check_human(payload.stamp, payload.website)
    queue = _bookable_queue(payload.queue_id)
    service = None
    if payload.service_id:
        service = queue.services.filter(pk=payload.service_id).first()
        if service is None:
            raise DomainError("Цю послугу не надають у цій черзі.", code="service_not_in_queue", field="service_id")
    held = booking_service.hold(
        queue,
        payload.starts_at,
        phone=payload.phone,
        service=service,
        client_ip=client_ip(request),
        actor=actor_from_request(request),
    )
    return Status(201, booking_service.by_token(held.manage_token))


@router.get("/booking/{token}", response={200: BookingOut, 404: ApiError}, auth=None, summary="A booking by its token")
def booking_get(request, token: str):
    return booking_service.by_token(token)


@router.post(
    "/booking/{token}/confirm",
    response={200: BookingOut, **ERRORS},
    auth=None,
    summary="Confirm a held slot (public); SMS/email with the code",
)
def booking_confirm(request, token: str, payload: ConfirmIn):
    _throttle(request)
    held = booking_service.by_token(token)
    booking_service.confirm(held, **payload.dict(), actor=actor_from_request(request))
    return booking_service.by_token(token)


@router.post(
    "/booking/{token}/cancel", response={200: BookingOut, **ERRORS}, auth=None, summary="Cancel a booking (public)"
)
def booking_cancel(request, token: str):
    _throttle(request)
    booking_service.cancel(token, actor=actor_from_request(request))
    return booking_service.by_token(token)


@router.post(
    "/booking/{token}/reschedule",
    response={200: BookingOut, **ERRORS},
    auth=None,
    summary="Move a booking to another free slot (public)",
)
def booking_reschedule(request, token: str, payload: RescheduleIn):
    _throttle(request)
    booking_service.reschedule(token, payload.starts_at, actor=actor_from_request(request))
    return booking_service.by_token(token)


# --- check-in (staff: the kiosk's token) -------------------------------------------------------


@router.post(
    "/queue/checkin",
    response={201: CheckInTicketOut, **ERRORS},
    summary="Check a booking in by its code: a ticket placed at the booked time",
    tags=["queue"],
)
def booking_check_in(request, payload: CheckInIn):
    office = Office.objects.visible_to(request.auth).filter(pk=payload.office_id).first()
    if office is None:
        raise NotFound("Офіс не знайдено.", field="office_id")
    ticket: Ticket = booking_service.check_in(office, payload.code, actor=actor_from_request(request))
    return Status(201, ticket)


# --- ratings (public) --------------------------------------------------------------------------


@router.post(
    "/queue/ratings",
    response={201: RatingOut, **ERRORS},
    auth=None,
    summary="Rate a finished visit by the ticket's token (public)",
    tags=["queue"],
)
def rate_visit(request, payload: RatingIn):
    _throttle(request)
    ticket = ratings.ticket_for_rating(payload.token)
    if payload.channel not in Rating.Channel.values:
        raise DomainError("Невідомий спосіб оцінювання.", code="invalid_channel", field="channel")
    rating = ratings.rate(
        ticket,
        stars=payload.stars,
        recommend=payload.recommend,
        comment=payload.comment,
        channel=payload.channel,
        actor=actor_from_request(request),
    )
    return Status(201, rating)


# --- KPIs (staff) ------------------------------------------------------------------------------


@router.get(
    "/queue/kpi",
    response={200: KpiOut, 400: ApiError, 404: ApiError},
    summary="Queue KPIs of an office or of the whole scope, for a period",
    description="Center heads, oblast monitors and system administrators, each in their own scope. Computed "
    "from the visit events (waiting, service, no-shows, service level per queue, utilisation of workplaces), "
    "by local day and hour.\n\n"
    "The period is `date_from`…`date_to` (both inclusive). Refused with 400: a period whose start is later "
    "than its end (`invalid_period`), one longer than "
    f"{kpi.MAX_DAYS} days (`period_too_long`), and any other query parameter (`unknown_parameter`; e.g. "
    "`from`/`to` are not read as the period). A date not in the YYYY-MM-DD form: 422 (`validation_error`).",
    tags=["queue"],
)
def queue_kpi(
    request,
    office_id: int | None = OFFICE_ID,
    date_from: dt.date | None = DATE_FROM,
    date_to: dt.date | None = DATE_TO,
):
    kpi.check_parameters(request.GET.keys(), KPI_PARAMETERS)
    return kpi.report(request.auth, date_from=date_from, date_to=date_to, office_id=office_id).as_dict()
