"""API of the electronic queue: configuration, the operator console, the kiosk and «my ticket».

Handlers are thin: every change is made by vikno/queue/services.py (the call rule is documented there).
Staff see only their scope; a queue, window or ticket outside it answers 404. Two operations are
public: a kiosk issues a ticket (``POST /queue/kiosk/{office_id}/tickets``; a kiosk device may also
send its API token, then the ticket records that device's account) and a visitor follows the ticket by
its secret token (``GET /queue/my/{token}``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from vikno.accounts.models import ApiToken
from vikno.cases.models import Case
from vikno.catalog.models import Service
from vikno.core.api_errors import ApiError, error_responses
from vikno.core.audit import Actor, actor_from_request
from vikno.core.errors import DomainError, NotFound
from vikno.core.net import client_ip
from vikno.orgs.models import Office

from . import services
from .models import OperatorSession, PriorityCategory, Queue, Ticket, Workplace

router = Router(tags=["queue"])

PRIORITY_HELP = (
    "Priority category: empty (none), `disability`, `veteran`, `pregnant`, `infant` (a child under 3). "
    "Such tickets are called before the others."
)
TicketAction = Literal["recall", "no-show", "start", "finish", "park", "return"]
ACTIONS = {
    "recall": services.recall,
    "no-show": services.mark_no_show,
    "start": services.start_service,
    "finish": services.finish_service,
    "park": services.park,
    "return": services.return_parked,
}


# --- schemas -----------------------------------------------------------------------------------


ERRORS = error_responses(400, 403, 404, 409)


class QueueIn(Schema):
    name: str = Field(..., examples=["Реєстрація"])
    name_en: str = Field("", examples=["Registration"])
    prefix: str = Field(..., examples=["Р"], description="One or two capital letters, unique within the office.")
    color: str = Field("#0b4f9c", examples=["#f28c00"], description="#rrggbb, the colour of the sector.")
    position: int = Field(0, description="Order of the queue on the kiosk and the display.")
    service_minutes: int = Field(15, examples=[15], description="Typical service time, minutes.")
    target_wait_minutes: int = Field(15, examples=[15], description="Service level: wait no longer than this…")
    target_share: Decimal = Field(Decimal("0.80"), examples=["0.80"], description="…for this share of visitors.")
    bookable_workplaces: int = Field(1, description="Windows of the queue taking bookings at the same time.")
    services: list[str] = Field([], examples=[["RMP-001", "RMP-002"]], description="Codes of the services served.")


class QueueOut(Schema):
    id: int
    office_id: int
    name: str
    name_en: str
    prefix: str
    color: str
    position: int
    service_minutes: int
    target_wait_minutes: int
    target_share: Decimal
    bookable_workplaces: int
    is_active: bool
    services: list[str]

    @staticmethod
    def resolve_services(obj) -> list[str]:
        return sorted(obj.services.values_list("code", flat=True))


class WorkplaceIn(Schema):
    name: str = Field(..., examples=["Вікно 1"], description="As shown on the display.")
    queue_ids: list[int] = Field([], examples=[[3, 5]], description="The work profile: queues in the order served.")


class ProfileEntry(Schema):
    queue_id: int
    prefix: str
    order: int


class WorkplaceOut(Schema):
    id: int
    office_id: int
    name: str
    is_active: bool
    profile: list[ProfileEntry]

    @staticmethod
    def resolve_profile(obj) -> list[dict]:
        return [
            {"queue_id": p.queue_id, "prefix": p.queue.prefix, "order": p.order}
            for p in obj.profile.select_related("queue").order_by("order")
        ]


class SessionIn(Schema):
    open: bool = Field(..., description="true: start work at the window; false: end it.")


class SessionOut(Schema):
    workplace_id: int
    open: bool
    operator: str | None = None
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None


class TicketOut(Schema):
    id: int
    code: str = Field(..., examples=["Р-012"])
    status: Literal["waiting", "called", "serving", "done", "no_show", "parked", "cancelled"]
    queue_id: int
    queue_prefix: str = Field(..., examples=["Р"])
    priority: str = Field("", description=PRIORITY_HELP)
    source: str = Field(..., examples=["kiosk"])
    issued_at: dt.datetime
    order_at: dt.datetime = Field(..., description="Place in the line: issue time or booked time.")
    called_at: dt.datetime | None = None
    call_count: int
    workplace_id: int | None = None
    workplace: str | None = Field(None, examples=["Вікно 5"])
    target_workplace_id: int | None = Field(None, description="Set by a transfer to a particular window.")
    case_numbers: list[str] = Field([], description="Cases registered during the visit.")

    @staticmethod
    def resolve_queue_prefix(obj) -> str:
        return obj.queue.prefix

    @staticmethod
    def resolve_workplace(obj) -> str | None:
        return obj.workplace.name if obj.workplace_id else None

    @staticmethod
    def resolve_case_numbers(obj) -> list[str]:
        return list(obj.cases.order_by("number").values_list("number", flat=True))


class IssuedTicketOut(TicketOut):
    token: str = Field(..., description="Secret of the «my ticket» link: /api/v1/queue/my/{token}.")
    people_ahead: int
    estimated_wait_minutes: int


class CallNextOut(Schema):
    ticket: TicketOut | None = Field(None, description="The called ticket; null when nobody is waiting.")
    message: str = Field(..., examples=["Запрошено Р-012 до вікна «Вікно 1»."])


class TicketTransferIn(Schema):
    queue_id: int | None = Field(None, description="Another queue of the same office.")
    workplace_id: int | None = Field(None, description="A particular window of the same office (first in its line).")


class StaffIssueIn(Schema):
    queue_id: int
    priority: str = Field("", description=PRIORITY_HELP)
    service_code: str | None = Field(None, examples=["RMP-001"])
    language: str = Field("uk", examples=["uk"])


class KioskIssueIn(Schema):
    queue_id: int = Field(..., description="A queue of this office.")
    priority: str = Field("", description=PRIORITY_HELP)
    language: str = Field("uk", examples=["uk", "en"], description="Language of the visitor's ticket page.")


class LinkCaseIn(Schema):
    case_id: int


class QueueState(Schema):
    id: int
    name: str
    prefix: str
    color: str
    waiting: int
    longest_wait_minutes: int
    target_wait_minutes: int


class CallState(Schema):
    ticket: str
    ticket_id: int
    status: str
    queue: str
    color: str
    workplace: str
    workplace_id: int
    called_at: dt.datetime | None
    call_count: int


class WorkplaceState(Schema):
    id: int
    name: str
    open: bool
    operator: str | None


class StateOut(Schema):
    office_id: int
    open: bool = Field(..., description="Open now by the office schedule.")
    queues: list[QueueState]
    calls: list[CallState]
    workplaces: list[WorkplaceState]


class MyTicketOut(Schema):
    code: str = Field(..., examples=["С-007"])
    status: str = Field(..., examples=["waiting"])
    status_label: str = Field(..., examples=["Очікує"])
    queue: str = Field(..., examples=["Соціальні та пенсійні питання"])
    queue_prefix: str
    color: str
    office: str
    issued_at: dt.datetime
    people_ahead: int
    estimated_wait_minutes: int
    workplace: str | None = Field(None, description="The window to go to, once called.")


# --- helpers -----------------------------------------------------------------------------------


def _office(request, office_id: int) -> Office:
    return get_object_or_404(Office.objects.visible_to(request.user).select_related("center"), pk=office_id)


def _workplace(request, workplace_id: int) -> Workplace:
    return get_object_or_404(Workplace.objects.visible_to(request.user).select_related("office"), pk=workplace_id)


def _ticket(request, ticket_id: int) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user), pk=ticket_id)


def _fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("queue", "workplace").get(pk=ticket.pk)


def _issued(ticket: Ticket) -> Ticket:
    ticket = _fresh(ticket)
    ticket.people_ahead, ticket.estimated_wait_minutes = services.position_of(ticket)
    return ticket


def _kiosk_actor(request, office: Office) -> Actor | None:
    """A kiosk device may send ``Authorization: Bearer <token>`` of an account of the office's center."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, key = header.partition(" ")
    user = ApiToken.authenticate(key.strip()) if scheme.lower() == "bearer" and key.strip() else None
    if user is None:
        raise DomainError("Токен кіоску недійсний або відкликаний.", code="unauthorized", status=401)
    if not Office.objects.visible_to(user).filter(pk=office.pk).exists():
        raise NotFound("Офіс не знайдено.")
    return Actor(user=user, ip=client_ip(request))


# --- configuration -----------------------------------------------------------------------------


@router.post(
    "/queue/offices/{office_id}/queues",
    response={201: QueueOut, **ERRORS},
    summary="Add a queue (sector) to an office (the center's head or the system administrator)",
)
def post_queue(request, office_id: int, payload: QueueIn):
    office = _office(request, office_id)
    data = payload.dict()
    codes = [c.strip().upper() for c in data.pop("services")]
    found = dict(Service.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(f"Послугу не знайдено: {', '.join(unknown)}.", code="unknown_service", field="services")
    queue = services.create_queue(office, services=[found[c] for c in codes], actor=actor_from_request(request), **data)
    return HttpStatus(201, queue)


@router.get(
    "/queue/offices/{office_id}/queues", response={200: list[QueueOut], 404: ApiError}, summary="Queues of an office"
)
def list_queues(request, office_id: int):
    office = _office(request, office_id)
    return list(Queue.objects.visible_to(request.user).filter(office=office).prefetch_related("services"))


@router.post(
    "/queue/offices/{office_id}/workplaces",
    response={201: WorkplaceOut, **ERRORS},
    summary="Add a window with its work profile (the center's head or the system administrator)",
)
def post_workplace(request, office_id: int, payload: WorkplaceIn):
    office = _office(request, office_id)
    workplace = services.create_workplace(
        office, name=payload.name, queues=payload.queue_ids, actor=actor_from_request(request)
    )
    return HttpStatus(201, workplace)


@router.get(
    "/queue/offices/{office_id}/workplaces",
    response={200: list[WorkplaceOut], 404: ApiError},
    summary="Windows of an office with their work profiles",
)
def list_workplaces(request, office_id: int):
    office = _office(request, office_id)
    return list(Workplace.objects.visible_to(request.user).filter(office=office))


@router.get(
    "/queue/offices/{office_id}/state",
    response={200: StateOut, 404: ApiError},
    summary="Waiting tickets per queue, current calls and open windows",
)
def office_state(request, office_id: int):
    return services.office_state(_office(request, office_id))


# --- console -----------------------------------------------------------------------------------


@router.post(
    "/queue/workplaces/{workplace_id}/session",
    response={200: SessionOut, **ERRORS},
    summary="Open or close the caller's work session at a window",
)
def post_session(request, workplace_id: int, payload: SessionIn):
    workplace = _workplace(request, workplace_id)
    actor = actor_from_request(request)
    change = services.open_session if payload.open else services.close_session
    session = change(workplace, actor)
    current = services.current_session(workplace)
    shown: OperatorSession | None = current or session
    return {
        "workplace_id": workplace.pk,
        "open": current is not None,
        "operator": (shown.user.get_full_name() or shown.user.get_username()) if shown else None,
        "opened_at": shown.opened_at if shown else None,
        "closed_at": shown.closed_at if shown else None,
    }


@router.post(
    "/queue/workplaces/{workplace_id}/call-next",
    response={200: CallNextOut, **ERRORS},
    summary="Call the next visitor to the window (the call rule is in vikno/queue/services.py)",
)
def post_call_next(request, workplace_id: int):
    ticket = services.call_next(workplace_id, actor_from_request(request))  # 404 outside the caller's scope
    if ticket is None:
        return {"ticket": None, "message": "Черга порожня: ніхто не очікує на це вікно."}
    return {"ticket": ticket, "message": f"Запрошено {ticket.code} до вікна «{ticket.workplace.name}»."}


@router.post(
    "/queue/tickets/{ticket_id}/transfer",
    response={200: TicketOut, **ERRORS},
    summary="Transfer a ticket to another queue or a particular window of the same office",
)
def post_transfer(request, ticket_id: int, payload: TicketTransferIn):
    ticket = _ticket(request, ticket_id)
    to_queue = to_workplace = None
    if payload.queue_id is not None:
        to_queue = Queue.objects.visible_to(request.user).filter(pk=payload.queue_id).first()
        if to_queue is None:
            raise NotFound("Чергу не знайдено.", field="queue_id")
    if payload.workplace_id is not None:
        to_workplace = Workplace.objects.visible_to(request.user).filter(pk=payload.workplace_id).first()
        if to_workplace is None:
            raise NotFound("Вікно не знайдено.", field="workplace_id")
    services.transfer(ticket, actor_from_request(request), to_queue=to_queue, to_workplace=to_workplace)
    return _fresh(ticket)


@router.post(
    "/queue/tickets/{ticket_id}/cases",
    response={200: TicketOut, **ERRORS},
    summary="Record a case registered during the visit",
)
def post_link_case(request, ticket_id: int, payload: LinkCaseIn):
    ticket = _ticket(request, ticket_id)
    case = Case.objects.visible_to(request.user).filter(pk=payload.case_id).first()
    if case is None:
        raise NotFound("Звернення не знайдено.", field="case_id")
    services.link_case(ticket, case, actor_from_request(request))
    return _fresh(ticket)


@router.post(
    "/queue/tickets/{ticket_id}/{action}",
    response={200: TicketOut, **ERRORS},
    summary="Act on a ticket: recall, no-show, start or finish service, park, return a parked ticket",
    description=(
        "`recall` after `QUEUE_MAX_CALLS` calls marks the visitor as not having come. `return` puts a parked "
        "ticket back in the line, first for the window that parked it."
    ),
)
def post_ticket_action(request, ticket_id: int, action: TicketAction):
    return ACTIONS[action](ticket_id, actor_from_request(request))  # 404 outside the caller's scope


@router.post("/queue/tickets", response={201: IssuedTicketOut, **ERRORS}, summary="Issue a ticket at the desk (staff)")
def post_ticket(request, payload: StaffIssueIn):
    queue = get_object_or_404(Queue.objects.visible_to(request.user), pk=payload.queue_id)
    service = None
    if payload.service_code:
        service = Service.objects.filter(code=payload.service_code.strip().upper()).first()
        if service is None:
            raise DomainError("Послугу не знайдено.", code="unknown_service", field="service_code")
    ticket = services.issue_ticket(
        queue,
        source=Ticket.Source.STAFF,
        priority=payload.priority,
        service=service,
        language=payload.language,
        actor=actor_from_request(request),
    )
    return HttpStatus(201, _issued(ticket))


# --- public ------------------------------------------------------------------------------------


@router.post(
    "/queue/kiosk/{office_id}/tickets",
    response={201: IssuedTicketOut, 400: ApiError, 401: ApiError, 404: ApiError, 409: ApiError},
    auth=None,
    summary="Take a ticket at the kiosk (public; a kiosk device may send its API token)",
)
def post_kiosk_ticket(request, office_id: int, payload: KioskIssueIn):
    office = get_object_or_404(Office.objects.filter(is_active=True), pk=office_id)
    actor = _kiosk_actor(request, office)
    queue = Queue.objects.filter(pk=payload.queue_id, office=office, is_active=True).first()
    if queue is None:
        raise NotFound("Чергу не знайдено в цьому офісі.", field="queue_id")
    if payload.priority not in PriorityCategory.values:
        raise DomainError("Невідома пільгова категорія.", code="invalid_priority", field="priority")
    ticket = services.issue_ticket(
        queue, source=Ticket.Source.KIOSK, priority=payload.priority, language=payload.language, actor=actor
    )
    return HttpStatus(201, _issued(ticket))


@router.get(
    "/queue/my/{token}",
    response={200: MyTicketOut, 404: ApiError},
    auth=None,
    summary="A visitor's ticket: status, people ahead and estimated wait (public, by the secret token)",
)
def get_my_ticket(request, token: str):
    return services.ticket_status(token)
