"""Queue KPIs (owner: queue-booking), computed from the immutable ``VisitEvent`` rows (UTC).

Contract: ``report(user, *, date_from, date_to, office_id=None, now=None) -> Report`` for the user's scope
(``visible_to``), and ``compute(events, sessions, start, end, now)`` underneath, for any set of events.

Definitions (the tickets counted are those *issued* between ``date_from`` 00:00 and ``date_to`` 24:00 local
time; days and hours are local, Europe/Kyiv):

- waiting time: from the ticket's first ``issued`` event to its first ``called`` event;
- service time: from each ``started`` event to the next ``finished`` (or ``transferred``/``parked``) event of
  the same ticket;
- no-show share: tickets with a ``no_show`` event / tickets issued;
- service level of a queue: tickets first called within ``queue.target_wait_minutes`` / (tickets called +
  tickets cancelled without a call after waiting longer than the target); the queue meets its target when
  that share is at least ``queue.target_share``;
- workplace utilisation: serving time at the window / the time operator sessions were open at it
  (``OperatorSession``), both clipped to the period and to ``now``. Serving time is the service intervals
  started there, and also the interval still in progress — a ticket being served at the window now (its
  last ``started`` event not yet followed by an end), counted up to ``now``: a window serving someone right
  now is not idle. Service *time* (the average) counts finished intervals only, as the stored roll-ups do
  (``vikno/reports/rollup.py``); they keep no utilisation, so a past day's roll-ups do not change.
Averages are in minutes, shares are 0…1, ``None`` where nothing was counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vikno.core.errors import DomainError, NotFound
from vikno.core.scoping import Role
from vikno.orgs.models import Office

from . import ratings as ratings_module
from .models import OperatorSession, Queue, Rating, Ticket, VisitEvent, Workplace

KPI_READERS = (Role.CENTER_HEAD, Role.OBLAST_MONITOR, Role.SYSADMIN)
MAX_DAYS = 366
Kind = VisitEvent.Kind
SERVICE_ENDS = {Kind.FINISHED, Kind.TRANSFERRED, Kind.PARKED}


@dataclass
class Figures:
    tickets: int = 0
    called: int = 0
    wait_seconds: float = 0.0
    services: int = 0
    service_seconds: float = 0.0
    no_shows: int = 0

    def add_ticket(self, facts: TicketFacts) -> None:
        self.tickets += 1
        if facts.called_at is not None:
            self.called += 1
            self.wait_seconds += (facts.called_at - facts.issued_at).total_seconds()
        for started, finished, _workplace in facts.services:
            self.services += 1
            self.service_seconds += (finished - started).total_seconds()
        self.no_shows += int(facts.no_show)

    @property
    def average_wait_minutes(self) -> float | None:
        return round(self.wait_seconds / self.called / 60, 2) if self.called else None

    @property
    def average_service_minutes(self) -> float | None:
        return round(self.service_seconds / self.services / 60, 2) if self.services else None

    @property
    def no_show_share(self) -> float | None:
        return round(self.no_shows / self.tickets, 4) if self.tickets else None

    def as_dict(self) -> dict:
        return {
            "tickets": self.tickets,
            "called": self.called,
            "no_shows": self.no_shows,
            "average_wait_minutes": self.average_wait_minutes,
            "average_service_minutes": self.average_service_minutes,
            "no_show_share": self.no_show_share,
        }


@dataclass
class TicketFacts:
    ticket_id: int
    queue_id: int
    issued_at: datetime
    called_at: datetime | None = None
    cancelled_at: datetime | None = None
    no_show: bool = False
    services: list[tuple[datetime, datetime, int | None]] = field(default_factory=list)
    # The service interval still open (a ``started`` event with no end yet): (started, workplace).
    in_service: tuple[datetime, int | None] | None = None


@dataclass
class QueueLine:
    queue_id: int
    name: str
    target_wait_minutes: int
    target_share: float
    figures: Figures = field(default_factory=Figures)
    within_target: int = 0
    level_base: int = 0

    @property
    def service_level(self) -> float | None:
        return round(self.within_target / self.level_base, 4) if self.level_base else None

    @property
    def meets_target(self) -> bool | None:
        level = self.service_level
        return None if level is None else level >= self.target_share

    def as_dict(self) -> dict:
        return {
            "queue_id": self.queue_id,
            "name": self.name,
            **self.figures.as_dict(),
            "target_wait_minutes": self.target_wait_minutes,
            "target_share": self.target_share,
            "service_level": self.service_level,
            "meets_target": self.meets_target,
        }


@dataclass
class WorkplaceLine:
    workplace_id: int
    name: str
    open_seconds: float = 0.0
    serving_seconds: float = 0.0

    @property
    def utilisation(self) -> float | None:
        return round(min(self.serving_seconds / self.open_seconds, 1.0), 4) if self.open_seconds else None

    def as_dict(self) -> dict:
        return {
            "workplace_id": self.workplace_id,
            "name": self.name,
            "open_hours": round(self.open_seconds / 3600, 2),
            "serving_hours": round(self.serving_seconds / 3600, 2),
            "utilisation": self.utilisation,
        }


@dataclass
class Report:
    date_from: date
    date_to: date
    total: Figures
    queues: list[QueueLine]
    days: list[tuple[date, Figures]]
    hours: list[tuple[int, Figures]]
    workplaces: list[WorkplaceLine]
    ratings: dict

    def as_dict(self) -> dict:
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "total": self.total.as_dict(),
            "queues": [q.as_dict() for q in self.queues],
            "days": [{"day": d, **f.as_dict()} for d, f in self.days],
            "hours": [{"hour": h, **f.as_dict()} for h, f in self.hours],
            "workplaces": [w.as_dict() for w in self.workplaces],
            "ratings": self.ratings,
        }


def day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Local midnight of ``date_from`` and of the day after ``date_to``."""
    return (
        timezone.make_aware(datetime.combine(date_from, time.min)),
        timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min)),
    )


def _facts(events: QuerySet, start: datetime, end: datetime) -> list[TicketFacts]:
    issued = events.filter(kind=Kind.ISSUED, at__gte=start, at__lt=end).values("ticket_id")
    rows = (
        VisitEvent.objects.filter(ticket_id__in=issued)
        .order_by("ticket_id", "at", "id")
        .values_list("ticket_id", "queue_id", "kind", "at", "workplace_id")
    )
    facts: dict[int, TicketFacts] = {}
    open_service: dict[int, tuple[datetime, int | None]] = {}
    for ticket_id, queue_id, kind, at, workplace_id in rows.iterator(chunk_size=5000):
        item = facts.get(ticket_id)
        if item is None:
            if kind != Kind.ISSUED:
                continue
            item = facts[ticket_id] = TicketFacts(ticket_id=ticket_id, queue_id=queue_id, issued_at=at)
            continue
        if kind == Kind.CALLED and item.called_at is None:
            item.called_at = at
        elif kind == Kind.NO_SHOW:
            item.no_show = True
        elif kind == Kind.CANCELLED and item.cancelled_at is None:
            item.cancelled_at = at
        elif kind == Kind.STARTED:
            open_service[ticket_id] = (at, workplace_id)
        elif kind in SERVICE_ENDS and ticket_id in open_service:
            started, workplace = open_service.pop(ticket_id)
            item.services.append((started, at, workplace))
    # An interval left open counts only while the ticket is really being served (not one a lost event
    # left open): its status is «being served» now.
    serving_now = set(
        Ticket.objects.filter(pk__in=list(open_service), status=Ticket.Status.SERVING).values_list("pk", flat=True)
    )
    for ticket_id, interval in open_service.items():
        if ticket_id in serving_now:
            facts[ticket_id].in_service = interval
    return list(facts.values())


def _clip(a: datetime, b: datetime, start: datetime, end: datetime) -> float:
    return max((min(b, end) - max(a, start)).total_seconds(), 0.0)


def compute(
    events: QuerySet, sessions: QuerySet, queues: QuerySet, workplaces: QuerySet, start: datetime, end: datetime, now
) -> tuple[Figures, list[QueueLine], list[tuple[date, Figures]], list[tuple[int, Figures]], list[WorkplaceLine]]:
    facts = _facts(events, start, end)
    total = Figures()
    lines = {
        q.pk: QueueLine(q.pk, q.shown_name, q.target_wait_minutes, float(q.target_share))
        for q in queues.filter(pk__in={f.queue_id for f in facts})
    }
    by_day: dict[date, Figures] = defaultdict(Figures)
    by_hour: dict[int, Figures] = defaultdict(Figures)
    serving: dict[int, float] = defaultdict(float)
    for item in facts:
        total.add_ticket(item)
        local = timezone.localtime(item.issued_at)
        by_day[local.date()].add_ticket(item)
        by_hour[local.hour].add_ticket(item)
        line = lines.get(item.queue_id)
        if line is not None:
            line.figures.add_ticket(item)
            target = timedelta(minutes=line.target_wait_minutes)
            if item.called_at is not None:
                line.level_base += 1
                line.within_target += int(item.called_at - item.issued_at <= target)
            elif item.cancelled_at is not None and item.cancelled_at - item.issued_at > target:
                line.level_base += 1
        for started, finished, workplace_id in item.services:
            if workplace_id is not None:
                serving[workplace_id] += _clip(started, finished, start, end)
        if item.in_service is not None and item.in_service[1] is not None:
            started, workplace_id = item.in_service
            serving[workplace_id] += _clip(started, min(now, end), start, end)
    places = {w.pk: WorkplaceLine(w.pk, w.name) for w in workplaces}
    for workplace_id, opened, closed in (
        sessions.filter(opened_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=start))
        .values_list("workplace_id", "opened_at", "closed_at")
    ):
        line = places.get(workplace_id)
        if line is not None:
            line.open_seconds += _clip(opened, closed or min(now, end), start, end)
    for workplace_id, seconds in serving.items():
        if workplace_id in places:
            places[workplace_id].serving_seconds += seconds
    return (
        total,
        sorted(lines.values(), key=lambda q: q.name),
        sorted(by_day.items()),
        sorted(by_hour.items()),
        [w for w in places.values() if w.open_seconds or w.serving_seconds],
    )


def check_period(date_from: date | None, date_to: date | None, *, now=None) -> tuple[date, date]:
    today = timezone.localdate(now or timezone.now())
    date_to = date_to or today
    date_from = date_from or date_to
    if date_from > date_to:
        raise DomainError(_("The start of the period is later than its end."), code="invalid_period", field="date_from")
    if (date_to - date_from).days >= MAX_DAYS:
        raise DomainError(
            ngettext(
                "The period is too long: at most %(days)s day.",
                "The period is too long: at most %(days)s days.",
                MAX_DAYS,
            )
            % {"days": MAX_DAYS},
            code="period_too_long",
            field="date_to",
        )
    return date_from, date_to


# Names a caller may send instead of the real parameters, and the parameter meant.
_MEANT = {
    "from": "date_from",
    "start": "date_from",
    "since": "date_from",
    "date_start": "date_from",
    "to": "date_to",
    "end": "date_to",
    "until": "date_to",
    "date_end": "date_to",
    "office": "office_id",
    "office_id": "office",
}


def check_parameters(names: Iterable[str], allowed: Sequence[str]) -> None:
    """Refuse a query parameter the KPIs do not take (e.g. ``from``/``to`` for ``date_from``/``date_to``):
    left unread, it would silently give the figures of another period or office."""
    for name in names:
        if name in allowed:
            continue
        meant = name.lower() if name.lower() in allowed else _MEANT.get(name.lower())
        if meant in allowed:
            message = _("Unknown parameter «%(name)s»: use «%(meant)s».") % {"name": name, "meant": meant}
        else:
            message = _("Unknown parameter «%(name)s». The parameters are: %(allowed)s.") % {
                "name": name,
                "allowed": ", ".join(allowed),
            }
        raise DomainError(message, code="unknown_parameter", field=name)


def report(user, *, date_from: date | None = None, date_to: date | None = None, office_id=None, now=None) -> Report:
    """KPIs of the user's scope (or of one office in it) for the period."""
    now = now or timezone.now()
    if getattr(user, "role", None) not in KPI_READERS:
        raise NotFound(_("Not found."))
    date_from, date_to = check_period(date_from, date_to, now=now)
    start, end = day_bounds(date_from, date_to)
    events = VisitEvent.objects.visible_to(user)
    sessions = OperatorSession.objects.filter(workplace__in=Workplace.objects.visible_to(user))
    queues = Queue.objects.visible_to(user)
    workplaces = Workplace.objects.visible_to(user)
    ratings = Rating.objects.visible_to(user).filter(created_at__gte=start, created_at__lt=end)
    if office_id:
        office = Office.objects.visible_to(user).filter(pk=office_id).first()
        if office is None:
            raise NotFound(_("Office not found."), field="office_id")
        events = events.filter(queue__office_id=office.pk)
        sessions = sessions.filter(workplace__office_id=office.pk)
        queues = queues.filter(office_id=office.pk)
        workplaces = workplaces.filter(office_id=office.pk)
        ratings = ratings.filter(office_id=office.pk)
    total, queue_lines, days, hours, places = compute(events, sessions, queues, workplaces, start, end, now)
    return Report(date_from, date_to, total, queue_lines, days, hours, places, ratings_module.summary(ratings))
