"""КАТОТТГ codifier import (owner: orgs). Contract:

- ``import_katottg(path: Path, *, region_codes: list[str] | None = None) -> ImportReport`` with
  counts per category; idempotent; one transaction; bad rows reported with their line numbers
  (``vikno.core.errors.ImportProblem``), nothing half-imported. ``region_codes`` limits the import
  to some oblasts (the demo loads one oblast quickly).

The file is the official export: UTF-8 with a BOM, ``;`` separated, one header row and seven columns
(five level codes, the category letter, the name). A row describes the object in its deepest
non-empty level column; the columns to the left name its parents. Rows are validated first, all of
them; only a clean file is written, with bulk inserts and updates of the rows that differ, so a
second import of the same file writes nothing.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from vikno.core import audit
from vikno.core.errors import ImportProblem

from .models import Hromada, Raion, Region, Settlement

CODE_RE = re.compile(r"^UA\d{17}$")
COLUMNS = 7
# Category letter -> the level column (0-based) that holds the object's own code.
CATEGORY_LEVEL = {"O": 0, "K": 0, "P": 1, "H": 2, "M": 3, "X": 3, "C": 3, "B": 4}
CATEGORY_ORDER = ["O", "K", "P", "H", "M", "X", "C", "B"]
BATCH = 2000


@dataclass
class ImportReport:
    """What an import found and did. ``counts`` are rows per category letter in the (filtered) file."""

    source: str
    counts: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        return "; ".join(self.lines())

    def lines(self) -> list[str]:
        out = [f"{letter}: {self.counts[letter]}" for letter in CATEGORY_ORDER if letter in self.counts]
        out.append(
            f"Усього рядків: {self.total}; створено {self.created}, оновлено {self.updated}, без змін {self.unchanged}."
        )
        return out


@dataclass
class _Row:
    line: int
    codes: list[str]
    category: str
    name: str

    @property
    def code(self) -> str:
        return self.codes[CATEGORY_LEVEL[self.category]]


def _read(path: Path, region_codes: set[str] | None, problems: list[str]) -> list[_Row]:
    rows: list[_Row] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        try:
            next(reader)  # header
        except StopIteration:
            problems.append("файл порожній")
            return rows
        for values in reader:
            line = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != COLUMNS:
                problems.append(f"рядок {line}: {len(values)} стовпців замість {COLUMNS}")
                continue
            codes = [v.strip() for v in values[:5]]
            category, name = values[5].strip(), values[6].strip()
            if region_codes is not None and codes[0] not in region_codes:
                continue
            level = CATEGORY_LEVEL.get(category)
            if level is None:
                problems.append(f"рядок {line}: невідома категорія «{category}»")
                continue
            if not name:
                problems.append(f"рядок {line}: порожня назва")
                continue
            bad = [c for c in codes[: level + 1] if not CODE_RE.match(c)]
            if bad:
                problems.append(f"рядок {line}: код «{bad[0]}» не відповідає формату UA + 17 цифр")
                continue
            if any(codes[level + 1 :]):
                problems.append(f"рядок {line}: категорія {category} не відповідає рівню заповнених кодів")
                continue
            rows.append(_Row(line, codes, category, name))
    return rows


_MISSING = object()


def _hromada_code(row: _Row, hromadas: set[str]):
    """The hromada of a settlement row; ``None`` when the codifier puts it directly under the oblast
    (levels 2 and 3 repeat the oblast code: Прип'ять, Чорнобиль); ``_MISSING`` when unknown."""
    code = row.codes[2]
    if code in hromadas:
        return code
    if code == row.codes[0] == row.codes[1]:
        return None
    return _MISSING


def _sync(model, wanted: dict[str, dict], fields: list[str], report: ImportReport) -> None:
    """Insert missing codes and update rows whose fields differ; leave equal rows alone."""
    existing = {
        r["katottg"]: r for r in model.objects.filter(katottg__in=list(wanted)).values("id", "katottg", *fields)
    }
    new, changed = [], []
    for code, values in wanted.items():
        current = existing.get(code)
        if current is None:
            new.append(model(katottg=code, **values))
        elif any(current[f] != values[f] for f in fields):
            changed.append(model(id=current["id"], katottg=code, **values))
        else:
            report.unchanged += 1
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=BATCH)
    report.created += len(new)
    report.updated += len(changed)


def import_katottg(path, *, region_codes=None, actor=None) -> ImportReport:
    """Import (or refresh) regions, raions, hromadas and settlements from the codifier file."""
    path = Path(path)
    problems: list[str] = []
    wanted_regions = None
    if region_codes:
        wanted_regions = {c.strip() for c in region_codes}
        for code in sorted(wanted_regions):
            if not CODE_RE.match(code):
                problems.append(f"код області «{code}» не відповідає формату UA + 17 цифр")
        if problems:
            raise ImportProblem(problems, source=path.name)
    try:
        rows = _read(path, wanted_regions, problems)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportProblem([f"файл не є CSV у кодуванні UTF-8: {exc}"], source=path.name) from None
    report = ImportReport(source=path.name, counts=dict(Counter(r.category for r in rows)))
    if wanted_regions:
        found = {r.code for r in rows if r.category in ("O", "K")}
        for code in sorted(wanted_regions - found):
            problems.append(f"область з кодом {code} у файлі не знайдено")

    by_category: dict[str, list[_Row]] = {c: [] for c in CATEGORY_ORDER}
    for row in rows:
        by_category[row.category].append(row)

    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            problems.append(f"рядок {row.line}: код {row.code} повторює рядок {seen[row.code]}")
        else:
            seen[row.code] = row.line

    file_regions = {r.code for r in by_category["O"] + by_category["K"]}
    file_raions = {r.code for r in by_category["P"]}
    special_cities = {r.code for r in by_category["K"]}
    file_hromadas = {r.code for r in by_category["H"]} | special_cities

    def known(model, codes: set[str], in_file: set[str]) -> set[str]:
        missing = codes - in_file
        if not missing:
            return in_file
        return in_file | set(model.objects.filter(katottg__in=missing).values_list("katottg", flat=True))

    all_regions = known(Region, {r.codes[0] for r in rows}, file_regions)
    all_raions = known(Raion, {r.codes[1] for r in by_category["H"]}, file_raions)
    settlement_rows = by_category["M"] + by_category["X"] + by_category["C"] + by_category["B"]
    all_hromadas = known(Hromada, {r.codes[2] for r in settlement_rows}, file_hromadas)

    for row in rows:
        if row.category in ("O", "K"):
            continue
        if row.codes[0] not in all_regions:
            problems.append(f"рядок {row.line}: батьківський код {row.codes[0]} (область) не знайдено")
        elif row.category == "H" and row.codes[1] not in all_raions:
            problems.append(f"рядок {row.line}: батьківський код {row.codes[1]} (район) не знайдено")
        elif row.category in ("M", "X", "C", "B") and _hromada_code(row, all_hromadas) is _MISSING:
            problems.append(f"рядок {row.line}: батьківський код {row.codes[2]} (громада) не знайдено")

    if problems:
        raise ImportProblem(problems, source=path.name)

    with transaction.atomic():
        regions = {r.code: {"name": r.name, "category": r.category} for r in by_category["O"] + by_category["K"]}
        _sync(Region, regions, ["name", "category"], report)
        region_ids = dict(Region.objects.filter(katottg__in=all_regions).values_list("katottg", "id"))

        raions = {r.code: {"name": r.name, "region_id": region_ids[r.codes[0]]} for r in by_category["P"]}
        _sync(Raion, raions, ["name", "region_id"], report)
        raion_ids = dict(Raion.objects.filter(katottg__in=all_raions).values_list("katottg", "id"))

        hromadas = {
            r.code: {"name": r.name, "region_id": region_ids[r.codes[0]], "raion_id": raion_ids[r.codes[1]]}
            for r in by_category["H"]
        }
        # A city with special status is its own hromada, so centers there fit the same tree.
        for r in by_category["K"]:
            hromadas[r.code] = {"name": r.name, "region_id": region_ids[r.code], "raion_id": None}
        _sync(Hromada, hromadas, ["name", "region_id", "raion_id"], report)
        hromada_ids = dict(Hromada.objects.filter(katottg__in=all_hromadas).values_list("katottg", "id"))

        settlements = {
            r.code: {
                "name": r.name,
                "category": r.category,
                "hromada_id": hromada_ids.get(_hromada_code(r, all_hromadas)),
                "region_id": region_ids[r.codes[0]],
            }
            for r in settlement_rows
        }
        _sync(Settlement, settlements, ["name", "category", "hromada_id", "region_id"], report)

        if report.created or report.updated:
            audit.record(
                actor,
                "orgs.katottg_imported",
                object_type="orgs.katottg",
                object_id=path.name,
                data={"counts": report.counts, "created": report.created, "updated": report.updated},
            )
    return report
