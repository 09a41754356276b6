"""Catalog domain operations (owner: catalog-data). Contract used by views, API, demo and cases:

- ``version_in_force(service, on_date) -> ServiceVersion | None``
- ``create_version(service, data: dict, *, valid_from, actor, change_note="") -> ServiceVersion``:
  an edit makes a new version; the previous open version is closed the day before ``valid_from``.
- ``fee_for(version, on_date) -> FeeQuote``: amount due (Decimal or None), budget code, text.
- ``create_service_list(center, *, decision_number, decision_date, valid_from, service_codes, actor)``
- ``service_list_in_force(center, on_date)``; ``service_counts_by_year(center) -> {year: count}``

Also: ``create_service`` (a new code with its first version), ``refresh_current_version``,
``version_content`` (a comparable snapshot of a version), ``default_tech_steps`` (the ТК built from
a service's flags, see ``data/tech_cards.json``), ``assign_office_services``,
``assign_provider_services`` and ``provider_links_for(center)`` (who decides what for a center).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vikno.core.audit import SYSTEM, Actor, changes, record
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.scoping import Role
from vikno.orgs.models import Center, Hromada, Office, Provider

from .fees import FeeQuote, fee_for
from .models import (
    FeeRule,
    OfficeService,
    ProviderService,
    RequiredDocument,
    Service,
    ServiceList,
    ServiceListEntry,
    ServiceVersion,
    Sphere,
    TechStep,
)

__all__ = [
    "FeeQuote",
    "assign_office_services",
    "assign_provider_services",
    "create_service",
    "create_service_list",
    "create_version",
    "default_tech_steps",
    "document_from_text",
    "fee_for",
    "refresh_current_version",
    "service_counts_by_year",
    "service_list_in_force",
    "version_content",
    "version_in_force",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
SERVICE_CODE_RE = re.compile(r"^[A-Z]{3}-\d{3,4}$")

# Plain fields of a version an edit may set; anything not given is copied from the newest version.
VERSION_FIELDS = (
    "name_uk",
    "name_en",
    "provider_kind",
    "provider_level",
    "legal_basis",
    "term_value",
    "term_unit",
    "fee_kind",
    "fee_rule",
    "fee_amount",
    "fee_budget_code",
    "pay_later_allowed",
    "result_uk",
    "how_to_receive_uk",
    "grounds_for_refusal",
    "instant",
    "online",
    "complex",
    "info_card",
    "source",
    "verified",
)
EXTRA_KEYS = {"documents", "tech_steps", "sub_services", "valid_to"}
DOCUMENT_DEFAULTS = {"original": True, "copy": False, "pages": None, "condition": ""}
# «Документ — за наявності», «… — у разі звернення представника»: the part after the dash says when
# the document is needed; kept as its ``condition`` so intake does not tick it as given by default.
CONDITION_STARTS = ("за наявності", "за бажанням", "у разі", "у випадках", "для ", "якщо")


def document_from_text(text: str) -> dict:
    """A checklist entry from an ІК line, its condition split off the name."""
    name = " ".join(text.split())
    head, dash, tail = name.partition(" — ")
    if dash and tail.lower().startswith(CONDITION_STARTS):
        # «Документ, що підтверджує повноваження представника, — у разі…»: the comma before the dash
        # belongs to the sentence, not to the document's name
        return {**DOCUMENT_DEFAULTS, "name": head.rstrip(" ,;"), "condition": tail[:300]}
    return {**DOCUMENT_DEFAULTS, "name": name}


TEXT_LIMITS = {"name_uk": 500, "name_en": 500, "provider_kind": 400, "fee_budget_code": 8}


def _today() -> dt.date:
    return timezone.localdate()


def _reindex(service_ids: list[int]) -> None:
    """Ask catalog search to refresh the search text; a no-op until search implements it."""
    from . import search

    with contextlib.suppress(NotImplementedError):
        search.reindex(service_ids)


# --- Versions ------------------------------------------------------------------------------------


def version_in_force(service: Service, on_date: dt.date) -> ServiceVersion | None:
    """The version of ``service`` in force on ``on_date`` (None when the service did not exist then)."""
    return (
        ServiceVersion.objects.filter(service=service, valid_from__lte=on_date)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))
        .order_by("-valid_from")
        .first()
    )


def refresh_current_version(service: Service) -> ServiceVersion | None:
    """Point ``service.current_version`` and its names (``name_uk``, ``name_en``) at the version in force today."""
    version = version_in_force(service, _today())
    named = version
    if version is None and not service.name_uk:
        named = service.versions.order_by("valid_from").first()
    name = named.name_uk if named else service.name_uk
    name_en = named.name_en if named else service.name_en
    if (
        service.current_version_id != (version.pk if version else None)
        or service.name_uk != name
        or service.name_en != name_en
    ):
        service.current_version = version
        service.name_uk, service.name_en = name, name_en
        service.save(update_fields=["current_version", "name_uk", "name_en"])
    return version


@cache
def _tech_card_templates() -> dict:
    return json.loads((DATA_DIR / "tech_cards.json").read_text(encoding="utf-8"))


def default_tech_steps(*, instant: bool, complex: bool, term_value: int, term_unit: str) -> list[dict]:
    """The default ТК for a service with these flags, as step dicts (see data/tech_cards.json)."""
    template = "complex" if complex else ("instant" if instant else "standard")
    steps = []
    for step in _tech_card_templates()[template]:
        term = step["term"]
        if term == "service":
            value, unit = term_value, term_unit
        elif term:
            value, unit = term["value"], term["unit"]
        else:
            value, unit = None, ""
        steps.append(
            {
                "action": step["action"],
                "role": step["role"],
                "action_type": step["action_type"],
                "term_value": value,
                "term_unit": unit,
            }
        )
    return steps


def _document_dict(doc) -> dict:
    if isinstance(doc, RequiredDocument):
        return {
            "name": doc.name,
            "original": doc.original,
            "copy": doc.copy,
            "pages": doc.pages,
            "condition": doc.condition,
        }
    if isinstance(doc, str):
        return {"name": doc, **DOCUMENT_DEFAULTS}
    return {"name": doc.get("name", ""), **{k: doc.get(k, v) for k, v in DOCUMENT_DEFAULTS.items()}}


def _step_dict(step) -> dict:
    if isinstance(step, TechStep):
        return {
            "action": step.action,
            "role": step.role,
            "action_type": step.action_type,
            "term_value": step.term_value,
            "term_unit": step.term_unit,
        }
    return {
        "action": step.get("action", ""),
        "role": step.get("role", ""),
        "action_type": step.get("action_type", ""),
        "term_value": step.get("term_value"),
        "term_unit": step.get("term_unit") or "",
    }


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, FeeRule):
        return value.rule_id
    return value


def version_content(version: ServiceVersion) -> dict:
    """Everything a version says, in plain values, to compare two versions or to export one."""
    data = {name: _json_value(getattr(version, name)) for name in VERSION_FIELDS}
    data["documents"] = [_document_dict(d) for d in version.documents.all()]
    data["tech_steps"] = [_step_dict(s) for s in version.tech_steps.all()]
    data["sub_services"] = sorted(s.code for s in version.sub_services.all())
    return data


def _bool(value) -> bool:
    return bool(value)


def _clean_version_data(data: dict, *, service: Service | None = None) -> dict:
    """Validate and normalise version fields; raises DomainError naming the field."""
    clean = dict(data)
    for field, limit in TEXT_LIMITS.items():
        value = (clean.get(field) or "").strip()
        if len(value) > limit:
            message = ngettext(
                "The field is too long: at most %(limit)s character.",
                "The field is too long: at most %(limit)s characters.",
                limit,
            )
            raise DomainError(message % {"limit": limit}, code="too_long", field=field)
        clean[field] = value
    if not clean["name_uk"]:
        raise DomainError(_("Enter the name of the service in Ukrainian."), code="required", field="name_uk")
    for field in ("legal_basis", "result_uk", "how_to_receive_uk", "source"):
        clean[field] = (clean.get(field) or "").strip()
    try:
        clean["term_value"] = int(clean.get("term_value"))
    except (TypeError, ValueError):
        raise DomainError(_("The term must be a whole number."), code="invalid_term", field="term_value")
    if clean["term_value"] < 1:
        raise DomainError(_("The term must be at least 1."), code="invalid_term", field="term_value")
    if clean.get("term_unit") not in ServiceVersion.TermUnit.values:
        raise DomainError(
            _("The term unit must be hours, working days or calendar days."), code="invalid_term", field="term_unit"
        )
    level = clean.get("provider_level") or ""
    if level and level not in ServiceVersion.ProviderLevel.values:
        raise DomainError(
            _("The provider level is either state or local."), code="invalid_choice", field="provider_level"
        )
    clean["provider_level"] = level
    for field in ("pay_later_allowed", "instant", "online", "complex", "verified"):
        clean[field] = _bool(clean.get(field))
    clean["grounds_for_refusal"] = [str(g).strip() for g in clean.get("grounds_for_refusal") or [] if str(g).strip()]
    clean["info_card"] = dict(clean.get("info_card") or {})

    kind = clean.get("fee_kind") or ServiceVersion.FeeKind.FREE
    if kind not in ServiceVersion.FeeKind.values:
        raise DomainError(_("Unknown kind of fee."), code="invalid_choice", field="fee_kind")
    clean["fee_kind"] = kind
    rule = clean.get("fee_rule")
    if isinstance(rule, str):
        rule = FeeRule.objects.filter(rule_id=rule).first() if rule else None
        if rule is None and data.get("fee_rule"):
            raise DomainError(
                _("Fee rule «%(rule)s» not found.") % {"rule": data["fee_rule"]},
                code="fee_rule_unknown",
                field="fee_rule",
            )
    amount = clean.get("fee_amount")
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise DomainError(_("The fee amount must be a number."), code="invalid_amount", field="fee_amount")
    else:
        amount = None
    if kind == ServiceVersion.FeeKind.RULE:
        if rule is None:
            raise DomainError(_("For a fee by a formula, choose the rule."), code="required", field="fee_rule")
        amount = None
    elif kind == ServiceVersion.FeeKind.FIXED:
        if amount is None or amount <= 0:
            raise DomainError(
                _("For a fixed fee, enter an amount greater than zero."), code="required", field="fee_amount"
            )
        rule = None
    else:
        rule, amount = None, None
    clean["fee_rule"], clean["fee_amount"] = rule, amount
    if kind == ServiceVersion.FeeKind.FREE:
        clean["fee_budget_code"] = ""
    if clean["fee_budget_code"] and not re.fullmatch(r"\d{8}", clean["fee_budget_code"]):
        raise DomainError(
            _("The budget code (КБК) must consist of 8 digits."), code="invalid_budget_code", field="fee_budget_code"
        )

    documents = [_document_dict(d) for d in clean.get("documents") or []]
    for doc in documents:
        doc["name"] = (doc["name"] or "").strip()
        if not doc["name"]:
            raise DomainError(_("The name of a document cannot be empty."), code="required", field="documents")
    clean["documents"] = documents

    steps = [_step_dict(s) for s in clean.get("tech_steps") or []]
    for step in steps:
        if not step["action"].strip():
            raise DomainError(
                _("Describe the action of the technological card step."), code="required", field="tech_steps"
            )
        if step["role"] not in TechStep.Role.values:
            raise DomainError(
                _("Unknown role in the technological card: «%(role)s».") % {"role": step["role"]},
                code="invalid_choice",
                field="tech_steps",
            )
        if step["action_type"] not in TechStep.ActionType.values:
            raise DomainError(
                _("Unknown action type in the technological card: «%(type)s» (В, У, П or З).")
                % {"type": step["action_type"]},
                code="invalid_choice",
                field="tech_steps",
            )
        if step["term_value"] is not None:
            if step["term_unit"] not in ServiceVersion.TermUnit.values or int(step["term_value"]) < 1:
                raise DomainError(
                    _("The term of a technological card step is invalid."), code="invalid_term", field="tech_steps"
                )
            step["term_value"] = int(step["term_value"])
        else:
            step["term_unit"] = ""
    clean["tech_steps"] = steps

    subs = []
    for item in clean.get("sub_services") or []:
        if isinstance(item, Service):
            subs.append(item)
            continue
        found = Service.objects.filter(code=item).first()
        if found is None:
            raise DomainError(
                _("Component service «%(code)s» not found.") % {"code": item},
                code="sub_service_unknown",
                field="sub_services",
            )
        subs.append(found)
    if service is not None and any(s.pk == service.pk for s in subs):
        raise DomainError(_("A complex service cannot contain itself."), code="sub_service_self", field="sub_services")
    if subs and not clean["complex"]:
        raise DomainError(
            _("Component services can only be given for a complex service."),
            code="not_complex",
            field="sub_services",
        )
    if clean["complex"] and not subs:
        raise DomainError(
            _("For a complex service, give its component services."), code="required", field="sub_services"
        )
    clean["sub_services"] = subs
    return clean


def _write_version(service: Service, number: int, clean: dict, *, valid_from, valid_to, change_note, actor):
    fields = {name: clean[name] for name in VERSION_FIELDS}
    version = ServiceVersion.objects.create(
        service=service,
        number=number,
        valid_from=valid_from,
        valid_to=valid_to,
        change_note=change_note,
        created_by_id=(actor or SYSTEM).user_id,
        **fields,
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=version, position=i, **doc) for i, doc in enumerate(clean["documents"], start=1)
    )
    TechStep.objects.bulk_create(
        TechStep(version=version, position=i, **step) for i, step in enumerate(clean["tech_steps"], start=1)
    )
    if clean["sub_services"]:
        version.sub_services.set(clean["sub_services"])
    return version


def _as_date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise DomainError(_("Invalid date (expected YYYY-MM-DD)."), code="invalid_date", field=field)


def create_version(
    service: Service,
    data: dict,
    *,
    valid_from,
    actor: Actor | None,
    change_note: str = "",
    audit: bool = True,
    reindex: bool = True,
) -> ServiceVersion:
    """Make a new version of ``service`` valid from ``valid_from``.

    Fields not in ``data`` are copied from the newest version, and so are its required documents,
    ТК steps and sub-services unless ``data`` gives ``documents``, ``tech_steps`` or ``sub_services``.
    The newest version, if open-ended, is closed the day before; a period that starts on or before
    the newest version's start, or overlaps a closed one, is refused.
    """
    valid_from = _as_date(valid_from, "valid_from")
    unknown = set(data) - set(VERSION_FIELDS) - EXTRA_KEYS
    if unknown:
        raise DomainError(
            _("Unknown fields of the version: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        latest = service.versions.order_by("-valid_from").first()
        if latest is not None:
            before = version_content(latest)
            base = dict(before)
            base["fee_rule"] = latest.fee_rule
            base["fee_amount"] = latest.fee_amount
            base["sub_services"] = list(latest.sub_services.all())
            if valid_from <= latest.valid_from:
                raise DomainError(
                    _(
                        "The new version must take effect later than version No. %(number)s (in force from "
                        "%(date)s). A past period cannot be changed."
                    )
                    % {"number": latest.number, "date": f"{latest.valid_from:%d.%m.%Y}"},
                    code="version_backdated",
                    field="valid_from",
                )
            if latest.valid_to is not None and latest.valid_to >= valid_from:
                raise DomainError(
                    _(
                        "The period overlaps version No. %(number)s, in force until %(date)s: the new version "
                        "may start on the next day at the earliest."
                    )
                    % {"number": latest.number, "date": f"{latest.valid_to:%d.%m.%Y}"},
                    code="version_overlap",
                    field="valid_from",
                )
        else:
            before, base = {}, {}
        merged = {**base, **data}
        if latest is not None and "tech_steps" not in data:
            merged["tech_steps"] = base["tech_steps"]
        clean = _clean_version_data(merged, service=service)
        if latest is None and not clean["tech_steps"]:
            clean["tech_steps"] = default_tech_steps(
                instant=clean["instant"],
                complex=clean["complex"],
                term_value=clean["term_value"],
                term_unit=clean["term_unit"],
            )
        valid_to = data.get("valid_to")
        if valid_to not in (None, ""):
            valid_to = _as_date(valid_to, "valid_to")
            if valid_to < valid_from:
                raise DomainError(
                    _("The end date cannot be earlier than the start date."), code="invalid_period", field="valid_to"
                )
        else:
            valid_to = None
        if latest is not None and latest.valid_to is None:
            latest.valid_to = valid_from - dt.timedelta(days=1)
            latest.save(update_fields=["valid_to"])
        number = (latest.number if latest else 0) + 1
        number = max(number, (service.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1)
        version = _write_version(
            service, number, clean, valid_from=valid_from, valid_to=valid_to, change_note=change_note, actor=actor
        )
        refresh_current_version(service)
        if audit:
            after = version_content(version)
            record(
                actor,
                "catalog.version.create",
                version,
                data={
                    "service": service.code,
                    "number": number,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "change_note": change_note,
                    "changes": changes(before, after) if before else {},
                },
            )
        if reindex:
            transaction.on_commit(lambda: _reindex([service.pk]))
    return version


def create_service(
    code: str,
    *,
    sphere: Sphere,
    data: dict,
    valid_from,
    actor: Actor | None,
    life_situations=(),
    change_note: str = "",
    audit: bool = True,
    reindex: bool = True,
) -> Service:
    """A new service code with its first version (and the default ТК unless ``tech_steps`` are given)."""
    code = (code or "").strip().upper()
    if not SERVICE_CODE_RE.fullmatch(code):
        raise DomainError(_("A service code looks like ABC-001."), code="invalid_code", field="code")
    if not code.startswith(sphere.code + "-"):
        raise DomainError(
            _("The service code must start with the sphere code «%(sphere)s».") % {"sphere": sphere.code},
            code="code_sphere_mismatch",
            field="code",
        )
    with transaction.atomic():
        if Service.objects.filter(code=code).exists():
            raise Conflict(
                _("A service with the code %(code)s is already in the catalog.") % {"code": code}, field="code"
            )
        service = Service.objects.create(code=code, sphere=sphere, name_uk=(data.get("name_uk") or "").strip())
        if life_situations:
            service.life_situations.set(life_situations)
        create_version(
            service,
            data,
            valid_from=valid_from,
            actor=actor,
            change_note=change_note,
            audit=False,
            reindex=reindex,
        )
        if audit:
            record(actor, "catalog.service.create", service, data={"code": code, "valid_from": valid_from})
    service.refresh_from_db()
    return service


# --- Approved lists (перелік) ----------------------------------------------------------------------


def _is_system(actor: Actor | None) -> bool:
    return actor is SYSTEM or (actor is not None and actor.user is None and bool(actor.label))


def _require_center_head(center: Center, actor: Actor | None) -> None:
    """Only the center's head or a system administrator; other staff outside the center get 404."""
    if _is_system(actor):
        return
    user = actor.user if actor else None
    if user is None or not Center.objects.visible_to(user).filter(pk=center.pk).exists():
        raise NotFound(_("Center not found."))
    if user.role == Role.SYSADMIN or (user.role == Role.CENTER_HEAD and user.center_id == center.pk):
        return
    raise PermissionDenied(
        _("Only the center head or a system administrator may change the center's list of services.")
    )


def _services_by_codes(codes, field: str) -> list[Service]:
    ordered = []
    for code in codes:
        code = (code or "").strip().upper()
        if code and code not in ordered:
            ordered.append(code)
    found = {s.code: s for s in Service.objects.filter(code__in=ordered)}
    missing = [c for c in ordered if c not in found]
    if missing:
        raise DomainError(
            _("There are no services with these codes in the catalog: %(codes)s.") % {"codes": ", ".join(missing)},
            code="unknown",
            field=field,
        )
    inactive = [c for c in ordered if not found[c].is_active]
    if inactive:
        raise DomainError(
            _("These services have been removed from the catalog: %(codes)s.") % {"codes": ", ".join(inactive)},
            code="inactive",
            field=field,
        )
    return [found[c] for c in ordered]


def create_service_list(
    center: Center, *, decision_number: str, decision_date, valid_from, service_codes, actor: Actor | None
) -> ServiceList:
    """Record a council decision approving the center's list of services; earlier lists stay as history."""
    _require_center_head(center, actor)
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise DomainError(_("Enter the number of the council decision."), code="required", field="decision_number")
    decision_date = _as_date(decision_date, "decision_date")
    valid_from = _as_date(valid_from, "valid_from")
    if valid_from < decision_date:
        raise DomainError(
            _("The list cannot take effect before the date of the decision."),
            code="invalid_period",
            field="valid_from",
        )
    services = _services_by_codes(service_codes, "service_codes")
    if not services:
        raise DomainError(_("The list must contain at least one service."), code="required", field="service_codes")
    with transaction.atomic():
        if ServiceList.objects.filter(center=center, valid_from=valid_from).exists():
            raise Conflict(
                _("A list in force from %(date)s has already been approved for this center.")
                % {"date": f"{valid_from:%d.%m.%Y}"},
                field="valid_from",
            )
        service_list = ServiceList.objects.create(
            center=center,
            decision_number=decision_number,
            decision_date=decision_date,
            valid_from=valid_from,
            title=f"Перелік адміністративних послуг, рішення № {decision_number} від {decision_date:%d.%m.%Y}",
        )
        ServiceListEntry.objects.bulk_create(
            ServiceListEntry(service_list=service_list, service=s, position=i) for i, s in enumerate(services, 1)
        )
        record(
            actor,
            "catalog.service_list.create",
            service_list,
            data={
                "decision_number": decision_number,
                "decision_date": decision_date,
                "valid_from": valid_from,
                "services": [s.code for s in services],
            },
        )
    return service_list


def service_list_in_force(center: Center, on_date: dt.date) -> ServiceList | None:
    """The newest approved list of the center that took effect on or before ``on_date``."""
    return ServiceList.objects.filter(center=center, valid_from__lte=on_date).order_by("-valid_from").first()


def service_counts_by_year(center: Center) -> dict[int, int]:
    """Services in the list in force on 31 December of each year, from the first list's year up to
    this year (or the year of the latest list, if later)."""
    lists = list(
        ServiceList.objects.filter(center=center)
        .annotate(size=Count("entries"))
        .order_by("valid_from")
        .values_list("valid_from", "size")
    )
    if not lists:
        return {}
    last_year = max(_today().year, lists[-1][0].year)
    counts = {}
    for year in range(lists[0][0].year, last_year + 1):
        end = dt.date(year, 12, 31)
        in_force = [size for start, size in lists if start <= end]
        counts[year] = in_force[-1] if in_force else 0
    return counts


def assign_office_services(office: Office, codes, actor: Actor | None) -> list[str]:
    """Set the services an office offers (exactly ``codes``). Once the center has an approved list,
    the codes must be in the list in force today or in a list that takes effect later."""
    center = Center.objects.get(pk=office.center_id)
    _require_center_head(center, actor)
    services = _services_by_codes(codes, "codes")
    if ServiceList.objects.filter(center=center).exists():
        current = service_list_in_force(center, _today())
        allowed = set(
            ServiceListEntry.objects.filter(
                Q(service_list__center=center, service_list__valid_from__gt=_today())
                | Q(service_list=current.pk if current else None)
            ).values_list("service_id", flat=True)
        )
        outside = [s.code for s in services if s.pk not in allowed]
        if outside:
            raise DomainError(
                _("These services are not in the center's approved list: %(codes)s.") % {"codes": ", ".join(outside)},
                code="not_in_service_list",
                field="codes",
            )
    with transaction.atomic():
        before = set(OfficeService.objects.filter(office=office).values_list("service__code", flat=True))
        wanted = {s.code for s in services}
        OfficeService.objects.filter(office=office).exclude(service__code__in=wanted).delete()
        for service in services:
            if service.code not in before:
                OfficeService(office=office, service=service).save()
        record(
            actor,
            "catalog.office_services.set",
            office,
            data={"added": sorted(wanted - before), "removed": sorted(before - wanted)},
        )
    return sorted(wanted)


def provider_links_for(center: Center):
    """The services active providers decide on for ``center``'s hromada: links naming the hromada, and
    links for the whole region (no hromada listed)."""
    return ProviderService.objects.filter(provider__is_active=True).filter(
        Q(hromadas=center.hromada_id) | Q(hromadas__isnull=True, region_id=center.region_id)
    )


def assign_provider_services(provider: Provider, codes, hromadas, actor: Actor | None) -> list[ProviderService]:
    """Record that ``provider`` decides on ``codes`` for ``hromadas`` (empty = its whole region).
    Rows for other codes are kept; a system administrator only."""
    if not _is_system(actor):
        user = actor.user if actor else None
        if user is None or not Provider.objects.visible_to(user).filter(pk=provider.pk).exists():
            raise NotFound(_("Provider not found."))
        if user.role != Role.SYSADMIN:
            raise PermissionDenied(_("Only a system administrator may assign services to a provider."))
    services = _services_by_codes(codes, "codes")
    hromada_ids = [h.pk if isinstance(h, Hromada) else int(h) for h in hromadas or []]
    found = set(Hromada.objects.filter(pk__in=hromada_ids, region_id=provider.region_id).values_list("pk", flat=True))
    if len(found) != len(set(hromada_ids)):
        raise DomainError(
            _("The hromadas must be in the oblast where the provider works."),
            code="hromada_outside_region",
            field="hromadas",
        )
    rows = []
    with transaction.atomic():
        for service in services:
            row = ProviderService.objects.filter(provider=provider, service=service).first()
            if row is None:
                row = ProviderService(provider=provider, service=service)
                row.save()
            row.hromadas.set(sorted(found))
            rows.append(row)
        record(
            actor,
            "catalog.provider_services.set",
            provider,
            data={"services": [s.code for s in services], "hromadas": sorted(found)},
        )
    return rows
