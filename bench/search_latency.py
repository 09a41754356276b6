#!/usr/bin/env python
"""Catalog search latency on a catalog of ≥ 2,000 services.

Run from the project folder: ``.venv/bin/python bench/search_latency.py`` (about a minute).

It uses its own database on the embedded server (``VIKNO_BENCH_DB_NAME``, default ``vikno_bench``),
migrates it, and replaces its catalog: the real shared catalog when
``vikno.catalog.importers.import_shared_catalog`` exists, otherwise the same 157 services read from
shared/data/services/*.csv through the ORM; then generated variants of those names (other
applicant groups, urgency, duplicates…) until there are ``--services`` services. After ``reindex``
it runs a warm-up and then ``--searches`` searches over a mix of exact names, life-situation
phrases and typos, and prints p50/p95/p99 in ms beside two baselines measured in the same run: a
``SELECT 1`` round trip and a lookup of one service by its indexed code.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import setup_bench_django  # noqa: E402

# its own database (created if missing, migrated), never the application's one; no query log in memory
setup_bench_django(
    "VIKNO_BENCH_DB_NAME",
    "vikno_bench",
    settings_module=os.environ.get("DJANGO_SETTINGS_MODULE", "vikno.settings.dev"),
    fresh=False,
)

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from vikno.catalog import importers, search  # noqa: E402
from vikno.catalog.models import LifeSituation, Service, ServiceVersion, Sphere  # noqa: E402

VARIANTS = [
    "для юридичних осіб",
    "для фізичних осіб — підприємців",
    "через представника за довіреністю",
    "у скорочений строк",
    "повторна видача (дублікат)",
    "для внутрішньо переміщених осіб",
    "для іноземців та осіб без громадянства",
    "в електронній формі через Портал Дія",
    "за місцем перебування",
    "для військовослужбовців та членів їхніх сімей",
    "для осіб з інвалідністю",
    "у разі втрати або пошкодження документа",
    "на підставі рішення суду",
    "для неповнолітніх",
    "з виїздом мобільного ЦНАП",
]

LIFE_PHRASES = [
    "народила дитину",
    "народження дитини",
    "дитина народилася",
    "одруження",
    "розлучення",
    "втратив паспорт",
    "загубила документи",
    "помер батько",
    "смерть близької людини",
    "відкрити ФОП",
    "закрити бізнес",
    "вихід на пенсію",
    "купівля автомобіля",
    "купила квартиру",
    "житлова субсидія",
    "земельна ділянка",
    "переїзд у нове місто",
    "зміна місця проживання",
    "паспорт для виїзду за кордон",
    "статус ВПО",
    "будівництво будинку",
    "посвідчення водія",
    "зміна прізвища",
    "14 років паспорт",
    "єМалятко",
]

TYPOS = [
    "нарожденя дитини",
    "паспотр",
    "субсідія",
    "посвідченя водія",
    "реєстрацыя шлюбу",
    "деклорування місця проживання",
    "земельна ділнка",
    "пенсиія",
    "відстрочка від мобілізаціі",
    "довідка про несудимысть",
]

CSV_DIR = Path(settings.DATA_DIR) / "services"


def read_csv(name: str) -> list[dict]:
    with open(CSV_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def wipe_catalog() -> None:
    """Empty the catalog tables of the bench database (never the application's database)."""
    assert connection.settings_dict["NAME"] == os.environ["VIKNO_DB_NAME"]
    tables = [m._meta.db_table for m in (Service, ServiceVersion, LifeSituation, Sphere)]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")


def load_real_catalog_from_csv() -> None:
    """The 157 shared services with their spheres and life situations (names and links only)."""
    spheres = {
        row["code"]: Sphere(code=row["code"], name_uk=row["name_uk"], name_en=row["name_en"], position=i)
        for i, row in enumerate(read_csv("spheres.csv"))
    }
    Sphere.objects.bulk_create(spheres.values())
    situations = {
        row["code"]: LifeSituation(
            code=row["code"],
            name_uk=row["name_uk"],
            name_en=row["name_en"],
            description_uk=row["description_uk"],
            position=i,
        )
        for i, row in enumerate(read_csv("life-situations.csv"))
    }
    LifeSituation.objects.bulk_create(situations.values())
    rows = read_csv("services.csv")
    create_services(
        [
            (
                r["code"],
                r["name_uk"],
                r["name_en"],
                r["sphere_code"],
                [c for c in r["life_situation_codes"].split("|") if c],
                r["online"] == "yes",
                r["instant"] == "yes",
            )
            for r in rows
        ],
        spheres,
        situations,
    )


def create_services(specs, spheres, situations) -> None:
    services = Service.objects.bulk_create(
        [Service(code=code, name_uk=name, sphere=spheres[sphere]) for code, name, _en, sphere, *_ in specs]
    )
    versions = ServiceVersion.objects.bulk_create(
        [
            ServiceVersion(
                service=s,
                number=1,
                valid_from=dt.date(2024, 1, 1),
                name_uk=spec[1],
                name_en=spec[2],
                term_value=5,
                term_unit="working_days",
                online=spec[5],
                instant=spec[6],
            )
            for s, spec in zip(services, specs, strict=True)
        ]
    )
    for s, v in zip(services, versions, strict=True):
        s.current_version = v
    Service.objects.bulk_update(services, ["current_version"])
    through = Service.life_situations.through
    through.objects.bulk_create(
        [
            through(service_id=s.id, lifesituation_id=situations[c].id)
            for s, spec in zip(services, specs, strict=True)
            for c in spec[4]
            if c in situations
        ]
    )


def generate_variants(target: int) -> None:
    spheres = {s.code: s for s in Sphere.objects.all()}
    situations = {ls.code: ls for ls in LifeSituation.objects.all()}
    base = list(Service.objects.select_related("sphere", "current_version").prefetch_related("life_situations"))
    used = set(Service.objects.values_list("code", flat=True))
    counters: dict[str, int] = {}
    specs = []
    i = 0
    while len(base) + len(specs) < target:
        service = base[i % len(base)]
        variant = VARIANTS[(i // len(base)) % len(VARIANTS)]
        sphere = service.sphere.code
        counters[sphere] = counters.get(sphere, 1000) + 1
        code = f"{sphere}-{counters[sphere]}"
        if code not in used:
            used.add(code)
            specs.append(
                (
                    code,
                    f"{service.name_uk} {variant}"[:500],
                    "",
                    sphere,
                    [ls.code for ls in service.life_situations.all()],
                    i % 3 == 0,
                    i % 7 == 0,
                )
            )
        i += 1
    create_services(specs, spheres, situations)


def misspell(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters of the longest word (a common typing slip)."""
    words = text.split()
    k = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[k]
    if len(w) > 4:
        p = rng.randrange(1, len(w) - 2)
        words[k] = w[:p] + w[p + 1] + w[p] + w[p + 2 :]
    return " ".join(words)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        start = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - start) * 1000)
    return out


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{os.cpu_count()} CPUs ({model}), RAM {ram}, PostgreSQL {pg}, Python {sys.version.split()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=2000, help="catalog size (default 2000)")
    parser.add_argument("--searches", type=int, default=400, help="measured searches (default 400)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()

    with transaction.atomic():
        wipe_catalog()
        if hasattr(importers, "import_shared_catalog"):
            importers.import_shared_catalog(settings.DATA_DIR)
            source = "import_shared_catalog"
        else:
            load_real_catalog_from_csv()
            source = "shared CSV via ORM (importer not available)"
        real = Service.objects.count()
        real_names = list(Service.objects.values_list("name_uk", flat=True))
        generate_variants(args.services)
    t0 = time.perf_counter()
    indexed = search.reindex()
    reindex_s = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE catalog_service")

    codes = list(Service.objects.values_list("code", flat=True))
    queries: list[tuple[str, str]] = []
    for n in range(args.searches):
        kind = n % 3
        if kind == 0:
            queries.append(("name", rng.choice(real_names)))
        elif kind == 1:
            queries.append(("life situation", rng.choice(LIFE_PHRASES)))
        else:
            queries.append(("typo", rng.choice(TYPOS) if rng.random() < 0.5 else misspell(rng.choice(real_names), rng)))

    def select_1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def by_code(code):
        Service.objects.filter(code=code).values_list("id", "name_uk").first()

    # Warm-up: lemma cache, connection, plan cache of the server.
    for _kind, q in queries[:40]:
        search.search_services(q)
    timed(select_1, [()] * 50)

    base_select = timed(select_1, [()] * args.searches)
    base_code = timed(by_code, [(rng.choice(codes),) for _ in range(args.searches)])
    results: dict[str, list[float]] = {}
    slowest: list[tuple[float, str]] = []
    empty = 0
    for kind, q in queries:
        start = time.perf_counter()
        hits = search.search_services(q)
        ms = (time.perf_counter() - start) * 1000
        results.setdefault(kind, []).append(ms)
        slowest.append((ms, q))
        empty += not hits
    all_ms = [x for v in results.values() for x in v]

    print(f"Machine: {machine()}")
    print(f"Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"Catalog: {indexed} services ({real} real from {source}, the rest generated); reindex {reindex_s:.2f} s")
    print(
        f"Searches: {len(all_ms)} ({', '.join(f'{k} {len(v)}' for k, v in results.items())}); {empty} returned nothing"
    )
    print()
    print(f"{'what':<28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")

    def row(label, values):
        print(
            f"{label:<28}{statistics.median(values):>9.2f}{percentile(values, 95):>9.2f}"
            f"{percentile(values, 99):>9.2f}{max(values):>9.2f}"
        )

    row("baseline: SELECT 1", base_select)
    row("baseline: service by code", base_code)
    row("search: all", all_ms)
    for kind, values in results.items():
        row(f"search: {kind}", values)
    print()
    print("Slowest searches:")
    for ms, q in sorted(slowest, reverse=True)[:5]:
        print(f"  {ms:7.2f} ms  {q[:90]}")
    p95 = percentile(all_ms, 95)
    print()
    print(
        f"Target p95 < 20 ms: {'met' if p95 < 20 else 'NOT met'} (p95 {p95:.2f} ms). "
        f"Total run {time.perf_counter() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
