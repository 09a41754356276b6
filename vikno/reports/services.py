"""The quarterly center report, read from the daily roll-ups (never from the cases themselves).

``center_report(user, center_id, date_from, date_to)`` returns every figure for the period and for the
same period a year before, with the change in per cent (``None`` when the earlier figure is zero).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from vikno.catalog.models import Sphere
from vikno.catalog.services import service_counts_by_year
from vikno.core.errors import DomainError, NotFound
from vikno.orgs.models import Center
from vikno.payments.models import Payment

from .models import DailyRollup

MAX_DAYS = 366 * 5
TOP_SPHERES = 10


@dataclass
class Figure:
    key: str
    label: str  # lazy where translatable: the page shows the reader's language, the exports Ukrainian
    current: Decimal | None
    previous: Decimal | None
    unit: str = ""

    @property
    def change(self) -> Decimal | None:
        return change_percent(self.current, self.previous)

    @property
    def texts(self) -> tuple[str, str, str]:
        """Period, a year before and change, as printed (whole numbers without «.00», «—» for none)."""
        return as_text(self.current), as_text(self.previous), as_text(self.change)


def as_text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value)


@dataclass
class CenterReport:
    center: Center
    date_from: dt.date
    date_to: dt.date
    prev_from: dt.date
    prev_to: dt.date
    figures: list[Figure] = field(default_factory=list)
    spheres: list[Figure] = field(default_factory=list)
    payments: list[Figure] = field(default_factory=list)
    services_by_year: list[tuple[int, int, Decimal | None]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(f.current or f.previous for f in [*self.figures, *self.spheres, *self.payments])

    def figure(self, key: str) -> Figure:
        return next(f for f in [*self.figures, *self.payments] if f.key == key)


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def change_percent(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or not previous:
        return None
    return _round((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous))


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return _round(part * 100 / whole) if whole else None


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def check_period(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is None:
        raise DomainError(_("Enter the start of the period."), code="period_missing", field="date_from")
    if date_to is None:
        raise DomainError(_("Enter the end of the period."), code="period_missing", field="date_to")
    if date_from > date_to:
        raise DomainError(
            _("The start of the period is after its end: check the dates."), code="period_inverted", field="date_to"
        )
    if (date_to - date_from).days > MAX_DAYS:
        raise DomainError(
            _("The period is too long: no more than five years."), code="period_too_long", field="date_to"
        )


def visible_center(user, center_id) -> Center:
    try:
        center_id = int(center_id)
    except (TypeError, ValueError):
        raise DomainError(_("Choose a center."), code="center_missing", field="center") from None
    center = Center.objects.visible_to(user).filter(pk=center_id).first()
    if center is None:
        raise NotFound(_("Center not found."), field="center")
    return center


def _totals(center_id: int, date_from: dt.date, date_to: dt.date) -> tuple[dict, dict]:
    rows = DailyRollup.objects.filter(center_id=center_id, day__gte=date_from, day__lte=date_to)
    totals = {r["metric"]: r["total"] for r in rows.values("metric").annotate(total=Sum("value"))}
    spheres = {
        r["sphere_code"]: r["total"]
        for r in rows.filter(metric="cases_registered").values("sphere_code").annotate(total=Sum("value"))
    }
    return totals, spheres


def _per_day(total: Decimal, days: Decimal) -> Decimal | None:
    return _round(total / days) if days else None


def _loyalty(t: dict) -> Decimal | None:
    answered = t.get("ratings_recommend", Decimal(0))
    if not answered:
        return None
    return _round((t.get("ratings_promoters", 0) - t.get("ratings_detractors", 0)) * Decimal(100) / answered)


def _figures(t: dict) -> list[tuple[str, Promise, Decimal | None, str]]:
    def g(key):
        return t.get(key, Decimal(0))

    registered = g("cases_registered")
    ratings = g("ratings_count")
    return [
        ("consultations", gettext_lazy("Consultations given"), g("consultations"), ""),
        ("cases_registered", gettext_lazy("Applications registered"), registered, ""),
        ("results_issued", gettext_lazy("Results issued"), g("results_issued"), ""),
        ("instant", gettext_lazy("Services provided on the spot"), g("instant"), ""),
        ("refused", pgettext_lazy("report figure", "Refusals"), g("refused"), ""),
        ("refused_share", gettext_lazy("Refusals, % of applications"), _share(g("refused"), registered), "%"),
        (
            "withdrawn",
            pgettext_lazy("report figure", "Withdrawn or left without consideration"),
            g("withdrawn") + g("dismissed"),
            "",
        ),
        (
            "withdrawn_share",
            gettext_lazy("Withdrawn or left without consideration, % of applications"),
            _share(g("withdrawn") + g("dismissed"), registered),
            "%",
        ),
        ("visitors", pgettext_lazy("report figure", "Visitors"), g("tickets"), ""),
        # Days on which the center had a visitor or registered a case (the roll-up's ``working_days``), not
        # the calendar's working days: centers open on Saturdays and close on blackout days, and the average
        # below is meant per day the center really received people.
        ("working_days", gettext_lazy("Days with intake"), g("working_days"), ""),
        (
            "visitors_per_day",
            gettext_lazy("Visitors per day with intake on average"),
            _per_day(g("tickets"), g("working_days")),
            "",
        ),
        ("paid_cases", gettext_lazy("Paid services"), g("paid_cases"), ""),
        ("revenue_total", gettext_lazy("Revenue, UAH"), g("revenue_local") + g("revenue_state"), "грн"),
        ("revenue_local", gettext_lazy("to the local budget, UAH"), g("revenue_local"), "грн"),
        ("revenue_state", gettext_lazy("to the state budget, UAH"), g("revenue_state"), "грн"),
        ("mobile_visits", gettext_lazy("Trips of the mobile center"), g("mobile_visits"), ""),
        ("mobile_cases", gettext_lazy("Applications through the mobile center"), g("mobile_cases"), ""),
        ("ratings_count", pgettext_lazy("report figure", "Visitor ratings"), ratings, ""),
        ("satisfied_share", gettext_lazy("Satisfied (4–5 stars), %"), _share(g("ratings_satisfied"), ratings), "%"),
        ("loyalty_index", gettext_lazy("Loyalty index (NPS)"), _loyalty(t), ""),
    ]


def _in_reader_language(name_uk: str, name_en: str) -> str:
    return name_en if name_en and get_language() == "en" else name_uk


# A sphere's name resolved when shown, like the figure names: the page's language, Ukrainian in exports.
_sphere_label = lazy(_in_reader_language, str)


def center_report(user, center_id, date_from: dt.date | None, date_to: dt.date | None) -> CenterReport:
    check_period(date_from, date_to)
    center = visible_center(user, center_id)
    prev_from, prev_to = year_before(date_from), year_before(date_to)
    now, now_spheres = _totals(center.pk, date_from, date_to)
    then, then_spheres = _totals(center.pk, prev_from, prev_to)
    report = CenterReport(center, date_from, date_to, prev_from, prev_to)

    previous = {key: value for key, _label, value, _unit in _figures(then)}
    for key, label, value, unit in _figures(now):
        report.figures.append(Figure(key, label, value, previous[key], unit))

    names = {code: _sphere_label(uk, en) for code, uk, en in Sphere.objects.values_list("code", "name_uk", "name_en")}
    ranked = sorted(now_spheres.items(), key=lambda item: (-item[1], item[0]))[:TOP_SPHERES]
    for code, value in ranked:
        label = names.get(code, code or gettext_lazy("No sphere"))
        report.spheres.append(Figure(f"sphere_{code}", label, value, then_spheres.get(code, Decimal(0))))

    for method in Payment.Method:
        label = method.label  # lazy, like the other figure names
        report.payments.append(
            Figure(
                f"payments_{method}",
                label,
                now.get(f"payments_{method}", Decimal(0)),
                then.get(f"payments_{method}", Decimal(0)),
            )
        )
        report.payments.append(
            Figure(
                f"amount_{method}",
                format_lazy("{}, {}", label, gettext_lazy("UAH")),
                now.get(f"amount_{method}", Decimal(0)),
                then.get(f"amount_{method}", Decimal(0)),
                "грн",
            )
        )

    counts = service_counts_by_year(center)
    for year in sorted(counts):
        before = counts.get(year - 1)
        report.services_by_year.append((year, counts[year], change_percent(Decimal(counts[year]), before)))
    return report
