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
All validate and raise ``vikno.core.errors.DomainError`` with a Ukrainian message naming the field.

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
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ua import edrpou as edrpou_number

from vikno.core import audit
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.scoping import Role

from .models import Center, Hromada, Office, Provider, Region, ScheduleException, Settlement, WeeklyHours

DAY_NAMES = ["Понеділок", "Вівторок", "Середа", "Четвер", "Пʼятниця", "Субота", "Неділя"]
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
        raise NotFound("Не знайдено.")
    return user


def _require_center(actor, center: Center, roles: set[str]) -> None:
    user = _staff_user(actor)
    if user is None:
        return
    if not Center.objects.visible_to(user).filter(pk=center.pk).exists():
        raise NotFound("ЦНАП не знайдено.")
    if user.role not in roles:
        raise PermissionDenied("Недостатньо прав: змінювати дані ЦНАП може його керівник або системний адміністратор.")


def _require_region_for_provider(actor, region: Region) -> None:
    user = _staff_user(actor)
    if user is None:
        return
    if user.role not in PROVIDER_MANAGERS:
        raise PermissionDenied("Недостатньо прав: додавати СНАП може системний адміністратор або моніторинг області.")
    if not Region.objects.visible_to(user).filter(pk=region.pk).exists():
        raise NotFound("Область не знайдено.", field="region")


# --- field checks ------------------------------------------------------------------------------


def _text(value, field: str, label: str, *, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Вкажіть {label}.", code="required", field=field)
    if len(value) > max_length:
        raise DomainError(f"Поле «{field}» задовге: не більше {max_length} символів.", code="too_long", field=field)
    return value


def _email(value) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise DomainError(f"Адреса електронної пошти «{value}» некоректна.", code="invalid_email", field="email")
    return value


def _website(value) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise DomainError(
                f"Адреса сайту «{value}» некоректна: вкажіть повну адресу з https://.",
                code="invalid_url",
                field="website",
            )
    return value


def validate_edrpou(value, *, required: bool = True) -> str:
    """Return the 8-digit ЄДРПОУ code or raise a DomainError explaining what is wrong with it."""
    value = (value or "").strip()
    if not value:
        if required:
            raise DomainError("Вкажіть код ЄДРПОУ (8 цифр).", code="required", field="edrpou")
        return ""
    try:
        return edrpou_number.validate(value)
    except InvalidChecksum:
        raise DomainError(
            f"Код ЄДРПОУ «{value}» недійсний: контрольна цифра не збігається. Перевірте код.",
            code="invalid_edrpou",
            field="edrpou",
        )
    except StdnumError:
        raise DomainError(
            f"Код ЄДРПОУ «{value}» недійсний: він має складатися з 8 цифр.", code="invalid_edrpou", field="edrpou"
        )


def _coordinate(value, field: str, limit: int):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise DomainError(f"Координата «{field}» має бути числом.", code="invalid_coordinate", field=field)
    if not -limit <= number <= limit:
        raise DomainError(f"Координата «{field}» поза межами ±{limit}.", code="invalid_coordinate", field=field)
    return number


def _unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    extra = sorted(set(fields) - set(allowed))
    if extra:
        raise DomainError(f"Невідомі поля: {', '.join(extra)}.", code="unknown_field", field=extra[0])


def _clean_center(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key == "name":
            out[key] = _text(value, "name", "назву ЦНАП", max_length=300, required=True)
        elif key == "short_name":
            out[key] = _text(value, "short_name", "коротку назву", max_length=120)
        elif key == "edrpou":
            out[key] = validate_edrpou(value, required=False)
        elif key == "address":
            out[key] = _text(value, "address", "адресу", max_length=400)
        elif key == "phone":
            out[key] = _text(value, "phone", "телефон", max_length=40)
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
            out[key] = _text(value, "name", "назву офісу", max_length=300, required=True)
        elif key == "kind":
            if value not in Office.Kind.values:
                raise DomainError(
                    "Невідомий вид офісу: оберіть головний офіс, ТП, ВРМ або мобільний ЦНАП.",
                    code="invalid_kind",
                    field="kind",
                )
            out[key] = value
        elif key == "settlement":
            if value is not None:
                if not isinstance(value, Settlement):
                    raise DomainError("Населений пункт не знайдено.", code="unknown_settlement", field="settlement")
                if value.hromada_id != center.hromada_id:
                    raise DomainError(
                        f"Населений пункт «{value.name}» не належить до громади цього ЦНАП.",
                        code="settlement_outside_hromada",
                        field="settlement",
                    )
            out[key] = value
        elif key in ("address", "phone"):
            out[key] = _text(
                value, key, "адресу" if key == "address" else "телефон", max_length=400 if key == "address" else 40
            )
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
        raise PermissionDenied("Недостатньо прав: створювати ЦНАП може лише системний адміністратор.")
    if not isinstance(hromada, Hromada):
        raise DomainError("Громаду не знайдено.", code="unknown_hromada", field="hromada")
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or len(slug) > 80:
        raise DomainError(
            "Ідентифікатор (slug) може містити лише малі латинські літери, цифри й дефіси.",
            code="invalid_slug",
            field="slug",
        )
    values = _clean_center({"name": name, **fields})
    with transaction.atomic():
        if Center.objects.filter(slug=slug).exists():
            raise Conflict(f"ЦНАП з ідентифікатором «{slug}» уже існує.", field="slug")
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
            raise Conflict("Головний офіс у цього ЦНАП уже є; оберіть інший вид офісу.", field="kind")
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
            raise Conflict("Головний офіс у цього ЦНАП уже є; оберіть інший вид офісу.", field="kind")
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
        raise DomainError(f"{where}: вкажіть час відкриття.", code="required", field=f"{prefix}opens")
    if not isinstance(closes, time):
        raise DomainError(f"{where}: вкажіть час закриття.", code="required", field=f"{prefix}closes")
    if closes <= opens:
        raise DomainError(
            f"{where}: час закриття ({_fmt(closes)}) має бути пізніше за час відкриття ({_fmt(opens)}).",
            code="closes_before_opens",
            field=f"{prefix}closes",
        )


def validate_weekly_hours(hours: dict) -> dict[int, list[tuple[time, time]]]:
    """Check a week: weekdays 0–6, each interval closes after it opens, intervals of a day do not
    overlap. Errors name the day and the field ``hours.<weekday>.<index>.<opens|closes>``."""
    clean: dict[int, list[tuple[time, time]]] = {}
    for weekday, intervals in hours.items():
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise DomainError(f"Невідомий день тижня: {weekday}.", code="invalid_weekday", field="hours")
        day = DAY_NAMES[weekday]
        indexed = []
        for index, interval in enumerate(intervals or []):
            try:
                opens, closes = interval
            except (TypeError, ValueError):
                raise DomainError(f"{day}: інтервал має складатися з часу відкриття і закриття.", field="hours")
            _check_interval(opens, closes, where=day, field=f"hours.{weekday}.{index}")
            indexed.append((opens, closes, index))
        indexed.sort()
        for (_o1, c1, _i1), (o2, c2, i2) in pairwise(indexed):
            if o2 < c1:
                raise DomainError(
                    f"{day}: інтервали перетинаються ({_fmt(o2)}–{_fmt(c2)} починається до {_fmt(c1)}).",
                    code="intervals_overlap",
                    field=f"hours.{weekday}.{i2}.opens",
                )
        if indexed:
            clean[weekday] = [(o, c) for o, c, _ in indexed]
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
        raise DomainError("Вкажіть дату.", code="required", field="date")
    if kind not in ScheduleException.Kind.values:
        raise DomainError(
            "Невідомий вид винятку: оберіть «не працює», «скорочений день» або «особливий графік».",
            code="invalid_kind",
            field="kind",
        )
    if kind == ScheduleException.Kind.CLOSED:
        opens = closes = None
    else:
        _check_interval(opens, closes, where=f"{date:%d.%m.%Y}")
    note = _text(note, "note", "примітку", max_length=300)
    with transaction.atomic():
        Office.objects.select_for_update().filter(pk=office.pk).first()
        if office.schedule_exceptions.filter(date=date).exists():
            raise Conflict(
                f"На {date:%d.%m.%Y} для цього офісу вже є виняток; спершу видаліть його.",
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
        raise DomainError("Область не знайдено.", code="unknown_region", field="region")
    _require_region_for_provider(actor, region)
    name = _text(name, "name", "назву СНАП", max_length=400, required=True)
    code = validate_edrpou(edrpou)
    if kind not in Provider.Kind.values:
        raise DomainError("Невідомий вид СНАП.", code="invalid_kind", field="kind")
    values = {}
    for key, value in fields.items():
        if key == "hromada":
            if value is not None and (not isinstance(value, Hromada) or value.region_id != region.pk):
                raise DomainError(
                    "Громада не належить до обраної області.", code="hromada_outside_region", field="hromada"
                )
            values[key] = value
        elif key == "short_name":
            values[key] = _text(value, key, "коротку назву", max_length=120)
        elif key == "address":
            values[key] = _text(value, key, "адресу", max_length=400)
        elif key == "phone":
            values[key] = _text(value, key, "телефон", max_length=40)
        elif key == "email":
            values[key] = _email(value)
        elif key == "website":
            values[key] = _website(value)
        elif key == "is_active":
            values[key] = bool(value)
    with transaction.atomic():
        if Provider.objects.filter(edrpou=code, name=name).exists():
            raise Conflict(f"СНАП «{name}» з кодом ЄДРПОУ {code} уже зареєстровано.", field="edrpou")
        provider = Provider.objects.create(name=name, edrpou=code, kind=kind, region=region, **values)
        audit.record(
            actor, "orgs.provider_created", provider, provider_id=provider.pk, data={"edrpou": code, "kind": kind}
        )
    return provider


# --- look-ups by code --------------------------------------------------------------------------

KATOTTG_RE = re.compile(r"^UA\d{17}$")


def _katottg(model, code, *, field: str, what: str):
    code = (code or "").strip()
    if not KATOTTG_RE.match(code):
        raise DomainError(
            f"Код КАТОТТГ «{code}» некоректний: він має вигляд UA і 17 цифр.", code="invalid_katottg", field=field
        )
    obj = model.objects.filter(katottg=code).first()
    if obj is None:
        raise DomainError(f"Невідомий код КАТОТТГ «{code}»: {what} не знайдено.", code="unknown_katottg", field=field)
    return obj


def region_by_katottg(code, *, field: str = "region") -> Region:
    return _katottg(Region, code, field=field, what="область")


def hromada_by_katottg(code, *, field: str = "hromada") -> Hromada:
    return _katottg(Hromada, code, field=field, what="громаду")


def settlement_by_katottg(code, *, field: str = "settlement") -> Settlement:
    return _katottg(Settlement, code, field=field, what="населений пункт")
