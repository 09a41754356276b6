"""Open data: the centers and their monthly statistics, anonymous aggregates only, for anyone to reuse.

Two data sets, each as JSON (a ``metadata`` block and the ``data`` rows) and as CSV (UTF-8 with a BOM,
one header row, the same fields in the same order):

- ``centers``: every active center with its hromada, КАТОТТГ codes, address and the number of active
  offices of each kind. Institutions only: no staff, no applicants.
- ``statistics``: per active center and calendar month, the center report's counts and sums, read from
  the daily roll-ups. Only totals leave the system: no case, person, office or day. A month in which a
  center had no activity at all has no row. Filters: ``region`` (the oblast's КАТОТТГ code), ``from`` and
  ``to`` (months, ``YYYY-MM``, inclusive).

The metadata describes every field (name, title, type, unit) like a data.gov.ua passport; the licence is
CC BY 4.0.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vikno.core.errors import DomainError
from vikno.orgs.models import Center, Office, Region

from .models import DailyRollup

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "id": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
UPDATE_FREQUENCY = "daily"
MAX_AGE = 3600  # seconds the files may be cached
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
KATOTTG = re.compile(r"^UA\d{17}$")


@dataclass(frozen=True)
class Field:
    name: str
    title: object  # a lazy translation
    type: str  # string | integer | number
    unit: str = ""
    metrics: tuple[str, ...] = ()  # the roll-up metrics summed into a statistics field


OFFICE_KINDS = tuple(Office.Kind.values)

CENTER_FIELDS = (
    Field("id", _("Identifier of the center in the system"), "integer"),
    Field("name", _("Name of the center"), "string"),
    Field("short_name", _("Short name"), "string"),
    Field("edrpou", _("EDRPOU code of the center"), "string"),
    Field("region", _("Oblast"), "string"),
    Field("region_katottg", _("KATOTTG code of the oblast"), "string"),
    Field("hromada", _("Hromada"), "string"),
    Field("hromada_katottg", _("KATOTTG code of the hromada"), "string"),
    Field("address", _("Address"), "string"),
    Field("website", _("Website"), "string"),
    Field("offices_main", _("Main offices"), "integer", _("offices")),
    Field("offices_branch", _("Territorial subdivisions"), "integer", _("offices")),
    Field("offices_remote", _("Remote workplaces"), "integer", _("offices")),
    Field("offices_mobile", _("Mobile centers"), "integer", _("offices")),
)

STATISTICS_FIELDS = (
    Field("center_id", _("Identifier of the center (see the centers data set)"), "integer"),
    Field("center_name", _("Name of the center"), "string"),
    Field("region_katottg", _("KATOTTG code of the oblast"), "string"),
    Field("hromada_katottg", _("KATOTTG code of the hromada"), "string"),
    Field("month", _("Month (YYYY-MM)"), "string"),
    Field("applications_registered", _("Applications registered"), "integer", _("applications"), ("cases_registered",)),
    Field("results_issued", _("Results issued"), "integer", _("results"), ("results_issued",)),
    Field(
        "refusals",
        _("Refusals (of the applications registered in the month)"),
        "integer",
        _("applications"),
        ("refused",),
    ),
    Field(
        "withdrawn",
        _("Withdrawn or left without consideration (of the applications registered in the month)"),
        "integer",
        _("applications"),
        ("withdrawn", "dismissed"),
    ),
    Field("consultations", _("Consultations given"), "integer", _("consultations"), ("consultations",)),
    Field("visitors", _("Visitors (queue tickets, not cancelled)"), "integer", _("persons"), ("tickets",)),
    Field("revenue_local", _("Fees paid to local budgets"), "number", _("UAH"), ("revenue_local",)),
    Field("revenue_state", _("Fees paid to the state budget"), "number", _("UAH"), ("revenue_state",)),
    Field("ratings", _("Visitor ratings"), "integer", _("ratings"), ("ratings_count",)),
    Field("ratings_satisfied", _("Ratings of 4 or 5 stars"), "integer", _("ratings"), ("ratings_satisfied",)),
    Field(
        "ratings_recommend",
        _("Ratings that answered «would you recommend» (0–10)"),
        "integer",
        _("ratings"),
        ("ratings_recommend",),
    ),
    Field("ratings_promoters", _("Of them, 9 or 10"), "integer", _("ratings"), ("ratings_promoters",)),
    Field("ratings_detractors", _("Of them, 0 to 6"), "integer", _("ratings"), ("ratings_detractors",)),
)

DATASETS = {
    "centers": {
        "title": _("Administrative service centers"),
        "description": _(
            "Every active administrative service center (ЦНАП) in the system: its hromada, the KATOTTG codes, "
            "its address and how many offices of each kind it has."
        ),
        "fields": CENTER_FIELDS,
    },
    "statistics": {
        "title": _("Monthly statistics of administrative service centers"),
        "description": _(
            "Per center and calendar month: applications registered, results issued, refusals, withdrawn "
            "applications, consultations, visitors, fees paid to local and state budgets and visitor "
            "ratings. Anonymous totals only; a month without any activity of a center has no row."
        ),
        "fields": STATISTICS_FIELDS,
    },
}


@dataclass(frozen=True)
class Filters:
    region: Region | None = None
    month_from: dt.date | None = None
    month_to: dt.date | None = None

    def as_dict(self) -> dict:
        return {
            "region": self.region.katottg if self.region else None,
            "from": f"{self.month_from:%Y-%m}" if self.month_from else None,
            "to": f"{self.month_to:%Y-%m}" if self.month_to else None,
        }


def _month(value: str, name: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    match = MONTH.match(value)
    month = int(match.group(2)) if match else 0
    if not match or not 1 <= month <= 12:
        raise DomainError(
            gettext("The parameter «%(name)s» must be a month written as YYYY-MM, for example 2026-01.")
            % {"name": name},
            code="month_invalid",
            field=name,
        )
    return dt.date(int(match.group(1)), month, 1)


def parse_filters(params) -> Filters:
    """``region``, ``from`` and ``to`` from the query string; a bad value is a DomainError (400)."""
    region = None
    code = (params.get("region") or "").strip()
    if code:
        if not KATOTTG.match(code):
            raise DomainError(
                gettext(
                    "The parameter «region» must be the KATOTTG code of an oblast, for example UA05000000000010236."
                ),
                code="region_invalid",
                field="region",
            )
        region = Region.objects.filter(katottg=code).first()
        if region is None:
            raise DomainError(
                gettext("There is no oblast with the code %(code)s.") % {"code": code},
                code="region_unknown",
                field="region",
            )
    month_from, month_to = _month(params.get("from"), "from"), _month(params.get("to"), "to")
    if month_from and month_to and month_from > month_to:
        raise DomainError(
            gettext("The month «from» is later than the month «to»: check them."), code="period_inverted", field="to"
        )
    return Filters(region, month_from, month_to)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# --- the data sets ---------------------------------------------------------------------------


def _active_centers():
    return Center.objects.filter(is_active=True).select_related("region", "hromada").order_by("pk")


def centers() -> list[dict]:
    counts = {kind: Count("offices", filter=Q(offices__is_active=True, offices__kind=kind)) for kind in OFFICE_KINDS}
    rows = []
    for center in _active_centers().annotate(**{f"n_{kind}": value for kind, value in counts.items()}):
        row = {
            "id": center.pk,
            "name": center.name,
            "short_name": center.short_name,
            "edrpou": center.edrpou,
            "region": center.region.name,
            "region_katottg": center.region.katottg,
            "hromada": center.hromada.name,
            "hromada_katottg": center.hromada.katottg,
            "address": center.address,
            "website": center.website,
        }
        row.update({f"offices_{kind}": getattr(center, f"n_{kind}") for kind in OFFICE_KINDS})
        rows.append(row)
    return rows


def statistics(filters: Filters) -> list[dict]:
    wanted = {metric for f in STATISTICS_FIELDS for metric in f.metrics}
    active = _active_centers()
    if filters.region:
        active = active.filter(region=filters.region)
    info = {c.pk: c for c in active}
    rows = DailyRollup.objects.filter(center_id__in=list(info), metric__in=sorted(wanted))
    if filters.region:
        rows = rows.filter(region=filters.region)
    if filters.month_from:
        rows = rows.filter(day__gte=filters.month_from)
    if filters.month_to:
        rows = rows.filter(day__lt=_next_month(filters.month_to))
    totals: dict[tuple[int, dt.date], dict[str, Decimal]] = {}
    grouped = rows.annotate(month=TruncMonth("day")).values("center_id", "month", "metric").annotate(total=Sum("value"))
    for row in grouped:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        totals.setdefault((row["center_id"], month), {})[row["metric"]] = row["total"]
    out = []
    for (center_id, month), values in sorted(totals.items()):
        center = info[center_id]
        record = {
            "center_id": center_id,
            "center_name": center.name,
            "region_katottg": center.region.katottg,
            "hromada_katottg": center.hromada.katottg,
            "month": f"{month:%Y-%m}",
        }
        for f in STATISTICS_FIELDS[5:]:
            total = sum((values.get(m, Decimal(0)) for m in f.metrics), Decimal(0))
            record[f.name] = int(total) if f.type == "integer" else total.quantize(Decimal("0.01"))
        out.append(record)
    return out


# --- files -----------------------------------------------------------------------------------


def metadata(name: str, *, count: int, filters: Filters | None = None, url: str = "") -> dict:
    dataset = DATASETS[name]
    meta = {
        "identifier": f"vikno-{name}",
        "title": str(dataset["title"]),
        "description": str(dataset["description"]),
        "publisher": str(_("Vikno, the information system of administrative service centers")),
        "licence": LICENCE,
        "update_frequency": UPDATE_FREQUENCY,
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "language": "uk",
        "format_version": 1,
        "fields": [
            {"name": f.name, "title": str(f.title), "type": f.type, **({"unit": str(f.unit)} if f.unit else {})}
            for f in dataset["fields"]
        ],
        "records": count,
    }
    if url:
        meta["url"] = url
    if filters is not None:
        meta["filters"] = filters.as_dict()
    return meta


def _number(value):
    if isinstance(value, Decimal):
        return float(value)  # money: a JSON number, e.g. 120.5
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(name: str, rows: list[dict], *, filters: Filters | None = None, url: str = "") -> bytes:
    document = {"metadata": metadata(name, count=len(rows), filters=filters, url=url), "data": rows}
    return json.dumps(document, ensure_ascii=False, default=_number, indent=1).encode("utf-8")


def to_csv(name: str, rows: list[dict]) -> bytes:
    """UTF-8 with a BOM (so that spreadsheet programs read Cyrillic right), a header row always."""
    names = [f.name for f in DATASETS[name]["fields"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row[n] is None else row[n] for n in names])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
