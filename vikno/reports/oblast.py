"""The oblast dashboard: every center of an oblast with its ТП and ВРМ, read from the daily roll-ups.

``oblast_dashboard(user, region_id, date_from, date_to)`` gives one line per center the user may see
(``visible_to``: an oblast monitor sees the oblast, a center head only their own center, a system
administrator any oblast) and a total line (named the oblast total only when every center of the oblast
is shown, else the total of the centers shown); ``center_drilldown(user, center_id, date_from, date_to)``
gives the center's line and one line per office (access point). The activity figures come from
``DailyRollup`` only (never from cases or tickets); the structure (offices, staff, approved lists) is read
as it is now, the list being the one in force on the last day of the period.

Figures of a line:

- access points: offices by kind (main office, ТП, ВРМ, mobile ЦНАП) and how many of them are active;
- staff: active staff accounts of the center by role (a center's administrators and head; for an office,
  the administrators assigned to it);
- approved list: services in the list in force on ``date_to`` (for an office: the services it offers) and
  coverage of ``BASIC_GROUPS``, the service groups the oblast expects every center to offer; a group is
  covered when the list has at least one service of it;
- cases registered (``cases_registered``) and services per 1,000 residents = cases registered × 1,000 /
  the hromada's population (``None`` when the population is unknown; the total line takes only the
  hromadas whose population is known, with their centers' cases);
- queue: visitors (``tickets``), average wait in minutes (``wait_seconds_sum`` / ``tickets_called``),
  service level in per cent (``tickets_within_target`` / (``tickets_called`` + ``tickets_abandoned``)),
  no-show share in per cent (``tickets_no_show`` / ``tickets_issued``);
- ratings: count, satisfied share in per cent (4–5 stars) and loyalty index, as in the center report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vikno.accounts.models import User
from vikno.catalog.models import OfficeService, ProviderService, ServiceList, ServiceListEntry, ServiceVersion
from vikno.core.errors import DomainError, NotFound
from vikno.core.scoping import Role, scope_of
from vikno.orgs.models import Center, Office, Provider, Region

from . import store
from .models import DailyRollup
from .services import _loyalty, _round, _share, check_period

READERS = (Role.CENTER_HEAD, Role.OBLAST_MONITOR, Role.SYSADMIN)

COUNCIL = "council"

# The basic service groups every center of the oblast is expected to offer: group → sphere codes
# (vikno/catalog spheres, ../shared/data/services/spheres.csv). «Council services» is not a sphere: a
# service belongs to it when the hromada council decides on it — its version in force on the period's last
# day names a local self-government body as the provider (``provider_level`` «local»), or a structural
# department of the center's own hromada council is registered as its provider (``ProviderService``).
BASIC_GROUPS: dict[str, tuple[str, ...]] = {
    "residence": ("RMP",),
    "civil_status": ("ACS",),
    "social": ("SOC", "PEN"),
    "business": ("BUS",),
    "property": ("NER",),
    "passports": ("PAS",),
    "land": ("ZEM",),
    COUNCIL: (),
}
GROUP_LABELS = {
    "residence": _("Residence registration"),
    "civil_status": _("Civil status registration"),
    "social": _("Social protection"),
    "business": _("Business registration"),
    "property": _("Property rights registration"),
    "passports": _("Passports and migration"),
    "land": _("Land relations"),
    COUNCIL: _("Council services"),
}
OFFICE_KINDS = [kind for kind, _label in Office.Kind.choices]
STAFF_ROLES = (Role.ADMINISTRATOR, Role.CENTER_HEAD)


@dataclass
class Line:
    """The figures of a center, an office or the whole oblast for the period."""

    name: str
    center_id: int | None = None
    office_id: int | None = None
    kind: str = ""
    is_active: bool = True
    population: int | None = None
    points: dict[str, int] = field(default_factory=dict)
    active_points: int = 0
    staff: dict[str, int] = field(default_factory=dict)
    list_size: int | None = None
    groups: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, Decimal] = field(default_factory=dict)
    per_1000_base: tuple[Decimal, int] | None = None  # the total line: (cases, population) counted
    report_url: str = ""
    drilldown_url: str = ""

    def m(self, key: str) -> Decimal:
        return self.metrics.get(key, Decimal(0))

    @property
    def access_points(self) -> int:
        return sum(self.points.values())

    @property
    def staff_total(self) -> int:
        return sum(self.staff.values())

    @property
    def groups_covered(self) -> int:
        return sum(1 for value in self.groups.values() if value)

    @property
    def groups_missing(self) -> list[str]:
        return [key for key in BASIC_GROUPS if not self.groups.get(key)]

    @property
    def cases(self) -> Decimal:
        return self.m("cases_registered")

    @property
    def per_1000(self) -> Decimal | None:
        cases, population = self.per_1000_base or (self.cases, self.population)
        return _round(cases * 1000 / population) if population else None

    @property
    def visitors(self) -> Decimal:
        return self.m("tickets")

    @property
    def average_wait_minutes(self) -> Decimal | None:
        called = self.m("tickets_called")
        return _round(self.m("wait_seconds_sum") / called / 60) if called else None

    @property
    def service_level(self) -> Decimal | None:
        return _share(self.m("tickets_within_target"), self.m("tickets_called") + self.m("tickets_abandoned"))

    @property
    def no_show_share(self) -> Decimal | None:
        return _share(self.m("tickets_no_show"), self.m("tickets_issued"))

    @property
    def ratings_count(self) -> Decimal:
        return self.m("ratings_count")

    @property
    def satisfied_share(self) -> Decimal | None:
        return _share(self.m("ratings_satisfied"), self.ratings_count)

    @property
    def loyalty_index(self) -> Decimal | None:
        return _loyalty(self.metrics)

    def as_dict(self) -> dict:
        return {
            "name": str(self.name),
            "center_id": self.center_id,
            "office_id": self.office_id,
            "kind": self.kind,
            "is_active": self.is_active,
            "access_points": {kind: self.points.get(kind, 0) for kind in OFFICE_KINDS},
            "access_points_total": self.access_points,
            "access_points_active": self.active_points,
            "staff": {role: self.staff.get(role, 0) for role in STAFF_ROLES},
            "staff_total": self.staff_total,
            "list_size": self.list_size,
            "groups": {key: self.groups.get(key, 0) for key in BASIC_GROUPS},
            "groups_covered": self.groups_covered,
            "groups_missing": self.groups_missing,
            "cases_registered": self.cases,
            "population": self.population,
            "per_1000": self.per_1000,
            "visitors": self.visitors,
            "average_wait_minutes": self.average_wait_minutes,
            "service_level": self.service_level,
            "no_show_share": self.no_show_share,
            "ratings_count": self.ratings_count,
            "satisfied_share": self.satisfied_share,
            "loyalty_index": self.loyalty_index,
            "report_url": self.report_url,
        }


@dataclass
class Dashboard:
    title: str
    date_from: dt.date
    date_to: dt.date
    lines: list[Line]
    total: Line
    region: Region | None = None
    center: Center | None = None

    @property
    def is_empty(self) -> bool:
        return not self.total.metrics

    @property
    def slug(self) -> str:
        return self.center.slug if self.center else f"oblast-{self.region.pk}"


def _metrics(rows, key: str) -> dict[int | None, dict[str, Decimal]]:
    out: dict[int | None, dict[str, Decimal]] = defaultdict(dict)
    for row in rows.values(key, "metric").annotate(total=Sum("value")):
        out[row[key]][row["metric"]] = row["total"]
    return out


def _sum(lines: list[Line]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        for metric, value in line.metrics.items():
            total[metric] += value
    return dict(total)


def _council_filter(on_date: dt.date, service_ref: str, hromada_ref: str) -> Q:
    local_version = ServiceVersion.objects.filter(
        service_id=OuterRef(service_ref), provider_level=ServiceVersion.ProviderLevel.LOCAL, valid_from__lte=on_date
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))
    council_provider = ProviderService.objects.filter(
        service_id=OuterRef(service_ref),
        provider__kind=Provider.Kind.COUNCIL_DEPARTMENT,
        provider__hromada_id=OuterRef(hromada_ref),
    )
    return Q(Exists(local_version)) | Q(Exists(council_provider))


def _group_counts(entries, owner: str, service: str, sphere: str, hromada: str, on_date: dt.date):
    """{owner id: {group: services of the group}} for rows of a list-like table."""
    sphere_group = {code: group for group, codes in BASIC_GROUPS.items() for code in codes}
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in entries.values(owner, sphere).annotate(n=Count("id")):
        group = sphere_group.get(row[sphere])
        if group:
            out[row[owner]][group] = out[row[owner]].get(group, 0) + row["n"]
    council = entries.filter(_council_filter(on_date, service, hromada)).values(owner).annotate(n=Count("id"))
    for row in council:
        out[row[owner]][COUNCIL] = row["n"]
    return out


def _report_url(center_id: int, date_from: dt.date, date_to: dt.date) -> str:
    query = urlencode({"center": center_id, "from": date_from.isoformat(), "to": date_to.isoformat()})
    return f"{reverse('reports-center')}?{query}"


def _drilldown_url(center_id: int, date_from: dt.date, date_to: dt.date) -> str:
    query = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat()})
    return f"{reverse('reports-oblast-center', args=[center_id])}?{query}"


def _check_reader(user) -> None:
    if getattr(user, "role", None) not in READERS:
        raise NotFound(gettext("Not found."))


def visible_regions(user):
    """The oblasts the user may open: all for a system administrator, else the one of their scope."""
    scope = scope_of(user)
    if scope.kind == "all":
        return Region.objects.all()
    if scope.kind == "region":
        return Region.objects.filter(pk=scope.id)
    if scope.kind == "center":
        return Region.objects.filter(centers__pk=scope.id)
    return Region.objects.none()


def default_region(user) -> Region | None:
    """The user's own oblast; for a system administrator the first oblast (by name) that has centers."""
    return visible_regions(user).filter(centers__isnull=False).distinct().order_by("name").first()


def _region(user, region_id) -> Region:
    if region_id in (None, ""):
        region = default_region(user)
        if region is None:
            raise NotFound(gettext("Oblast not found."), field="region")
        return region
    try:
        region_id = int(region_id)
    except (TypeError, ValueError):
        raise DomainError(gettext("Choose an oblast."), code="region_invalid", field="region") from None
    region = visible_regions(user).filter(pk=region_id).first()
    if region is None:
        raise NotFound(gettext("Oblast not found."), field="region")
    return region


def _center_lines(centers: list[Center], date_from: dt.date, date_to: dt.date) -> list[Line]:
    ids = [c.pk for c in centers]
    lines = {
        c.pk: Line(
            name=c.name,
            center_id=c.pk,
            is_active=c.is_active,
            population=c.hromada.population,
            report_url=_report_url(c.pk, date_from, date_to),
            drilldown_url=_drilldown_url(c.pk, date_from, date_to),
        )
        for c in centers
    }
    for row in (
        Office.objects.filter(center_id__in=ids).values("center_id", "kind", "is_active").annotate(n=Count("id"))
    ):
        line = lines[row["center_id"]]
        line.points[row["kind"]] = line.points.get(row["kind"], 0) + row["n"]
        line.active_points += row["n"] if row["is_active"] else 0
    staff = User.objects.filter(center_id__in=ids, is_active=True, role__in=STAFF_ROLES)
    for row in staff.values("center_id", "role").annotate(n=Count("id")):
        lines[row["center_id"]].staff[row["role"]] = row["n"]

    in_force = (
        ServiceList.objects.filter(center_id__in=ids, valid_from__lte=date_to)
        .order_by("center_id", "-valid_from")
        .distinct("center_id")
        .values_list("pk", flat=True)
    )
    entries = ServiceListEntry.objects.filter(service_list_id__in=list(in_force))
    for row in entries.values("service_list__center_id").annotate(n=Count("id")):
        lines[row["service_list__center_id"]].list_size = row["n"]
    groups = _group_counts(
        entries,
        "service_list__center_id",
        "service_id",
        "service__sphere__code",
        "service_list__center__hromada_id",
        date_to,
    )
    # Whole months from MonthlyRollup, edge days from DailyRollup (store.totals): an oblast year is
    # ~70 × 12 rows per metric instead of a row per center, office, sphere, day and metric.
    metrics = store.totals(date_from, date_to, centers=ids, by="center") if ids else {}
    for center_id, line in lines.items():
        line.groups = groups.get(center_id, {})
        line.metrics = metrics.get(center_id, {})
    return list(lines.values())


def _total(lines: list[Line], name: str) -> Line:
    total = Line(name=name)
    for line in lines:
        for kind, n in line.points.items():
            total.points[kind] = total.points.get(kind, 0) + n
        total.active_points += line.active_points
        for role, n in line.staff.items():
            total.staff[role] = total.staff.get(role, 0) + n
        for group, n in line.groups.items():
            total.groups[group] = total.groups.get(group, 0) + (1 if n else 0)  # centers covering it
    total.metrics = _sum(lines)
    return total


def oblast_dashboard(user, region_id, date_from: dt.date | None, date_to: dt.date | None) -> Dashboard:
    """Every center of the oblast the user may see, with the oblast total (see the module docstring)."""
    _check_reader(user)
    check_period(date_from, date_to)
    region = _region(user, region_id)
    centers = list(Center.objects.visible_to(user).filter(region=region).select_related("hromada").order_by("name"))
    lines = _center_lines(centers, date_from, date_to)
    # A center head sees only their center: the total is then of the centers shown, not the oblast's.
    whole = len(centers) == Center.objects.filter(region=region).count()
    total = _total(lines, _("Oblast total") if whole else _("Total of the centers shown"))  # lazy: page or file
    # Per 1,000 residents over the hromadas whose population is known, with all their centers' cases.
    hromadas = {c.hromada_id: c.hromada.population for c in centers if c.hromada.population}
    cases = sum((line.cases for line, c in zip(lines, centers, strict=True) if c.hromada_id in hromadas), Decimal(0))
    total.population = sum(hromadas.values()) or None
    total.per_1000_base = (cases, total.population or 0)
    total.list_size = None
    return Dashboard(region.name, date_from, date_to, lines, total, region=region)


def center_drilldown(user, center_id, date_from: dt.date | None, date_to: dt.date | None) -> Dashboard:
    """One center: its own line as the total and a line per office (access point)."""
    _check_reader(user)
    check_period(date_from, date_to)
    try:
        center_id = int(center_id)
    except (TypeError, ValueError):
        raise DomainError(gettext("Choose a center."), code="center_missing", field="center") from None
    center = Center.objects.visible_to(user).select_related("hromada", "region").filter(pk=center_id).first()
    if center is None:
        raise NotFound(gettext("Center not found."), field="center")
    (center_line,) = _center_lines([center], date_from, date_to)

    offices = list(Office.objects.filter(center=center).order_by("kind", "name"))
    order = {kind: i for i, kind in enumerate(OFFICE_KINDS)}
    offices.sort(key=lambda o: (order.get(o.kind, len(order)), o.name))
    lines = {
        o.pk: Line(
            name=o.name,
            center_id=center.pk,
            office_id=o.pk,
            kind=o.kind,
            is_active=o.is_active,
            points={o.kind: 1},
            active_points=int(o.is_active),
        )
        for o in offices
    }
    assigned = User.offices.through.objects.filter(
        office__center=center, user__is_active=True, user__role__in=STAFF_ROLES
    )
    for row in assigned.values("office_id", "user__role").annotate(n=Count("user_id")):
        lines[row["office_id"]].staff[row["user__role"]] = row["n"]
    offered = OfficeService.objects.filter(center=center)
    for row in offered.values("office_id").annotate(n=Count("id")):
        lines[row["office_id"]].list_size = row["n"]
    groups = _group_counts(offered, "office_id", "service_id", "service__sphere__code", "center__hromada_id", date_to)
    rows = DailyRollup.objects.filter(center=center, day__gte=date_from, day__lte=date_to)
    metrics = _metrics(rows.exclude(office_id=None), "office_id")
    for office_id, line in lines.items():
        line.groups = groups.get(office_id, {})
        line.metrics = metrics.get(office_id, {})
    return Dashboard(center.name, date_from, date_to, list(lines.values()), center_line, center=center)
