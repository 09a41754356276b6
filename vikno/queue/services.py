"""Queue operations (owner: queue-core). Contract used by the kiosk, console, display, booking and KPIs.

Configuration (the center's head or the system administrator; a system job such as the demo loader too):

- ``create_queue(office, *, name, prefix, color="#0b4f9c", services=(), actor, **fields) -> Queue`` and
  ``update_queue(queue, *, actor, services=None, **fields)``; fields: ``name_en``, ``position``,
  ``service_minutes``, ``target_wait_minutes``, ``target_share`` (service level: that share of visitors
  called within ``target_wait_minutes``), ``bookable_workplaces``, ``is_active``.
- ``create_workplace(office, *, name, queues=(), actor) -> Workplace`` (``queues`` in profile order),
  ``set_work_profile(workplace, queues, *, actor)``.

Tickets:

- ``issue_ticket(queue, *, source="kiosk", priority="", service=None, language="uk", actor=None,
  order_at=None, now=None) -> Ticket``: refused while the office is closed (its schedule, exceptions
  applied). The number restarts every local (Europe/Kyiv) day and comes from ``TicketCounter`` by one
  ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` in the issuing transaction, so two tickets never share
  a number and a failed issue leaves no gap. ``order_at`` is the place in the line: the issue time, or
  the booked time for a booking check-in. A ticket issued by staff (``source="staff"``) is audited.
- ``position_of(ticket) -> (people_ahead, estimated_wait_minutes)``; ``ticket_status(token)`` for the
  visitor's «my ticket» page.

Operator console (every function takes the acting ``user`` — a ``User`` or an audit ``Actor`` — and an
optional ``now`` for tests):

- ``open_session(workplace, user)``, ``close_session(workplace, user)``: one open session per window and
  per operator.
- ``call_next(workplace, user) -> Ticket | None`` by the call rule below.
- on the called ticket: ``recall`` (a recall after ``QUEUE_MAX_CALLS`` calls marks a no-show instead),
  ``mark_no_show``, ``start_service``, ``finish_service``, ``park`` (the visitor steps away; the window
  is free), ``return_parked`` (back to the line, first for the window that parked it), ``transfer(ticket,
  user, to_queue=None, to_workplace=None)`` and ``link_case(ticket, case, user)`` (cases registered
  during the visit).
- ``office_state(office)``: waiting counts per queue, current calls and windows, for the console and
  display; ``waiting_by_office(office_ids)``: tickets waiting now per office (the staff workplace).

The call rule. The candidates of a window are the waiting tickets of its office that were transferred
to this very window, and the waiting tickets of the queues in its work profile that were not transferred
to another window. They are sorted by, in turn:

1. transferred (or returned from parking) to this window — first;
2. a priority category (disability, veterans, pregnancy, a child under 3) — before the others;
3. the queue's place in the window's work profile (lower ``order`` first): a window serves its main
   queue and takes the next queue of its profile only when the earlier ones have nobody waiting;
4. ``order_at`` — the issue time of a walk-in, the booked time of a booking check-in, so a person who
   booked 10:00 goes after those who came before 10:00 and before those who came after;
5. the ticket id, so equal times are stable.

The top candidate is chosen and locked by one ``SELECT … FOR UPDATE SKIP LOCKED LIMIT 1``: two windows
calling at the same moment skip each other's row, so a ticket is never called twice. A window has at
most one ticket called or being served; the open session row is locked while a call is made.

Every change writes an immutable ``VisitEvent`` (UTC time) in the same transaction, audits the staff
action, and after commit hands an event to ``vikno.queue.live.publish(office_id, event)`` for the live
screens: ``{"type": "call", ...}`` on a call or recall, ``{"type": "ticket", ...}`` on any status change
and ``{"type": "queue", "waiting": {prefix: count}}`` with fresh counts.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Min, Q, Value, When
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from vikno.catalog.models import OfficeService, Service
from vikno.core import audit
from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.scoping import Role
from vikno.orgs.models import Office
from vikno.orgs.services import opening_hours

from .models import (
    OperatorSession,
    PriorityCategory,
    Queue,
    Ticket,
    TicketCounter,
    VisitEvent,
    Workplace,
    WorkplaceQueue,
)

logger = logging.getLogger(__name__)

CONFIGURERS = {Role.SYSADMIN, Role.CENTER_HEAD}
OPERATORS = {Role.SYSADMIN, Role.CENTER_HEAD, Role.ADMINISTRATOR}
# May act on a ticket called at another window (e.g. to finish it for an operator who left).
SUPERVISORS = {Role.SYSADMIN, Role.CENTER_HEAD}

Status = Ticket.Status
Kind = VisitEvent.Kind

PREFIX_RE = re.compile(r"^[A-ZА-ЩЬЮЯҐЄІЇ]{1,2}$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2}(-[a-z]{2})?$")
IN_PROGRESS = (Status.CALLED, Status.SERVING)
QUEUE_FIELDS = (
    "name",
    "name_en",
    "prefix",
    "color",
    "position",
    "service_minutes",
    "target_wait_minutes",
    "target_share",
    "bookable_workplaces",
    "is_active",
)

__all__ = [
    "call_next",
    "close_session",
    "create_queue",
    "create_workplace",
    "current_session",
    "current_ticket",
    "finish_service",
    "is_open",
    "issue_ticket",
    "link_case",
    "mark_no_show",
    "office_state",
    "open_session",
    "park",
    "position_of",
    "recall",
    "return_parked",
    "set_work_profile",
    "start_service",
    "ticket_status",
    "transfer",
    "update_queue",
    "waiting_counts",
]


# --- who acts ----------------------------------------------------------------------------------


def _who(user=None, actor: Actor | None = None) -> tuple[Actor, Any]:
    """(audit actor, staff user or None for a system job). ``user`` may itself be an ``Actor``."""
    if actor is not None and not isinstance(actor, Actor):
        user, actor = actor, None
    if isinstance(user, Actor):
        actor, user = user, user.user
    if actor is None:
        if user is None:
            raise NotFound(_("Not found."))
        actor = Actor(user=user)
    elif user is None:
        user = actor.user
    if user is None and not actor.label:
        raise NotFound(_("Not found."))
    return actor, user


def _require(user, model, pk: int, roles: set[str], refusal: str, missing: str | None = None) -> None:
    """The user sees the object (else 404, nothing leaks) and has one of ``roles`` (else 403)."""
    if user is None:
        return
    if not model.objects.visible_to(user).filter(pk=pk).exists():
        raise NotFound(missing or _("Not found."))
    if user.role not in roles:
        raise PermissionDenied(refusal)


def _require_configurer(user, office: Office) -> None:
    _require(
        user,
        Office,
        office.pk,
        CONFIGURERS,
        _("Insufficient rights: the queue is configured by the head of the center or the system administrator."),
        _("Office not found."),
    )


def _require_operator(user, model, pk: int) -> None:
    _require(user, model, pk, OPERATORS, _("Insufficient rights to work with the electronic queue."))


# --- configuration -----------------------------------------------------------------------------


def _int(value, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(
            _("%(field)s: enter a whole number.") % {"field": label}, code="invalid_number", field=field
        ) from None
    if not low <= number <= high:
        raise DomainError(
            _("%(field)s: allowed from %(low)s to %(high)s.") % {"field": label, "low": low, "high": high},
            code="out_of_range",
            field=field,
        )
    return number


def _clean_queue(values: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            value = (value or "").strip()
            if not value:
                raise DomainError(_("Enter the name of the queue."), code="required", field="name")
            if len(value) > 120:
                raise DomainError(
                    _("The name of the queue is too long: at most 120 characters."), code="too_long", field="name"
                )
            out[key] = value
        elif key == "name_en":
            out[key] = (value or "").strip()[:120]
        elif key == "prefix":
            value = (value or "").strip().upper()
            if not PREFIX_RE.match(value):
                raise DomainError(
                    _("The letter of the queue is one or two capital letters, e.g. «R» or «A»."),
                    code="invalid_prefix",
                    field="prefix",
                )
            out[key] = value
        elif key == "color":
            value = (value or "").strip()
            if not COLOR_RE.match(value):
                raise DomainError(
                    _("Give the colour of the queue as #rrggbb, e.g. #f28c00."), code="invalid_color", field="color"
                )
            out[key] = value.lower()
        elif key == "position":
            out[key] = _int(value, key, _("Order of the queue"), 0, 1000)
        elif key == "service_minutes":
            out[key] = _int(value, key, _("Typical service time (min)"), 1, 480)
        elif key == "target_wait_minutes":
            out[key] = _int(value, key, _("Target waiting time (min)"), 1, 480)
        elif key == "bookable_workplaces":
            out[key] = _int(value, key, _("Number of windows for advance booking"), 0, 100)
        elif key == "target_share":
            try:
                share = Decimal(str(value)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                raise DomainError(
                    _("The target share is a number from 0.01 to 1."), code="invalid_number", field=key
                ) from None
            if not Decimal("0.01") <= share <= Decimal("1"):
                raise DomainError(_("The target share is a number from 0.01 to 1."), code="out_of_range", field=key)
            out[key] = share
        elif key == "is_active":
            out[key] = bool(value)
        else:
            raise DomainError(_("Unknown field: %(field)s.") % {"field": key}, code="unknown_field", field=key)
    return out


def _services_for(office: Office, services: Iterable) -> list[Service]:
    """Services by instance or id; each must exist and, when the office has its own list, be offered there."""
    wanted = [s.pk if isinstance(s, Service) else s for s in services]
    found = {s.pk: s for s in Service.objects.filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise DomainError(
            _("Service not found: %(ids)s.") % {"ids": ", ".join(missing)}, code="unknown_service", field="services"
        )
    offered = set(OfficeService.objects.filter(office=office).values_list("service_id", flat=True))
    if offered:
        outside = [found[pk].code for pk in wanted if pk not in offered]
        if outside:
            raise DomainError(
                _("These services are not provided at the office «%(office)s»: %(codes)s.")
                % {"office": office.name, "codes": ", ".join(outside)},
                code="service_not_offered",
                field="services",
            )
    return list(found.values())


def create_queue(
    office: Office, *, name: str, prefix: str, color: str = "#0b4f9c", services: Iterable = (), actor, **fields
) -> Queue:
    """Add a queue (sector) to ``office``. The letter prefix is unique within the office."""
    actor, user = _who(None, actor)
    _require_configurer(user, office)
    values = _clean_queue({"name": name, "prefix": prefix, "color": color, **fields})
    chosen = _services_for(office, services)
    with transaction.atomic():
        if Queue.objects.filter(office=office, prefix=values["prefix"]).exists():
            raise Conflict(
                _("This office already has a queue with the letter «%(prefix)s»; choose another letter.")
                % {"prefix": values["prefix"]},
                code="prefix_taken",
                field="prefix",
            )
        queue = Queue.objects.create(office=office, center_id=office.center_id, region_id=office.region_id, **values)
        queue.services.set(chosen)
        audit.record(
            actor,
            "queue.queue_created",
            queue,
            data={**{k: str(v) for k, v in values.items()}, "services": sorted(s.code for s in chosen)},
        )
    return queue


def update_queue(queue: Queue, *, actor, services: Iterable | None = None, **fields) -> Queue:
    """Change a queue's fields (e.g. its service-level target) and, when given, its services."""
    actor, user = _who(None, actor)
    _require_configurer(user, queue.office)
    values = _clean_queue(fields)
    chosen = _services_for(queue.office, services) if services is not None else None
    with transaction.atomic():
        queue = Queue.objects.select_for_update().get(pk=queue.pk)
        if "prefix" in values and (
            Queue.objects.filter(office_id=queue.office_id, prefix=values["prefix"]).exclude(pk=queue.pk).exists()
        ):
            raise Conflict(
                _("This office already has a queue with the letter «%(prefix)s»; choose another letter.")
                % {"prefix": values["prefix"]},
                code="prefix_taken",
                field="prefix",
            )
        before = {k: str(getattr(queue, k)) for k in values}
        for key, value in values.items():
            setattr(queue, key, value)
        changed = audit.changes(before, {k: str(getattr(queue, k)) for k in values})
        if chosen is not None:
            old = sorted(queue.services.values_list("code", flat=True))
            new = sorted(s.code for s in chosen)
            if old != new:
                queue.services.set(chosen)
                changed["services"] = [old, new]
        if changed:
            queue.save()
            audit.record(actor, "queue.queue_updated", queue, data=changed)
    return queue


def _profile_queues(office: Office, queues: Iterable) -> list[Queue]:
    chosen = []
    for item in queues:
        pk = item.pk if isinstance(item, Queue) else item
        queue = Queue.objects.filter(pk=pk).first()
        if queue is None or queue.office_id != office.pk:
            raise DomainError(
                _("Queue %(queue)s does not belong to the office «%(office)s».") % {"queue": pk, "office": office.name},
                code="queue_of_other_office",
                field="queues",
            )
        if any(q.pk == queue.pk for q in chosen):
            raise DomainError(
                _("The queue «%(queue)s» is listed twice.") % {"queue": queue.name},
                code="duplicate_queue",
                field="queues",
            )
        chosen.append(queue)
    return chosen


def create_workplace(office: Office, *, name: str, queues: Iterable = (), actor, is_active: bool = True) -> Workplace:
    """Add a window to ``office`` serving ``queues`` in the given order (its work profile)."""
    actor, user = _who(None, actor)
    _require_configurer(user, office)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the name of the window, e.g. «Window 1»."), code="required", field="name")
    if len(name) > 60:
        raise DomainError(
            _("The name of the window is too long: at most 60 characters."), code="too_long", field="name"
        )
    chosen = _profile_queues(office, queues)
    with transaction.atomic():
        if Workplace.objects.filter(office=office, name=name).exists():
            raise Conflict(
                _("This office already has a window «%(window)s».") % {"window": name},
                code="workplace_exists",
                field="name",
            )
        workplace = Workplace.objects.create(
            office=office, center_id=office.center_id, region_id=office.region_id, name=name, is_active=is_active
        )
        WorkplaceQueue.objects.bulk_create(
            WorkplaceQueue(workplace=workplace, queue=q, order=i) for i, q in enumerate(chosen)
        )
        audit.record(actor, "queue.workplace_created", workplace, data={"profile": [q.prefix for q in chosen]})
    return workplace


def set_work_profile(workplace: Workplace, queues: Iterable, *, actor) -> Workplace:
    """Replace the queues a window serves, in order."""
    actor, user = _who(None, actor)
    _require_configurer(user, workplace.office)
    chosen = _profile_queues(workplace.office, queues)
    with transaction.atomic():
        Workplace.objects.select_for_update().filter(pk=workplace.pk).first()
        before = list(workplace.profile.order_by("order").values_list("queue__prefix", flat=True))
        after = [q.prefix for q in chosen]
        if before != after:
            workplace.profile.all().delete()
            WorkplaceQueue.objects.bulk_create(
                WorkplaceQueue(workplace=workplace, queue=q, order=i) for i, q in enumerate(chosen)
            )
            audit.record(actor, "queue.work_profile_set", workplace, data={"profile": [before, after]})
    return workplace


# --- opening hours -----------------------------------------------------------------------------


def is_open(office: Office, now: datetime | None = None) -> bool:
    """Whether the office is open at ``now`` by its schedule (an office without hours is closed)."""
    local = timezone.localtime(now or timezone.now())
    moment = local.time()
    return any(opens <= moment < closes for opens, closes in opening_hours(office, local.date()))


def _require_open(office: Office, now: datetime) -> None:
    if is_open(office, now):
        return
    today = opening_hours(office, timezone.localdate(now))
    hours = ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in today)
    if hours:
        message = _(
            "The office «%(office)s» is closed now: tickets are given only during opening hours. "
            "Today the office is open %(hours)s."
        )
    else:
        message = _(
            "The office «%(office)s» is closed now: tickets are given only during opening hours. "
            "The office is closed today."
        )
    raise Conflict(message % {"office": office.name, "hours": hours}, code="office_closed")


# --- tickets -----------------------------------------------------------------------------------


def _next_number(queue_id: int, day) -> int:
    """Take the next number of the queue's day; the row stays locked until the transaction ends."""
    table = TicketCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS c (queue_id, day, last_value) VALUES (%s, %s, 1) "  # noqa: S608 — model table
            "ON CONFLICT (queue_id, day) DO UPDATE SET last_value = c.last_value + 1 RETURNING c.last_value",
            [queue_id, day],
        )
        return cursor.fetchone()[0]


def _event(
    ticket: Ticket, kind: str, at: datetime, *, user=None, user_id=None, workplace_id=None, **data
) -> VisitEvent:
    return VisitEvent.objects.create(
        ticket=ticket,
        queue_id=ticket.queue_id,
        center_id=ticket.center_id,
        region_id=ticket.region_id,
        kind=kind,
        at=at,
        workplace_id=workplace_id,
        user_id=user_id if user_id is not None else getattr(user, "pk", None),
        data=data,
    )


def issue_ticket(
    queue: Queue,
    *,
    source: str = Ticket.Source.KIOSK,
    priority: str = "",
    service: Service | None = None,
    language: str = "uk",
    actor: Actor | None = None,
    order_at: datetime | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Give a visitor a ticket in ``queue``. ``actor`` with a user: that user must be staff of the office
    (a kiosk's API token acts as such a user); its id is written into the «issued» event."""
    now = now or timezone.now()
    user = getattr(actor, "user", None)
    if user is not None:
        _require_operator(user, Queue, queue.pk)
    if source not in Ticket.Source.values:
        raise DomainError(_("Unknown source of the ticket."), code="invalid_source", field="source")
    if priority not in PriorityCategory.values:
        raise DomainError(_("Unknown priority category."), code="invalid_priority", field="priority")
    language = (language or "uk").strip().lower()
    if not LANGUAGE_RE.match(language):
        raise DomainError(_("Unknown language of the ticket."), code="invalid_language", field="language")
    queue = Queue.objects.select_related("office").get(pk=queue.pk)
    if not queue.is_active:
        raise Conflict(
            _("The queue «%(queue)s» is not working now; choose another one.") % {"queue": queue.name},
            code="queue_inactive",
            field="queue",
        )
    if service is not None and queue.services.exists() and not queue.services.filter(pk=service.pk).exists():
        raise DomainError(
            _("The service «%(service)s» is served by another queue.") % {"service": service},
            code="service_not_in_queue",
            field="service",
        )
    _require_open(queue.office, now)
    day = timezone.localdate(now)
    with transaction.atomic():
        number = _next_number(queue.pk, day)
        ticket = Ticket.objects.create(
            queue=queue,
            office_id=queue.office_id,
            center_id=queue.center_id,
            region_id=queue.region_id,
            day=day,
            number=number,
            code=f"{queue.prefix}-{number:03d}",
            token=secrets.token_urlsafe(16),
            source=source,
            priority=priority,
            service=service,
            status=Status.WAITING,
            issued_at=now,
            order_at=order_at or now,
            language=language,
        )
        _event(ticket, Kind.ISSUED, now, user=user, source=source, priority=priority)
        if source == Ticket.Source.STAFF:
            audit.record(actor, "queue.ticket_issued", ticket, data={"priority": priority, "queue": queue.prefix})
        _publish(ticket.office_id, _ticket_event(ticket), day=ticket.day)
    return ticket


def _ahead(ticket: Ticket) -> int:
    waiting = Ticket.objects.filter(queue_id=ticket.queue_id, day=ticket.day, status=Status.WAITING).exclude(
        pk=ticket.pk
    )
    if ticket.target_workplace_id:
        waiting = Ticket.objects.filter(
            office_id=ticket.office_id,
            day=ticket.day,
            status=Status.WAITING,
            target_workplace_id=ticket.target_workplace_id,
        ).exclude(pk=ticket.pk)
    else:
        waiting = waiting.filter(target_workplace__isnull=True)
    earlier = Q(order_at__lt=ticket.order_at) | Q(order_at=ticket.order_at, pk__lt=ticket.pk)
    if ticket.priority:
        return waiting.filter(earlier, ~Q(priority="")).count()
    return waiting.filter(earlier | ~Q(priority="")).count()


def position_of(ticket: Ticket) -> tuple[int, int]:
    """People ahead in the ticket's line (by the call rule) and the estimated wait in minutes:
    ahead × the queue's service time ÷ the windows now open for it (at least one service time when no
    window is open). A ticket no longer waiting has nobody ahead."""
    if ticket.status != Status.WAITING:
        return 0, 0
    ahead = _ahead(ticket)
    minutes = ticket.queue.service_minutes
    open_sessions = OperatorSession.objects.filter(closed_at__isnull=True)
    if ticket.target_workplace_id:
        serving = open_sessions.filter(workplace_id=ticket.target_workplace_id).count()
    else:
        serving = open_sessions.filter(workplace__profile__queue_id=ticket.queue_id).count()
    if serving == 0:
        return ahead, max(ahead * minutes, minutes)
    return ahead, math.ceil(ahead * minutes / serving)


def ticket_status(token: str) -> dict:
    """What the visitor's «my ticket» page shows; an unknown token answers 404."""
    token = (token or "").strip()
    ticket = (
        Ticket.objects.select_related("queue", "office", "workplace").filter(token=token).first() if token else None
    )
    if ticket is None:
        raise NotFound(_("Ticket not found: check the link."))
    ahead, wait = position_of(ticket)
    return {
        "code": ticket.code,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "queue": ticket.queue.name,
        "queue_prefix": ticket.queue.prefix,
        "color": ticket.queue.color,
        "office": ticket.office.name,
        "issued_at": ticket.issued_at,
        "people_ahead": ahead,
        "estimated_wait_minutes": wait,
        "workplace": ticket.workplace.name if ticket.workplace_id and ticket.status in IN_PROGRESS else None,
    }


# --- live screens ------------------------------------------------------------------------------


def waiting_by_queue(office_id: int, day) -> dict[int, tuple[int, datetime | None]]:
    """{queue id: (waiting today, earliest order_at)} read from today's waiting rows only — the filter
    sits in WHERE, so the partial index ``ticket_queue_waiting`` serves it however long the history is."""
    rows = (
        Ticket.objects.filter(office_id=office_id, day=day, status=Status.WAITING)
        .values("queue_id")
        .annotate(n=Count("id"), oldest=Min("order_at"))
        .order_by()
    )
    return {r["queue_id"]: (r["n"], r["oldest"]) for r in rows}


def waiting_counts(office_id: int, *, day=None) -> dict[str, int]:
    """Waiting tickets of ``day`` (default today) per queue prefix of the office, zeros included — one
    statement; the counted rows come from the partial index ``ticket_queue_waiting``."""
    sql = f"""
        SELECT q.prefix, (SELECT count(*) FROM {Ticket._meta.db_table} t
                          WHERE t.queue_id = q.id AND t.status = 'waiting' AND t.day = %s)
        FROM {Queue._meta.db_table} q WHERE q.office_id = %s AND q.is_active ORDER BY q.position, q.id
    """  # noqa: S608 — table names of our models
    with connection.cursor() as cursor:
        cursor.execute(sql, [day or timezone.localdate(), office_id])
        return dict(cursor.fetchall())


def waiting_by_office(office_ids, *, day=None) -> dict[int, int]:
    """Tickets waiting now per office of ``office_ids`` (``day``: today by default); offices with none are
    left out. One grouped query on the index ``ticket_office_day``."""
    rows = (
        Ticket.objects.filter(office_id__in=list(office_ids), day=day or timezone.localdate())
        .filter(status=Ticket.Status.WAITING)
        .values_list("office_id")
        .annotate(waiting=Count("pk"))
        .order_by()
    )
    return dict(rows)


def _ticket_event(ticket: Ticket, **extra) -> dict:
    return {
        "type": "ticket",
        "ticket": ticket.code,
        "ticket_id": ticket.pk,
        "status": ticket.status,
        "queue": ticket.queue.prefix,
        "workplace": ticket.workplace.name if ticket.workplace_id else None,
        **extra,
    }


def _call_event(ticket: Ticket) -> dict:
    return {
        "type": "call",
        "ticket": ticket.code,
        "ticket_id": ticket.pk,
        "workplace": ticket.workplace.name,
        "workplace_id": ticket.workplace_id,
        "queue": ticket.queue.prefix,
        "color": ticket.queue.color,
        "call_count": ticket.call_count,
        "at": ticket.called_at.isoformat(),
    }


def _publish(office_id: int, *events: dict, counts: bool = True, day=None) -> None:
    """After commit, hand the events (and fresh waiting counts) to the live publisher in one round trip.
    A failure there never undoes the committed change: it is logged."""

    def send() -> None:
        from . import live

        try:
            payloads = list(events)
            if counts:
                payloads.append({"type": "queue", "waiting": waiting_counts(office_id, day=day)})
            live.publish_many(office_id, payloads)
        except Exception:
            logger.exception("queue: live publish failed for office %s", office_id)

    transaction.on_commit(send)


# --- operator sessions -------------------------------------------------------------------------


def current_session(workplace: Workplace) -> OperatorSession | None:
    return (
        OperatorSession.objects.select_related("user").filter(workplace_id=workplace.pk, closed_at__isnull=True).first()
    )


def current_ticket(workplace: Workplace) -> Ticket | None:
    """The ticket called or being served at the window, if any."""
    return (
        Ticket.objects.select_related("queue", "workplace")
        .filter(workplace_id=workplace.pk, status__in=IN_PROGRESS)
        .order_by("-called_at")
        .first()
    )


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def open_session(
    workplace: Workplace, user=None, *, actor: Actor | None = None, now: datetime | None = None
) -> OperatorSession:
    """Start work at a window. Opening the window one already works at returns that session."""
    actor, user = _who(user, actor)
    if user is None:
        raise DomainError(_("A work session is opened by a staff member."), code="user_required")
    _require_operator(user, Workplace, workplace.pk)
    now = now or timezone.now()
    workplace = Workplace.objects.get(pk=workplace.pk)
    if not workplace.is_active:
        raise Conflict(
            _("The window «%(window)s» is switched off in the settings.") % {"window": workplace.name},
            code="workplace_inactive",
        )
    own = OperatorSession.objects.filter(user=user, closed_at__isnull=True).select_related("workplace").first()
    if own is not None:
        if own.workplace_id == workplace.pk:
            return own
        raise Conflict(
            _("You are already working at the window «%(window)s»: close that session first.")
            % {"window": own.workplace.name},
            code="operator_busy",
        )
    taken = current_session(workplace)
    if taken is not None:
        raise Conflict(
            _("%(person)s is already working at the window «%(window)s».")
            % {"window": workplace.name, "person": _person(taken.user)},
            code="workplace_taken",
        )
    try:
        with transaction.atomic():
            session = OperatorSession.objects.create(workplace=workplace, user=user, opened_at=now)
            audit.record(actor, "queue.session_opened", workplace, data={"session": session.pk})
    except IntegrityError as exc:
        # Someone opened the same window (or this operator another one) a moment ago.
        if "operator_session_one_open_per_user" in str(exc):
            raise Conflict(
                _("You are already working at another window: close that session first."), code="operator_busy"
            ) from None
        raise Conflict(
            _("Another staff member is already working at the window «%(window)s».") % {"window": workplace.name},
            code="workplace_taken",
        ) from None
    _publish(workplace.office_id, {"type": "workplace", "workplace": workplace.name, "open": True}, counts=False)
    return session


def close_session(
    workplace: Workplace, user=None, *, actor: Actor | None = None, now: datetime | None = None
) -> OperatorSession | None:
    """End work at a window (its operator, or a supervisor). Refused while a ticket is still called or
    being served there. Closing a closed window changes nothing and returns ``None``."""
    actor, user = _who(user, actor)
    _require_operator(user, Workplace, workplace.pk)
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            OperatorSession.objects.select_for_update()
            .filter(workplace_id=workplace.pk, closed_at__isnull=True)
            .first()
        )
        if session is None:
            return None
        if user is not None and session.user_id != user.pk and user.role not in SUPERVISORS:
            raise PermissionDenied(_("Only the head of the center can close another person's work session."))
        busy = current_ticket(workplace)
        if busy is not None:
            raise Conflict(
                _("First finish the work with ticket %(ticket)s (service, no-show or transfer).")
                % {"ticket": busy.code},
                code="ticket_in_progress",
            )
        session.closed_at = now
        session.save(update_fields=["closed_at"])
        audit.record(actor, "queue.session_closed", workplace, data={"session": session.pk})
    _publish(workplace.office_id, {"type": "workplace", "workplace": workplace.name, "open": False}, counts=False)
    return session


# --- calling -----------------------------------------------------------------------------------


def _candidates(workplace: Workplace, profile: list[tuple[int, int]], day):
    """Waiting tickets of ``day`` this window may call, sorted by the call rule (see the module
    docstring). Tickets left waiting from an earlier day are never called (the nightly job closes them)."""
    queue_ids = [queue_id for queue_id, _order in profile]
    profile_order = SqlCase(
        *[When(queue_id=queue_id, then=Value(order)) for queue_id, order in profile],
        default=Value(32767),
        output_field=IntegerField(),
    )
    return (
        Ticket.objects.filter(office_id=workplace.office_id, day=day, status=Status.WAITING)
        .filter(Q(target_workplace_id=workplace.pk) | Q(target_workplace__isnull=True, queue_id__in=queue_ids))
        .annotate(
            targeted=SqlCase(
                When(target_workplace_id=workplace.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            ordinary=SqlCase(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField()),
            profile_order=profile_order,
        )
        .order_by("targeted", "ordinary", "profile_order", "order_at", "id")
    )


def _workplace_for(user, workplace: Workplace | int) -> Workplace:
    """The window, loaded once: visible to ``user`` (else 404) whose role may work the queue (else 403)."""
    pk = getattr(workplace, "pk", workplace)
    if user is None:
        return Workplace.objects.get(pk=pk)
    # no ORDER BY (one row by its key): compiling the models' default ordering cost more than the query
    found = next(iter(Workplace.objects.visible_to(user).filter(pk=pk).order_by()[:1]), None)
    if found is None:
        raise NotFound(_("Not found."))
    if user.role not in OPERATORS:
        raise PermissionDenied(_("Insufficient rights to work with the electronic queue."))
    return found


# The window's open session (locked: one call at a time per window) with its operator and the id of the
# ticket in progress there, if any — one statement.
_SESSION_SQL = """
SELECT s.user_id, u.first_name, u.last_name, u.username,
       (SELECT t.id FROM {ticket} t WHERE t.workplace_id = s.workplace_id AND t.status IN ('called', 'serving')
        ORDER BY t.called_at DESC LIMIT 1)
FROM {session} s JOIN {user} u ON u.id = s.user_id
WHERE s.workplace_id = %(wp)s AND s.closed_at IS NULL
LIMIT 1
FOR UPDATE OF s
"""

# The call rule (module docstring) as one statement: pick the first waiting ticket of today this window
# may call, skipping rows another window is locking at this moment, and mark it called.
_CALL_SQL = """
WITH pick AS (
    SELECT t.id
    FROM {ticket} t
    LEFT JOIN {profile} wq ON wq.workplace_id = %(wp)s AND wq.queue_id = t.queue_id
    LEFT JOIN {queue} q ON q.id = wq.queue_id AND q.is_active
    WHERE t.office_id = %(office)s AND t.day = %(day)s AND t.status = 'waiting'
      AND (t.target_workplace_id = %(wp)s OR (t.target_workplace_id IS NULL AND q.id IS NOT NULL))
    ORDER BY CASE WHEN t.target_workplace_id = %(wp)s THEN 0 ELSE 1 END,
             CASE WHEN t.priority = '' THEN 1 ELSE 0 END,
             CASE WHEN q.id IS NULL THEN 32767 ELSE wq."order" END,
             t.order_at, t.id
    LIMIT 1
    FOR UPDATE OF t SKIP LOCKED
)
UPDATE {ticket} t
SET status = 'called', called_at = %(now)s, call_count = 1, workplace_id = %(wp)s, operator_id = %(operator)s
FROM pick WHERE t.id = pick.id
RETURNING t.id
"""


def _sql(template: str) -> str:
    return template.format(
        ticket=Ticket._meta.db_table,
        session=OperatorSession._meta.db_table,
        user=OperatorSession._meta.get_field("user").related_model._meta.db_table,
        profile=WorkplaceQueue._meta.db_table,
        queue=Queue._meta.db_table,
    )


def call_next(workplace: Workplace | int, user=None, *, actor: Actor | None = None, now: datetime | None = None):
    """Call the next ticket to the window by the call rule; ``None`` when nobody is waiting for it.
    The window must have an open session of this operator and no ticket in progress.

    The hot path of a busy center (80 windows calling at once): the window is read once, the session
    lock and the busy check are one statement, choosing and marking the ticket another (the rule is
    ``_CALL_SQL``; ``_candidates`` is the same rule in the ORM for the screens that list the line)."""
    actor, user = _who(user, actor)
    workplace = _workplace_for(user, workplace)
    if not workplace.is_active:  # switched off with a session still open: its operator may only leave
        raise Conflict(
            _("The window «%(window)s» is switched off in the settings.") % {"window": workplace.name},
            code="workplace_inactive",
        )
    now = now or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_sql(_SESSION_SQL), {"wp": workplace.pk})
        session = cursor.fetchone()
        if session is None:
            raise Conflict(
                _("The window «%(window)s» is closed: open a work session first.") % {"window": workplace.name},
                code="workplace_closed",
            )
        operator_id, first_name, last_name, username, busy_id = session
        if user is not None and operator_id != user.pk:
            name = f"{first_name} {last_name}".strip() or username
            raise Conflict(
                _("%(person)s works at the window «%(window)s»; only this staff member can call.")
                % {"window": workplace.name, "person": name},
                code="workplace_taken",
            )
        if busy_id is not None:
            busy = Ticket.objects.only("code").get(pk=busy_id)
            raise Conflict(
                _("First finish the work with ticket %(ticket)s (service, no-show, transfer or setting aside).")
                % {"ticket": busy.code},
                code="ticket_in_progress",
            )
        params = {"wp": workplace.pk, "office": workplace.office_id, "day": timezone.localdate(now), "now": now}
        cursor.execute(_sql(_CALL_SQL), {**params, "operator": operator_id})
        picked = cursor.fetchone()
        if picked is None:
            return None
        ticket = Ticket.objects.select_related("queue").get(pk=picked[0])
        ticket.workplace = workplace
        # The row changed outside Model.save(): tell the receivers (report roll-ups) as a save would.
        post_save.send(
            sender=Ticket,
            instance=ticket,
            created=False,
            update_fields=frozenset({"status", "called_at", "call_count", "workplace", "operator"}),
            raw=False,
            using=ticket._state.db,
        )
        _event(ticket, Kind.CALLED, now, user_id=operator_id, workplace_id=workplace.pk)
        audit.record(actor, "queue.ticket_called", ticket, data={"workplace": workplace.name})
        _publish(ticket.office_id, _call_event(ticket), _ticket_event(ticket), day=ticket.day)
    return ticket


# --- actions on one ticket ---------------------------------------------------------------------


def _lock(ticket: Ticket, user=None) -> Ticket:
    """The ticket, locked, in one statement: visible to ``user`` (else 404) whose role may work the
    queue (else 403)."""
    rows = Ticket.objects if user is None else Ticket.objects.visible_to(user)
    locked = (
        rows.select_for_update(of=("self",))
        .select_related("queue", "workplace", "office")
        .filter(pk=getattr(ticket, "pk", ticket))
        .first()
    )
    if locked is None:
        raise NotFound(_("Not found."))
    if user is not None and user.role not in OPERATORS:
        raise PermissionDenied(_("Insufficient rights to work with the electronic queue."))
    return locked


def _require_handler(user, ticket: Ticket) -> None:
    """An operator acts on a called or served ticket only from the window it was called to; the center's
    head and the system administrator may act on any ticket of their scope."""
    if user is None or user.role in SUPERVISORS or not ticket.workplace_id:
        return
    if not OperatorSession.objects.filter(workplace_id=ticket.workplace_id, user=user, closed_at__isnull=True).exists():
        raise Conflict(
            _("Ticket %(ticket)s was called to the window «%(window)s»; the staff member of that window handles it.")
            % {"ticket": ticket.code, "window": ticket.workplace.name},
            code="other_workplace",
        )


def _require_status(ticket: Ticket, allowed: tuple[str, ...], doing: str) -> None:
    if ticket.status not in allowed:
        raise Conflict(
            _("Cannot %(action)s: ticket %(ticket)s has the status «%(status)s».")
            % {"action": doing, "ticket": ticket.code, "status": ticket.get_status_display()},
            code="invalid_status",
        )


def _act(ticket: Ticket, user, actor, allowed: tuple[str, ...], doing: str) -> tuple[Actor, Any, Ticket]:
    """Checks shared by the ticket actions; returns the locked ticket (call inside a transaction)."""
    locked = _lock(ticket, user)
    if locked.status in IN_PROGRESS:
        _require_handler(user, locked)
    _require_status(locked, allowed, doing)
    return actor, user, locked


def _changed(ticket: Ticket, action: str, actor: Actor, kind: str, now: datetime, user, fields, **data) -> Ticket:
    ticket.save(update_fields=fields)
    _event(ticket, kind, now, user=user, workplace_id=ticket.workplace_id, **data)
    audit.record(actor, f"queue.ticket_{action}", ticket, data={"status": ticket.status, **data})
    _publish(ticket.office_id, _ticket_event(ticket), day=ticket.day)
    return ticket


def recall(ticket: Ticket, user=None, *, actor: Actor | None = None, now: datetime | None = None) -> Ticket:
    """Call the same visitor again. After ``QUEUE_MAX_CALLS`` calls a further recall marks a no-show."""
    actor, user = _who(user, actor)
    now = now or timezone.now()
    with transaction.atomic():
        actor, user, ticket = _act(ticket, user, actor, (Status.CALLED,), _("call it again"))
        if ticket.call_count >= settings.QUEUE_MAX_CALLS:
            ticket.status = Status.NO_SHOW
            ticket.finished_at = now
            return _changed(
                ticket, "no_show", actor, Kind.NO_SHOW, now, user, ["status", "finished_at"],
                automatic=True, calls=ticket.call_count,
            )  # fmt: skip
        ticket.call_count += 1
        ticket.called_at = now
        ticket.save(update_fields=["call_count", "called_at"])
        _event(ticket, Kind.RECALLED, now, user=user, workplace_id=ticket.workplace_id, calls=ticket.call_count)
        audit.record(actor, "queue.ticket_recalled", ticket, data={"calls": ticket.call_count})
        _publish(ticket.office_id, _call_event(ticket), counts=False, day=ticket.day)
    return ticket


def mark_no_show(ticket: Ticket, user=None, *, actor: Actor | None = None, now: datetime | None = None) -> Ticket:
    actor, user = _who(user, actor)
    now = now or timezone.now()
    with transaction.atomic():
        actor, user, ticket = _act(ticket, user, actor, (Status.CALLED,), _("mark a no-show"))
        ticket.status = Status.NO_SHOW
        ticket.finished_at = now
        return _changed(
            ticket, "no_show", actor, Kind.NO_SHOW, now, user, ["status", "finished_at"], calls=ticket.call_count
        )


def start_service(ticket: Ticket, user=None, *, actor: Actor | None = None, now: datetime | None = None) -> Ticket:
    actor, user = _who(user, actor)
    now = now or timezone.now()
    with transaction.atomic():
        actor, user, ticket = _act(ticket, user, actor, (Status.CALLED,), _("start the service"))
        ticket.status = Status.SERVING
        ticket.started_at = now
        return _changed(ticket, "started", actor, Kind.STARTED, now, user, ["status", "started_at"])


def finish_service(ticket: Ticket, user=None, *, actor: Actor | None = None, now: datetime | None = None) -> Ticket:
    actor, user = _who(user, actor)
    now = now or timezone.now()
    with transaction.atomic():
        actor, user, ticket = _act(ticket, user, actor, (Status.SERVING,), _("finish the service"))
        ticket.status = Status.DONE
        ticket.finished_at = now
        return _changed(ticket, "finished", actor, Kind.FINISHED, now, user, ["status", "finished_at"])


def park(ticket: Ticket, user=None, *, actor: Actor | None = None, now: datetime | None = None) -> Ticket:
    """Set the visit aside (the visitor went to fetch a document or pay); the window is free again."""
    actor, user = _who(user, actor)
    now = now or timezone.now()
    with transaction.atomic():
        actor, user, ticket = _act(ticket, user, actor, IN_PROGRESS, _("set the ticket aside"))
        ticket.status = Status.PARKED
        return _changed(ticket, "parked", actor, Kind.PARKED, now, user, ["status"])


def return_parked(ticket: Ticket, user=None, *, actor: Actor | None = None, now: datetime | None = None) -> Ticket:
    """Put a parked ticket back in the line, first for the window that parked it."""
    actor, user = _who(user, actor)
    now = now or timezone.now()
    with transaction.atomic():
        actor, user, ticket = _act(ticket, user, actor, (Status.PARKED,), _("return the ticket to the queue"))
        parked_at = ticket.workplace
        ticket.status = Status.WAITING
        ticket.target_workplace = parked_at
        ticket.workplace = None
        ticket.call_count = 0
        ticket.called_at = None
        return _changed(
            ticket,
            "returned",
            actor,
            Kind.RETURNED,
            now,
            user,
            ["status", "target_workplace", "workplace", "call_count", "called_at"],
            to_workplace=parked_at.name if parked_at else None,
        )


def transfer(
    ticket: Ticket,
    user=None,
    *,
    to_queue: Queue | None = None,
    to_workplace: Workplace | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Send the visitor to another queue, or to a particular window (first in its line), of the same
    office. The ticket keeps its code and its place in time (``order_at``) and waits again."""
    actor, user = _who(user, actor)
    now = now or timezone.now()
    if to_queue is None and to_workplace is None:
        raise DomainError(
            _("Choose the queue or the window to transfer the ticket to."), code="required", field="to_queue"
        )
    with transaction.atomic():
        actor, user, ticket = _act(
            ticket, user, actor, (Status.WAITING, *IN_PROGRESS, Status.PARKED), _("transfer the ticket")
        )
        if to_queue is not None:
            to_queue = Queue.objects.filter(pk=to_queue.pk).first()
            if to_queue is None or to_queue.office_id != ticket.office_id:
                raise DomainError(
                    _("A ticket can only be transferred to a queue of the same office."),
                    code="queue_of_other_office",
                    field="to_queue",
                )
            if not to_queue.is_active:
                raise Conflict(
                    _("The queue «%(queue)s» is not working now.") % {"queue": to_queue.name},
                    code="queue_inactive",
                    field="to_queue",
                )
        if to_workplace is not None:
            to_workplace = Workplace.objects.filter(pk=to_workplace.pk).first()
            if to_workplace is None or to_workplace.office_id != ticket.office_id:
                raise DomainError(
                    _("A ticket can only be transferred to a window of the same office."),
                    code="workplace_of_other_office",
                    field="to_workplace",
                )
            if not to_workplace.is_active:
                raise Conflict(
                    _("The window «%(window)s» is switched off.") % {"window": to_workplace.name},
                    code="workplace_inactive",
                    field="to_workplace",
                )
        from_queue, from_workplace = ticket.queue, ticket.workplace
        if to_queue is not None:
            ticket.queue = to_queue
        ticket.target_workplace = to_workplace
        ticket.status = Status.WAITING
        ticket.workplace = None
        ticket.operator = None
        ticket.call_count = 0
        ticket.called_at = None
        ticket.started_at = None
        data = {
            "from_queue": from_queue.prefix,
            "to_queue": ticket.queue.prefix,
            "from_workplace": from_workplace.name if from_workplace else None,
            "to_workplace": to_workplace.name if to_workplace else None,
        }
        ticket.save(
            update_fields=[
                "queue", "target_workplace", "status", "workplace", "operator", "call_count", "called_at",
                "started_at",
            ]
        )  # fmt: skip
        _event(ticket, Kind.TRANSFERRED, now, user=user, workplace_id=from_workplace.pk if from_workplace else None,
               **data)  # fmt: skip
        audit.record(actor, "queue.ticket_transferred", ticket, data=data)
        _publish(ticket.office_id, _ticket_event(ticket, transferred=data), day=ticket.day)
    return ticket


def link_case(ticket: Ticket, case, user=None, *, actor: Actor | None = None) -> Ticket:
    """Record that ``case`` was registered during this visit."""
    actor, user = _who(user, actor)
    with transaction.atomic():
        actor, user, ticket = _act(ticket, user, actor, (*IN_PROGRESS, Status.DONE), _("link a case to the ticket"))
        if case.center_id != ticket.center_id:
            raise DomainError(_("The case belongs to another center."), code="case_of_other_center", field="case")
        if not ticket.cases.filter(pk=case.pk).exists():
            ticket.cases.add(case)
            audit.record(actor, "queue.case_linked", ticket, data={"case": case.number})
    return ticket


def close_stale_tickets(now: datetime | None = None) -> int:
    """Cancel the tickets of earlier days still waiting or parked (the office closed with them in
    line): each gets a ``cancelled`` visit event, so the KPIs see how the day ended. Run nightly."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = 0
    stale = Ticket.objects.filter(day__lt=today, status__in=[Status.WAITING, Status.PARKED])
    for ticket in stale.select_related("queue").iterator():
        with transaction.atomic():
            locked = Ticket.objects.select_for_update(skip_locked=True).filter(pk=ticket.pk, status=ticket.status)
            if not locked.update(status=Status.CANCELLED):
                continue
            VisitEvent.objects.create(
                ticket=ticket,
                queue=ticket.queue,
                center_id=ticket.center_id,
                region_id=ticket.region_id,
                kind=VisitEvent.Kind.CANCELLED,
                at=now,
                data={"reason": "day_closed"},
            )
            closed += 1
    return closed


# --- state of an office ------------------------------------------------------------------------


def office_state(office: Office, *, now: datetime | None = None) -> dict:
    """Queues with their waiting counts and longest wait, current calls and windows, for screens."""
    now = now or timezone.now()
    waiting = waiting_by_queue(office.pk, timezone.localdate(now))
    queues = list(Queue.objects.filter(office=office, is_active=True).order_by("position", "name"))
    for q in queues:
        q.waiting, q.oldest = waiting.get(q.pk, (0, None))
    calls = (
        Ticket.objects.filter(office=office, status__in=IN_PROGRESS)
        .select_related("queue", "workplace")
        .order_by("-called_at")
    )
    sessions = {
        s.workplace_id: s
        for s in OperatorSession.objects.filter(workplace__office=office, closed_at__isnull=True).select_related("user")
    }
    return {
        "office_id": office.pk,
        "open": is_open(office, now),
        "queues": [
            {
                "id": q.pk,
                "name": q.name,
                "prefix": q.prefix,
                "color": q.color,
                "waiting": q.waiting,
                "longest_wait_minutes": max(0, int((now - q.oldest).total_seconds() // 60)) if q.oldest else 0,
                "target_wait_minutes": q.target_wait_minutes,
            }
            for q in queues
        ],
        "calls": [
            {
                "ticket": t.code,
                "ticket_id": t.pk,
                "status": t.status,
                "queue": t.queue.prefix,
                "color": t.queue.color,
                "workplace": t.workplace.name,
                "workplace_id": t.workplace_id,
                "called_at": t.called_at,
                "call_count": t.call_count,
            }
            for t in calls
        ],
        "workplaces": [
            {
                "id": w.pk,
                "name": w.name,
                "open": w.pk in sessions,
                "operator": _person(sessions[w.pk].user) if w.pk in sessions else None,
            }
            for w in Workplace.objects.filter(office=office, is_active=True).order_by("name")
        ],
    }
