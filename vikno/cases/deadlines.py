"""Legal deadlines with the Ukrainian working-day calendar (owner: deadlines). Contract:

- ``calendar() -> WorkCalendar`` (holidays from the ``holidays`` package; martial-law periods from settings,
  during which statutory holidays are working days): ``is_working_day(d)``, ``add_working_days(d, n)``
- ``compute_due(filed_at, term_value, term_unit, *, office=None) -> datetime``: the term starts the day after
  filing; a term ending on a day off moves to the next working day; hour terms count office hours.
- ``suspend(case, *, at)`` / ``resume(case, *, at)`` / ``extend(case, *, working_days)``: adjust ``due_at``.
- ``due_today(qs, now)``, ``due_within(qs, now, working_days=2)``, ``overdue(qs, now)``: querysets for staff lists;
  ``due_today_q(now)``, ``due_within_q(now, ...)``, ``overdue_q(now)``: the same conditions, for counting;
  ``is_overdue(case, now)``: the overdue condition for one case (the public status page).
- ``sweep(now) -> SweepReport``: escalate overdue cases to the center head, remind applicants of uncollected
  results and refusal decisions; run daily by the task queue (vikno/cases/tasks.py).

The rules, as implemented here
------------------------------
Days are local days in Kyiv (``Europe/Kyiv``), whatever the server's time zone.

A *working day* is Monday to Friday that is not a statutory day off. Statutory holidays (Labour Code
art. 73) come from ``holidays.UA``; the package lists them in its default category in peacetime years and in
its ``workday`` category in martial-law years, so both are read and the martial-law periods configured here
(``MARTIAL_LAW_FROM`` / ``MARTIAL_LAW_UNTIL``) decide: a holiday inside a period is an ordinary day; a holiday
outside every period is a day off, and when it falls on Saturday or Sunday the day off moves to the next
day that is neither a weekend nor another day off (Labour Code art. 67). Day swaps recommended by the Cabinet
of Ministers (a Friday off for a working Saturday, last used in 2022) are not statutory and are ignored.

Terms:

- ``working_days``: the n-th working day after the filing day.
- ``calendar_days``: the filing day plus n days; a last day that is not a working day moves to the next
  working day.
- ``hours``: n hours of the office's opening hours (``vikno.orgs.services.opening_hours``, exceptions applied),
  counted from the moment of filing; a statutory day off closes the office unless a schedule exception of that
  date says otherwise. Without an office, or for an office with no weekly hours yet: 09:00–18:00 on working
  days. The due time is the exact moment the hours run out.
- Day terms are due at the end of the last day, 23:59:59 Kyiv time (``END_OF_DAY``), whatever the office's
  closing time, so a deadline never depends on which office the case sits in.

Suspension: the day the term is suspended still counts, the day it resumes does not (the term goes on from the
next day, as after filing); so the working days *after* the suspension day up to and including the resumption
day are added to ``due_at``. Suspending and resuming on one day adds nothing.

Staff lists and escalation cover cases whose term is running: not closed, not suspended, and not already
decided (``result_ready`` and ``refused`` wait only for the applicant, who gets a reminder instead: one
``collect_reminder``, worded for a refusal decision when the case is ``refused``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vikno.core import audit
from vikno.core.errors import DomainError
from vikno.core.i18n import in_ukrainian
from vikno.core.scoping import Role
from vikno.notify import services as notify_services

from .models import Case, CaseEvent, CaseTask, Status

logger = logging.getLogger(__name__)

KYIV = ZoneInfo("Europe/Kyiv")
END_OF_DAY = time(23, 59, 59)
DEFAULT_HOURS = ((time(9, 0), time(18, 0)),)
# Cases whose legal term is running: not closed, and no decision taken yet.
TERM_RUNNING_STATUSES = (
    Status.SUBMITTED_ONLINE,
    Status.ACCEPTED,
    Status.SENT_TO_PROVIDER,
    Status.IN_PROGRESS,
    Status.NEEDS_CLARIFICATION,
)
TERM_UNITS = ("working_days", "calendar_days", "hours")
# The package marks the Cabinet's recommended day swaps with this label (Ukrainian names).
_SWAPPED_DAY_PREFIX = "Вихідний день (перенесено"
# Longest search for a working day or for office hours before giving up (a misconfigured calendar).
_MAX_DAYS = 3 * 366


# --- the calendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A martial-law period, both ends inclusive; ``end=None`` means still in force."""

    start: date
    end: date | None = None

    def __contains__(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class WorkCalendar:
    """Working days of Ukraine with statutory holidays suspended during the given martial-law periods.

    ``WorkCalendar()`` applies peacetime rules everywhere; ``WorkCalendar([Period(date(2022, 2, 24))])``
    treats every holiday since 24.02.2022 as a working day. ``calendar()`` builds one from the settings.
    """

    def __init__(self, martial_law: Iterable[Period | tuple[date, date | None]] = ()):
        self.martial_law = tuple(p if isinstance(p, Period) else Period(*p) for p in martial_law)
        self._days_off: dict[int, dict[date, str]] = {}

    def __repr__(self) -> str:
        return f"WorkCalendar(martial_law={self.martial_law!r})"

    def under_martial_law(self, day: date) -> bool:
        return any(day in period for period in self.martial_law)

    def statutory_holidays(self, year: int) -> dict[date, str]:
        """Holidays of art. 73 in ``year`` with their Ukrainian names, whichever regime applies to them."""
        found = holidays.UA(years=year, categories=("public", "workday"), observed=False, language="uk")
        return {day: name for day, name in sorted(found.items()) if not name.startswith(_SWAPPED_DAY_PREFIX)}

    def days_off(self, year: int) -> dict[date, str]:
        """Statutory days off in ``year`` besides weekends: holidays outside martial law and the Mondays
        (or later days) they move to when they fall on a weekend."""
        if year not in self._days_off:
            off = {day: name for day, name in self.statutory_holidays(year).items() if not self.under_martial_law(day)}
            result = dict(off)
            for day, name in off.items():
                if day.weekday() >= 5:
                    moved = day + timedelta(days=1)
                    while moved.weekday() >= 5 or moved in result:
                        moved += timedelta(days=1)
                    result[moved] = f"{name} (вихідний перенесено)"
            self._days_off[year] = dict(sorted(result.items()))
        return self._days_off[year]

    def is_day_off(self, day: date) -> bool:
        """A statutory day off other than a weekend (a holiday or a day off moved from one)."""
        return day in self.days_off(day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_day_off(day)

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, otherwise the first working day after it."""
        for _attempt in range(_MAX_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise RuntimeError(f"No working day within {_MAX_DAYS} days after {day}.")

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``n=0``: ``day`` or the next working day)."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return self.next_working_day(day)
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end``."""
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count


def _parse_day(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a date in the form YYYY-MM-DD.") from exc


@lru_cache(maxsize=8)
def _calendar_for(start, end) -> WorkCalendar:
    first = _parse_day(start, "VIKNO_MARTIAL_LAW_FROM")
    last = _parse_day(end, "VIKNO_MARTIAL_LAW_UNTIL")
    if first is None:
        return WorkCalendar()
    if last is not None and last < first:
        raise ImproperlyConfigured("VIKNO_MARTIAL_LAW_UNTIL is earlier than VIKNO_MARTIAL_LAW_FROM.")
    return WorkCalendar([Period(first, last)])


def calendar() -> WorkCalendar:
    """The calendar of the settings ``MARTIAL_LAW_FROM`` / ``MARTIAL_LAW_UNTIL`` (cached per value)."""
    return _calendar_for(
        getattr(settings, "MARTIAL_LAW_FROM", "2022-02-24"), getattr(settings, "MARTIAL_LAW_UNTIL", "")
    )


# --- due times ---------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=KYIV)
    return moment.astimezone(KYIV)


def end_of_day(day: date) -> datetime:
    """The due moment of a day term ending on ``day``: 23:59:59 in Kyiv."""
    return datetime.combine(day, END_OF_DAY, tzinfo=KYIV)


def _office_hours(office, cal: WorkCalendar) -> Callable[[date], list[tuple[time, time]]]:
    """A function giving the intervals in which hour terms run on a day."""

    def fallback(day: date) -> list[tuple[time, time]]:
        return list(DEFAULT_HOURS) if cal.is_working_day(day) else []

    if office is None or not office.weekly_hours.exists():
        return fallback

    from vikno.orgs.services import opening_hours

    def of_office(day: date) -> list[tuple[time, time]]:
        intervals = opening_hours(office, day)
        if intervals and cal.is_day_off(day) and not office.schedule_exceptions.filter(date=day).exists():
            return []
        return intervals

    return of_office


def _add_hours(start: datetime, hours: int, intervals_of: Callable[[date], list[tuple[time, time]]]) -> datetime:
    remaining = timedelta(hours=hours)
    if not remaining:
        return start
    day = start.date()
    for _attempt in range(_MAX_DAYS):
        for opens, closes in intervals_of(day):
            begin = max(datetime.combine(day, opens, tzinfo=KYIV), start)
            finish = datetime.combine(day, closes, tzinfo=KYIV)
            if finish <= begin:
                continue
            if finish - begin >= remaining:
                return begin + remaining
            remaining -= finish - begin
        day += timedelta(days=1)
    raise DomainError(
        _("Cannot compute a term in hours: the office has no opening hours in the next three years."),
        code="no_opening_hours",
        field="term_unit",
    )


def compute_due(filed_at: datetime, term_value: int, term_unit: str, *, office=None, cal=None) -> datetime:
    """The legal due moment of a term of ``term_value`` ``term_unit`` for something filed at ``filed_at``.

    The result is an aware datetime in Kyiv time. ``cal`` defaults to ``calendar()``.
    """
    cal = cal or calendar()
    if term_unit not in TERM_UNITS:
        raise DomainError(
            _("Unknown term unit «%(unit)s»: choose hours, working days or calendar days.") % {"unit": term_unit},
            code="invalid_term_unit",
            field="term_unit",
        )
    if term_value is None or int(term_value) < 0:
        raise DomainError(_("The term must be a non-negative whole number."), code="invalid_term", field="term_value")
    term_value = int(term_value)
    local = _local(filed_at)
    if term_unit == "working_days":
        return end_of_day(cal.add_working_days(local.date(), term_value))
    if term_unit == "calendar_days":
        return end_of_day(cal.next_working_day(local.date() + timedelta(days=term_value)))
    return _add_hours(local, term_value, _office_hours(office, cal))


def shift_working_days(moment: datetime, n: int, *, cal=None) -> datetime:
    """``moment`` moved by ``n`` working days, keeping its Kyiv time of day."""
    cal = cal or calendar()
    local = _local(moment)
    if n <= 0:
        return local
    return datetime.combine(cal.add_working_days(local.date(), n), local.time(), tzinfo=KYIV)


# --- suspension and extension ------------------------------------------------------------------


def _shift_open_tasks(case: Case, n: int, cal: WorkCalendar) -> None:
    if n <= 0:
        return
    tasks = list(
        CaseTask.objects.filter(case=case, due_at__isnull=False).exclude(
            state__in=[CaseTask.State.DONE, CaseTask.State.SKIPPED]
        )
    )
    for task in tasks:
        task.due_at = shift_working_days(task.due_at, n, cal=cal)
    CaseTask.objects.bulk_update(tasks, ["due_at"])


def _moved_due(case: Case, n: int, now: datetime, cal: WorkCalendar) -> list[str]:
    """Move ``case.due_at`` by ``n`` working days; a case escalated for the old due time and now back in
    time may be escalated again for the new one. Returns the changed fields."""
    if case.due_at is None or n <= 0:
        return []
    case.due_at = shift_working_days(case.due_at, n, cal=cal)
    if case.escalated_at is not None and case.due_at > now:
        case.escalated_at = None
        return ["due_at", "escalated_at"]
    return ["due_at"]


def suspend(case: Case, *, at: datetime) -> Case:
    """Stop the term's clock at ``at``. The caller records the event and the audit entry."""
    if case.suspended_since is not None:
        raise DomainError(
            _("The term of consideration has already been suspended since %(date)s.")
            % {"date": f"{_local(case.suspended_since):%d.%m.%Y}"},
            code="already_suspended",
        )
    case.suspended_since = at
    case.save(update_fields=["suspended_since"])
    return case


def resume(case: Case, *, at: datetime, cal=None) -> Case:
    """Restart the clock: the working days after the suspension day up to ``at``'s day are added to
    ``due_at`` (and to ``suspended_days``), and to the due times of the tasks not done yet."""
    cal = cal or calendar()
    if case.suspended_since is None:
        raise DomainError(
            _("The term of consideration is not suspended, so it cannot be resumed."), code="not_suspended"
        )
    if at < case.suspended_since:
        raise DomainError(
            _("The resumption date cannot be earlier than the suspension date."),
            code="resume_before_suspend",
            field="at",
        )
    days = cal.working_days_between(_local(case.suspended_since).date(), _local(at).date())
    case.suspended_days += days
    case.suspended_since = None
    fields = ["suspended_since", "suspended_days", *_moved_due(case, days, at, cal)]
    case.save(update_fields=fields)
    _shift_open_tasks(case, days, cal)
    return case


def extend(case: Case, *, working_days: int, cal=None) -> Case:
    """Extend the term by ``working_days`` (where the law allows it); tasks not done move with it."""
    cal = cal or calendar()
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise DomainError(
            _("Give the number of working days to extend the term by (a whole number, at least 1)."),
            code="invalid_extension",
            field="working_days",
        )
    if case.due_at is None:
        raise DomainError(_("No term is set for this application, so it cannot be extended."), code="no_due_time")
    case.extended_days += working_days
    fields = ["extended_days", *_moved_due(case, working_days, timezone.now(), cal)]
    case.save(update_fields=fields)
    _shift_open_tasks(case, working_days, cal)
    return case


# --- staff lists -------------------------------------------------------------------------------


def running_q() -> Q:
    """Cases whose term is running (see ``TERM_RUNNING_STATUSES``) and not suspended, as a condition."""
    return Q(status__in=TERM_RUNNING_STATUSES, suspended_since__isnull=True, due_at__isnull=False)


def due_today_q(now: datetime) -> Q:
    """Running cases due on ``now``'s day (Kyiv), including those already past their hour today."""
    start = datetime.combine(_local(now).date(), time.min, tzinfo=KYIV)
    return running_q() & Q(due_at__gte=start, due_at__lt=start + timedelta(days=1))


def soon_limit(now: datetime, working_days: int = 2, *, cal=None) -> datetime:
    """The end of the ``working_days``-th working day after ``now``'s day: the horizon of «due soon»."""
    cal = cal or calendar()
    return end_of_day(cal.add_working_days(_local(now).date(), working_days))


def due_within_q(now: datetime, working_days: int = 2, *, cal=None) -> Q:
    """Running cases not yet overdue and due by the end of the ``working_days``-th working day after today
    (today included)."""
    return running_q() & Q(due_at__gte=now, due_at__lte=soon_limit(now, working_days, cal=cal))


def overdue_q(now: datetime) -> Q:
    """Running cases whose due time has passed."""
    return running_q() & Q(due_at__lt=now)


def is_overdue(case: Case, now: datetime) -> bool:
    """``overdue_q`` for one case already at hand."""
    return (
        case.status in TERM_RUNNING_STATUSES
        and case.suspended_since is None
        and case.due_at is not None
        and case.due_at < now
    )


def running(qs: QuerySet) -> QuerySet:
    """Cases of ``qs`` whose term is running (see ``TERM_RUNNING_STATUSES``) and not suspended."""
    return qs.filter(running_q())


def due_today(qs: QuerySet, now: datetime) -> QuerySet:
    """``due_today_q`` as a list in due order."""
    return qs.filter(due_today_q(now)).order_by("due_at", "pk")


def due_within(qs: QuerySet, now: datetime, working_days: int = 2, *, cal=None) -> QuerySet:
    """``due_within_q`` as a list in due order."""
    return qs.filter(due_within_q(now, working_days, cal=cal)).order_by("due_at", "pk")


def overdue(qs: QuerySet, now: datetime) -> QuerySet:
    """``overdue_q`` as a list in due order."""
    return qs.filter(overdue_q(now)).order_by("due_at", "pk")


# --- the daily sweep ---------------------------------------------------------------------------


@dataclass
class SweepReport:
    escalated: int = 0
    escalation_notices: int = 0
    reminded: int = 0
    reminder_notices: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"escalated {self.escalated} overdue case(s), {self.escalation_notices} notice(s) to heads; "
            f"reminded {self.reminded} applicant(s), {self.reminder_notices} notice(s); {self.failed} failed"
        )


def _case_context(case: Case) -> dict:
    """The keys the notification templates use (vikno/notify/rendering.py ``REQUIRED``)."""
    due = _local(case.due_at) if case.due_at else None
    due_date = ""
    if due is not None:
        due_date = f"{due:%d.%m.%Y}" if due.time() == END_OF_DAY else f"{due:%d.%m.%Y %H:%M}"
    return {
        "case_number": case.number,
        "service_name": case.service_version.name_uk,
        "center_name": case.center.name,
        "office_name": case.current_office.name,
        "office_address": case.current_office.address,  # where to collect the result (the reminder)
        "center_phone": case.current_office.phone or case.center.phone,
        "provider_name": case.provider.name if case.provider_id else "",
        "status": in_ukrainian(Status(case.status).label),  # the messages are Ukrainian
        "due_date": due_date,
    }


def _staff_url(case: Case) -> str:
    try:
        path = reverse("cases:detail", args=[case.number])
    except NoReverseMatch:
        return ""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def _log_event(case: Case, now: datetime, action: str, data: dict) -> None:
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor_label=audit.SYSTEM.describe(),
        action=action,
        visible_to_applicant=False,
        data=data,
    )


def _center_heads(center_id: int, cache: dict) -> list:
    if center_id not in cache:
        from vikno.accounts.models import User

        cache[center_id] = list(
            User.objects.filter(role=Role.CENTER_HEAD, center_id=center_id, is_active=True)
            .exclude(email="")
            .order_by("pk")
        )
    return cache[center_id]


def _escalate(pk: int, now: datetime, report: SweepReport, heads_cache: dict) -> None:
    enqueue = notify_services.enqueue
    with transaction.atomic():
        case = (
            overdue(Case.objects.filter(pk=pk, escalated_at__isnull=True), now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("center", "current_office", "service_version", "provider")
            .first()
        )
        if case is None:
            return
        case.escalated_at = now
        case.save(update_fields=["escalated_at"])
        heads = _center_heads(case.center_id, heads_cache)
        sent = 0
        context = {**_case_context(case), "case_url": _staff_url(case)}
        for head in heads:
            enqueue(
                event="overdue_escalation",
                context={**context, "recipient_name": head.full_name()},
                email=head.email,
                email_allowed=True,
                case_id=case.pk,
                center_id=case.center_id,
                region_id=case.region_id,
                actor=audit.SYSTEM,
            )
            sent += 1
        data = {"due_at": case.due_at, "notified": [h.pk for h in heads] if sent else []}
        _log_event(case, now, "overdue_escalated", {"due_at": case.due_at.isoformat(), "notices": sent})
        audit.record(audit.SYSTEM, "cases.overdue_escalated", case, data=data)
    report.escalated += 1
    report.escalation_notices += sent


def _remind(pk: int, now: datetime, report: SweepReport) -> None:
    enqueue = notify_services.enqueue
    with transaction.atomic():
        case = (
            Case.objects.filter(uncollected_q(now), pk=pk, uncollected_reminded_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("applicant", "center", "current_office", "service_version", "provider")
            .first()
        )
        if case is None:
            return
        applicant = case.applicant
        enqueue(
            event="collect_reminder",
            context={
                **_case_context(case),
                "result_ready_at": f"{_local(case.result_ready_at):%d.%m.%Y}",
                "applicant_name": applicant.display_name,
                "is_refusal": case.status == Status.REFUSED,  # the decision waiting is a refusal
            },
            phone=applicant.phone,
            email=applicant.email,
            sms_allowed=applicant.sms_consent,
            email_allowed=applicant.email_consent,
            case_id=case.pk,
            center_id=case.center_id,
            region_id=case.region_id,
            actor=audit.SYSTEM,
        )
        case.uncollected_reminded_at = now
        case.save(update_fields=["uncollected_reminded_at"])
        _log_event(case, now, "collect_reminded", {"result_ready_at": case.result_ready_at.isoformat()})
        audit.record(audit.SYSTEM, "cases.collect_reminded", case, data={"result_ready_at": case.result_ready_at})
    report.reminded += 1
    report.reminder_notices += 1


def _guarded(report: SweepReport, step, pk: int, *args) -> None:
    """Run one case's step; a case the notification room refuses (bad data) is logged, left unmarked for
    the next run and does not stop the others. Database errors propagate, so the task is retried."""
    try:
        step(pk, *args)
    except DomainError as exc:
        report.failed += 1
        logger.error("Deadline sweep: case %s skipped: %s", pk, exc.message)


# A result or a refusal decision waiting at the center to be handed out.
WAITING_TO_BE_COLLECTED = (Status.RESULT_READY, Status.REFUSED)


def uncollected_cutoff(now: datetime) -> datetime:
    """Ready before this moment and still not handed out: uncollected (``UNCOLLECTED_REMINDER_DAYS``)."""
    return now - timedelta(days=settings.UNCOLLECTED_REMINDER_DAYS)


def uncollected_q(now: datetime) -> Q:
    """``is_uncollected`` as a condition, for lists, counts and the sweep."""
    return Q(status__in=WAITING_TO_BE_COLLECTED, result_ready_at__lte=uncollected_cutoff(now))


def is_uncollected(case: Case, now: datetime) -> bool:
    """Whether the case's result (or refusal) has waited at the center past the reminder's term."""
    return (
        case.status in WAITING_TO_BE_COLLECTED
        and case.result_ready_at is not None
        and case.result_ready_at <= uncollected_cutoff(now)
    )


def sweep(now: datetime | None = None) -> SweepReport:
    """The daily pass. Overdue running cases not yet escalated get ``escalated_at`` and an email to each
    head of their center who has an address (event ``overdue_escalation``). Cases whose result or refusal
    decision has waited at the center for ``UNCOLLECTED_REMINDER_DAYS`` days (``result_ready`` or ``refused``,
    ``WAITING_TO_BE_COLLECTED``) get one ``collect_reminder`` to the applicant, on the channels they agreed to;
    a refusal's reminder asks them to collect the decision, not a result. A decision that has waited
    ``UNCOLLECTED_REMINDER_WINDOW_DAYS`` more without a reminder (a backlog after an upgrade or a stopped
    sweep) gets none: a message about a months-old decision would only puzzle.

    Each case is handled in its own transaction under a row lock, and a flag set in that transaction
    marks it done, so a second run (or two workers at once) sends nothing twice. Until the notification
    room's ``enqueue`` refuses a message, that case is rolled back and tried again on the next run.
    """
    now = now or timezone.now()
    report = SweepReport()
    overdue_ids = list(
        overdue(Case.objects.filter(escalated_at__isnull=True), now).order_by().values_list("pk", flat=True)
    )
    heads_cache: dict = {}
    for pk in overdue_ids:
        _guarded(report, _escalate, pk, now, report, heads_cache)

    too_old = uncollected_cutoff(now) - timedelta(days=settings.UNCOLLECTED_REMINDER_WINDOW_DAYS)
    remind_ids = list(
        Case.objects.filter(
            uncollected_q(now), result_ready_at__gt=too_old, uncollected_reminded_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for pk in remind_ids:
        _guarded(report, _remind, pk, now, report)
    return report
