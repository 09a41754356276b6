"""The national dashboard: every region (oblast) in one table, read from the monthly roll-ups.

``national_dashboard(user, date_from, date_to)`` gives per region the centers and access points,
applications, results, refusals, visitors, revenue, ratings and services per 1,000 residents, plus a
country total. A system administrator sees every region; an oblast monitor sees their own region only
(the same one-predicate scope as everywhere: ``Region.objects.visible_to(user)``); other roles get an
empty dashboard. Cost: ``store.totals`` grouped by region — whole months from ``MonthlyRollup``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from vikno.orgs.models import Center, Hromada, Office, Region

from . import store
from .services import _loyalty, _share, check_period

METRICS = (
    "cases_registered",
    "results_issued",
    "refused",
    "withdrawn",
    "dismissed",
    "consultations",
    "tickets",
    "revenue_local",
    "revenue_state",
    "ratings_count",
    "ratings_satisfied",
    "ratings_recommend",
    "ratings_promoters",
    "ratings_detractors",
)


@dataclass
class RegionRow:
    region_id: int | None
    name: str
    centers: int = 0
    access_points: int = 0
    population: int = 0
    figures: dict[str, Decimal] = field(default_factory=dict)

    def get(self, metric: str) -> Decimal:
        return self.figures.get(metric, Decimal(0))

    @property
    def refused_share(self) -> Decimal | None:
        return _share(self.get("refused"), self.get("cases_registered"))

    @property
    def revenue(self) -> Decimal:
        return self.get("revenue_local") + self.get("revenue_state")

    @property
    def satisfied_share(self) -> Decimal | None:
        return _share(self.get("ratings_satisfied"), self.get("ratings_count"))

    @property
    def loyalty_index(self) -> Decimal | None:
        return _loyalty(self.figures)

    @property
    def per_1000(self) -> Decimal | None:
        if not self.population:
            return None
        return (self.get("cases_registered") * 1000 / self.population).quantize(Decimal("0.1"))


@dataclass
class NationalDashboard:
    date_from: dt.date
    date_to: dt.date
    rows: list[RegionRow]
    total: RegionRow


def national_dashboard(user, date_from: dt.date | None, date_to: dt.date | None) -> NationalDashboard:
    check_period(date_from, date_to)
    regions = list(Region.objects.visible_to(user).order_by("name").values_list("pk", "name"))
    ids = [pk for pk, _ in regions]
    centers = dict(
        Center.objects.filter(region_id__in=ids, is_active=True)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    points = dict(
        Office.objects.filter(center__region_id__in=ids, is_active=True, center__is_active=True)
        .values_list("center__region_id")
        .annotate(n=Count("id"))
        .values_list("center__region_id", "n")
    )
    population = dict(
        Hromada.objects.filter(region_id__in=ids, pk__in=Center.objects.filter(is_active=True).values("hromada_id"))
        .values_list("region_id")
        .annotate(n=Sum("population"))
        .values_list("region_id", "n")
    )
    if len(ids) == 1:
        sums = store.totals(date_from, date_to, region_id=ids[0], by="region", metrics=METRICS)
    elif ids:
        sums = store.totals(date_from, date_to, by="region", metrics=METRICS)
    else:
        sums = {}
    rows = [
        RegionRow(
            pk,
            name,
            centers=centers.get(pk, 0),
            access_points=points.get(pk, 0),
            population=population.get(pk) or 0,
            figures=sums.get(pk, {}),
        )
        for pk, name in regions
    ]
    total = RegionRow(None, "Україна" if len(rows) > 1 else (rows[0].name if rows else ""))
    for row in rows:
        total.centers += row.centers
        total.access_points += row.access_points
        total.population += row.population
        for metric, value in row.figures.items():
            total.figures[metric] = total.figures.get(metric, Decimal(0)) + value
    return NationalDashboard(date_from, date_to, rows, total)
