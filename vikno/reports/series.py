"""Time series and the by-sphere breakdown of a center's figures, read from the daily roll-ups only.

``center_series(center, date_from, date_to)`` sums the roll-ups per month (per day for a period of at
most ``DAILY_MAX_DAYS`` days, or when asked). The first and the last month are cut to the period, so
the values of all buckets add up to the figures of the center report. ``by_sphere`` gives the
applications registered and the results issued per sphere, with the sphere names from the catalog.
``user_series`` checks the period and the user's scope exactly as the center report does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from vikno.catalog.models import Sphere
from vikno.core.errors import DomainError
from vikno.orgs.models import Center

from .models import DailyRollup
from .services import check_period, visible_center

DAILY_MAX_DAYS = 31
DAY_LIMIT = 93  # the most days a daily series may have when asked for explicitly
GRANULARITIES = ("auto", "month", "day")

# The series: key, label (translated; the Ukrainian one for the PDF) and the roll-up metrics summed into it,
# as in the center report's figures.
SERIES = (
    ("cases_registered", _("Applications registered"), "Зареєстровано заяв", ("cases_registered",)),
    ("results_issued", _("Results issued"), "Видано результатів", ("results_issued",)),
    ("refused", _("Refusals"), "Відмов", ("refused",)),
    ("withdrawn", _("Withdrawn or left without consideration"), "Анульовано / відкликано", ("withdrawn", "dismissed")),
    ("consultations", _("Consultations"), "Надано консультацій", ("consultations",)),
    ("visitors", _("Visitors"), "Відвідувачів", ("tickets",)),
    (
        "revenue_local",
        _("Revenue to the local budget, UAH"),
        "Надходження до місцевого бюджету, грн",
        ("revenue_local",),
    ),
    (
        "revenue_state",
        _("Revenue to the state budget, UAH"),
        "Надходження до державного бюджету, грн",
        ("revenue_state",),
    ),
    ("ratings_count", _("Visitor ratings"), "Оцінок відвідувачів", ("ratings_count",)),
)
CHART_KEYS = ("cases_registered", "results_issued", "consultations", "visitors")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    granularity: str

    @property
    def label(self) -> str:
        """Language-neutral: «01.2026» for a month, «12.01» for a day."""
        return f"{self.start:%m.%Y}" if self.granularity == "month" else f"{self.start:%d.%m}"

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}" if self.granularity == "month" else self.start.isoformat()


@dataclass
class Series:
    key: str
    label: str
    values: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.values, Decimal(0))


@dataclass
class SphereRow:
    code: str
    name: str
    registered: Decimal
    issued: Decimal


@dataclass
class CenterSeries:
    center: Center
    date_from: dt.date
    date_to: dt.date
    granularity: str
    periods: list[Period] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    spheres: list[SphereRow] = field(default_factory=list)

    def get(self, key: str) -> Series:
        return next(s for s in self.series if s.key == key)

    @property
    def chart_series(self) -> list[Series]:
        return [self.get(key) for key in CHART_KEYS]

    @property
    def is_empty(self) -> bool:
        return not any(any(s.values) for s in self.series) and not self.spheres

    def rows(self, keys=CHART_KEYS) -> list[tuple[Period, list[Decimal]]]:
        """One row per period with the values of ``keys``: the table that goes with a chart."""
        chosen = [self.get(key) for key in keys]
        return [(period, [s.values[i] for s in chosen]) for i, period in enumerate(self.periods)]


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def periods(date_from: dt.date, date_to: dt.date, granularity: str) -> list[Period]:
    out = []
    if granularity == "day":
        day = date_from
        while day <= date_to:
            out.append(Period(day, day, "day"))
            day += dt.timedelta(days=1)
        return out
    month = _month_start(date_from)
    while month <= date_to:
        following = _next_month(month)
        out.append(Period(max(month, date_from), min(following - dt.timedelta(days=1), date_to), "month"))
        month = following
    return out


def choose_granularity(date_from: dt.date, date_to: dt.date, asked: str | None = "auto") -> str:
    asked = asked or "auto"
    if asked not in GRANULARITIES:
        raise DomainError(
            gettext("Unknown granularity: choose month or day."), code="granularity_invalid", field="granularity"
        )
    days = (date_to - date_from).days + 1
    if asked == "day" and days > DAY_LIMIT:
        raise DomainError(
            gettext("A daily series covers at most %(days)s days; for a longer period choose the monthly one.")
            % {"days": DAY_LIMIT},
            code="period_too_long",
            field="granularity",
        )
    if asked == "auto":
        return "day" if days <= DAILY_MAX_DAYS else "month"
    return asked


def _english() -> bool:
    return (get_language() or "uk").startswith("en")


def sphere_names(*, english: bool | None = None) -> dict[str, str]:
    english = _english() if english is None else english
    return {
        code: (name_en if english and name_en else name_uk)
        for code, name_uk, name_en in Sphere.objects.values_list("code", "name_uk", "name_en")
    }


def by_sphere(center: Center, date_from: dt.date, date_to: dt.date, *, english: bool | None = None) -> list[SphereRow]:
    """Applications registered and results issued per sphere, most applications first."""
    rows = (
        DailyRollup.objects.filter(
            center_id=center.pk, day__gte=date_from, day__lte=date_to, metric__in=("cases_registered", "results_issued")
        )
        .values("sphere_code", "metric")
        .annotate(total=Sum("value"))
    )
    totals: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        totals.setdefault(row["sphere_code"], {})[row["metric"]] = row["total"]
    english = _english() if english is None else english
    names = sphere_names(english=english)
    no_sphere = "No sphere" if english else "Без сфери"
    out = [
        SphereRow(
            code,
            names.get(code, code) if code else no_sphere,
            values.get("cases_registered", Decimal(0)),
            values.get("results_issued", Decimal(0)),
        )
        for code, values in totals.items()
    ]
    return sorted(out, key=lambda r: (-r.registered, -r.issued, r.name))


def center_series(
    center: Center,
    date_from: dt.date,
    date_to: dt.date,
    granularity: str | None = "auto",
    *,
    ukrainian: bool = False,
) -> CenterSeries:
    """Every series of the center for the period (no scope check: the caller has done it). The labels
    and sphere names follow the active language; ``ukrainian`` gives the Ukrainian ones (for the PDF)."""
    check_period(date_from, date_to)
    granularity = choose_granularity(date_from, date_to, granularity)
    result = CenterSeries(center, date_from, date_to, granularity, periods(date_from, date_to, granularity))
    metrics = sorted({m for *_, parts in SERIES for m in parts})
    rows = DailyRollup.objects.filter(center_id=center.pk, day__gte=date_from, day__lte=date_to, metric__in=metrics)
    rows = rows.annotate(bucket=TruncMonth("day") if granularity == "month" else F("day"))
    sums: dict[tuple[dt.date, str], Decimal] = {}
    for row in rows.values("bucket", "metric").annotate(total=Sum("value")):
        bucket = row["bucket"]
        if isinstance(bucket, dt.datetime):
            bucket = bucket.date()
        sums[(bucket, row["metric"])] = row["total"]
    starts = [_month_start(p.start) if granularity == "month" else p.start for p in result.periods]
    for key, label, label_uk, parts in SERIES:
        values = [sum((sums.get((start, m), Decimal(0)) for m in parts), Decimal(0)) for start in starts]
        result.series.append(Series(key, label_uk if ukrainian else str(label), values))
    result.spheres = by_sphere(center, date_from, date_to, english=False if ukrainian else None)
    return result


def user_series(user, center_id, date_from, date_to, granularity: str | None = "auto") -> CenterSeries:
    """The series of a center in the user's scope: the same checks and errors as the center report."""
    check_period(date_from, date_to)
    center = visible_center(user, center_id)
    return center_series(center, date_from, date_to, granularity)
