"""Catalog import and export (owner: catalog-data). Contract:

- ``import_shared_catalog(data_dir: Path, *, actor=None) -> ImportReport``: spheres, life
  situations, ПМ, fee rules, services and information cards from shared/data; idempotent; one
  transaction; raises ``vikno.core.errors.ImportProblem`` listing every bad row.
- ``import_catalog(fileobj, fmt: "csv"|"xlsx"|"json", *, actor=None) -> ImportReport``
- ``export_catalog(fmt) -> bytes``

Both imports read rows into plain records, check all of them (every bad row is reported with its
file or sheet, line and field) and only then write, in one transaction. A service whose content
equals its newest version is left alone; a changed one gets a new version (from its ``valid_from``
when that is later than the newest version, otherwise from today), so a second run changes nothing.

The row format is the one of ``shared/data/services/services.csv`` plus the columns in
``EXTRA_COLUMNS``; CSV holds services only, XLSX adds sheets for the reference data (spheres, life
situations, fee rules, ПМ) and JSON holds the same as structured values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from vikno.core.audit import Actor, record
from vikno.core.errors import DomainError, ImportProblem

from . import intake
from . import services as catalog
from .models import (
    FeeRule,
    LifeSituation,
    RequiredDocument,
    Service,
    ServiceVersion,
    Sphere,
    SubsistenceMinimum,
    TechStep,
)

FIRST_VALID_FROM = dt.date(2026, 1, 1)
FORMATS = ("csv", "xlsx", "json")
SERVICE_COLUMNS = [
    "code",
    "name_uk",
    "name_en",
    "sphere_code",
    "life_situation_codes",
    "provider_uk",
    "provider_level",
    "legal_basis_uk",
    "term_value",
    "term_unit",
    "paid",
    "fee_rule_id",
    "instant",
    "online",
    "complex",
    "sub_service_codes",
    "source",
    "verified",
]
EXTRA_COLUMNS = [
    "valid_from",
    "is_active",
    "pay_later_allowed",
    "fee_budget_code",
    "required_documents",
    "result_uk",
    "how_to_receive_uk",
    "grounds_for_refusal",
    "info_card",
    "tech_steps",
]
REQUIRED_COLUMNS = ["code", "name_uk", "sphere_code", "term_value", "term_unit", "paid"]
SPHERE_COLUMNS = ["code", "name_uk", "name_en", "position"]
LIFE_SITUATION_COLUMNS = ["code", "kind", "name_uk", "name_en", "description_uk", "synonyms", "position"]
FEE_RULE_COLUMNS = [
    "rule_id",
    "name_uk",
    "legal_basis",
    "base",
    "coefficient",
    "rounding",
    "budget_code",
    "budget_code_name",
    "valid_from",
    "valid_to",
    "note",
]
PM_COLUMNS = ["year", "amount", "source"]
INFO_CARD_KEYS = {"code", "required_documents", "result_uk", "how_to_receive_uk", "grounds_for_refusal"}
KIND_LABELS = {
    "subsistence_minimum": "прожитковий мінімум",
    "fee_rules": "правила розрахунку збору",
    "spheres": "сфери",
    "life_situations": "життєві ситуації",
    "services": "послуги",
}
YES = {"yes", "так", "true", "1", "y", "t"}
NO = {"no", "ні", "false", "0", "n", "f", ""}


@dataclass
class ImportReport:
    """How many rows of each kind were created, updated (a service: got a new version) or left as they were."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    service_ids: list[int] = field(default_factory=list)

    def add(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()))

    def as_dict(self) -> dict:
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }

    def __str__(self) -> str:
        return "; ".join(self.lines()) or "без змін"

    def lines(self) -> list[str]:
        out = []
        for kind, label in KIND_LABELS.items():
            counts = (self.created[kind], self.updated[kind], self.unchanged[kind])
            if any(counts):
                out.append(f"{label}: створено {counts[0]}, оновлено {counts[1]}, без змін {counts[2]}")
        return out


@dataclass
class ServiceRecord:
    where: str
    code: str
    sphere_code: str
    life_situation_codes: list[str]
    is_active: bool
    valid_from: dt.date | None
    data: dict


@dataclass
class Plan:
    """Everything read from the input, checked before anything is written."""

    source: str
    problems: list[str] = field(default_factory=list)
    subsistence: list[dict] = field(default_factory=list)
    fee_rules: list[dict] = field(default_factory=list)
    spheres: list[dict] = field(default_factory=list)
    life_situations: list[dict] = field(default_factory=list)
    rows: list[tuple[str, dict]] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    info_cards: dict[str, tuple[str, dict]] = field(default_factory=dict)

    def problem(self, where: str, message: str, column: str | None = None) -> None:
        self.problems.append(f"{where}, поле {column}: {message}" if column else f"{where}: {message}")


# --- Reading helpers -------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _flag(plan: Plan, where: str, row: dict, column: str, default: bool = False) -> bool:
    value = row.get(column)
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if column not in row or value is None or (text == "" and default):
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    plan.problem(where, f"очікується yes або no, а не «{text}»", column)
    return default


def _list(plan: Plan, where: str, row: dict, column: str) -> list:
    """A list cell: a Python list (JSON input), a JSON array, or items separated by «|»."""
    value = row.get(column)
    if isinstance(value, list):
        return value
    text = _text(value)
    if not text:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            plan.problem(where, "пошкоджений JSON-масив", column)
            return []
        if isinstance(parsed, list):
            return parsed
        plan.problem(where, "очікується масив", column)
        return []
    return [item.strip() for item in text.split("|") if item.strip()]


def _json_object(plan: Plan, where: str, row: dict, column: str) -> dict:
    value = row.get(column)
    if isinstance(value, dict):
        return value
    text = _text(value)
    if not text:
        return {}
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        plan.problem(where, "пошкоджений JSON-об'єкт", column)
        return {}
    if not isinstance(parsed, dict):
        plan.problem(where, "очікується JSON-об'єкт", column)
        return {}
    return parsed


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ".").replace(" ", ""))
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _date(plan: Plan, where: str, row: dict, column: str) -> dt.date | None:
    value = row.get(column)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        plan.problem(where, f"дата «{text}» має бути у вигляді РРРР-ММ-ДД", column)
        return None


def _read_csv_text(plan: Plan, text: str, label: str, required: list[str]) -> list[tuple[str, dict]]:
    """Rows of a CSV text as (where, row); header or structure problems go to ``plan``."""
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header:
            plan.problem(label, "файл порожній або не має рядка заголовків")
            return []
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            plan.problem(f"{label}, рядок 1", f"немає обов'язкових стовпців: {', '.join(missing)}")
            return []
        line = reader.line_num + 1
        for cells in reader:
            where = f"{label}, рядок {line}"
            line = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                plan.problem(where, f"полів {len(cells)}, а в заголовку {len(header)}")
                continue
            rows.append((where, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        plan.problem(f"{label}, рядок {reader.line_num}", f"пошкоджений CSV ({exc})")
    return rows


def _read_csv_file(plan: Plan, path: Path, required: list[str]) -> list[tuple[str, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        plan.problem(path.name, "файл не знайдено")
        return []
    except UnicodeDecodeError:
        plan.problem(path.name, "файл не в кодуванні UTF-8")
        return []
    return _read_csv_text(plan, text, path.name, required)


@cache
def _life_situation_data() -> dict:
    return json.loads((catalog.DATA_DIR / "life_situations.json").read_text(encoding="utf-8"))


# --- Reference rows --------------------------------------------------------------------------------


def _parse_subsistence(plan: Plan, rows) -> None:
    seen = set()
    for where, row in rows:
        year_text, amount_text = _text(row.get("year")), _text(row.get("amount"))
        if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
            plan.problem(where, f"рік «{year_text}» вказано неправильно", "year")
            continue
        amount = _decimal(amount_text)
        if amount is None or amount <= 0:
            plan.problem(where, f"сума «{amount_text}» має бути додатним числом", "amount")
            continue
        if int(year_text) in seen:
            plan.problem(where, f"рік {year_text} повторюється", "year")
            continue
        seen.add(int(year_text))
        plan.subsistence.append(
            {"year": int(year_text), "amount": amount.quantize(Decimal("0.01")), "source": _text(row.get("source"))}
        )


def _parse_fee_rules(plan: Plan, rows) -> None:
    seen = {r["rule_id"] for r in plan.fee_rules}
    for where, row in rows:
        rule_id = _text(row.get("rule_id"))
        if not re.fullmatch(r"[a-z0-9_]{2,80}", rule_id):
            plan.problem(where, f"ідентифікатор правила «{rule_id}» некоректний", "rule_id")
            continue
        if rule_id in seen:
            plan.problem(where, f"правило «{rule_id}» повторюється", "rule_id")
            continue
        seen.add(rule_id)
        coefficient = _decimal(_text(row.get("coefficient")))
        if coefficient is None or coefficient <= 0 or coefficient.as_tuple().exponent < -5:
            plan.problem(where, f"коефіцієнт «{_text(row.get('coefficient'))}» некоректний", "coefficient")
            continue
        rounding = _text(row.get("rounding"))
        if rounding not in FeeRule.Rounding.values:
            plan.problem(where, f"невідомий спосіб округлення «{rounding}»", "rounding")
            continue
        base = _text(row.get("base")) or FeeRule.Base.PM_ABLE_BODIED_JAN1
        if base not in FeeRule.Base.values:
            plan.problem(where, f"невідома база розрахунку «{base}»", "base")
            continue
        budget_code = _text(row.get("budget_code"))
        if budget_code and not re.fullmatch(r"\d{8}", budget_code):
            plan.problem(where, f"КБК «{budget_code}» має складатися з 8 цифр", "budget_code")
            continue
        name = _text(row.get("name_uk"))
        if not name:
            plan.problem(where, "не вказано назву", "name_uk")
            continue
        plan.fee_rules.append(
            {
                "rule_id": rule_id,
                "name_uk": name,
                "legal_basis": _text(row.get("legal_basis")),
                "base": base,
                "coefficient": coefficient,
                "rounding": rounding,
                "budget_code": budget_code,
                "budget_code_name": _text(row.get("budget_code_name")),
                "valid_from": _date(plan, where, row, "valid_from"),
                "valid_to": _date(plan, where, row, "valid_to"),
                "note": _text(row.get("note")),
            }
        )


def _parse_spheres(plan: Plan, rows) -> None:
    seen = set()
    for position, (where, row) in enumerate(rows, start=1):
        code, name = _text(row.get("code")), _text(row.get("name_uk"))
        if not re.fullmatch(r"[A-Z]{3}", code):
            plan.problem(where, f"код сфери «{code}» має складатися з трьох латинських великих літер", "code")
            continue
        if code in seen:
            plan.problem(where, f"сфера «{code}» повторюється", "code")
            continue
        if not name:
            plan.problem(where, "не вказано назву", "name_uk")
            continue
        seen.add(code)
        pos = _text(row.get("position"))
        plan.spheres.append(
            {
                "code": code,
                "name_uk": name,
                "name_en": _text(row.get("name_en")),
                "position": int(pos) if pos.isdigit() else position,
            }
        )


def _parse_life_situations(plan: Plan, rows, *, shared: bool) -> None:
    seen = set()
    data = _life_situation_data()
    for position, (where, row) in enumerate(rows, start=1):
        code, name = _text(row.get("code")), _text(row.get("name_uk"))
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,59}", code):
            plan.problem(where, f"код ситуації «{code}» некоректний", "code")
            continue
        if code in seen:
            plan.problem(where, f"ситуація «{code}» повторюється", "code")
            continue
        if not name:
            plan.problem(where, "не вказано назву", "name_uk")
            continue
        seen.add(code)
        if shared:
            kind = LifeSituation.Kind.BUSINESS if code in data["business_codes"] else LifeSituation.Kind.LIFE
            synonyms = list(data["synonyms"].get(code, []))
        else:
            kind = _text(row.get("kind")) or LifeSituation.Kind.LIFE
            if kind not in LifeSituation.Kind.values:
                plan.problem(where, f"вид ситуації «{kind}»: очікується life або business", "kind")
                continue
            synonyms = [str(s) for s in _list(plan, where, row, "synonyms")]
        pos = _text(row.get("position"))
        plan.life_situations.append(
            {
                "code": code,
                "kind": kind,
                "name_uk": name,
                "name_en": _text(row.get("name_en")),
                "description_uk": _text(row.get("description_uk")),
                "synonyms": synonyms,
                "position": int(pos) if pos.isdigit() else position,
            }
        )


# --- Service rows ----------------------------------------------------------------------------------


def _parse_services(plan: Plan) -> None:
    """Turn ``plan.rows`` into ``plan.services``, checking codes, references, terms and fees."""
    spheres = {s["code"] for s in plan.spheres} | set(Sphere.objects.values_list("code", flat=True))
    situations = {s["code"] for s in plan.life_situations} | set(LifeSituation.objects.values_list("code", flat=True))
    rules = {r["rule_id"] for r in plan.fee_rules} | set(FeeRule.objects.values_list("rule_id", flat=True))
    file_codes = Counter(_text(row.get("code")).upper() for _, row in plan.rows)
    known_codes = set(file_codes) | set(Service.objects.values_list("code", flat=True))
    seen = set()
    for where, row in plan.rows:
        before = len(plan.problems)
        code = _text(row.get("code")).upper()
        if not catalog.SERVICE_CODE_RE.fullmatch(code):
            plan.problem(where, f"код послуги «{code}» має вигляд ABC-001", "code")
            continue
        if code in seen:
            plan.problem(where, f"код послуги {code} повторюється", "code")
            continue
        seen.add(code)
        name = _text(row.get("name_uk"))
        if not name:
            plan.problem(where, "не вказано назву послуги", "name_uk")
        sphere = _text(row.get("sphere_code")).upper()
        if sphere not in spheres:
            plan.problem(where, f"невідома сфера «{sphere}»", "sphere_code")
        elif not code.startswith(sphere + "-"):
            plan.problem(where, f"код {code} не починається з коду сфери {sphere}", "code")
        situations_here = [str(s).strip() for s in _list(plan, where, row, "life_situation_codes")]
        for item in situations_here:
            if item not in situations:
                plan.problem(where, f"невідома життєва ситуація «{item}»", "life_situation_codes")
        level = _text(row.get("provider_level"))
        if level and level not in ServiceVersion.ProviderLevel.values:
            plan.problem(where, f"рівень СНАП «{level}»: очікується state або local", "provider_level")
        term_text = _text(row.get("term_value"))
        if not term_text.isdigit() or int(term_text) < 1:
            plan.problem(where, f"строк «{term_text}» має бути цілим числом від 1", "term_value")
        unit = _text(row.get("term_unit"))
        if unit not in ServiceVersion.TermUnit.values:
            plan.problem(
                where, f"невідома одиниця строку «{unit}» (hours, working_days або calendar_days)", "term_unit"
            )
        paid = _flag(plan, where, row, "paid")
        fee_text = _text(row.get("fee_rule_id"))
        fee = {"fee_kind": ServiceVersion.FeeKind.FREE, "fee_rule": None, "fee_amount": None}
        if fee_text.startswith("fixed:"):
            amount = _decimal(fee_text[6:])
            if amount is None or amount <= 0:
                plan.problem(where, f"сума «{fee_text}» некоректна (fixed:NNN.NN)", "fee_rule_id")
            fee = {"fee_kind": ServiceVersion.FeeKind.FIXED, "fee_rule": None, "fee_amount": amount}
        elif fee_text:
            if fee_text not in rules:
                plan.problem(where, f"невідоме правило збору «{fee_text}»", "fee_rule_id")
            fee = {"fee_kind": ServiceVersion.FeeKind.RULE, "fee_rule": fee_text, "fee_amount": None}
        elif paid:
            fee["fee_kind"] = ServiceVersion.FeeKind.VARIABLE
        if fee_text and not paid:
            plan.problem(where, "для безоплатної послуги (paid=no) не можна вказати збір", "fee_rule_id")
        complex_ = _flag(plan, where, row, "complex")
        subs = [str(s).strip().upper() for s in _list(plan, where, row, "sub_service_codes")]
        if complex_ and not subs:
            plan.problem(where, "для комплексної послуги вкажіть складові послуги", "sub_service_codes")
        if subs and not complex_:
            plan.problem(where, "складові послуги можна вказати лише для complex=yes", "sub_service_codes")
        for sub in subs:
            if sub == code:
                plan.problem(where, "комплексна послуга не може містити сама себе", "sub_service_codes")
            elif sub not in known_codes:
                plan.problem(where, f"складову послугу «{sub}» не знайдено", "sub_service_codes")
        documents = []
        for doc in _list(plan, where, row, "required_documents"):
            if isinstance(doc, str):
                documents.append({"name": doc, **catalog.DOCUMENT_DEFAULTS})
            elif isinstance(doc, dict) and _text(doc.get("name")):
                documents.append(catalog._document_dict(doc))
            else:
                plan.problem(where, "документ без назви", "required_documents")
        steps = _list(plan, where, row, "tech_steps")
        if any(not isinstance(s, dict) for s in steps):
            plan.problem(where, "кроки ТК мають бути JSON-об'єктами", "tech_steps")
            steps = []
        budget_code = _text(row.get("fee_budget_code"))
        if budget_code and not re.fullmatch(r"\d{8}", budget_code):
            plan.problem(where, f"КБК «{budget_code}» має складатися з 8 цифр", "fee_budget_code")
        data = {
            "name_uk": name,
            "name_en": _text(row.get("name_en")),
            "provider_kind": _text(row.get("provider_uk")),
            "provider_level": level,
            "legal_basis": _text(row.get("legal_basis_uk")),
            "term_value": int(term_text) if term_text.isdigit() else 1,
            "term_unit": unit,
            **fee,
            "fee_budget_code": budget_code if fee["fee_kind"] != ServiceVersion.FeeKind.FREE else "",
            "pay_later_allowed": _flag(plan, where, row, "pay_later_allowed"),
            "result_uk": _text(row.get("result_uk")),
            "how_to_receive_uk": _text(row.get("how_to_receive_uk")),
            "grounds_for_refusal": [str(g) for g in _list(plan, where, row, "grounds_for_refusal")],
            "instant": _flag(plan, where, row, "instant"),
            "online": _flag(plan, where, row, "online"),
            "complex": complex_,
            "info_card": _json_object(plan, where, row, "info_card"),
            "source": _text(row.get("source")),
            "verified": _flag(plan, where, row, "verified"),
            "documents": documents,
            "tech_steps": steps,
            "sub_services": subs,
        }
        is_active = _flag(plan, where, row, "is_active", default=True)
        valid_from = _date(plan, where, row, "valid_from")
        if len(plan.problems) == before:
            plan.services.append(ServiceRecord(where, code, sphere, situations_here, is_active, valid_from, data))


def _apply_info_cards(plan: Plan) -> None:
    by_code = {r.code: r for r in plan.services}
    for code, (where, card) in plan.info_cards.items():
        target = by_code.get(code)
        if target is None:
            if code not in {_text(row.get("code")).upper() for _, row in plan.rows}:
                plan.problem(where, f"послугу «{code}» не знайдено в services.csv", "code")
            continue
        docs = card.get("required_documents") or []
        grounds = card.get("grounds_for_refusal") or []
        if not isinstance(docs, list) or not all(isinstance(d, str) and d.strip() for d in docs):
            plan.problem(where, "очікується список назв документів", "required_documents")
            continue
        if not isinstance(grounds, list):
            plan.problem(where, "очікується список", "grounds_for_refusal")
            continue
        target.data["documents"] = [catalog.document_from_text(d) for d in docs]
        target.data["result_uk"] = _text(card.get("result_uk"))
        target.data["how_to_receive_uk"] = _text(card.get("how_to_receive_uk"))
        target.data["grounds_for_refusal"] = [str(g) for g in grounds]
        target.data["info_card"] = {k: v for k, v in card.items() if k not in INFO_CARD_KEYS}


# --- Writing ---------------------------------------------------------------------------------------


def _upsert(model, key: str, values: dict, report: ImportReport, kind: str) -> None:
    obj = model.objects.filter(**{key: values[key]}).first()
    if obj is None:
        model.objects.create(**values)
        report.add(kind, "created")
        return
    diff = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if diff:
        for k, v in diff.items():
            setattr(obj, k, v)
        obj.save(update_fields=list(diff))
        report.add(kind, "updated")
    else:
        report.add(kind, "unchanged")


def _candidate_content(record: ServiceRecord) -> dict:
    """The record in the shape of ``services.version_content``, with the default ТК filled in."""
    data = dict(record.data)
    if not data["tech_steps"]:
        data["tech_steps"] = catalog.default_tech_steps(
            instant=data["instant"], complex=data["complex"], term_value=data["term_value"], term_unit=data["term_unit"]
        )
    content = {}
    for name in catalog.VERSION_FIELDS:
        content[name] = catalog._json_value(data[name])
    if content["fee_amount"] is not None:
        content["fee_amount"] = str(Decimal(content["fee_amount"]).quantize(Decimal("0.01")))
    content["documents"] = [catalog._document_dict(d) for d in data["documents"]]
    content["tech_steps"] = [catalog._step_dict(s) for s in data["tech_steps"]]
    for step in content["tech_steps"]:
        if step["term_value"] is None:
            step["term_unit"] = ""
    content["sub_services"] = sorted(data["sub_services"])
    return content


def _version_for_write(record: ServiceRecord, rules: dict, services: dict) -> dict:
    """The record's version data with fee rule and sub-services as model objects and the ТК filled in."""
    data = dict(record.data)
    data["tech_steps"] = _candidate_content(record)["tech_steps"]
    data["fee_rule"] = rules.get(data["fee_rule"]) if data["fee_rule"] else None
    data["sub_services"] = [services[code] for code in data["sub_services"]]
    return data


def _create_services(records: list[ServiceRecord], report: ImportReport, actor: Actor | None, source: str) -> None:
    """Create new services with their first versions in a few bulk statements."""
    if not records:
        return
    spheres = {s.code: s for s in Sphere.objects.all()}
    situations = {s.code: s for s in LifeSituation.objects.all()}
    rules = {r.rule_id: r for r in FeeRule.objects.all()}
    created = Service.objects.bulk_create(
        Service(
            code=r.code,
            sphere=spheres[r.sphere_code],
            name_uk=r.data["name_uk"],
            name_en=r.data.get("name_en") or "",
            is_active=r.is_active,
        )
        for r in records
    )
    services = {s.code: s for s in Service.objects.all()}
    Service.life_situations.through.objects.bulk_create(
        Service.life_situations.through(service_id=service.pk, lifesituation_id=situations[code].pk)
        for service, rec in zip(created, records, strict=True)
        for code in rec.life_situation_codes
    )
    versions, cleaned = [], []
    for service, rec in zip(created, records, strict=True):
        try:
            clean = catalog._clean_version_data(_version_for_write(rec, rules, services), service=service)
        except DomainError as exc:
            column = f", поле {exc.field}" if exc.field else ""
            raise ImportProblem([f"{rec.where}{column}: {exc.message}"], source=source)
        cleaned.append(clean)
        versions.append(
            ServiceVersion(
                service=service,
                number=1,
                valid_from=rec.valid_from or FIRST_VALID_FROM,
                change_note="Імпорт каталогу",
                created_by_id=(actor.user_id if actor else None),
                **{name: clean[name] for name in catalog.VERSION_FIELDS},
            )
        )
    ServiceVersion.objects.bulk_create(versions)
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=v, position=i, **doc)
        for v, clean in zip(versions, cleaned, strict=True)
        for i, doc in enumerate(clean["documents"], start=1)
    )
    TechStep.objects.bulk_create(
        TechStep(version=v, position=i, **step)
        for v, clean in zip(versions, cleaned, strict=True)
        for i, step in enumerate(clean["tech_steps"], start=1)
    )
    ServiceVersion.sub_services.through.objects.bulk_create(
        ServiceVersion.sub_services.through(serviceversion_id=v.pk, service_id=sub.pk)
        for v, clean in zip(versions, cleaned, strict=True)
        for sub in clean["sub_services"]
    )
    today = timezone.localdate()
    for service, version in zip(created, versions, strict=True):
        if version.valid_from <= today:
            service.current_version = version
    Service.objects.bulk_update([s for s in created if s.current_version_id], ["current_version"])
    intake.forget()  # bulk writes send no signals
    for service in created:
        report.add("services", "created")
        report.service_ids.append(service.pk)


def _update_service(
    record: ServiceRecord, service: Service, latest: ServiceVersion | None, report: ImportReport, actor
) -> None:
    """Bring an existing service in line with the record; a changed content becomes a new version."""
    touched = False
    sphere = Sphere.objects.get(code=record.sphere_code) if service.sphere.code != record.sphere_code else None
    if sphere is not None or service.is_active != record.is_active:
        service.sphere = sphere or service.sphere
        service.is_active = record.is_active
        service.save(update_fields=["sphere", "is_active"])
        touched = True
    if {s.code for s in service.life_situations.all()} != set(record.life_situation_codes):
        service.life_situations.set(LifeSituation.objects.filter(code__in=record.life_situation_codes))
        touched = True
    if latest is None or catalog.version_content(latest) != _candidate_content(record):
        if latest is None:
            valid_from = record.valid_from or FIRST_VALID_FROM
        elif record.valid_from and record.valid_from > latest.valid_from:
            valid_from = record.valid_from
        else:
            valid_from = max(timezone.localdate(), latest.valid_from + dt.timedelta(days=1))
        if latest is not None and latest.valid_to is not None:
            valid_from = max(valid_from, latest.valid_to + dt.timedelta(days=1))
        data = dict(record.data)
        data["tech_steps"] = _candidate_content(record)["tech_steps"]
        catalog.create_version(
            service, data, valid_from=valid_from, actor=actor, change_note="Імпорт каталогу", audit=False, reindex=False
        )
        touched = True
    report.add("services", "updated" if touched else "unchanged")
    if touched:
        report.service_ids.append(service.pk)


def _apply(plan: Plan, actor: Actor | None) -> ImportReport:
    if plan.problems:
        raise ImportProblem(plan.problems, source=plan.source)
    report = ImportReport()
    with transaction.atomic():
        for values in plan.subsistence:
            _upsert(SubsistenceMinimum, "year", values, report, "subsistence_minimum")
        for values in plan.fee_rules:
            _upsert(FeeRule, "rule_id", values, report, "fee_rules")
        for values in plan.spheres:
            _upsert(Sphere, "code", values, report, "spheres")
        for values in plan.life_situations:
            _upsert(LifeSituation, "code", values, report, "life_situations")
        codes = [r.code for r in plan.services]
        existing = {
            s.code: s
            for s in Service.objects.filter(code__in=codes).select_related("sphere").prefetch_related("life_situations")
        }
        latest = {
            v.service_id: v
            for v in ServiceVersion.objects.filter(service__in=list(existing.values()))
            .order_by("service_id", "-valid_from")
            .distinct("service_id")
            .select_related("fee_rule")
            .prefetch_related("documents", "tech_steps", "sub_services")
        }
        _create_services([r for r in plan.services if r.code not in existing], report, actor, plan.source)
        for rec in plan.services:
            service = existing.get(rec.code)
            if service is None:
                continue
            try:
                _update_service(rec, service, latest.get(service.pk), report, actor)
            except DomainError as exc:
                column = f", поле {exc.field}" if exc.field else ""
                raise ImportProblem([f"{rec.where}{column}: {exc.message}"], source=plan.source)
        if report.changed:
            record(actor, "catalog.import", object_type="catalog", object_id=plan.source[:60], data=report.as_dict())
            ids = list(report.service_ids)
            transaction.on_commit(lambda: catalog._reindex(ids))
    return report


# --- Shared data -----------------------------------------------------------------------------------


def import_shared_catalog(data_dir, *, actor: Actor | None = None) -> ImportReport:
    """Import shared/data (``data_dir`` is the folder holding ``services/`` and ``fees/``)."""
    data_dir = Path(data_dir)
    services_dir, fees_dir = data_dir / "services", data_dir / "fees"
    plan = Plan(source=str(data_dir))
    pm_rows = _read_csv_file(
        plan, fees_dir / "subsistence-minimum-able-bodied.csv", ["year", "pm_able_bodied_jan1_uah"]
    )
    _parse_subsistence(
        plan,
        [
            (w, {"year": r["year"], "amount": r["pm_able_bodied_jan1_uah"], "source": r.get("verified_by")})
            for w, r in pm_rows
        ],
    )
    rule_columns = ["rule_id", "service", "coefficient", "rounding"]
    for path in (fees_dir / "admin-fee-rules.csv", services_dir / "fee-rules-supplement.csv"):
        rows = _read_csv_file(plan, path, rule_columns)
        _parse_fee_rules(
            plan,
            [
                (
                    w,
                    {
                        **r,
                        "name_uk": r.get("service"),
                        "budget_code": r.get("kbk_code"),
                        "budget_code_name": r.get("kbk_name"),
                    },
                )
                for w, r in rows
            ],
        )
    _parse_spheres(plan, _read_csv_file(plan, services_dir / "spheres.csv", ["code", "name_uk"]))
    _parse_life_situations(
        plan, _read_csv_file(plan, services_dir / "life-situations.csv", ["code", "name_uk"]), shared=True
    )
    plan.rows = _read_csv_file(plan, services_dir / "services.csv", SERVICE_COLUMNS)
    _parse_services(plan)
    _read_info_cards(plan, services_dir / "info-cards.jsonl")
    _apply_info_cards(plan)
    return _apply(plan, actor)


def _read_info_cards(plan: Plan, path: Path) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        plan.problem(path.name, "файл не знайдено")
        return
    for number, line in enumerate(lines, start=1):
        where = f"{path.name}, рядок {number}"
        if not line.strip():
            continue
        try:
            card = json.loads(line)
        except json.JSONDecodeError as exc:
            plan.problem(where, f"пошкоджений JSON ({exc.msg})")
            continue
        code = _text(card.get("code")).upper() if isinstance(card, dict) else ""
        if not code:
            plan.problem(where, "картка без коду послуги", "code")
            continue
        if code in plan.info_cards:
            plan.problem(where, f"картка для {code} повторюється", "code")
            continue
        plan.info_cards[code] = (where, card)


# --- Export ----------------------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _service_row(service: Service, *, structured: bool) -> dict:
    version = service.current_version or service.versions.order_by("-valid_from").first()
    content = catalog.version_content(version)
    if content["fee_kind"] == ServiceVersion.FeeKind.FIXED:
        fee = f"fixed:{content['fee_amount']}"
    elif content["fee_kind"] == ServiceVersion.FeeKind.RULE:
        fee = content["fee_rule"]
    else:
        fee = ""
    situations = sorted(service.life_situations.values_list("code", flat=True))
    default_steps = catalog.default_tech_steps(
        instant=version.instant, complex=version.complex, term_value=version.term_value, term_unit=version.term_unit
    )
    steps = content["tech_steps"]
    docs = content["documents"]
    row = {
        "code": service.code,
        "name_uk": content["name_uk"],
        "name_en": content["name_en"],
        "sphere_code": service.sphere.code,
        "life_situation_codes": situations,
        "provider_uk": content["provider_kind"],
        "provider_level": content["provider_level"],
        "legal_basis_uk": content["legal_basis"],
        "term_value": content["term_value"],
        "term_unit": content["term_unit"],
        "paid": content["fee_kind"] != ServiceVersion.FeeKind.FREE,
        "fee_rule_id": fee,
        "instant": content["instant"],
        "online": content["online"],
        "complex": content["complex"],
        "sub_service_codes": content["sub_services"],
        "source": content["source"],
        "verified": content["verified"],
        "valid_from": version.valid_from.isoformat(),
        "is_active": service.is_active,
        "pay_later_allowed": content["pay_later_allowed"],
        "fee_budget_code": content["fee_budget_code"],
        "required_documents": docs,
        "result_uk": content["result_uk"],
        "how_to_receive_uk": content["how_to_receive_uk"],
        "grounds_for_refusal": content["grounds_for_refusal"],
        "info_card": content["info_card"],
        "tech_steps": steps,
    }
    if structured:
        return row
    plain_docs = all({k: d[k] for k in catalog.DOCUMENT_DEFAULTS} == catalog.DOCUMENT_DEFAULTS for d in docs)
    flat = {}
    for key, value in row.items():
        if key == "required_documents":
            fits = plain_docs and not any("|" in d["name"] for d in docs)
            flat[key] = "|".join(d["name"] for d in docs) if fits else json.dumps(docs, ensure_ascii=False)
        elif key == "tech_steps":
            flat[key] = "" if steps == default_steps else json.dumps(steps, ensure_ascii=False)
        elif key == "info_card":
            flat[key] = json.dumps(value, ensure_ascii=False) if value else ""
        elif isinstance(value, bool):
            flat[key] = _yes(value)
        elif isinstance(value, list):
            fits = not any("|" in str(v) for v in value)
            flat[key] = "|".join(value) if fits else json.dumps(value, ensure_ascii=False)
        else:
            flat[key] = "" if value is None else str(value)
    return flat


def _services_for_export():
    return Service.objects.select_related("sphere", "current_version").order_by("code")


def _reference_rows() -> dict[str, list[dict]]:
    return {
        "spheres": [
            {"code": s.code, "name_uk": s.name_uk, "name_en": s.name_en, "position": s.position}
            for s in Sphere.objects.order_by("position", "code")
        ],
        "life_situations": [
            {
                "code": s.code,
                "kind": s.kind,
                "name_uk": s.name_uk,
                "name_en": s.name_en,
                "description_uk": s.description_uk,
                "synonyms": list(s.synonyms),
                "position": s.position,
            }
            for s in LifeSituation.objects.order_by("position", "code")
        ],
        "fee_rules": [
            {
                "rule_id": r.rule_id,
                "name_uk": r.name_uk,
                "legal_basis": r.legal_basis,
                "base": r.base,
                "coefficient": format(r.coefficient.normalize(), "f"),
                "rounding": r.rounding,
                "budget_code": r.budget_code,
                "budget_code_name": r.budget_code_name,
                "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                "note": r.note,
            }
            for r in FeeRule.objects.order_by("rule_id")
        ],
        "subsistence_minimum": [
            {"year": m.year, "amount": str(m.amount), "source": m.source}
            for m in SubsistenceMinimum.objects.order_by("year")
        ],
    }


def export_catalog(fmt: str) -> bytes:
    """The whole catalog as CSV (services), XLSX (services and reference sheets) or JSON."""
    if fmt not in FORMATS:
        raise DomainError("Формат має бути csv, xlsx або json.", code="invalid_format", field="format")
    columns = SERVICE_COLUMNS + EXTRA_COLUMNS
    if fmt == "json":
        payload = {
            "format": "vikno-catalog",
            "version": 1,
            "exported_at": timezone.now().isoformat(timespec="seconds"),
            **_reference_rows(),
            "services": [_service_row(s, structured=True) for s in _services_for_export()],
        }
        return json.dumps(payload, ensure_ascii=False, indent=1).encode()
    rows = [_service_row(s, structured=False) for s in _services_for_export()]
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "services"
    sheet.append(columns)
    for row in rows:
        sheet.append([row[c] for c in columns])
    references = _reference_rows()
    for name, sheet_columns in (
        ("spheres", SPHERE_COLUMNS),
        ("life_situations", LIFE_SITUATION_COLUMNS),
        ("fee_rules", FEE_RULE_COLUMNS),
        ("subsistence_minimum", PM_COLUMNS),
    ):
        ws = book.create_sheet(name)
        ws.append(sheet_columns)
        for item in references[name]:
            ws.append([_text(item[c]) if isinstance(item[c], list) else item[c] for c in sheet_columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Import of a catalog file ----------------------------------------------------------------------


def _sheet_rows(plan: Plan, sheet, label: str, required: list[str]) -> list[tuple[str, dict]]:
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or not any(rows[0]):
        plan.problem(label, "аркуш порожній або не має рядка заголовків")
        return []
    header = [_text(h) for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        plan.problem(f"{label}, рядок 1", f"немає обов'язкових стовпців: {', '.join(missing)}")
        return []
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in cells):
            continue
        out.append((f"{label}, рядок {number}", {h: c for h, c in zip(header, cells, strict=False) if h}))
    return out


def _read_xlsx(plan: Plan, content: bytes) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key) for a file that is not a workbook
        plan.problem("файл", "це не книга Excel XLSX або файл пошкоджено")
        return
    names = book.sheetnames
    if "services" not in names:
        plan.problem("файл", "у книзі немає аркуша «services»")
        return
    if "subsistence_minimum" in names:
        _parse_subsistence(plan, _sheet_rows(plan, book["subsistence_minimum"], "subsistence_minimum", PM_COLUMNS[:2]))
    if "fee_rules" in names:
        _parse_fee_rules(
            plan, _sheet_rows(plan, book["fee_rules"], "fee_rules", ["rule_id", "coefficient", "rounding"])
        )
    if "spheres" in names:
        _parse_spheres(plan, _sheet_rows(plan, book["spheres"], "spheres", ["code", "name_uk"]))
    if "life_situations" in names:
        _parse_life_situations(
            plan, _sheet_rows(plan, book["life_situations"], "life_situations", ["code", "name_uk"]), shared=False
        )
    plan.rows = _sheet_rows(plan, book["services"], "services", REQUIRED_COLUMNS)
    book.close()


def _read_json(plan: Plan, content: bytes) -> None:
    try:
        payload = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        plan.problem("файл", "файл не в кодуванні UTF-8")
        return
    except json.JSONDecodeError as exc:
        plan.problem(f"файл, рядок {exc.lineno}", f"пошкоджений JSON ({exc.msg})")
        return
    if isinstance(payload, list):
        payload = {"services": payload}
    if not isinstance(payload, dict) or not isinstance(payload.get("services"), list):
        plan.problem("файл", "очікується об'єкт з масивом «services»")
        return

    def items(key: str) -> list[tuple[str, dict]]:
        values = payload.get(key) or []
        out = []
        for index, item in enumerate(values, start=1):
            where = f"{key}[{index}]"
            if isinstance(item, dict):
                out.append((where, item))
            else:
                plan.problem(where, "очікується JSON-об'єкт")
        return out

    _parse_subsistence(plan, items("subsistence_minimum"))
    _parse_fee_rules(plan, items("fee_rules"))
    _parse_spheres(plan, items("spheres"))
    _parse_life_situations(plan, items("life_situations"), shared=False)
    plan.rows = []
    for where, row in items("services"):
        missing = [c for c in REQUIRED_COLUMNS if c not in row]
        if missing:
            plan.problem(where, f"немає обов'язкових полів: {', '.join(missing)}")
            continue
        plan.rows.append((f"{where} ({_text(row.get('code'))})", row))


def import_catalog(fileobj, fmt: str, *, actor: Actor | None = None) -> ImportReport:
    """Import a catalog file made by ``export_catalog`` (or edited from it). All or nothing."""
    if fmt not in FORMATS:
        raise DomainError("Формат має бути csv, xlsx або json.", code="invalid_format", field="format")
    content: Any = fileobj.read()
    if isinstance(content, str):
        content = content.encode()
    plan = Plan(source=f"файл {fmt.upper()}")
    if fmt == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            plan.problem("файл", "файл не в кодуванні UTF-8")
        else:
            plan.rows = _read_csv_text(plan, text, "CSV", REQUIRED_COLUMNS)
    elif fmt == "xlsx":
        _read_xlsx(plan, content)
    else:
        _read_json(plan, content)
    _parse_services(plan)
    return _apply(plan, actor)
