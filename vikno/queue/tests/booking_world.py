"""Helpers for the booking, rating and KPI tests (owner: queue-booking): a bookable queue, fixed moments."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from vikno.core.audit import Actor
from vikno.orgs.services import add_schedule_exception, set_weekly_hours
from vikno.queue import booking, services

KYIV = ZoneInfo("Europe/Kyiv")
SYSTEM = Actor(label="test")
MONDAY = date(2030, 3, 4)
# Monday 4 March 2030, 08:00 in Kyiv: "now" of the service tests.
NOW = datetime(2030, 3, 4, 8, 0, tzinfo=KYIV)
# Weekdays 09:00–13:00 and 14:00–17:00 (a lunch break); weekends closed.
HOURS = {day: [(time(9), time(13)), (time(14), time(17))] for day in range(5)}
PHONE = "+380501234567"
OTHER_PHONE = "+380671112233"


def kyiv(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=KYIV)


def open_office(office) -> None:
    set_weekly_hours(office, HOURS, actor=SYSTEM)


def close_on(office, day: date) -> None:
    add_schedule_exception(office, date=day, kind="closed", note="Санітарний день", actor=SYSTEM)


def bookable_queue(office, *, prefix: str = "Б", minutes: int = 30, places: int = 1, **fields):
    open_office(office)
    return services.create_queue(
        office,
        name=fields.pop("name", f"Черга {prefix}"),
        prefix=prefix,
        service_minutes=minutes,
        bookable_workplaces=places,
        actor=SYSTEM,
        **fields,
    )


def confirmed(queue, starts_at, *, phone: str = PHONE, now=NOW, sms: bool = True, email: str = ""):
    held = booking.hold(queue, starts_at, phone=phone, now=now, actor=SYSTEM)
    return booking.confirm(
        held,
        full_name="Коваленко Іван",
        email=email,
        sms_allowed=sms,
        email_allowed=bool(email),
        personal_data_consent=True,
        now=now,
        actor=SYSTEM,
    )


def days_ahead(n: int) -> date:
    return MONDAY + timedelta(days=n)


def hand_ticket(queue, issued_at, *, number: int, workplace=None, status: str = "done"):
    """A ticket written straight to the table, for tests that make their own visit events."""
    from vikno.queue.models import Ticket

    return Ticket.objects.create(
        queue=queue,
        office_id=queue.office_id,
        center_id=queue.center_id,
        region_id=queue.region_id,
        day=issued_at.astimezone(KYIV).date(),
        number=number,
        code=f"{queue.prefix}-{number:03d}",
        token=f"t{queue.pk}-{number}-{issued_at:%H%M%S}",
        status=status,
        issued_at=issued_at,
        order_at=issued_at,
        finished_at=issued_at if status == "done" else None,
        workplace=workplace,
    )


def event(ticket, kind: str, at, workplace=None):
    from vikno.queue.models import VisitEvent

    return VisitEvent.objects.create(
        ticket=ticket,
        queue_id=ticket.queue_id,
        center_id=ticket.center_id,
        region_id=ticket.region_id,
        kind=kind,
        at=at,
        workplace=workplace,
    )
