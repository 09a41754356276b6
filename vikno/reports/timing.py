"""Service timing: how long each service takes, read from the timing roll-up (never by scanning cases).

``service_timing(user, center_id, date_from, date_to)`` gives per service the cases decided in the period,
the median and the 90th percentile of the processing time and the share decided on time, plus the totals
of the center. The rules (which cases count, on which day, what "on time" means) and the duration buckets
the percentiles are read from are in the docstring of ``vikno/reports/models.py``.

Two live lists read the cases themselves, each with an index-friendly predicate, scoped and paged:

- ``overdue_cases(user, center_id)``: cases whose legal term is running and already past (the staff
  deadline lists' rule, ``vikno.cases.deadlines.overdue``), most overdue first;
- ``late_cases(user, center_id, date_from, date_to)``: cases decided in the period after their deadline,
  latest first.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from vikno.cases import deadlines
from vikno.cases.models import Case, Status
from vikno.catalog.models import Service
from vikno.core.errors import DomainError, NotFound
from vikno.core.scoping import Role
from vikno.orgs.models import Center

from .models import ServiceTimingRollup, bucket_upper
from .rollup import day_bounds
from .services import check_period, visible_center

TIMING_READERS = (Role.ADMINISTRATOR, Role.CENTER_HEAD, Role.OBLAST_MONITOR, Role.SYSADMIN)
DECIDED_STATUSES = (Status.RESULT_READY, Status.ISSUED, Status.REFUSED, Status.REFUSAL_ISSUED)
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class Quantile:
    """A percentile as the bucket it falls in: "decided within ``hours_to`` hours" (open bucket: ``None``)."""

    hours_from: int
    hours_to: int | None

    @property
    def text(self) -> str:
        if self.hours_to is None:
            return _("≥ %(days)s d") % {"days": self.hours_from // 24}
        if self.hours_to <= 24:
            return _("≤ %(hours)s h") % {"hours": self.hours_to}
        return _("≤ %(days)s d") % {"days": self.hours_to // 24}


def percentile(histogram: dict[int, int], share: int) -> Quantile | None:
    """The nearest-rank ``share``-th percentile of a histogram {hours_from: count}; ``None`` when empty."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(share * total / 100))
    seen = 0
    for hours_from in sorted(histogram):
        seen += histogram[hours_from]
        if seen >= rank:
            return Quantile(hours_from, bucket_upper(hours_from))
    raise AssertionError("unreachable: the ranks add up to the total")


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ServiceTiming:
    service_id: int | None  # None for the totals
    code: str
    name: str
    histogram: dict[int, int] = field(default_factory=dict)
    decided: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.decided - self.on_time

    @property
    def median(self) -> Quantile | None:
        return percentile(self.histogram, 50)

    @property
    def p90(self) -> Quantile | None:
        return percentile(self.histogram, 90)

    @property
    def on_time_share(self) -> Decimal | None:
        """Per cent of the decided cases decided on time, one decimal; ``None`` with no cases."""
        return _share(self.on_time, self.decided)

    def add(self, hours_from: int, decided: int, on_time: int) -> None:
        self.histogram[hours_from] = self.histogram.get(hours_from, 0) + decided
        self.decided += decided
        self.on_time += on_time


@dataclass
class TimingReport:
    center: Center
    date_from: dt.date
    date_to: dt.date
    services: list[ServiceTiming] = field(default_factory=list)
    total: ServiceTiming = field(default_factory=lambda: ServiceTiming(None, "", ""))

    @property
    def is_empty(self) -> bool:
        return not self.total.decided


def _reader(user) -> None:
    if getattr(user, "role", None) not in TIMING_READERS:
        raise NotFound(_("Not found."))


def service_timing(user, center_id, date_from: dt.date | None, date_to: dt.date | None) -> TimingReport:
    """The timing figures of a center in its user's scope for the period (both ends included)."""
    _reader(user)
    check_period(date_from, date_to)
    center = visible_center(user, center_id)
    rows = (
        ServiceTimingRollup.objects.visible_to(user)
        .filter(center_id=center.pk, day__gte=date_from, day__lte=date_to)
        .values("service_id", "hours_from")
        .annotate(decided=Sum("decided"), on_time=Sum("on_time"))
        .order_by()
    )
    report = TimingReport(center, date_from, date_to)
    per_service: dict[int, ServiceTiming] = {}
    for row in rows:
        item = per_service.get(row["service_id"])
        if item is None:
            item = per_service[row["service_id"]] = ServiceTiming(row["service_id"], "", "")
        item.add(row["hours_from"], row["decided"], row["on_time"])
        report.total.add(row["hours_from"], row["decided"], row["on_time"])
    for service in Service.objects.filter(pk__in=per_service).only("pk", "code", "name_uk", "name_en"):
        per_service[service.pk].code, per_service[service.pk].name = service.code, service.shown_name
    report.services = sorted(per_service.values(), key=lambda s: (-s.decided, s.code))
    return report


# --- the live lists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    number: str
    service_code: str
    service_name: str
    status: str
    status_label: str
    filed_at: dt.datetime
    due_at: dt.datetime
    decided_at: dt.datetime | None
    late_by: dt.timedelta

    @property
    def late_days(self) -> int:
        """Whole days past the deadline (0 when less than a day)."""
        return self.late_by.days

    @property
    def late_text(self) -> str:
        if self.late_by >= dt.timedelta(days=1):
            return _("%(days)s d") % {"days": self.late_by.days}
        return _("%(hours)s h") % {"hours": max(1, math.ceil(self.late_by.total_seconds() / 3600))}


@dataclass
class CasePage:
    items: list[CaseRow]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.items)
        return following if following < self.total else None


def check_page(limit, offset) -> tuple[int, int]:
    try:
        limit = DEFAULT_LIMIT if limit in (None, "") else int(limit)
        offset = 0 if offset in (None, "") else int(offset)
    except (TypeError, ValueError):
        raise DomainError(_("The page size and offset must be whole numbers."), code="bad_page") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(
            _("The page size must be between 1 and %(max)s.") % {"max": MAX_LIMIT}, code="bad_page", field="limit"
        )
    if offset < 0:
        raise DomainError(_("The offset cannot be negative."), code="bad_page", field="offset")
    return limit, offset


def _page(queryset, limit, offset, *, now: dt.datetime | None) -> CasePage:
    limit, offset = check_page(limit, offset)
    labels = dict(Status.choices)
    rows = []
    for case in queryset.select_related("service")[offset : offset + limit]:
        decided = getattr(case, "decided_at", None)
        rows.append(
            CaseRow(
                number=case.number,
                service_code=case.service.code,
                service_name=case.service.shown_name,
                status=case.status,
                status_label=labels.get(case.status, case.status),
                filed_at=case.filed_at,
                due_at=case.due_at,
                decided_at=decided,
                late_by=(decided or now) - case.due_at,
            )
        )
    total = queryset.count() if rows or offset else 0
    return CasePage(rows, total, limit, offset)


def every_case(fetch) -> CasePage:
    """All the rows of a live list as one page, for the exports: ``fetch(limit=, offset=)`` is called
    ``MAX_LIMIT`` rows at a time (with ``overdue_cases``, pass one ``now`` so the pages agree)."""
    items: list[CaseRow] = []
    offset = 0
    while True:
        page = fetch(limit=MAX_LIMIT, offset=offset)
        items.extend(page.items)
        if page.next_offset is None:
            return CasePage(items, page.total, max(len(items), 1), 0)
        offset = page.next_offset


def overdue_cases(user, center_id, *, now: dt.datetime | None = None, limit=None, offset=None) -> CasePage:
    """Open cases of the center whose running legal term has passed, most overdue first."""
    _reader(user)
    center = visible_center(user, center_id)
    now = now or timezone.now()
    cases = Case.objects.visible_to(user).filter(center_id=center.pk)
    # (center, status, due_at) index: status IN the running ones, due_at < now.
    queryset = deadlines.overdue(cases, now).order_by("due_at", "pk")
    return _page(queryset, limit, offset, now=now)


def late_cases(
    user, center_id, date_from: dt.date | None, date_to: dt.date | None, *, limit=None, offset=None
) -> CasePage:
    """Cases of the center decided in the period after their deadline, the latest first."""
    _reader(user)
    check_period(date_from, date_to)
    center = visible_center(user, center_id)
    start, _end = day_bounds(date_from)
    _start, end = day_bounds(date_to)
    # (center, status, due_at) index: decided statuses with a deadline before the period's end (a case
    # decided late in the period had its deadline before it was decided).
    queryset = (
        Case.objects.visible_to(user)
        .filter(center_id=center.pk, status__in=DECIDED_STATUSES, due_at__lt=end)
        .annotate(decided_at=Coalesce("result_ready_at", "closed_at"))
        .filter(decided_at__gte=start, decided_at__lt=end, decided_at__gt=F("due_at"))
        .order_by(F("due_at") - F("decided_at"), "pk")
    )
    return _page(queryset, limit, offset, now=None)
