"""Online booking (owner: queue-booking). Contract:

- ``free_slots(office, queue, day, *, now=None) -> list[Slot]``: slots of ``queue.service_minutes`` cut from the
  office's opening hours of that day (exceptions applied), each for ``queue.bookable_workplaces`` people, minus
  confirmed bookings and unexpired holds; only days inside the booking window (today … today +
  ``QUEUE_BOOKING_DAYS``) and only slots that have not started.
- ``hold(queue, starts_at, *, phone, service=None, client_ip=None, now=None, actor=None) -> Booking``: keeps a
  place for ``QUEUE_HOLD_MINUTES`` while the person fills in the form.
- ``confirm(booking, *, full_name, email, sms_allowed, email_allowed, personal_data_consent, now, actor)``:
  the booking is made; SMS/email ``booking_confirmed`` through notify with the code and the manage link.
- ``cancel(token, ...)``, ``reschedule(token, starts_at, ...)``: by the secret of the manage link.
- ``check_in(office, code, now=None, *, actor=None) -> Ticket``: at the kiosk, from ``QUEUE_CHECKIN_EARLY_MINUTES``
  before to ``QUEUE_CHECKIN_LATE_MINUTES`` after the booked time; the ticket is issued by queue-core with
  ``order_at`` = the booked time, so it stands in the line as if it had been taken then.
- ``mark_no_shows(now)``, ``expire_holds(now)``, ``send_reminders(now)``: sweeps run by ``vikno/queue/tasks.py``.
- ``form_stamp(now)`` / ``check_human(stamp, honeypot, now=...)``: the anti-bot check of the public forms.

Rules, as implemented
---------------------
Capacity. A slot takes as many people as the queue has workplaces open to booking. Every operation that
takes a place (hold, reschedule) runs in one transaction that first locks the queue row (``SELECT … FOR
UPDATE``), counts the places taken, then writes; so two people racing for the last place are served one
after the other and the second is told the time is taken. A per-phone advisory lock, always taken before
the queue lock, makes the per-phone limits exact as well.

Limits per phone. One phone number may have one hold in progress and at most
``QUEUE_MAX_ACTIVE_BOOKINGS_PER_PHONE`` confirmed bookings that have not started yet.

Anti-bot, without any outside service. Each public form carries a signed timestamp with a random nonce
(``django.core.signing``) and an empty honeypot field hidden from people. A form sent back sooner than
``QUEUE_FORM_MIN_SECONDS`` after it was shown, older than ``FORM_MAX_AGE`` (tampered or stale), with the
honeypot filled, or with a stamp already used, is refused with a message and no state change. No
JavaScript is needed, so the forms work for everyone; the per-phone limits and a per-address rate limit of
the API bound what a patient bot can do.

Consents. The applicant's consents (personal data, SMS, email) are recorded in the audit log with the
confirmation (and copied on a reschedule); the reminder reads them from there, and the "reminded" mark
is an audit event too, so a reminder goes out once per booked time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vikno.catalog.models import OfficeService
from vikno.core import audit, ratelimit
from vikno.core.errors import Conflict, DomainError, NotFound
from vikno.core.models import AuditEvent
from vikno.notify import services as notify
from vikno.notify.addresses import normalise_email, normalise_phone
from vikno.orgs.models import ScheduleException
from vikno.orgs.services import opening_hours

from .models import Booking, Queue, Ticket

FORM_SALT = "vikno.queue.booking-form"
FORM_MAX_AGE = timedelta(hours=2)
CODE_DIGITS = 6
AUDIT_TYPE = "queue.booking"

Status = Booking.Status


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


# --- time helpers ------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _shown_time(moment: datetime) -> str:
    """«12.05.2026 at 09:30», local time, in the reader's language (for a refusal)."""
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {"date": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"}


def format_time(moment: datetime) -> str:
    """«12.05.2026 о 09:30»: the same, as printed in messages to applicants (always Ukrainian)."""
    with translation.override("uk"):
        return _shown_time(moment)


def booking_window(now: datetime | None = None) -> tuple[date, date]:
    """The first and the last day (both included) people may book now."""
    first = local_day(_now(now))
    return first, first + timedelta(days=settings.QUEUE_BOOKING_DAYS)


def hours_by_day(office, first: date, last: date) -> dict[date, list[tuple[time, time]]]:
    """``opening_hours`` of every day from ``first`` to ``last`` in two queries (the same rules: an
    exception of the day wins over the weekly hours)."""
    weekly: dict[int, list[tuple[time, time]]] = {}
    for row in office.weekly_hours.order_by("weekday", "opens"):
        weekly.setdefault(row.weekday, []).append((row.opens, row.closes))
    exceptions = {e.date: e for e in office.schedule_exceptions.filter(date__gte=first, date__lte=last)}
    result = {}
    day = first
    while day <= last:
        exception = exceptions.get(day)
        if exception is None:
            result[day] = list(weekly.get(day.weekday(), []))
        elif exception.kind == ScheduleException.Kind.CLOSED:
            result[day] = []
        else:
            result[day] = [(exception.opens, exception.closes)]
        day += timedelta(days=1)
    return result


def _slot_starts(queue: Queue, day: date, intervals=None) -> list[datetime]:
    step = timedelta(minutes=queue.service_minutes)
    if step <= timedelta(0):
        return []
    starts = []
    for opens, closes in intervals if intervals is not None else opening_hours(queue.office, day):
        start, end = datetime.combine(day, opens), datetime.combine(day, closes)
        while start + step <= end:
            starts.append(timezone.make_aware(start))
            start += step
    return starts


def _occupying(now: datetime) -> Q:
    """Bookings that take a place: made ones, and holds still running."""
    return Q(status__in=[Status.CONFIRMED, Status.CHECKED_IN, Status.NO_SHOW]) | Q(
        status=Status.HELD, hold_expires_at__gt=now
    )


def books_service(service) -> Q:
    """Queues that take bookings for ``service``: those listing it, and those listing no services (a
    general queue) at an office that provides it (``catalog.OfficeService``)."""
    provided = OfficeService.objects.filter(office_id=OuterRef("office_id"), service=service)
    listed = Queue.services.through.objects.filter(queue_id=OuterRef("pk"))
    return Q(is_active=True, bookable_workplaces__gt=0) & (
        Q(Exists(listed.filter(service=service))) | (~Q(Exists(listed)) & Q(Exists(provided)))
    )


def is_bookable(queue: Queue) -> bool:
    return bool(queue.is_active and queue.bookable_workplaces > 0 and queue.service_minutes > 0)


# --- slots -------------------------------------------------------------------------------------


def free_slots(office, queue: Queue, day: date, *, now: datetime | None = None) -> list[Slot]:
    """Slots of ``day`` with at least one free place, in time order."""
    now = _now(now)
    if queue.office_id != office.pk or not office.is_active or not is_bookable(queue):
        return []
    first, last = booking_window(now)
    if day < first or day > last:
        return []
    starts = [s for s in _slot_starts(queue, day) if s > now]
    if not starts:
        return []
    taken = dict(
        Booking.objects.filter(_occupying(now), queue=queue, starts_at__gte=starts[0], starts_at__lte=starts[-1])
        .values("starts_at")
        .annotate(n=Count("id"))
        .values_list("starts_at", "n")
    )
    step = timedelta(minutes=queue.service_minutes)
    slots = [Slot(s, s + step, queue.bookable_workplaces, taken.get(s, 0)) for s in starts]
    return [slot for slot in slots if slot.free > 0]


def check_day(office, day: date, *, now: datetime | None = None) -> None:
    """Refuse a day outside the booking window or when the office is closed, with a clear message."""
    first, last = booking_window(now)
    if day < first:
        raise DomainError(
            _("This date has already passed. Choose today or a later day."), code="day_in_past", field="day"
        )
    if day > last:
        raise DomainError(
            ngettext(
                "You can book no more than %(days)s day ahead — until %(last)s.",
                "You can book no more than %(days)s days ahead — until %(last)s.",
                settings.QUEUE_BOOKING_DAYS,
            )
            % {"days": settings.QUEUE_BOOKING_DAYS, "last": f"{last:%d.%m.%Y}"},
            code="beyond_window",
            field="day",
        )
    if not opening_hours(office, day):
        raise DomainError(
            _("On %(day)s the office is closed. Choose another day.") % {"day": f"{day:%d.%m.%Y}"},
            code="office_closed",
            field="day",
        )


def _check_slot(queue: Queue, starts_at: datetime, now: datetime) -> datetime:
    """The end of the slot starting at ``starts_at``, or a DomainError saying why it is not a slot."""
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if not is_bookable(queue) or not queue.office.is_active:
        raise DomainError(_("This queue cannot be booked online."), code="not_bookable", field="queue")
    if starts_at <= now:
        raise DomainError(
            _("This time has already passed. Choose another one."), code="slot_in_past", field="starts_at"
        )
    day = local_day(starts_at)
    check_day(queue.office, day, now=now)
    if starts_at not in _slot_starts(queue, day):
        hours = opening_hours(queue.office, day)
        local = timezone.localtime(starts_at).time()
        inside = any(opens <= local < closes for opens, closes in hours)
        shown = ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in hours)
        if inside:
            raise DomainError(
                _("You can only book one of the offered times (every %(minutes)s min). Choose a time from the list.")
                % {"minutes": queue.service_minutes},
                code="not_a_slot",
                field="starts_at",
            )
        raise DomainError(
            _("At %(time)s the office does not receive visitors. Opening hours on %(day)s: %(hours)s.")
            % {"time": f"{local:%H:%M}", "day": f"{day:%d.%m.%Y}", "hours": shown},
            code="outside_hours",
            field="starts_at",
        )
    return starts_at + timedelta(minutes=queue.service_minutes)


def _check_capacity(queue: Queue, starts_at: datetime, now: datetime, *, exclude_pk=None) -> None:
    taken = Booking.objects.filter(_occupying(now), queue=queue, starts_at=starts_at)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.count() >= queue.bookable_workplaces:
        raise Conflict(
            _("The time %(time)s has just been taken. Choose another free time.") % {"time": _shown_time(starts_at)},
            code="slot_taken",
            field="starts_at",
        )


# --- locks and limits --------------------------------------------------------------------------


def _lock_phone(phone: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"vikno:booking-phone:{phone}"])


def _lock_queue(queue: Queue) -> Queue:
    return Queue.objects.select_for_update().select_related("office", "office__center").get(pk=queue.pk)


def _check_future_limit(phone: str, now: datetime) -> None:
    future = Booking.objects.filter(phone=phone, status=Status.CONFIRMED, starts_at__gt=now).count()
    limit = settings.QUEUE_MAX_ACTIVE_BOOKINGS_PER_PHONE
    if future >= limit:
        raise Conflict(
            _(
                "The number %(phone)s already has future bookings: %(count)s (at most %(limit)s). "
                "Cancel one of them by the link in the SMS or email to book again."
            )
            % {"phone": phone, "count": future, "limit": limit},
            code="too_many_bookings",
            field="phone",
        )


def _check_phone_limits(phone: str, now: datetime) -> None:
    if Booking.objects.filter(phone=phone, status=Status.HELD, hold_expires_at__gt=now).exists():
        raise Conflict(
            _(
                "A time is already held for a booking with the number %(phone)s. Finish that booking or wait "
                "%(minutes)s min until the hold ends."
            )
            % {"phone": phone, "minutes": settings.QUEUE_HOLD_MINUTES},
            code="hold_exists",
            field="phone",
        )
    _check_future_limit(phone, now)


def _new_code(office_id: int, starts_at: datetime) -> str:
    """A 6-digit code not used by another booking of the office on the same local day."""
    day = local_day(starts_at)
    used = set(
        Booking.objects.filter(
            office_id=office_id,
            starts_at__gte=_aware(day, time.min),
            starts_at__lt=_aware(day + timedelta(days=1), time.min),
        ).values_list("code", flat=True)
    )
    for _attempt in range(100):
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if code not in used:
            return code
    raise Conflict(_("Could not create a booking code. Try again."), code="no_code")


# --- the anti-bot check ------------------------------------------------------------------------


def form_stamp(now: datetime | None = None) -> str:
    """A signed, timestamped token to put in a hidden field of a public form."""
    return signing.dumps({"t": int(_now(now).timestamp()), "n": secrets.token_hex(8)}, salt=FORM_SALT)


def check_human(stamp: str, honeypot: str = "", *, now: datetime | None = None) -> None:
    """Refuse a form sent by a program: honeypot filled, stamp missing, forged, too fresh, stale or reused."""
    now = _now(now)
    if (honeypot or "").strip():
        raise DomainError(
            _("The form was rejected: it seems to have been filled in by a program. Open the page again."),
            code="bot_suspected",
        )
    try:
        data = signing.loads(stamp or "", salt=FORM_SALT)
        shown_at, nonce = int(data["t"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DomainError(_("The form is outdated or damaged. Open the page again."), code="form_invalid") from None
    age = now.timestamp() - shown_at
    if age < settings.QUEUE_FORM_MIN_SECONDS:
        raise DomainError(
            _("The form was sent too quickly. Check the details and send it again."), code="too_fast", status=400
        )
    if age > FORM_MAX_AGE.total_seconds():
        raise DomainError(_("The form is outdated. Open the page again."), code="form_expired")
    if ratelimit.hit(f"queue:form-stamp:{nonce}", int(FORM_MAX_AGE.total_seconds()), now=now) > 1:
        raise DomainError(_("This form has already been sent. Open the page again."), code="form_reused")


def allow_request(ip: str, bucket: str, *, limit: int, window: int) -> bool:
    """A light per-address rate limit: requests counted in a fixed window, in PostgreSQL (``core.ratelimit``),
    so every app process counts against the same budget."""
    return ratelimit.hit(f"queue:rate:{bucket}:{ip or 'unknown'}", window) <= limit


# --- booking operations ------------------------------------------------------------------------


def manage_url(booking: Booking) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/booking/manage/{booking.manage_token}/"


def by_token(token: str, *, for_update: bool = False) -> Booking:
    bookings = Booking.objects.select_related("office", "office__center", "queue", "service")
    if for_update:
        bookings = bookings.select_for_update(of=("self",))
    booking = bookings.filter(manage_token=(token or "")[:40]).first() if token else None
    if booking is None:
        raise NotFound(_("Booking not found. Check the link from the SMS or email."), code="booking_not_found")
    return booking


def hold(
    queue: Queue,
    starts_at: datetime,
    *,
    phone: str,
    service=None,
    client_ip: str | None = None,
    release_token: str | None = None,
    now: datetime | None = None,
    actor: audit.Actor | None = None,
) -> Booking:
    """Keep a place in the slot starting at ``starts_at`` for ``QUEUE_HOLD_MINUTES``.

    ``release_token``: the secret token of a hold of the same phone to give up for this one (the person
    went back and chose another time). Only the token releases it — the page passes the token of a hold
    made in the same browser session — never the phone number alone. The release and the new hold are one
    transaction: when the new time cannot be held, the old hold stays."""
    now = _now(now)
    phone = normalise_phone(phone)
    if service is not None and not queue.services.filter(pk=service.pk).exists():
        raise DomainError(
            _("This service is not provided in this queue."), code="service_not_in_queue", field="service"
        )
    with transaction.atomic():
        _lock_phone(phone)
        queue = _lock_queue(queue)
        ends_at = _check_slot(queue, starts_at, now)
        if release_token:
            _release_hold(release_token, phone, now, actor)
        _check_phone_limits(phone, now)
        _check_capacity(queue, starts_at, now)
        booking = Booking.objects.create(
            office_id=queue.office_id,
            center_id=queue.center_id,
            region_id=queue.region_id,
            queue=queue,
            service=service,
            starts_at=starts_at,
            ends_at=ends_at,
            status=Status.HELD,
            hold_expires_at=now + timedelta(minutes=settings.QUEUE_HOLD_MINUTES),
            phone=phone,
            code=_new_code(queue.office_id, starts_at),
            manage_token=secrets.token_urlsafe(30)[:40],
            client_ip=client_ip,
        )
        audit.record(
            actor,
            "queue.booking_held",
            booking,
            data={"queue_id": queue.pk, "starts_at": starts_at.isoformat(), "hold_expires_at": booking.hold_expires_at},
        )
    return booking


def _release_hold(token: str, phone: str, now: datetime, actor) -> None:
    old = (
        Booking.objects.select_for_update()
        .filter(manage_token=token[:40], phone=phone, status=Status.HELD, hold_expires_at__gt=now)
        .first()
    )
    if old is None:  # already confirmed, expired or released: nothing to give up
        return
    old.status = Status.CANCELLED
    old.hold_expires_at = None
    old.save(update_fields=["status", "hold_expires_at"])
    audit.record(actor, "queue.booking_cancelled", old, data={"from_status": Status.HELD, "reason": "replaced"})


def held_by_phone(tokens, phone: str, *, now: datetime | None = None) -> Booking | None:
    """The live hold of ``phone`` among the bookings with the given tokens (those the browser made)."""
    tokens = [str(t)[:40] for t in tokens or () if t]
    if not tokens:
        return None
    return (
        Booking.objects.filter(manage_token__in=tokens, phone=phone, status=Status.HELD, hold_expires_at__gt=_now(now))
        .order_by("-hold_expires_at")
        .first()
    )


def _clean_name(full_name: str) -> str:
    name = " ".join((full_name or "").split())
    if not name:
        raise DomainError(_("Enter your surname and name."), code="required", field="full_name")
    if len(name) > 300:
        raise DomainError(
            _("The surname and name are too long: at most 300 characters."), code="too_long", field="full_name"
        )
    return name


def confirm(
    booking: Booking,
    *,
    full_name: str,
    email: str = "",
    sms_allowed: bool = False,
    email_allowed: bool = False,
    personal_data_consent: bool = False,
    now: datetime | None = None,
    actor: audit.Actor | None = None,
) -> Booking:
    """Turn a running hold into a booking and send the confirmation (SMS/email, as the person allowed)."""
    now = _now(now)
    name = _clean_name(full_name)
    email = normalise_email(email) if (email or "").strip() else ""
    if email_allowed and not email:
        raise DomainError(
            _("Enter an email address or untick «Send me the code and a reminder by email»."),
            code="required",
            field="email",
        )
    if not personal_data_consent:
        raise DomainError(
            _("To book, your consent to the processing of personal data is needed."),
            code="consent_required",
            field="personal_data_consent",
        )
    with transaction.atomic():
        _lock_phone(booking.phone)
        booking = by_token(booking.manage_token, for_update=True)
        if booking.status == Status.CONFIRMED:
            raise Conflict(_("This booking has already been confirmed."), code="already_confirmed")
        if booking.status != Status.HELD or booking.hold_expires_at is None or booking.hold_expires_at <= now:
            raise Conflict(
                _("The hold has expired and the place was freed. Choose a time again."),
                code="hold_expired",
                field="starts_at",
            )
        _check_future_limit(booking.phone, now)
        booking.status = Status.CONFIRMED
        booking.hold_expires_at = None
        booking.full_name = name
        booking.email = email
        booking.save(update_fields=["status", "hold_expires_at", "full_name", "email"])
        consents = {
            "personal_data_consent": True,
            "sms_allowed": bool(sms_allowed),
            "email_allowed": bool(email_allowed and email),
        }
        audit.record(
            actor, "queue.booking_confirmed", booking, data={"starts_at": booking.starts_at.isoformat(), **consents}
        )
        _notify(booking, "booking_confirmed", consents, actor)
    return booking


def cancel(token: str, *, now: datetime | None = None, actor: audit.Actor | None = None) -> Booking:
    """Cancel a hold or a booking that has not started; the place is free at once."""
    now = _now(now)
    with transaction.atomic():
        booking = by_token(token, for_update=True)
        if booking.status not in (Status.HELD, Status.CONFIRMED):
            raise Conflict(
                _("The booking has the status «%(status)s»: it can no longer be cancelled.")
                % {"status": booking.get_status_display()},
                code="not_cancellable",
            )
        if booking.starts_at <= now:
            raise Conflict(
                _("The booked time has already come: the booking cannot be cancelled."), code="not_cancellable"
            )
        before = booking.status
        booking.status = Status.CANCELLED
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "hold_expires_at"])
        audit.record(actor, "queue.booking_cancelled", booking, data={"from_status": before})
    return booking


def reschedule(
    token: str, starts_at: datetime, *, now: datetime | None = None, actor: audit.Actor | None = None
) -> Booking:
    """Move a confirmed booking to another free slot of its queue and send a new confirmation."""
    now = _now(now)
    current = by_token(token)
    with transaction.atomic():
        _lock_phone(current.phone)
        queue = _lock_queue(current.queue)
        booking = by_token(token, for_update=True)
        if booking.status != Status.CONFIRMED:
            raise Conflict(
                _("The booking has the status «%(status)s»: it cannot be rescheduled.")
                % {"status": booking.get_status_display()},
                code="not_reschedulable",
            )
        if booking.starts_at <= now:
            raise Conflict(
                _("The booked time has already come: the booking cannot be rescheduled."), code="not_reschedulable"
            )
        ends_at = _check_slot(queue, starts_at, now)
        if starts_at == booking.starts_at:
            raise DomainError(
                _("The booking is already at this time. Choose another one."), code="same_slot", field="starts_at"
            )
        _check_capacity(queue, starts_at, now, exclude_pk=booking.pk)
        previous = booking.starts_at
        booking.starts_at, booking.ends_at = starts_at, ends_at
        if local_day(previous) != local_day(starts_at):
            booking.code = _new_code(booking.office_id, starts_at)
        booking.save(update_fields=["starts_at", "ends_at", "code"])
        consents = consents_of(booking)
        audit.record(
            actor,
            "queue.booking_rescheduled",
            booking,
            data={"from": previous.isoformat(), "starts_at": starts_at.isoformat(), **consents},
        )
        _notify(booking, "booking_confirmed", consents, actor)
    return booking


# --- notifications -----------------------------------------------------------------------------


def consents_of(booking: Booking) -> dict:
    """The consents given with the last confirmation or reschedule (from the audit log)."""
    event = (
        AuditEvent.objects.filter(
            object_type=AUDIT_TYPE,
            object_id=str(booking.pk),
            action__in=["queue.booking_confirmed", "queue.booking_rescheduled"],
        )
        .order_by("-at", "-id")
        .values_list("data", flat=True)
        .first()
        or {}
    )
    return {
        "personal_data_consent": bool(event.get("personal_data_consent")),
        "sms_allowed": bool(event.get("sms_allowed")),
        "email_allowed": bool(event.get("email_allowed")),
    }


def message_context(booking: Booking) -> dict:
    office, center = booking.office, booking.office.center
    return {
        "center_name": center.short_name or center.name,
        "center_phone": center.phone,
        "office_name": office.name,
        "office_address": office.address,
        "booking_time": format_time(booking.starts_at),
        "booking_code": booking.code,
        "service_name": booking.service.name_uk if booking.service_id else booking.queue.name,
        "manage_url": manage_url(booking),
        "cancel_url": manage_url(booking),
    }


def _notify(booking: Booking, event: str, consents: dict, actor) -> None:
    notify.enqueue(
        event=event,
        context=message_context(booking),
        phone=booking.phone,
        email=booking.email,
        sms_allowed=consents["sms_allowed"],
        email_allowed=consents["email_allowed"],
        center_id=booking.center_id,
        region_id=booking.region_id,
        actor=actor,
    )


# --- check-in at the kiosk ---------------------------------------------------------------------


def _checkin_window(booking: Booking) -> tuple[datetime, datetime]:
    return (
        booking.starts_at - timedelta(minutes=settings.QUEUE_CHECKIN_EARLY_MINUTES),
        booking.starts_at + timedelta(minutes=settings.QUEUE_CHECKIN_LATE_MINUTES),
    )


def check_in(office, code: str, now: datetime | None = None, *, actor: audit.Actor | None = None) -> Ticket:
    """The ticket for the booking with ``code`` at ``office``, placed in the line at the booked time."""
    from . import services as queue_services

    now = _now(now)
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    if len(code) != CODE_DIGITS:
        raise DomainError(
            _("Enter the booking code: %(digits)s digits from the SMS or email.") % {"digits": CODE_DIGITS},
            code="invalid_code",
            field="code",
        )
    near = Q(starts_at__gte=now - timedelta(days=1), starts_at__lte=now + timedelta(days=1))
    with transaction.atomic():
        candidates = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("queue", "ticket")
            .filter(near, office=office, code=code)
            .exclude(status__in=[Status.HELD, Status.EXPIRED])
            .order_by("starts_at")
        )
        if not candidates:
            _refuse_other_day_or_office(office, code, now)
            raise NotFound(
                _(
                    "No booking with the code %(code)s was found. Check the code in the SMS or email "
                    "or ask an administrator."
                )
                % {"code": code},
                code="unknown_code",
                field="code",
            )
        booking = next((b for b in candidates if b.status == Status.CONFIRMED and _in_window(b, now)), None)
        if booking is None:
            raise _refusal(min(candidates, key=lambda b: abs(b.starts_at - now)), now)
        ticket = queue_services.issue_ticket(
            booking.queue,
            source=Ticket.Source.BOOKING,
            service=booking.service,
            actor=actor,
            order_at=booking.starts_at,
            now=now,
        )
        booking.status = Status.CHECKED_IN
        booking.ticket = ticket
        booking.save(update_fields=["status", "ticket"])
        audit.record(actor, "queue.booking_checked_in", booking, data={"ticket_id": ticket.pk, "ticket": ticket.code})
    return ticket


def _on_another_day(booking: Booking) -> DomainError:
    at = timezone.localtime(booking.starts_at)
    return DomainError(
        _("Your booking is on %(date)s at %(time)s; check-in opens %(minutes)s min before it starts.")
        % {"date": f"{at:%d.%m.%Y}", "time": f"{at:%H:%M}", "minutes": settings.QUEUE_CHECKIN_EARLY_MINUTES},
        code="another_day",
        field="code",
    )


def _refuse_other_day_or_office(office, code: str, now: datetime) -> None:
    """The code is not for today here: say which day it is for, or which office — never whose it is."""
    coming = Q(starts_at__gte=now - timedelta(days=1))
    confirmed = Booking.objects.select_related("office").filter(coming, code=code, status=Status.CONFIRMED)
    later = confirmed.filter(office=office).order_by("starts_at").first()
    if later is not None:
        raise _on_another_day(later)
    foreign = confirmed.exclude(office=office).order_by("starts_at").first()
    if foreign is not None:
        at = timezone.localtime(foreign.starts_at)
        raise DomainError(
            _(
                "The booking with the code %(code)s was made at another office: %(office)s, for %(date)s at "
                "%(time)s. Go there or ask an administrator."
            )
            % {"code": code, "office": foreign.office.name, "date": f"{at:%d.%m.%Y}", "time": f"{at:%H:%M}"},
            code="foreign_code",
            field="code",
        )


def _in_window(booking: Booking, now: datetime) -> bool:
    opens, closes = _checkin_window(booking)
    return opens <= now <= closes


def _refusal(booking: Booking, now: datetime) -> DomainError:
    at = timezone.localtime(booking.starts_at)
    if booking.status == Status.CHECKED_IN:
        shown = booking.ticket.code if booking.ticket_id else ""
        return Conflict(
            (_("Ticket %(ticket)s has already been issued for this code.") % {"ticket": shown}).replace("  ", " "),
            code="already_checked_in",
        )
    if booking.status == Status.CANCELLED:
        return Conflict(
            _("This booking has been cancelled. Take an ordinary ticket."), code="booking_cancelled", field="code"
        )
    opens, _closes = _checkin_window(booking)
    if booking.status == Status.CONFIRMED and now < opens and local_day(booking.starts_at) != local_day(now):
        return _on_another_day(booking)
    if booking.status == Status.CONFIRMED and now < opens:
        return DomainError(
            _("Too early: your booking is at %(time)s, you can check in from %(opens)s.")
            % {"time": f"{at:%H:%M}", "opens": f"{timezone.localtime(opens):%H:%M}"},
            code="too_early",
            field="code",
        )
    return DomainError(
        _("The booked time (%(date)s at %(time)s) passed more than %(minutes)s min ago. Take an ordinary ticket.")
        % {"date": f"{at:%d.%m}", "time": f"{at:%H:%M}", "minutes": settings.QUEUE_CHECKIN_LATE_MINUTES},
        code="code_expired",
        field="code",
    )


# --- sweeps (run by vikno/queue/tasks.py) ------------------------------------------------------


def expire_holds(now: datetime | None = None, *, batch: int = 500) -> int:
    """Mark holds whose time ran out as expired (``free_slots`` ignores them anyway)."""
    now = _now(now)
    done = 0
    with transaction.atomic():
        rows = list(
            Booking.objects.select_for_update(skip_locked=True)
            .filter(status=Status.HELD, hold_expires_at__lte=now)
            .order_by("hold_expires_at")[:batch]
        )
        for booking in rows:
            booking.status = Status.EXPIRED
            booking.save(update_fields=["status"])
            audit.record(audit.SYSTEM, "queue.booking_hold_expired", booking)
            done += 1
    return done


def mark_no_shows(now: datetime | None = None, *, batch: int = 500) -> int:
    """Confirmed bookings not checked in by the end of the late window are no-shows."""
    now = _now(now)
    cutoff = now - timedelta(minutes=settings.QUEUE_CHECKIN_LATE_MINUTES)
    done = 0
    with transaction.atomic():
        rows = list(
            Booking.objects.select_for_update(skip_locked=True)
            .filter(status=Status.CONFIRMED, starts_at__lt=cutoff)
            .order_by("starts_at")[:batch]
        )
        for booking in rows:
            booking.status = Status.NO_SHOW
            booking.save(update_fields=["status"])
            audit.record(audit.SYSTEM, "queue.booking_no_show", booking, data={"starts_at": booking.starts_at})
            done += 1
    return done


def send_reminders(now: datetime | None = None, *, batch: int = 500) -> int:
    """Remind of bookings starting within ``QUEUE_REMINDER_HOURS``, once per booked time. Bookings made
    less than that before the visit are not reminded (the confirmation has just been sent)."""
    now = _now(now)
    ahead = timedelta(hours=settings.QUEUE_REMINDER_HOURS)
    sent = 0
    with transaction.atomic():
        rows = list(
            Booking.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("office", "office__center", "queue", "service")
            .filter(status=Status.CONFIRMED, starts_at__gt=now, starts_at__lte=now + ahead)
            .order_by("starts_at")[:batch]
        )
        reminded = set(
            AuditEvent.objects.filter(
                object_type=AUDIT_TYPE,
                object_id__in=[str(b.pk) for b in rows],
                action="queue.booking_reminded",
            ).values_list("object_id", "data__starts_at")
        )
        for booking in rows:
            stamp = booking.starts_at.isoformat()
            if (str(booking.pk), stamp) in reminded or booking.created_at > booking.starts_at - ahead:
                continue
            audit.record(audit.SYSTEM, "queue.booking_reminded", booking, data={"starts_at": stamp})
            _notify(booking, "booking_reminder", consents_of(booking), audit.SYSTEM)
            sent += 1
    return sent
