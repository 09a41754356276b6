#!/usr/bin/env python
"""Reports on roll-ups vs a full scan of cases: an oblast year and a national dashboard.

Run from the project folder: ``.venv/bin/python bench/report_load.py [--national-cases N] [--oblast-cases N]``.

It works on its own database of the embedded PostgreSQL server (``VIKNO_BENCH_REPORTS_DB``, default
``vikno_bench_reports``; the name must start with ``vikno_bench``), migrated; ``--fresh`` drops it first.
When the database already holds data of the same sizes and seed, the generation is skipped (``--regenerate``
forces it).

Generation (lean and set-based): a national network of 24 oblasts and Kyiv (synthetic regions, raions and
hromadas with КАТОТТГ-shaped codes and a population each), ``--centers-per-oblast`` centers per oblast, each a
main office, ТП and ВРМ and sometimes a mobile office; the real service catalog
(``import_shared_catalog``); state providers per oblast and a council provider per center; one placeholder
applicant per center. Cases of one year (``--year``), filed on weekdays 08:00–17:00 (Kyiv time), written day
by day in filing order with ``INSERT … SELECT`` over ``generate_series``: ``--oblast-cases`` in the bench
oblast (Вінницька) and ``--national-cases`` in all. Statuses, instant services, channels, fees and budget
codes as described in bench/README.md; a payment for each paid case. The secondary indexes of the case and
payment tables are dropped during the load and built again after it; foreign-key triggers are off
(``session_replication_role = replica``); ``VACUUM ANALYZE`` at the end.

Then: the roll-ups are built with the production code (``vikno.reports.rollup.rebuild_range``), the
maintenance cost is measured (a stream of case changes with the sweep every 5 minutes, with and without the
roll-up receivers; the recount of busy center-days), and the oblast dashboard, the national dashboard and the direct queries on the cases that
compute the same figures are timed (first run and p50/p95 of ``--runs`` warm runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import edrpou_maker, setup_bench_django, truncate_bench_tables  # noqa: E402
from generate_cases import STATE_PROVIDERS, machine, percentile, weighted_slots  # noqa: E402

DEFAULT_DB = "vikno_bench_reports"
BENCH_OBLAST = "Вінницька"
LOCAL_BUDGET_CODES = ("22012500", "22012600", "22010300")

# (two-digit code, name, population in thousands — rough, for the weights and per-1,000 figures)
OBLASTS = [
    ("05", "Вінницька", 1500),
    ("07", "Волинська", 1000),
    ("12", "Дніпропетровська", 3000),
    ("14", "Донецька", 1200),
    ("18", "Житомирська", 1150),
    ("21", "Закарпатська", 1230),
    ("23", "Запорізька", 1300),
    ("26", "Івано-Франківська", 1350),
    ("32", "Київська", 1780),
    ("35", "Кіровоградська", 900),
    ("44", "Луганська", 300),
    ("46", "Львівська", 2450),
    ("48", "Миколаївська", 1050),
    ("51", "Одеська", 2350),
    ("53", "Полтавська", 1350),
    ("56", "Рівненська", 1140),
    ("59", "Сумська", 1030),
    ("61", "Тернопільська", 1020),
    ("63", "Харківська", 2600),
    ("65", "Херсонська", 600),
    ("68", "Хмельницька", 1230),
    ("71", "Черкаська", 1160),
    ("73", "Чернівецька", 890),
    ("74", "Чернігівська", 950),
    ("80", "Київ", 2950),
]
HROMADA_WORDS = [
    "Калинівська",
    "Березівська",
    "Степанівська",
    "Зарічненська",
    "Липовецька",
    "Гайсинська",
    "Озерненська",
    "Підгаєцька",
    "Соснівська",
    "Дубівська",
    "Вербівська",
    "Ясенівська",
    "Тополівська",
    "Кленівська",
    "Вишнівська",
    "Лозівська",
]
# Share of the year's cases by weekday and month.
WEEKDAY_WEIGHT = [1.12, 1.05, 1.0, 0.98, 0.85]
MONTH_WEIGHT = {1: 0.8, 3: 1.05, 8: 0.85, 9: 1.15, 12: 0.95}
INSTANT_SHARE = 0.15


def setup_django(fresh: bool) -> str:
    return setup_bench_django("VIKNO_BENCH_REPORTS_DB", DEFAULT_DB, fresh=fresh)


def sql(statement: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def rows(statement: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def scalar(statement: str, params=None):
    return rows(statement, params)[0][0]


def copy_rows(table: str, columns: list[str], data) -> int:
    from django.db import connection

    n = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in data:
            cp.write_row(row)
            n += 1
    return n


def in_session(settings: list[str], statements: list) -> int:
    """Run statements on this thread's own connection (closed at the end); returns the last row count."""
    from django.db import connection

    n = 0
    try:
        with connection.cursor() as cursor:
            for setting in settings:
                cursor.execute(setting)
            for statement in statements:
                statement, params = statement if isinstance(statement, tuple) else (statement, None)
                cursor.execute(statement, params)
                n = cursor.rowcount
    finally:
        connection.close()
    return n


def parallel(fn, items, workers: int) -> None:
    """``fn`` over ``items`` in ``workers`` threads (each with its own database connection), in order."""
    import threading

    if workers <= 1:
        for item in items:
            fn(item)
        return
    queue = list(items)
    lock = threading.Lock()
    errors = []

    def worker():
        while True:
            with lock:
                if not queue or errors:
                    return
                item = queue.pop(0)
            try:
                fn(item)
            except Exception as exc:  # reported after the other threads stop
                errors.append(exc)
                return

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


class Steps:
    def __init__(self):
        self.timings: list[tuple[str, int, float]] = []

    def __call__(self, label: str, fn):
        start = time.perf_counter()
        n = fn() or 0
        seconds = time.perf_counter() - start
        self.timings.append((label, n, seconds))
        rate = f"{n / seconds:>11,.0f} rows/s" if n and seconds > 0 else ""
        print(f"  {label:<52}{n:>12,} rows {seconds:>8.1f} s {rate}", flush=True)
        return n


# --- generation ---------------------------------------------------------------------------------------


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.year = args.year

    # Indexes of the big tables are dropped for the load and built again after it; their definitions are
    # kept in a table of the bench database so that an interrupted run restores them next time.
    BIG_TABLES = ("cases_case", "payments_payment")

    def save_and_drop_indexes(self) -> int:
        sql(
            "CREATE TABLE IF NOT EXISTS bench_saved_ddl (id serial PRIMARY KEY, tbl text, name text, "
            "index_ddl text, attach_ddl text)"
        )
        if scalar("SELECT count(*) FROM bench_saved_ddl"):
            self.restore_indexes()
        n = 0
        for table in self.BIG_TABLES:
            # Unique constraints: their index is built like the others, then attached (USING INDEX).
            for name, index_ddl in rows(
                "SELECT conname, pg_get_indexdef(conindid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'",
                [table],
            ):
                attach = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"'
                sql(
                    "INSERT INTO bench_saved_ddl (tbl, name, index_ddl, attach_ddl) VALUES (%s, %s, %s, %s)",
                    [table, name, index_ddl, attach],
                )
                sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                n += 1
            for name, index_ddl in rows(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
                [table],
            ):
                sql("INSERT INTO bench_saved_ddl (tbl, name, index_ddl) VALUES (%s, %s, %s)", [table, name, index_ddl])
                sql(f"DROP INDEX {name}")
                n += 1
        return n

    def restore_indexes(self) -> int:
        """Build the saved indexes, ``--load-workers`` at a time (CREATE INDEX sessions do not block each
        other), then attach the unique constraints to theirs."""
        saved = rows("SELECT id, tbl, name, index_ddl, attach_ddl FROM bench_saved_ddl ORDER BY id")
        existing = {r[0] for r in rows("SELECT indexrelid::regclass::text FROM pg_index")}

        def build(item):
            _pk, table, name, index_ddl, _attach = item
            if name in existing or f'"{name}"' in existing:
                return
            start = time.perf_counter()
            in_session(["SET maintenance_work_mem = '1GB'", "SET max_parallel_maintenance_workers = 1"], [index_ddl])
            print(f"      {table}.{name}: {time.perf_counter() - start:.1f} s", flush=True)

        parallel(build, saved, self.args.load_workers)
        for pk, _table, _name, _index_ddl, attach in saved:
            if attach:
                sql(attach)
            sql("DELETE FROM bench_saved_ddl WHERE id = %s", [pk])
        return len(saved)

    def wipe(self) -> int:
        from django.db import connection

        wiped = truncate_bench_tables(connection)
        sql("DROP TABLE IF EXISTS bench_meta")
        return wiped

    def catalog(self) -> int:
        from django.conf import settings

        from vikno.catalog import importers
        from vikno.catalog.models import Service

        importers.import_shared_catalog(settings.DATA_DIR)
        return Service.objects.count()

    def network(self) -> int:
        from django.contrib.auth.hashers import make_password

        from vikno.accounts.models import User
        from vikno.cases.models import Applicant
        from vikno.core.scoping import Role
        from vikno.orgs.models import Center, Hromada, Office, Provider, Raion, Region

        rng = self.rng
        new_edrpou = edrpou_maker(rng)

        regions = Region.objects.bulk_create(
            Region(
                katottg=f"UA{code}{0:09d}{rng.randrange(10**6):06d}",
                name=name,
                category="K" if code == "80" else "O",
            )
            for code, name, _ in OBLASTS
        )
        raions = []
        for (code, _name, _pop), region in zip(OBLASTS, regions, strict=True):
            if code == "80":
                continue
            for k in range(1, 6):
                raions.append(
                    Raion(
                        katottg=f"UA{code}{k * 2:02d}{0:07d}{rng.randrange(10**6):06d}",
                        name=f"{region.name[:-3]}ський {k}",
                        region=region,
                    )
                )
        raions = Raion.objects.bulk_create(raions)
        by_region: dict[int, list] = {}
        for raion in raions:
            by_region.setdefault(raion.region_id, []).append(raion)

        self.centers = []  # (center, population, weight)
        hromadas, centers_spec = [], []
        per_oblast = self.args.centers_per_oblast
        for (code, _name, pop_k), region in zip(OBLASTS, regions, strict=True):
            n = max(3, per_oblast // 7) if code == "80" else per_oblast
            # Populations: one big city, a few towns, many small hromadas (a long tail), summing to pop_k.
            raw = [1 / (i + 1) ** 0.9 for i in range(n)]
            scale = pop_k * 1000 / sum(raw)
            for i in range(n):
                population = max(2500, int(raw[i] * scale * rng.uniform(0.8, 1.2)))
                raion = None if code == "80" else by_region[region.pk][i % 5]
                hcode = f"UA{code}{(i % 5 + 1) * 2:02d}{i + 1:03d}{0:04d}{rng.randrange(10**6):06d}"
                name = f"{HROMADA_WORDS[i % len(HROMADA_WORDS)]} {i + 1}"
                hromadas.append(Hromada(katottg=hcode, name=name, region=region, raion=raion, population=population))
                centers_spec.append((region, population, i))
        hromadas = Hromada.objects.bulk_create(hromadas)
        centers = []
        for hromada, (region, _population, i) in zip(hromadas, centers_spec, strict=True):
            centers.append(
                Center(
                    name=f"ЦНАП {hromada.name} {region.name[:-2] if region.category == 'O' else 'міста'}",
                    short_name=f"ЦНАП {hromada.name}",
                    slug=f"bench-r{region.pk}-{i + 1}",
                    hromada=hromada,
                    region=region,
                    edrpou=new_edrpou(),
                    address=f"вул. Соборна, {rng.randrange(1, 60)}",
                )
            )
        centers = Center.objects.bulk_create(centers)
        offices = []
        for center, (_region, population, _i) in zip(centers, centers_spec, strict=True):
            offices.append(Office(center=center, region_id=center.region_id, kind="main", name="Головний офіс"))
            n_points = 2 + min(6, population // 40_000)
            for k in range(n_points):
                kind = "branch" if k % 2 == 0 else "remote"
                label = "ТП" if kind == "branch" else "ВРМ"
                offices.append(Office(center=center, region_id=center.region_id, kind=kind, name=f"{label} {k + 1}"))
            if population >= 30_000 or rng.random() < 0.25:
                offices.append(Office(center=center, region_id=center.region_id, kind="mobile", name="Мобільний ЦНАП"))
        offices = Office.objects.bulk_create(offices)
        self.offices: dict[int, list] = {}
        for office in offices:
            self.offices.setdefault(office.center_id, []).append(office)
        providers = []
        for region in regions:
            for name, sphere in STATE_PROVIDERS:
                providers.append(
                    Provider(
                        name=f"{name} ({region.name})",
                        short_name=sphere,
                        edrpou=new_edrpou(),
                        kind="state_territorial",
                        region=region,
                    )
                )
        for center in centers:
            providers.append(
                Provider(
                    name=f"Виконавчий комітет ради ({center.short_name})",
                    short_name="",
                    edrpou=new_edrpou(),
                    kind="council_department",
                    region_id=center.region_id,
                    hromada_id=center.hromada_id,
                )
            )
        providers = Provider.objects.bulk_create(providers)
        self.state_provider = {(p.region_id, p.short_name): p.pk for p in providers if p.kind == "state_territorial"}
        self.council_provider = {p.hromada_id: p.pk for p in providers if p.kind == "council_department"}
        applicants = Applicant.objects.bulk_create(
            Applicant(
                center=c,
                region_id=c.region_id,
                kind="person",
                last_name="Заявник",
                first_name="Тестовий",
                patronymic="Бенчмарковий",
            )
            for c in centers
        )
        self.applicant = {a.center_id: a.pk for a in applicants}
        password = make_password(None)
        bench_region = next(r for r in regions if r.name == BENCH_OBLAST)
        users = User.objects.bulk_create(
            [
                User(username="bench_reports_sysadmin", password=password, role=Role.SYSADMIN),
                User(
                    username="bench_reports_monitor",
                    password=password,
                    role=Role.OBLAST_MONITOR,
                    region=bench_region,
                ),
            ]
        )
        self.regions = regions
        self.centers = [(c, spec[1]) for c, spec in zip(centers, centers_spec, strict=True)]
        return (
            len(regions)
            + len(raions)
            + len(hromadas)
            + len(centers)
            + len(offices)
            + len(providers)
            + len(applicants)
            + len(users)
        )

    def lookup_tables(self) -> int:
        """Small tables the set-based insert joins: services by weighted slot, offices by weighted slot per
        center, and the number of cases of every center-day with its first id and sequence number."""
        from vikno.catalog import fees
        from vikno.catalog.models import Service

        rng = self.rng
        n = 0
        sql(
            "DROP TABLE IF EXISTS bench_service_slot, bench_office_slot, bench_cd; "
            "CREATE TABLE bench_service_slot (slot int PRIMARY KEY, service_id bigint, version_id bigint, "
            "sphere text, instant boolean, online boolean, pay_later boolean, term interval, fee numeric(12,2), "
            "budget_code text); "
            "CREATE TABLE bench_office_slot (center_id bigint, slot int, office_id bigint, channel text, "
            "PRIMARY KEY (center_id, slot)); "
            "CREATE TABLE bench_cd (day date, center_id bigint, region_id bigint, applicant_id bigint, "
            "council_id bigint, state_base jsonb, n int, id_lo bigint, seq_lo int)"
        )
        services = list(
            Service.objects.filter(is_active=True, current_version__isnull=False)
            .select_related("current_version", "current_version__fee_rule", "sphere")
            .order_by("code")
        )
        popular = ("місця проживання", "паспорт", "субсид", "народження", "смерті", "шлюб", "пенсі", "ФОП",
                   "земельн", "довідк", "посвідчення водія", "допомог", "ВПО", "переміщен")  # fmt: skip
        rng.shuffle(services)
        weights = []
        for rank, service in enumerate(services, start=1):
            w = 1.0 / rank**0.9
            if any(p.lower() in service.name_uk.lower() for p in popular):
                w *= 6
            weights.append(w)
        # Instant services (issued on the spot) take INSTANT_SHARE of the cases.
        instant_total = sum(w for s, w in zip(services, weights, strict=True) if s.current_version.instant)
        other_total = sum(weights) - instant_total
        if instant_total and other_total:
            weights = [
                w * INSTANT_SHARE / instant_total
                if s.current_version.instant
                else w * (1 - INSTANT_SHARE) / other_total
                for s, w in zip(services, weights, strict=True)
            ]
        on_day = dt.date(self.year, 6, 1)
        slot_rows = []
        for slot, service in enumerate(weighted_slots(services, weights, 10_000)):
            v = service.current_version
            if v.instant:
                term = dt.timedelta(minutes=20)
            elif v.term_unit == "hours":
                term = dt.timedelta(hours=v.term_value)
            elif v.term_unit == "working_days":
                term = dt.timedelta(days=round(v.term_value * 7 / 5))
            else:
                term = dt.timedelta(days=v.term_value or 10)
            try:
                quote = fees.fee_for(v, on_day)
                fee, code = quote.amount, quote.budget_code
            except Exception:  # a rule not in force that year: no fee
                fee, code = None, v.fee_budget_code
            slot_rows.append(
                (slot, service.pk, v.pk, service.sphere.code, v.instant, v.online, v.pay_later_allowed, term, fee,
                 code or "")
            )  # fmt: skip
        n += copy_rows(
            "bench_service_slot",
            ["slot", "service_id", "version_id", "sphere", "instant", "online", "pay_later", "term", "fee",
             "budget_code"],
            slot_rows,
        )  # fmt: skip
        office_rows = []
        for center, _population in self.centers:
            items, w = [], []
            for office in self.offices[center.pk]:
                items.append((office.pk, office.kind))
                w.append({"main": 62.0, "branch": 14.0, "remote": 8.0, "mobile": 6.0}[office.kind])
            items.append((self.offices[center.pk][0].pk, "online"))
            w.append(9.0)
            totals = {}
            for (_pk, kind), weight in zip(items, w, strict=True):
                totals[kind] = totals.get(kind, 0) + weight
            # each kind keeps its share whatever the number of offices of that kind
            share = {"main": 62, "branch": 14, "remote": 8, "mobile": 6, "online": 9}
            w = [share[kind] * weight / totals[kind] for (_pk, kind), weight in zip(items, w, strict=True)]
            for slot, (office_id, kind) in enumerate(weighted_slots(items, w, 100)):
                office_rows.append((center.pk, slot, office_id, kind))
        n += copy_rows("bench_office_slot", ["center_id", "slot", "office_id", "channel"], office_rows)

        # Cases per center-day: the bench oblast gets --oblast-cases, the others share the rest by population;
        # within an oblast a center by its hromada's population (a little less than proportional); a day by
        # its weekday and month, with ±30 % noise. Integer counts by cumulative rounding (exact totals).
        days = []
        d = dt.date(self.year, 1, 1)
        while d.year == self.year:
            if d.weekday() < 5:
                days.append((d, WEEKDAY_WEIGHT[d.weekday()] * MONTH_WEIGHT.get(d.month, 1.0)))
            d += dt.timedelta(days=1)
        pop_of = {r.pk: pop for r, (_c, _n, pop) in zip(self.regions, OBLASTS, strict=True)}
        bench = next(r for r in self.regions if r.name == BENCH_OBLAST)
        others_pop = sum(p for pk, p in pop_of.items() if pk != bench.pk)
        rest = self.args.national_cases - self.args.oblast_cases
        region_total = {
            pk: self.args.oblast_cases if pk == bench.pk else rest * p / others_pop for pk, p in pop_of.items()
        }
        center_w = {c.pk: population**0.9 for c, population in self.centers}
        region_w: dict[int, float] = {}
        for c, _p in self.centers:
            region_w[c.region_id] = region_w.get(c.region_id, 0) + center_w[c.pk]
        day_sum = sum(w for _d, w in days)
        state_base = {}
        for (region_id, sphere), pk in self.state_provider.items():
            state_base.setdefault(region_id, {})[sphere] = pk
        cd_rows = []
        next_id = 1
        seq = {c.pk: 0 for c, _p in self.centers}
        carry = {}
        for day, dw in days:
            for c, _p in self.centers:
                expected = region_total[c.region_id] * center_w[c.pk] / region_w[c.region_id] * dw / day_sum
                expected *= rng.uniform(0.7, 1.3)
                cum = carry.get(c.pk, 0.0) + expected
                k = int(cum)
                carry[c.pk] = cum - k
                if k <= 0:
                    continue
                cd_rows.append(
                    (day, c.pk, c.region_id, self.applicant[c.pk], self.council_provider[c.hromada_id],
                     json.dumps(state_base[c.region_id]), k, next_id, seq[c.pk] + 1)
                )  # fmt: skip
                next_id += k
                seq[c.pk] += k
        n += copy_rows(
            "bench_cd",
            ["day", "center_id", "region_id", "applicant_id", "council_id", "state_base", "n", "id_lo", "seq_lo"],
            cd_rows,
        )
        self.total_cases = next_id - 1
        self.days = [d for d, _w in days]
        sql("CREATE INDEX ON bench_cd (day); ANALYZE bench_service_slot; ANALYZE bench_office_slot; ANALYZE bench_cd")
        return n

    def cases(self) -> int:
        """One INSERT … SELECT per filing day, the day's cases in filing order (as production writes them);
        ``--load-workers`` sessions take the days in turn."""
        import threading

        done = {"cases": 0, "days": 0}
        lock = threading.Lock()
        started = time.perf_counter()
        month_end = {
            d for d, nxt in zip(self.days, [*self.days[1:], None], strict=True) if nxt is None or nxt.month != d.month
        }

        def load(day):
            n = in_session(
                ["SET synchronous_commit = off", "SET work_mem = '256MB'", "SET session_replication_role = replica"],
                [(CASES_SQL, {"day": day, "yy": f"{day.year % 100:02d}"})],
            )
            with lock:
                done["cases"] += n
                done["days"] += 1
            if day in month_end:
                elapsed = time.perf_counter() - started
                print(f"      {day:%Y-%m} done: {done['cases']:>12,} cases so far, {elapsed:6.0f} s", flush=True)

        parallel(load, self.days, self.args.load_workers)
        return done["cases"]

    def payments(self) -> int:
        return in_session(
            ["SET synchronous_commit = off", "SET work_mem = '256MB'", "SET session_replication_role = replica"],
            [PAYMENTS_SQL],
        )

    def finish(self) -> int:
        for table in ("cases_case", "payments_payment"):
            sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))")
        sql(
            "INSERT INTO cases_casenumbercounter (center_id, year, last_value) "
            "SELECT center_id, extract(year FROM day)::int, max(seq_lo + n - 1) FROM bench_cd GROUP BY 1, 2"
        )
        return 0

    def vacuum(self) -> int:
        sql("RESET session_replication_role")
        for table in ("cases_case", "payments_payment", "cases_applicant", "orgs_center", "orgs_office"):
            sql(f"VACUUM (ANALYZE) {table}")
        return 0


# Per row: uniform draws, then the service (weighted slot), the office and channel (weighted slot of the
# center), the status, the times. Online applications only for online-capable services (else at the main
# office); instant services are issued on the spot.
CASES_SQL = """
WITH r AS (
    SELECT cd.*, i, random() AS u_service, random() AS u_office, random() AS u_status, random() AS u_ready,
           random() AS u_close,
           (cd.day + time '08:00') AT TIME ZONE 'Europe/Kyiv'
             + interval '9 hours' * ((i - 1 + random()) / cd.n) AS filed_at
    FROM bench_cd cd CROSS JOIN LATERAL generate_series(1, cd.n) AS i
    WHERE cd.day = %(day)s
), x AS (
    SELECT r.*, s.service_id, s.version_id, s.sphere, s.instant, s.pay_later, s.term, s.fee, s.budget_code,
           o.office_id,
           CASE WHEN o.channel = 'online' AND NOT s.online THEN 'main' ELSE o.channel END AS channel,
           CASE
             WHEN s.instant THEN 'issued'
             WHEN r.u_status < 0.855 THEN 'issued' WHEN r.u_status < 0.895 THEN 'result_ready'
             WHEN r.u_status < 0.925 THEN 'refusal_issued' WHEN r.u_status < 0.93 THEN 'refused'
             WHEN r.u_status < 0.942 THEN 'withdrawn' WHEN r.u_status < 0.952 THEN 'dismissed'
             WHEN r.u_status < 0.972 THEN 'in_progress' WHEN r.u_status < 0.98 THEN 'needs_clarification'
             WHEN r.u_status < 0.99 THEN 'sent_to_provider' ELSE 'accepted' END AS status
    FROM r
    JOIN bench_service_slot s ON s.slot = floor(r.u_service * 10000)::int
    JOIN bench_office_slot o ON o.center_id = r.center_id AND o.slot = floor(r.u_office * 100)::int
), t AS (
    SELECT x.*,
           CASE WHEN x.instant THEN x.filed_at + interval '10 minutes' * (0.5 + x.u_ready)
                WHEN x.status IN ('result_ready', 'issued', 'refused', 'refusal_issued')
                THEN x.filed_at + x.term * (0.3 + 0.8 * x.u_ready) END AS ready_at
    FROM x
), c AS (
    SELECT t.*,
           CASE WHEN t.instant THEN t.ready_at + interval '1 minute'
                WHEN t.status IN ('issued', 'refusal_issued')
                THEN t.ready_at + interval '1 day' * (-ln(1 - t.u_close * 0.999) * 5)
                WHEN t.status IN ('withdrawn', 'dismissed') THEN t.filed_at + t.term * t.u_close END AS closed_at
    FROM t
)
INSERT INTO cases_case (
    id, center_id, region_id, office_id, current_office_id, provider_id, service_id, service_version_id,
    applicant_id, representative_id, number, year, seq, access_code, channel, status, status_changed_at,
    filed_at, due_at, suspended_since, suspended_days, extended_days, escalated_at, instant, fee_amount,
    fee_budget_code, pay_later_allowed, result_ready_at, closed_at, uncollected_reminded_at,
    refusal_reason, refusal_ground, parent_id, created_by_id, idempotency_key, request_fingerprint
)
SELECT (SELECT min(id_lo) FROM bench_cd WHERE day = %(day)s) + row_number() OVER (ORDER BY c.filed_at, c.center_id, c.i) - 1,
       c.center_id, c.region_id, c.office_id, c.office_id,
       COALESCE((c.state_base ->> c.sphere)::bigint, CASE WHEN c.instant THEN NULL ELSE c.council_id END),
       c.service_id, c.version_id, c.applicant_id, NULL,
       c.center_id::text || '-' || %(yy)s || '-' || lpad((c.seq_lo + c.i - 1)::text, 6, '0'),
       extract(year FROM c.day)::int, c.seq_lo + c.i - 1,
       upper(lpad(to_hex((c.u_close * 4294967295)::bigint), 8, '0')),
       c.channel, c.status,
       COALESCE(c.closed_at, c.ready_at, c.filed_at + interval '1 day' * c.u_ready),
       c.filed_at,
       CASE WHEN c.instant THEN c.filed_at ELSE c.filed_at + c.term END,
       NULL, 0, 0, NULL, c.instant,
       c.fee, c.budget_code, c.pay_later,
       c.ready_at, c.closed_at, NULL,
       CASE WHEN c.status IN ('refused', 'refusal_issued') THEN 'Подано неповний пакет документів.' ELSE '' END,
       '', NULL, NULL, '', ''
FROM c
ORDER BY 1
"""

PAYMENTS_SQL = """
INSERT INTO payments_payment (case_id, center_id, region_id, method, amount, budget_code, receipt_number,
                              paid_on, exemption_ground, recorded_at, recorded_by_id)
SELECT c.id, c.center_id, c.region_id,
       CASE WHEN h < 0.05 THEN 'exemption' WHEN h < 0.60 THEN 'pos' ELSE 'bank' END,
       CASE WHEN h < 0.05 THEN 0 ELSE c.fee_amount END,
       c.fee_budget_code,
       CASE WHEN h < 0.05 THEN '' WHEN h < 0.60 THEN 'POS-' || c.id ELSE 'P24-' || c.id END,
       (CASE WHEN c.pay_later_allowed THEN COALESCE(c.result_ready_at, c.filed_at) ELSE c.filed_at END
            AT TIME ZONE 'Europe/Kyiv')::date,
       CASE WHEN h < 0.05 THEN 'Особа з інвалідністю I групи (ст. 38 Закону № 875-XII)' ELSE '' END,
       CASE WHEN c.pay_later_allowed THEN COALESCE(c.result_ready_at, c.filed_at) ELSE c.filed_at END,
       NULL
FROM (SELECT c.*, random() AS h FROM cases_case c
      WHERE c.fee_amount > 0 AND c.status NOT IN ('withdrawn', 'accepted')
        AND (NOT c.pay_later_allowed OR c.result_ready_at IS NOT NULL)) c
ORDER BY c.id
"""


def generate(args) -> dict:
    from django.db import connection

    steps = Steps()
    gen = Generator(args)
    started = time.perf_counter()
    print(
        f"Generating: {args.national_cases:,} cases in all, {args.oblast_cases:,} in {BENCH_OBLAST}, "
        f"{args.centers_per_oblast} centers per oblast, year {args.year}, seed {args.seed} …",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
    steps("wipe (tables emptied)", gen.wipe)
    steps("catalog (import_shared_catalog; services)", gen.catalog)
    steps("regions, hromadas, centers, offices, providers", gen.network)
    steps("lookup tables (center-days, slots)", gen.lookup_tables)
    steps("drop secondary indexes of cases, payments", gen.save_and_drop_indexes)
    steps("cases (INSERT … SELECT, day by day)", gen.cases)
    if not args.no_payments:
        steps("payments", gen.payments)
    steps("counters, sequences", gen.finish)
    steps("build the indexes again", gen.restore_indexes)
    steps("VACUUM ANALYZE", gen.vacuum)
    seconds = time.perf_counter() - started
    meta = {
        **_generated_with(args),
        "cases": gen.total_cases,
        "generated_seconds": round(seconds),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    sql("DROP TABLE IF EXISTS bench_meta; CREATE TABLE bench_meta (data jsonb)")
    sql("INSERT INTO bench_meta VALUES (%s)", [json.dumps(meta)])
    sql("DROP TABLE IF EXISTS bench_service_slot, bench_office_slot")
    print(f"Generation done in {seconds:.0f} s ({seconds / 60:.1f} min).", flush=True)
    return meta


def existing_meta(args) -> dict | None:
    if not scalar("SELECT to_regclass('bench_meta') IS NOT NULL"):
        return None
    if scalar("SELECT to_regclass('bench_saved_ddl') IS NOT NULL") and scalar("SELECT count(*) FROM bench_saved_ddl"):
        return None  # an interrupted load
    meta = scalar("SELECT data::text FROM bench_meta")
    meta = json.loads(meta)
    same = all(meta.get(k) == v for k, v in _generated_with(args).items())
    return meta if same else None


def _generated_with(args) -> dict:
    """The options the data depends on (stored with it; data made with others is generated again)."""
    return {
        "national_cases": args.national_cases,
        "oblast_cases": args.oblast_cases,
        "centers_per_oblast": args.centers_per_oblast,
        "year": args.year,
        "seed": args.seed,
        "payments": not args.no_payments,
    }


# --- measurements -------------------------------------------------------------------------------------


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds >= 0.01 else f"{seconds * 1000:,.3f}"


def timed_runs(label: str, fn, runs: int, results: list) -> dict:
    """The first run (new connection, nothing cached in the process) then ``runs`` warm ones."""
    from django.db import connection

    connection.close()
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - start)
    out = {
        "label": label,
        "first": first,
        "p50": percentile(warm, 50),
        "p95": percentile(warm, 95),
        "max": max(warm),
        "n": runs,
    }
    results.append(out)
    print(
        f"  {label:<58} first {fmt_ms(first):>10} ms   p50 {fmt_ms(out['p50']):>10} ms   "
        f"p95 {fmt_ms(out['p95']):>10} ms   (n={runs})",
        flush=True,
    )
    return out


def period(year: int) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Kyiv")
    return (
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
        dt.datetime(year, 1, 1, tzinfo=zone),
        dt.datetime(year + 1, 1, 1, tzinfo=zone),
    )


# The figures the dashboards show that come from cases and payments, straight from the source tables.
DIRECT_CASES_SQL = """
SELECT c.{key},
       count(*) FILTER (WHERE c.filed_at >= %(start)s AND c.filed_at < %(end)s) AS cases_registered,
       count(*) FILTER (WHERE c.filed_at >= %(start)s AND c.filed_at < %(end)s AND c.instant) AS instant,
       count(*) FILTER (WHERE c.filed_at >= %(start)s AND c.filed_at < %(end)s
                        AND c.status IN ('refused', 'refusal_issued')) AS refused,
       count(*) FILTER (WHERE c.filed_at >= %(start)s AND c.filed_at < %(end)s AND c.status = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE c.filed_at >= %(start)s AND c.filed_at < %(end)s AND c.status = 'dismissed') AS dismissed,
       count(*) FILTER (WHERE c.filed_at >= %(start)s AND c.filed_at < %(end)s AND c.channel = 'mobile') AS mobile,
       count(*) FILTER (WHERE c.filed_at >= %(start)s AND c.filed_at < %(end)s AND c.fee_amount > 0) AS paid,
       count(*) FILTER (WHERE c.status = 'issued' AND c.closed_at >= %(start)s AND c.closed_at < %(end)s)
           AS results_issued
FROM cases_case c
WHERE {where} ((c.filed_at >= %(start)s AND c.filed_at < %(end)s) OR (c.closed_at >= %(start)s AND c.closed_at < %(end)s))
GROUP BY c.{key}
"""
DIRECT_PAYMENTS_SQL = """
SELECT p.{key},
       sum(p.amount) FILTER (WHERE p.method <> 'exemption' AND p.budget_code = ANY(%(local)s)) AS revenue_local,
       sum(p.amount) FILTER (WHERE p.method <> 'exemption' AND NOT (p.budget_code = ANY(%(local)s))) AS revenue_state
FROM payments_payment p
WHERE {where} p.paid_on BETWEEN %(day_from)s AND %(day_to)s
GROUP BY p.{key}
"""


def direct_query(key: str, region_id: int | None, year: int):
    day_from, day_to, start, end = period(year)
    where = "c.region_id = %(region)s AND" if region_id else ""
    pwhere = "p.region_id = %(region)s AND" if region_id else ""
    params = {
        "start": start,
        "end": end,
        "region": region_id,
        "local": list(LOCAL_BUDGET_CODES),
        "day_from": day_from,
        "day_to": day_to,
    }
    statements = [
        DIRECT_CASES_SQL.format(key=key, where=where),
        DIRECT_PAYMENTS_SQL.format(key=key, where=pwhere),
    ]

    def run():
        out = {}
        for statement in statements:
            for row in rows(statement, params):
                out.setdefault(row[0], []).extend(row[1:])
        return out

    return run, statements, params


def explain(statement: str, params) -> list[str]:
    lines = [r[0] for r in rows("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)]
    keep = []
    for line in lines:
        s = line.strip()
        if (
            s.startswith(("Planning Time", "Execution Time", "Buffers", "I/O Timings"))
            or "Scan" in s
            or "Aggregate" in s
            or "Rows Removed" in s
            or "Heap Blocks" in s
        ):
            keep.append(line.rstrip())
    return keep


def table_sizes() -> list[tuple[str, int, float, float]]:
    """(table, rows, heap MB, total MB with indexes) of the case, payment and roll-up tables."""
    out = []
    for table in (
        "cases_case",
        "payments_payment",
        "reports_dailyrollup",
        "reports_monthlyrollup",
        "reports_servicetimingrollup",
    ):
        if not scalar("SELECT to_regclass(%s) IS NOT NULL", [table]):
            continue
        n = scalar(f"SELECT count(*) FROM {table}")
        heap, total = rows("SELECT pg_relation_size(%s), pg_total_relation_size(%s)", [table, table])[0]
        out.append((table, n, heap / 2**20, total / 2**20))
    return out


# The service-timing statement of ``rollup`` with nothing to insert (same shape, so that ``rebuild_range`` and
# ``rebuild`` run unchanged otherwise), to measure the rest without it. Before the index ``case_center_decided``
# its per-center-day query read every case of the center closed on or after that day: hours over 30M cases.
NO_TIMING_SQL = """
INSERT INTO reports_servicetimingrollup (center_id, region_id, day, service_id, hours_from, decided, on_time)
SELECT %(center)s::bigint, 0::bigint, %(day)s::date, 0::bigint, 0, 0, 0 WHERE %(start)s::timestamptz IS NULL
   AND %(end)s::timestamptz IS NULL
"""


class without_timing:
    """Within the block, ``rollup`` builds no service-timing roll-up."""

    def __enter__(self):
        from vikno.reports import rollup

        self.saved = rollup._timing_sql
        rollup._timing_sql = lambda: NO_TIMING_SQL

    def __exit__(self, *exc):
        from vikno.reports import rollup

        rollup._timing_sql = self.saved


def rebuild_all(year: int, workers: int, timing: bool) -> tuple[int, float, str]:
    """Every roll-up of the year with the production code, the centers split between ``workers`` sessions
    (each a ``rebuild_range`` call in its own transaction); returns (rows written, seconds, how)."""
    import threading

    from django.db import connection

    from vikno.orgs.models import Center
    from vikno.reports import rollup

    day_from, day_to, _s, _e = period(year)  # every figure of the year (results issued later count later)
    params = list(inspect.signature(rollup.rebuild_range).parameters)
    centers = list(Center.objects.order_by("pk").values_list("pk", flat=True))
    groups = [centers[k::workers] for k in range(workers)]
    written = {"rows": 0}
    lock = threading.Lock()

    def run(group):
        try:
            if params[0] == "date_from":
                n = rollup.rebuild_range(day_from, day_to, group)
            else:  # the older per-center, per-day signature
                n = sum(rollup.rebuild_range(center_id, day_from, day_to) for center_id in group)
        finally:
            connection.close()
        with lock:
            written["rows"] += n or 0

    start = time.perf_counter()
    if timing:
        parallel(run, groups, workers)
    else:
        with without_timing():
            parallel(run, groups, workers)
    if params[0] == "date_from":
        how = f"rollup.rebuild_range(date_from, date_to, center_ids) — {workers} sessions, centers split between them"
    else:
        how = "rollup.rebuild_range(center_id, …) per center and day (older code)"
    if not timing:
        how += "; service-timing roll-up left out (--no-timing-rollup)"
    return written["rows"], time.perf_counter() - start, how


def maintenance(bench_region_id: int, year: int, samples: int) -> dict:
    """The cost a case change adds (old-days read + dirty mark), and the rebuild of busy center-days."""
    from django.db import transaction

    from vikno.cases.models import Case
    from vikno.reports import receivers, rollup

    busy = rows(
        """SELECT center_id, day, n FROM bench_cd WHERE region_id = %s ORDER BY n DESC LIMIT %s""",
        [bench_region_id, max(samples // 10, 10)],
    )
    sql("DELETE FROM reports_rollupdirty")
    # A case change with the receivers connected and without: the difference is what the roll-ups add.
    ids = []
    for center_id, day, _n in busy:
        ids += [
            r[0]
            for r in rows(
                "SELECT id FROM cases_case WHERE center_id = %s AND filed_at >= %s AND filed_at < %s LIMIT 10",
                [center_id, *rollup.day_bounds(day)],
            )
        ]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids)}
    fields = ["status", "status_changed_at", "result_ready_at", "closed_at"]

    def change(case):
        with transaction.atomic():
            case.save(update_fields=fields)

    with_marks, without = [], []
    from django.db.models.signals import post_save, pre_save

    for k, pk in enumerate(ids):
        case = cases[pk]
        connected = k % 2 == 0
        if not connected:
            pre_save.disconnect(sender=Case, dispatch_uid="reports-rollup-cases.case-pre")
            post_save.disconnect(sender=Case, dispatch_uid="reports-rollup-cases.case-post")
        start = time.perf_counter()
        change(case)
        (with_marks if connected else without).append(time.perf_counter() - start)
        if not connected:
            receivers.connect()
    marks = scalar("SELECT count(*) FROM reports_rollupdirty")
    # The mark on its own: its statement inside a transaction that is open anyway (what it costs when written
    # in the case's transaction), and in a transaction of its own with the commit (as after commit).
    mark_alone, mark_in_tx = [], []
    for center_id, day, _n in busy:
        for _ in range(3):
            start = time.perf_counter()
            with transaction.atomic():
                rollup.mark_dirty([(center_id, day)])
            mark_alone.append(time.perf_counter() - start)
            with transaction.atomic():
                start = time.perf_counter()
                rollup.mark_dirty([(center_id, day)])
                mark_in_tx.append(time.perf_counter() - start)
    # The rebuild of the marked center-days (refresh_dirty), and of each busy center-day on its own.
    marked_cases = scalar(
        """SELECT count(*) FROM cases_case c JOIN reports_rollupdirty d ON d.center_id = c.center_id
           AND c.filed_at >= (d.day::timestamp AT TIME ZONE 'Europe/Kyiv')
           AND c.filed_at < ((d.day + 1)::timestamp AT TIME ZONE 'Europe/Kyiv')"""
    )
    start = time.perf_counter()
    refreshed = rollup.refresh_dirty()
    refresh_seconds = time.perf_counter() - start
    per_day, per_day_daily = [], []
    for center_id, day, n in busy:
        start = time.perf_counter()
        rollup.rebuild(center_id, day)
        per_day.append((time.perf_counter() - start, n))
        with without_timing():
            start = time.perf_counter()
            rollup.rebuild(center_id, day)
            per_day_daily.append((time.perf_counter() - start, n))
    rebuild_p50 = percentile([s for s, _n in per_day], 50)
    per_case = percentile([s / n for s, n in per_day], 50)
    return {
        "changes": len(ids),
        "change_with": percentile(with_marks, 50),
        "change_without": percentile(without, 50),
        "change_added": percentile(with_marks, 50) - percentile(without, 50),
        "mark_alone": percentile(mark_alone, 50),
        "mark_in_tx": percentile(mark_in_tx, 50),
        "marks": marks,
        "refreshed": refreshed,
        "refresh_seconds": refresh_seconds,
        "marked_cases": marked_cases,
        "busy_days": len(per_day),
        "busy_cases": percentile([n for _s, n in per_day], 50),
        "rebuild_p50": rebuild_p50,
        "rebuild_per_case": per_case,
        "rebuild_daily_p50": percentile([s for s, _n in per_day_daily], 50),
        "rebuild_daily_per_case": percentile([s / n for s, n in per_day_daily], 50),
        "busiest": busy[0],
    }


def lifecycle(centers: list[int], day: dt.date, ops: int, sweep_every: int, every_nth_new: int = 5) -> dict:
    """What the roll-ups cost per case in a stream of real changes at ``centers`` (each new case at a center
    drawn in proportion to its cases on ``day``): 1 change in 5 registers a case filed on one of the 30 days
    up to ``day``, 4 in 5 move the oldest open case of the stream one step along its life — sent to the
    provider, taken into work, result ready, issued (on ``day``) — each change in its own transaction;
    ``refresh_dirty()`` (the periodic sweep) runs after every ``sweep_every`` changes. The same stream runs in
    blocks with the case receivers connected and disconnected, alternately (each with cases of its own); the
    cost is (with − without + sweeps) ÷ changes, and per case × 5 changes. ``every_nth_new=1``: registrations
    only (what a new case costs)."""
    from collections import deque

    from django.db import transaction
    from django.db.models.signals import post_save, pre_save

    from vikno.cases.models import Case, Status
    from vikno.reports import receivers, rollup

    start_at, end_at = rollup.day_bounds(day)
    rnd = random.Random(sum(centers))
    templates: dict[int, int] = {}
    weights: list[int] = []
    for center_id in centers:
        template = scalar(
            "SELECT id FROM cases_case WHERE center_id = %s AND filed_at >= %s AND filed_at < %s LIMIT 1",
            [center_id, start_at, end_at],
        )
        if template:
            templates[center_id] = template
            weights.append(scalar("SELECT n FROM bench_cd WHERE center_id = %s AND day = %s", [center_id, day]) or 1)
    chosen = list(templates)
    steps = [
        (Status.SENT_TO_PROVIDER, None),
        (Status.IN_PROGRESS, None),
        (Status.RESULT_READY, "result_ready_at"),
        (Status.ISSUED, "closed_at"),
    ]
    seq = [scalar("SELECT COALESCE(max(seq), 0) FROM cases_case") + 1_000_000]
    moment = start_at + dt.timedelta(hours=14)
    fields = ["status", "status_changed_at", "result_ready_at", "closed_at"]
    open_cases = {True: deque(), False: deque()}  # (case id, next step) per block kind

    def register(center_id, connected):
        seq[0] += 1
        filed = start_at - dt.timedelta(days=rnd.randrange(30)) + dt.timedelta(hours=9, minutes=rnd.randrange(480))
        case = Case.objects.get(pk=templates[center_id])
        case.pk, case.id, case.seq = None, None, seq[0]
        case.number, case.access_code, case.idempotency_key = f"LC-{center_id}-{seq[0]}", f"L{seq[0]}", ""
        case.status, case.filed_at, case.closed_at, case.result_ready_at = Status.ACCEPTED, filed, None, None
        case.status_changed_at, case.due_at = filed, filed + dt.timedelta(days=14)
        with transaction.atomic():
            case.save(force_insert=True)
        open_cases[connected].append((case.pk, 0))

    def advance(connected):
        pk, step = open_cases[connected].popleft()
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            status, stamp = steps[step]
            case.status, case.status_changed_at = status, moment
            if stamp:
                setattr(case, stamp, moment)
            case.save(update_fields=fields)
        if step + 1 < len(steps):
            open_cases[connected].append((pk, step + 1))

    plan = [rnd.choices(chosen, weights)[0] for _ in range(ops)]
    for connected in (True, False):  # open cases to start from, not measured
        if not connected:
            pre_save.disconnect(sender=Case, dispatch_uid="reports-rollup-cases.case-pre")
            post_save.disconnect(sender=Case, dispatch_uid="reports-rollup-cases.case-post")
        for center_id in plan[:sweep_every]:
            register(center_id, connected)
        receivers.connect()
    rollup.refresh_dirty()
    timed = {"with": 0.0, "without": 0.0, "sweeps": 0.0, "rebuilt": 0, "changes_with": 0, "changes_without": 0}
    for block_start in range(0, ops, sweep_every):
        for connected in (True, False):
            if not connected:
                pre_save.disconnect(sender=Case, dispatch_uid="reports-rollup-cases.case-pre")
                post_save.disconnect(sender=Case, dispatch_uid="reports-rollup-cases.case-post")
            for k in range(block_start, min(block_start + sweep_every, ops)):
                started = time.perf_counter()
                if k % every_nth_new == 0 or not open_cases[connected]:
                    register(plan[k], connected)
                else:
                    advance(connected)
                timed["with" if connected else "without"] += time.perf_counter() - started
                timed["changes_with" if connected else "changes_without"] += 1
            if connected:
                started = time.perf_counter()
                timed["rebuilt"] += rollup.refresh_dirty()
                timed["sweeps"] += time.perf_counter() - started
            else:
                receivers.connect()
    per_change_with = timed["with"] / max(timed["changes_with"], 1)
    per_change_without = timed["without"] / max(timed["changes_without"], 1)
    sweep_per_change = timed["sweeps"] / max(timed["changes_with"], 1)
    per_change = per_change_with - per_change_without + sweep_per_change
    return {
        "centers": len(chosen),
        "changes": timed["changes_with"],
        "sweep_every": sweep_every,
        "with": per_change_with,
        "without": per_change_without,
        "sweep": sweep_per_change,
        "rebuilt": timed["rebuilt"],
        "per_change": per_change,
        "per_case": per_change * 5,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national-cases", type=int, default=30_000_000, help="cases in all (default 30,000,000)")
    parser.add_argument("--oblast-cases", type=int, default=1_100_000, help="cases of the bench oblast (1,100,000)")
    parser.add_argument("--centers-per-oblast", type=int, default=70)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=10, help="warm runs of each measurement (default 10)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--load-workers", type=int, default=2, help="database sessions loading at once (2)")
    parser.add_argument(
        "--no-timing-rollup",
        dest="timing_rollup",
        action="store_false",
        help="leave the service-timing roll-up out of the full rebuild (see NO_TIMING_SQL)",
    )
    parser.add_argument(
        "--stream-changes",
        type=int,
        default=2000,
        help="case changes in the oblast's maintenance stream (2,000; the median center's stream is 15 %% of it, "
        "the registrations-only one half)",
    )
    parser.add_argument("--no-payments", action="store_true", help="generate no payments")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--regenerate", action="store_true", help="generate even if the data is there")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the roll-ups even if they are there")
    parser.add_argument("--generate-only", action="store_true", help="stop after the generation")
    args = parser.parse_args()
    if args.oblast_cases > args.national_cases:
        raise SystemExit("--oblast-cases cannot exceed --national-cases")
    run_started = time.perf_counter()
    db = setup_django(args.fresh)
    random.seed(args.seed)

    from django.contrib.auth import get_user_model
    from django.db import connection

    from vikno.orgs.models import Region
    from vikno.reports.models import DailyRollup

    print(f"Database {db}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Machine: {machine()}", flush=True)
    meta = None if args.regenerate else existing_meta(args)
    generated = False
    if meta is None:
        meta = generate(args)
        generated = True
        connection.close()  # the measurements run with the application's session settings
    else:
        print(
            f"Reusing the data generated {meta['generated_at']} in {meta['generated_seconds']} s (--regenerate to redo)."
        )
    if args.generate_only:
        return
    year = meta["year"]
    bench = Region.objects.get(name=BENCH_OBLAST)
    counts = dict(rows("SELECT region_id = %s, count(*) FROM cases_case GROUP BY 1", [bench.pk]))
    n_oblast, n_all = counts.get(True, 0), sum(counts.values())
    print(f"Cases: {n_all:,} in all, {n_oblast:,} in {BENCH_OBLAST} (bench oblast); year {year}.")
    print(
        "Statuses: "
        + ", ".join(
            f"{s} {n / n_all:.1%}"
            for s, n in rows("SELECT status, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC")
        )
    )
    print(
        "Channels: "
        + ", ".join(
            f"{s} {n / n_all:.1%}"
            for s, n in rows("SELECT channel, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC")
        )
        + f"; instant {scalar('SELECT count(*) FILTER (WHERE instant) FROM cases_case') / n_all:.1%}"
        + f"; payments {scalar('SELECT count(*) FROM payments_payment'):,}",
        flush=True,
    )

    # Roll-ups with the production code.
    rebuild_info = None
    if generated or args.rebuild or not DailyRollup.objects.exists():
        print("Building the roll-ups with the production code …", flush=True)
        for table in (
            "reports_dailyrollup",
            "reports_monthlyrollup",
            "reports_servicetimingrollup",
            "reports_rollupdirty",
        ):
            if scalar("SELECT to_regclass(%s) IS NOT NULL", [table]):
                sql(f"TRUNCATE {table}")
        written, seconds, how = rebuild_all(year, args.load_workers, args.timing_rollup)
        for table in ("reports_dailyrollup", "reports_monthlyrollup", "reports_servicetimingrollup"):
            if scalar("SELECT to_regclass(%s) IS NOT NULL", [table]):
                sql(f"VACUUM (ANALYZE) {table}")
        rebuild_info = (written, seconds, how)
        print(
            f"  {how}: {written:,} rows in {seconds:.1f} s = {seconds / n_all * 1000:.3f} ms per case "
            f"({n_all / seconds:,.0f} cases/s)",
            flush=True,
        )

    print("Table sizes:")
    sizes = table_sizes()
    for table, n, heap, total in sizes:
        print(f"  {table:<30}{n:>14,} rows {heap:>10,.0f} MB heap {total:>10,.0f} MB with indexes")

    User = get_user_model()
    sysadmin = User.objects.get(username="bench_reports_sysadmin")
    monitor = User.objects.get(username="bench_reports_monitor")
    day_from, day_to, _s, _e = period(year)
    results: list[dict] = []
    print(f"Timings (first run on a new connection, then {args.runs} warm runs):", flush=True)

    from vikno.reports import oblast as oblast_mod

    national_mod = None
    try:
        from vikno.reports import national as national_mod
    except ImportError:
        print("  vikno.reports.national is missing: no national dashboard timing.")

    def oblast_dashboard():
        d = oblast_mod.oblast_dashboard(monitor, bench.pk, day_from, day_to)
        return d.total.metrics

    timed_runs(f"oblast dashboard, {BENCH_OBLAST}, {year} (roll-ups)", oblast_dashboard, args.runs, results)
    direct_oblast, oblast_statements, oblast_params = direct_query("center_id", bench.pk, year)
    timed_runs(f"direct query on cases, {BENCH_OBLAST} {year}, by center", direct_oblast, args.runs, results)
    if national_mod is not None:

        def national_dashboard():
            return national_mod.national_dashboard(sysadmin, day_from, day_to).total.figures

        timed_runs(f"national dashboard, {year} (roll-ups)", national_dashboard, args.runs, results)
    direct_national, national_statements, national_params = direct_query("region_id", None, year)
    timed_runs(f"full scan of cases, {year}, by region", direct_national, args.runs, results)

    # Same figures? (cases registered and results issued of the bench oblast / the country)
    checks = []
    got = oblast_dashboard()
    direct = direct_oblast()
    checks.append(
        (
            "oblast: cases registered",
            got.get("cases_registered"),
            sum(v[0] for v in direct.values()),
        )
    )
    checks.append(("oblast: results issued", got.get("results_issued"), sum(v[7] for v in direct.values())))
    if national_mod is not None:
        nat = national_dashboard()
        dn = direct_national()
        checks.append(("national: cases registered", nat.get("cases_registered"), sum(v[0] for v in dn.values())))
        checks.append(("national: refused", nat.get("refused"), sum(v[2] for v in dn.values())))
        checks.append(
            ("national: revenue", nat.get("revenue_local", 0) + nat.get("revenue_state", 0),
             sum((v[8] or 0) + (v[9] or 0) for v in dn.values() if len(v) > 8))
        )  # fmt: skip
    print("Same figures from the roll-ups and from the cases:")
    for label, a, b in checks:
        print(f"  {label:<30} roll-ups {a}   cases {b}   {'OK' if a is not None and int(a) == int(b) else 'DIFFERENT'}")

    print("EXPLAIN (ANALYZE, BUFFERS) of the direct queries (summary):")
    for label, statements, params in (
        (f"{BENCH_OBLAST} by center", oblast_statements, oblast_params),
        ("national by region", national_statements, national_params),
    ):
        for k, statement in enumerate(statements):
            print(f"  -- {label}, {'cases' if k == 0 else 'payments'}")
            for line in explain(statement, params):
                print(f"     {line}")

    print("Roll-up maintenance:", flush=True)
    m = maintenance(bench.pk, year, 200)
    print(
        f"  case change (save in its own transaction), p50 of {m['changes'] // 2} each: with the roll-up receivers "
        f"{fmt_ms(m['change_with'])} ms, without {fmt_ms(m['change_without'])} ms → added "
        f"{fmt_ms(m['change_added'])} ms (these saves change no figure: the receivers write nothing)"
    )
    print(
        f"  mark_dirty alone (one center-day), p50: {fmt_ms(m['mark_in_tx'])} ms inside an open transaction, "
        f"{fmt_ms(m['mark_alone'])} ms in a transaction of its own (with the commit)"
    )
    print(
        f"  refresh_dirty(): {m['refreshed']} center-days in {m['refresh_seconds']:.2f} s "
        f"({fmt_ms(m['refresh_seconds'] / max(m['refreshed'], 1))} ms each; {m['marked_cases']:,} cases filed on them)"
    )
    print(
        f"  rollup.rebuild() of the {m['busy_days']} busiest center-days of {BENCH_OBLAST} "
        f"(median {m['busy_cases']:.0f} cases filed): p50 {fmt_ms(m['rebuild_p50'])} ms = "
        f"{fmt_ms(m['rebuild_per_case'])} ms per case"
    )
    print(
        f"  the same without the service-timing statement (daily + monthly roll-ups only): "
        f"p50 {fmt_ms(m['rebuild_daily_p50'])} ms = {fmt_ms(m['rebuild_daily_per_case'])} ms per case"
    )
    print("Roll-up maintenance in a stream of case changes (each case: registered, then 4 steps of its life):")
    busiest_day = m["busiest"][1]
    oblast_centers = [r[0] for r in rows("SELECT DISTINCT center_id FROM bench_cd WHERE region_id = %s", [bench.pk])]
    per_day = scalar("SELECT sum(n)::float / count(DISTINCT day) FROM bench_cd WHERE region_id = %s", [bench.pk])
    median_day = rows(
        "SELECT center_id, day, n FROM bench_cd WHERE region_id = %s ORDER BY n "
        "OFFSET (SELECT count(*) / 2 FROM bench_cd WHERE region_id = %s) LIMIT 1",
        [bench.pk, bench.pk],
    )[0]
    # changes in 5 minutes (the sweep's cron): cases a day × 5 changes over a 9-hour day of 108 × 5 minutes
    oblast_every = max(1, round(per_day * 5 / 108))
    streams = []
    changes = max(20, args.stream_changes)
    for label, centers, day, every, ops, nth in (
        (f"all {len(oblast_centers)} centers of {BENCH_OBLAST}, one sweep for all", oblast_centers, busiest_day,
         oblast_every, changes, 5),
        (f"the median center-day alone ({median_day[2]} cases), its own sweep", [median_day[0]], median_day[1],
         max(1, round(median_day[2] * 5 / 108)), max(10, changes * 3 // 20), 5),
        (f"registrations only, all {len(oblast_centers)} centers, one sweep for all", oblast_centers, busiest_day,
         oblast_every, changes // 2, 1),
    ):  # fmt: skip
        s = lifecycle(centers, day, ops, every, nth)
        streams.append(s)
        print(
            f"  {label}, a sweep every {every} changes (5 minutes): per change with the receivers "
            f"{fmt_ms(s['with'])} ms, without {fmt_ms(s['without'])} ms, sweeps {fmt_ms(s['sweep'])} ms "
            f"({s['rebuilt']} center-days touched) → roll-ups add {fmt_ms(s['per_change'])} ms per change"
            + (f", {fmt_ms(s['per_case'])} ms per case (5 changes)" if nth == 5 else " (= per new case)"),
            flush=True,
        )
    if rebuild_info:
        print(f"  full rebuild: {rebuild_info[1] / n_all * 1000:.3f} ms per case")

    print("Summary vs targets:")
    by_label = {r["label"]: r for r in results}
    for r in results:
        target = ""
        if r["label"].startswith("oblast dashboard"):
            target = f"target < 500 ms: {'met' if r['p95'] < 0.5 else 'NOT met'} (p95)"
        elif r["label"].startswith("national dashboard"):
            target = f"target < 2 s: {'met' if r['p95'] < 2 else 'NOT met'} (p95)"
        print(f"  {r['label']:<58} p50 {fmt_ms(r['p50']):>10} ms  p95 {fmt_ms(r['p95']):>10} ms  {target}")
    del by_label
    for label, s in zip(("oblast, one sweep", "median center alone"), streams, strict=False):
        verdict = "met" if s["per_change"] < 0.001 else "NOT met"
        print(
            f"  stream, {label}: {fmt_ms(s['per_change'])} ms per change, {fmt_ms(s['per_case'])} ms per case "
            f"of 5 changes: target < 1 ms per case (read as per change of a case) {verdict}"
        )
    new = streams[2]
    print(
        f"  registrations only: {fmt_ms(new['per_change'])} ms per new case: target < 1 ms per case "
        f"(read as per case registered) {'met' if new['per_change'] < 0.001 else 'NOT met'}"
    )
    connection.close()
    total = time.perf_counter() - run_started
    print(
        f"Whole run: {total:.0f} s ({total / 60:.1f} min); load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
