"""Organisation network operations (owner: orgs). Contract:

- ``create_center(*, hromada, name, slug, actor, **fields) -> Center``
- ``update_center(center, *, actor, **fields) -> Center``
- ``create_office(*, center, kind, name, actor, **fields) -> Office``
- ``update_office(office, *, actor, **fields) -> Office``
- ``set_weekly_hours(office, hours: dict[int, list[tuple[time, time]]], *, actor)``
- ``add_schedule_exception(office, *, date, kind, opens=None, closes=None, note="", actor)``
- ``remove_schedule_exception(exception, *, actor)``
- ``create_provider(*, name, edrpou, kind, region, actor, **fields) -> Provider``
- ``opening_hours(office, on_date) -> list[tuple[time, time]]`` (exceptions applied)
All validate and raise ``vikno.core.errors.DomainError`` with a message naming the field, in the
reader's language (Ukrainian in the API).

Who may act: an actor without a user but with a label (``audit.SYSTEM``, an import or the demo
loader) is a system job and may do everything. A staff user must see the object through
``visible_to`` (otherwise ``NotFound``, so nothing leaks), and then have a role that may change it
(otherwise ``PermissionDenied``): centers, offices and weekly hours — the system administrator and
the center's head; schedule exceptions — also the center's administrators; providers — the system
administrator and the oblast monitor of the provider's region.
"""

from __future__ import annotations

import re
from datetime import date as date_type
from datetime import time
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ua import edrpou as edrpou_number

from vikno.core import audit
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.scoping import Role

from .models import Center, Hromada, Office, Provider, Region, ScheduleException, Settlement, WeeklyHours

DAY_NAMES = ["Понеділок", "Вівторок", "Середа", "Четвер", "Пʼятниця", "Субота", "Неділя"]  # audit data and the API
DAY_LABELS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]  # in messages, in the reader's language
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

CENTER_MANAGERS = {Role.SYSADMIN, Role.CENTER_HEAD}
SCHEDULE_EDITORS = {Role.SYSADMIN, Role.CENTER_HEAD, Role.ADMINISTRATOR}
PROVIDER_MANAGERS = {Role.SYSADMIN, Role.OBLAST_MONITOR}

CENTER_FIELDS = ("name", "short_name", "edrpou", "address", "phone", "email", "website", "is_active")
OFFICE_FIELDS = ("name", "kind", "settlement", "address", "phone", "email", "latitude", "longitude", "is_active")
PROVIDER_FIELDS = ("short_name", "hromada", "address", "phone", "email", "website", "is_active")


# --- permissions -------------------------------------------------------------------------------


def _staff_user(actor):
    """The acting user, or ``None`` for a system job. An anonymous actor is refused."""
    user = getattr(actor, "user", None)
    if user is None:
        if actor is not None and getattr(actor, "label", ""):
            return None
        raise NotFound(_("Not found."))
    return user


def _require_center(actor, center: Center, roles: set[str]) -> None:
    user = _staff_user(actor)
    if user is None:
        return
    if not Center.objects.visible_to(user).filter(pk=center.pk).exists():
        raise NotFound(_("Center not found."))
    if user.role not in roles:
        raise PermissionDenied(
            _("Not enough rights: the center's data may be changed by its head or a system administrator.")
        )


def _require_region_for_provider(actor, region: Region) -> None:
    user = _staff_user(actor)
    if user is None:
        return
    if user.role not in PROVIDER_MANAGERS:
        raise PermissionDenied(
            _("Not enough rights: providers may be added by a system administrator or the oblast monitoring.")
        )
    if not Region.objects.visible_to(user).filter(pk=region.pk).exists():
        raise NotFound(_("Oblast not found."), field="region")


# --- field checks ------------------------------------------------------------------------------


def _text(value, field: str, *, max_length: int, required: str = "") -> str:
    """The stripped text; ``required`` is the message to refuse an empty one with."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(required, code="required", field=field)
    if len(value) > max_length:
        message = ngettext(
            "The field «%(field)s» is too long: at most %(limit)s character.",
            "The field «%(field)s» is too long: at most %(limit)s characters.",
            max_length,
        )
        raise DomainError(message % {"field": field, "limit": max_length}, code="too_long", field=field)
    return value


def _email(value) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise DomainError(
                _("The email address «%(value)s» is invalid.") % {"value": value}, code="invalid_email", field="email"
            )
    return value


def _website(value) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise DomainError(
                _("The website address «%(value)s» is invalid: give the full address with https://.")
                % {"value": value},
                code="invalid_url",
                field="website",
            )
    return value


def validate_edrpou(value, *, required: bool = True) -> str:
    """Return the 8-digit ЄДРПОУ code or raise a DomainError explaining what is wrong with it."""
    value = (value or "").strip()
    if not value:
        if required:
            raise DomainError(_("Enter the EDRPOU code (8 digits)."), code="required", field="edrpou")
        return ""
    try:
        return edrpou_number.validate(value)
    except InvalidChecksum:
        raise DomainError(
            _("The EDRPOU code «%(code)s» is invalid: the check digit does not match. Check the code.")
            % {"code": value},
            code="invalid_edrpou",
            field="edrpou",
        )
    except StdnumError:
        raise DomainError(
            _("The EDRPOU code «%(code)s» is invalid: it must consist of 8 digits.") % {"code": value},
            code="invalid_edrpou",
            field="edrpou",
        )


def _coordinate(value, field: str, limit: int):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise DomainError(
            _("The coordinate «%(field)s» must be a number.") % {"field": field},
            code="invalid_coordinate",
            field=field,
        )
    if not -limit <= number <= limit:
        raise DomainError(
            _("The coordinate «%(field)s» is outside ±%(limit)s.") % {"field": field, "limit": limit},
            code="invalid_coordinate",
            field=field,
        )
    return number


def _unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    extra = sorted(set(fields) - set(allowed))
    if extra:
        raise DomainError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(extra)}, code="unknown_field", field=extra[0]
        )


def _clean_center(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key == "name":
            out[key] = _text(value, "name", max_length=300, required=_("Enter the name of the center."))
        elif key == "short_name":
            out[key] = _text(value, "short_name", max_length=120)
        elif key == "edrpou":
            out[key] = validate_edrpou(value, required=False)
        elif key == "address":
            out[key] = _text(value, "address", max_length=400)
        elif key == "phone":
            out[key] = _text(value, "phone", max_length=40)
        elif key == "email":
            out[key] = _email(value)
        elif key == "website":
            out[key] = _website(value)
        elif key == "is_active":
            out[key] = bool(value)
    return out


def _clean_office(center: Center, values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key == "name":
            out[key] = _text(value, "name", max_length=300, required=_("Enter the name of the office."))
        elif key == "kind":
            if value not in Office.Kind.values:
                raise DomainError(
                    _(
                        "Unknown kind of office: choose the main office, a branch office (ТП), a remote workplace "
                        "(ВРМ) or a mobile center."
                    ),
                    code="invalid_kind",
                    field="kind",
                )
            out[key] = value
        elif key == "settlement":
            if value is not None:
                if not isinstance(value, Settlement):
                    raise DomainError(_("Settlement not found."), code="unknown_settlement", field="settlement")
                if value.hromada_id != center.hromada_id:
                    raise DomainError(
                        _("The settlement «%(name)s» does not belong to the hromada of this center.")
                        % {"name": value.name},
                        code="settlement_outside_hromada",
                        field="settlement",
                    )
            out[key] = value
        elif key in ("address", "phone"):
            out[key] = _text(value, key, max_length=400 if key == "address" else 40)
        elif key == "email":
            out[key] = _email(value)
        elif key == "latitude":
            out[key] = _coordinate(value, key, 90)
        elif key == "longitude":
            out[key] = _coordinate(value, key, 180)
        elif key == "is_active":
            out[key] = bool(value)
    return out


def _snapshot(obj, fields) -> dict:
    return {f: str(getattr(obj, f)) if getattr(obj, f) is not None else None for f in fields}


# --- centers and offices -----------------------------------------------------------------------


def create_center(*, hromada: Hromada, name: str, slug: str, actor, **fields) -> Center:
    """Create a center of ``hromada``. Only the system administrator (or a system job) may."""
    _unknown(fields, CENTER_FIELDS)
    user = _staff_user(actor)
    if user is not None and user.role != Role.SYSADMIN:
        raise PermissionDenied(_("Not enough rights: only a system administrator may create centers."))
    if not isinstance(hromada, Hromada):
        raise DomainError(_("Hromada not found."), code="unknown_hromada", field="hromada")
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or len(slug) > 80:
        raise DomainError(
            _("The identifier (slug) may contain only lowercase Latin letters, digits and hyphens."),
            code="invalid_slug",
            field="slug",
        )
    values = _clean_center({"name": name, **fields})
    with transaction.atomic():
        if Center.objects.filter(slug=slug).exists():
            raise Conflict(_("A center with the identifier «%(slug)s» already exists.") % {"slug": slug}, field="slug")
        center = Center.objects.create(hromada=hromada, slug=slug, **values)
        audit.record(
            actor, "orgs.center_created", center, center_id=center.pk, data={"slug": slug, "hromada": hromada.katottg}
        )
    return center


def update_center(center: Center, *, actor, **fields) -> Center:
    _unknown(fields, CENTER_FIELDS)
    _require_center(actor, center, CENTER_MANAGERS)
    values = _clean_center(fields)
    with transaction.atomic():
        center = Center.objects.select_for_update().get(pk=center.pk)
        before = _snapshot(center, values)
        for key, value in values.items():
            setattr(center, key, value)
        changed = audit.changes(before, _snapshot(center, values))
        if changed:
            center.save()
            audit.record(actor, "orgs.center_updated", center, center_id=center.pk, data=changed)
    return center


def create_office(*, center: Center, kind: str, name: str, actor, **fields) -> Office:
    _unknown(fields, OFFICE_FIELDS)
    _require_center(actor, center, CENTER_MANAGERS)
    values = _clean_office(center, {"kind": kind, "name": name, **fields})
    with transaction.atomic():
        Center.objects.select_for_update().filter(pk=center.pk).first()
        if values["kind"] == Office.Kind.MAIN and center.offices.filter(kind=Office.Kind.MAIN).exists():
            raise Conflict(_("This center already has a main office; choose another kind of office."), field="kind")
        office = Office.objects.create(center=center, **values)
        audit.record(actor, "orgs.office_created", office, data={"kind": office.kind, "name": office.name})
    return office


def update_office(office: Office, *, actor, **fields) -> Office:
    _unknown(fields, OFFICE_FIELDS)
    _require_center(actor, office.center, CENTER_MANAGERS)
    values = _clean_office(office.center, fields)
    with transaction.atomic():
        office = Office.objects.select_for_update().get(pk=office.pk)
        if (
            values.get("kind") == Office.Kind.MAIN
            and office.center.offices.filter(kind=Office.Kind.MAIN).exclude(pk=office.pk).exists()
        ):
            raise Conflict(_("This center already has a main office; choose another kind of office."), field="kind")
        before = _snapshot(office, values)
        for key, value in values.items():
            setattr(office, key, value)
        changed = audit.changes(before, _snapshot(office, values))
        if changed:
            office.save()
            audit.record(actor, "orgs.office_updated", office, data=changed)
    return office


# --- schedules ---------------------------------------------------------------------------------


def _fmt(value: time) -> str:
    return value.strftime("%H:%M")


def _check_interval(opens, closes, *, where: str, field: str = "") -> None:
    prefix = f"{field}." if field else ""
    if not isinstance(opens, time):
        raise DomainError(
            _("%(where)s: enter the opening time.") % {"where": where}, code="required", field=f"{prefix}opens"
        )
    if not isinstance(closes, time):
        raise DomainError(
            _("%(where)s: enter the closing time.") % {"where": where}, code="required", field=f"{prefix}closes"
        )
    if closes <= opens:
        raise DomainError(
            _("%(where)s: the closing time (%(closes)s) must be later than the opening time (%(opens)s).")
            % {"where": where, "closes": _fmt(closes), "opens": _fmt(opens)},
            code="closes_before_opens",
            field=f"{prefix}closes",
        )


def validate_weekly_hours(hours: dict) -> dict[int, list[tuple[time, time]]]:
    """Check a week: weekdays 0–6, each interval closes after it opens, intervals of a day do not
    overlap. Errors name the day and the field ``hours.<weekday>.<index>.<opens|closes>``."""
    clean: dict[int, list[tuple[time, time]]] = {}
    for weekday, intervals in hours.items():
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise DomainError(
                _("Unknown day of the week: %(weekday)s.") % {"weekday": weekday}, code="invalid_weekday", field="hours"
            )
        day = str(DAY_LABELS[weekday])
        indexed = []
        for index, interval in enumerate(intervals or []):
            try:
                opens, closes = interval
            except (TypeError, ValueError):
                raise DomainError(
                    _("%(day)s: an interval must consist of an opening and a closing time.") % {"day": day},
                    field="hours",
                )
            _check_interval(opens, closes, where=day, field=f"hours.{weekday}.{index}")
            indexed.append((opens, closes, index))
        indexed.sort()
        for (_o1, c1, _i1), (o2, c2, i2) in pairwise(indexed):
            if o2 < c1:
                raise DomainError(
                    _("%(day)s: the intervals overlap (%(interval)s starts before %(time)s).")
                    % {"day": day, "interval": f"{_fmt(o2)}–{_fmt(c2)}", "time": _fmt(c1)},
                    code="intervals_overlap",
                    field=f"hours.{weekday}.{i2}.opens",
                )
        if indexed:
            clean[weekday] = [(o, c) for o, c, _index in indexed]
    return clean


def set_weekly_hours(office: Office, hours: dict[int, list[tuple[time, time]]], *, actor) -> None:
    """Replace the office's whole week. Days missing from ``hours`` (or with no intervals) are closed."""
    _require_center(actor, office.center, CENTER_MANAGERS)
    clean = validate_weekly_hours(hours)
    with transaction.atomic():
        Office.objects.select_for_update().filter(pk=office.pk).first()
        before = weekly_hours(office)
        if before == clean:
            return
        office.weekly_hours.all().delete()
        WeeklyHours.objects.bulk_create(
            WeeklyHours(office=office, weekday=d, opens=o, closes=c)
            for d, intervals in clean.items()
            for o, c in intervals
        )
        audit.record(
            actor,
            "orgs.weekly_hours_set",
            office,
            data={"before": _week_text(before), "after": _week_text(clean)},
        )


def weekly_hours(office: Office) -> dict[int, list[tuple[time, time]]]:
    week: dict[int, list[tuple[time, time]]] = {}
    for row in office.weekly_hours.order_by("weekday", "opens"):
        week.setdefault(row.weekday, []).append((row.opens, row.closes))
    return week


def _week_text(week: dict) -> dict:
    return {DAY_NAMES[d]: [f"{_fmt(o)}–{_fmt(c)}" for o, c in intervals] for d, intervals in sorted(week.items())}


def add_schedule_exception(
    office: Office, *, date, kind: str, opens=None, closes=None, note: str = "", actor
) -> ScheduleException:
    """Record a closure, a shortened day or special hours on ``date``; one exception per day."""
    _require_center(actor, office.center, SCHEDULE_EDITORS)
    if not isinstance(date, date_type):
        raise DomainError(_("Enter the date."), code="required", field="date")
    if kind not in ScheduleException.Kind.values:
        raise DomainError(
            _("Unknown kind of exception: choose «closed», «shortened day» or «special hours»."),
            code="invalid_kind",
            field="kind",
        )
    if kind == ScheduleException.Kind.CLOSED:
        opens = closes = None
    else:
        _check_interval(opens, closes, where=f"{date:%d.%m.%Y}")
    note = _text(note, "note", max_length=300)
    with transaction.atomic():
        Office.objects.select_for_update().filter(pk=office.pk).first()
        if office.schedule_exceptions.filter(date=date).exists():
            raise Conflict(
                _("There is already an exception for this office on %(date)s; delete it first.")
                % {"date": f"{date:%d.%m.%Y}"},
                code="exception_exists",
                field="date",
            )
        exception = ScheduleException.objects.create(
            office=office, date=date, kind=kind, opens=opens, closes=closes, note=note
        )
        audit.record(
            actor,
            "orgs.schedule_exception_added",
            office,
            data={"date": date, "kind": kind, "opens": opens, "closes": closes, "note": note},
        )
    return exception


def remove_schedule_exception(exception: ScheduleException, *, actor) -> None:
    office = exception.office
    _require_center(actor, office.center, SCHEDULE_EDITORS)
    with transaction.atomic():
        data = {"date": exception.date, "kind": exception.kind}
        exception.delete()
        audit.record(actor, "orgs.schedule_exception_removed", office, data=data)


def opening_hours(office: Office, on_date) -> list[tuple[time, time]]:
    """The intervals the office is open on ``on_date``: an exception of that day wins over the week."""
    exception = office.schedule_exceptions.filter(date=on_date).first()
    if exception is not None:
        if exception.kind == ScheduleException.Kind.CLOSED:
            return []
        return [(exception.opens, exception.closes)]
    return [(r.opens, r.closes) for r in office.weekly_hours.filter(weekday=on_date.weekday()).order_by("opens")]


# --- providers ---------------------------------------------------------------------------------


def create_provider(*, name: str, edrpou: str, kind: str, region: Region, actor, **fields) -> Provider:
    """Register a СНАП. The ЄДРПОУ code is checked with its control digit (python-stdnum)."""
    _unknown(fields, PROVIDER_FIELDS)
    if not isinstance(region, Region):
        raise DomainError(_("Oblast not found."), code="unknown_region", field="region")
    _require_region_for_provider(actor, region)
    name = _text(name, "name", max_length=400, required=_("Enter the name of the provider."))
    code = validate_edrpou(edrpou)
    if kind not in Provider.Kind.values:
        raise DomainError(_("Unknown kind of provider."), code="invalid_kind", field="kind")
    values = {}
    for key, value in fields.items():
        if key == "hromada":
            if value is not None and (not isinstance(value, Hromada) or value.region_id != region.pk):
                raise DomainError(
                    _("The hromada does not belong to the chosen oblast."),
                    code="hromada_outside_region",
                    field="hromada",
                )
            values[key] = value
        elif key == "short_name":
            values[key] = _text(value, key, max_length=120)
        elif key == "address":
            values[key] = _text(value, key, max_length=400)
        elif key == "phone":
            values[key] = _text(value, key, max_length=40)
        elif key == "email":
            values[key] = _email(value)
        elif key == "website":
            values[key] = _website(value)
        elif key == "is_active":
            values[key] = bool(value)
    with transaction.atomic():
        if Provider.objects.filter(edrpou=code, name=name).exists():
            raise Conflict(
                _("The provider «%(name)s» with the EDRPOU code %(code)s is already registered.")
                % {"name": name, "code": code},
                field="edrpou",
            )
        provider = Provider.objects.create(name=name, edrpou=code, kind=kind, region=region, **values)
        audit.record(
            actor, "orgs.provider_created", provider, provider_id=provider.pk, data={"edrpou": code, "kind": kind}
        )
    return provider


# --- look-ups by code --------------------------------------------------------------------------

KATOTTG_RE = re.compile(r"^UA\d{17}$")


def _katottg(model, code, *, field: str, unknown: str):
    """``unknown``: the message (with ``%(code)s``) for a well-formed code not in the table."""
    code = (code or "").strip()
    if not KATOTTG_RE.match(code):
        raise DomainError(
            _("Invalid KATOTTG code «%(code)s»: it looks like UA and 17 digits.") % {"code": code},
            code="invalid_katottg",
            field=field,
        )
    obj = model.objects.filter(katottg=code).first()
    if obj is None:
        raise DomainError(unknown % {"code": code}, code="unknown_katottg", field=field)
    return obj


def region_by_katottg(code, *, field: str = "region") -> Region:
    return _katottg(Region, code, field=field, unknown=_("Unknown KATOTTG code «%(code)s»: oblast not found."))


def hromada_by_katottg(code, *, field: str = "hromada") -> Hromada:
    return _katottg(Hromada, code, field=field, unknown=_("Unknown KATOTTG code «%(code)s»: hromada not found."))


def settlement_by_katottg(code, *, field: str = "settlement") -> Settlement:
    return _katottg(Settlement, code, field=field, unknown=_("Unknown KATOTTG code «%(code)s»: settlement not found."))
