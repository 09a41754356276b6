#!/usr/bin/env python
"""Fill a benchmark database with a realistic network of centers and N cases (default 1,000,000).

Run from the project folder: ``.venv/bin/python bench/generate_cases.py [--cases N]``.

It works on its own database on the embedded server (``VIKNO_BENCH_CASES_DB``, default
``vikno_bench_cases``; never the application's database), migrates it and empties its
organisation, staff, case and payment tables (the catalog is kept and refreshed). Then:

- 2 regions (Вінницька, Волинська) with 8 centers of different sizes in real hromadas, each with a
  main office, ТП, ВРМ and sometimes a mobile office; state providers per region and council
  departments per center; administrators and a head per center (ORM, a few hundred rows);
- the real service catalog (``vikno.catalog.importers.import_shared_catalog``);
- applicants (about 0.6 per case) written by COPY: Ukrainian names, valid РНОКПП (check digit from
  ``stdnum.ua.rntrc``), ID cards or passports, mobile phones, some legal entities with valid ЄДРПОУ;
- cases, their events, payments and issuances with set-based SQL (``INSERT … SELECT`` over
  ``generate_series`` and small weighted lookup tables): filing days on weekdays 2023 → today with a
  yearly growth, popular services far more frequent than rare ones, statuses by the age of the case
  (old cases mostly issued), numbers without gaps per center and year, fees of the filing year;
- ``CaseNumberCounter`` rows equal to the last number of each center and year; ``VACUUM ANALYZE``.

Foreign-key triggers are switched off for the bulk inserts (``session_replication_role = replica``;
the rows are consistent by construction and checked at the end), as every bulk loader does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from benchdb import edrpou_maker, setup_bench_django, truncate_bench_tables

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "vikno_bench_cases"
START_DAY = dt.date(2023, 1, 2)
YEAR_GROWTH = {2023: 1.0, 2024: 1.15, 2025: 1.3, 2026: 1.45}


def setup_django(settings_module: str = "vikno.settings.dev") -> str:
    """Point Django at the bench database (never the application's one; created if missing) and migrate it."""
    return setup_bench_django("VIKNO_BENCH_CASES_DB", DEFAULT_DB, settings_module=settings_module, fresh=False)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def machine() -> str:
    """CPU count and model, RAM, PostgreSQL and Python versions, the load average now."""
    from django.db import connection

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
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), RAM {ram}, PostgreSQL {pg}, Python {sys.version.split()[0]}; "
        f"load average {load}"
    )


# --- The network --------------------------------------------------------------------------------

REGIONS = [("UA05000000000010236", "Вінницька"), ("UA07000000000024379", "Волинська")]
# (region, raion katottg, raion, hromada katottg, hromada, city katottg, city, share of all cases)
CENTERS = [
    (
        "UA05000000000010236",
        "UA05020000000026686",
        "Вінницький",
        "UA05020030000031457",
        "Вінницька",
        "UA05020030010063857",
        "Вінниця",
        0.27,
    ),
    (
        "UA05000000000010236",
        "UA05020000000026686",
        "Вінницький",
        "UA05020170000049432",
        "Немирівська",
        "UA05020170010087489",
        "Немирів",
        0.08,
    ),
    (
        "UA05000000000010236",
        "UA05020000000026686",
        "Вінницький",
        "UA05020090000067118",
        "Іллінецька",
        "UA05020090010088788",
        "Іллінці",
        0.06,
    ),
    (
        "UA05000000000010236",
        "UA05020000000026686",
        "Вінницький",
        "UA05020050000066991",
        "Вороновицька",
        "UA05020050010084898",
        "Вороновиця",
        0.04,
    ),
    (
        "UA07000000000024379",
        "UA07080000000034745",
        "Луцький",
        "UA07080170000013585",
        "Луцька",
        "UA07080170010083384",
        "Луцьк",
        0.25,
    ),
    (
        "UA07000000000024379",
        "UA07060000000092268",
        "Ковельський",
        "UA07060190000036342",
        "Ковельська",
        "UA07060190010068509",
        "Ковель",
        0.14,
    ),
    (
        "UA07000000000024379",
        "UA07020000000048211",
        "Володимирський",
        "UA07020010000096841",
        "Володимир-Волинська",
        "UA07020010010041660",
        "Володимир",
        0.10,
    ),
    (
        "UA07000000000024379",
        "UA07080000000034745",
        "Луцький",
        "UA07080110000043895",
        "Ківерцівська",
        "UA07080110010029699",
        "Ківерці",
        0.06,
    ),
]
VILLAGES = ["Степанівка", "Березина", "Калинівка", "Зарічне", "Липини", "Гаї", "Озерне", "Підгайці"]

# Providers of a region, by the sphere of the services they decide on.
STATE_PROVIDERS = [
    ("Відділ державної реєстрації актів цивільного стану", "ACS"),
    ("Управління Державної міграційної служби", "PAS"),
    ("Головне управління ДПС", "TAX"),
    ("Головне управління Держгеокадастру", "ZEM"),
    ("Головне управління Пенсійного фонду України", "PEN"),
    ("Територіальний сервісний центр МВС", "TRN"),
    ("Управління Держпраці", "LAB"),
    ("Головне управління Держпродспоживслужби", "VET"),
]
COUNCIL_PROVIDERS = [
    ("Відділ реєстрації місця проживання", "RMP"),
    ("Управління соціального захисту населення", "SOC"),
    ("Відділ державної реєстрації", "BUS NER"),
    ("Відділ містобудування та архітектури", "ARH"),
    ("Служба у справах дітей", "CHD"),
    ("Архівний відділ", "ARC"),
    ("Виконавчий комітет ради", ""),  # everything else decided locally
]

# --- People ---------------------------------------------------------------------------------------

# (male form, female form); one form when it does not change.
SURNAMES = [
    ("Мельник",),
    ("Шевченко",),
    ("Коваленко",),
    ("Бондаренко",),
    ("Бойко",),
    ("Ткаченко",),
    ("Кравченко",),
    ("Ковальчук",),
    ("Коваль",),
    ("Олійник",),
    ("Шевчук",),
    ("Поліщук",),
    ("Іваненко",),
    ("Ткачук",),
    ("Савченко",),
    ("Бондар",),
    ("Марченко",),
    ("Руденко",),
    ("Мороз",),
    ("Лисенко",),
    ("Петренко",),
    ("Клименко",),
    ("Павленко",),
    ("Кравчук",),
    ("Кузьменко",),
    ("Пономаренко",),
    ("Савчук",),
    ("Василенко",),
    ("Левченко",),
    ("Харченко",),
    ("Карпенко",),
    ("Гончаренко",),
    ("Мартинюк",),
    ("Романюк",),
    ("Литвиненко",),
    ("Юрченко",),
    ("Мазур",),
    ("Гнатюк",),
    ("Кушнір",),
    ("Приходько",),
    ("Федорук",),
    ("Онищенко",),
    ("Костенко",),
    ("Демченко",),
    ("Захарчук",),
    ("Остапчук",),
    ("Дмитренко",),
    ("Панченко",),
    ("Сидоренко",),
    ("Гуменюк",),
    ("Головко",),
    ("Степанюк",),
    ("Яковенко",),
    ("Білик",),
    ("Нестерук",),
    ("Данилюк",),
    ("Ковальський", "Ковальська"),
    ("Вишневський", "Вишневська"),
    ("Заболотний", "Заболотна"),
    ("Тарасюк",),
    ("Зінчук",),
    ("Вознюк",),
    ("Ющенко",),
    ("Кириленко",),
    ("Гаврилюк",),
    ("Рибак",),
    ("Сорока",),
    ("Гребенюк",),
    ("Стасюк",),
    ("Мисюк",),
    ("Бурлака",),
    ("Лукʼянчук",),
    ("Пилипчук",),
    ("Соловйов", "Соловйова"),
    ("Черненко",),
    ("Білоус",),
    ("Волошин", "Волошина"),
    ("Наумчук",),
    ("Лозинський", "Лозинська"),
    ("Якимчук",),
]
MALE = [
    ("Олександр", "Олександрович", "Олександрівна"),
    ("Андрій", "Андрійович", "Андріївна"),
    ("Сергій", "Сергійович", "Сергіївна"),
    ("Володимир", "Володимирович", "Володимирівна"),
    ("Дмитро", "Дмитрович", "Дмитрівна"),
    ("Михайло", "Михайлович", "Михайлівна"),
    ("Іван", "Іванович", "Іванівна"),
    ("Юрій", "Юрійович", "Юріївна"),
    ("Василь", "Васильович", "Василівна"),
    ("Микола", "Миколайович", "Миколаївна"),
    ("Олег", "Олегович", "Олегівна"),
    ("Віктор", "Вікторович", "Вікторівна"),
    ("Петро", "Петрович", "Петрівна"),
    ("Богдан", "Богданович", "Богданівна"),
    ("Тарас", "Тарасович", "Тарасівна"),
    ("Максим", "Максимович", "Максимівна"),
    ("Роман", "Романович", "Романівна"),
    ("Степан", "Степанович", "Степанівна"),
    ("Ігор", "Ігорович", "Ігорівна"),
    ("Анатолій", "Анатолійович", "Анатоліївна"),
]
FEMALE = [
    "Олена",
    "Наталія",
    "Тетяна",
    "Ірина",
    "Світлана",
    "Оксана",
    "Юлія",
    "Людмила",
    "Галина",
    "Марія",
    "Ганна",
    "Катерина",
    "Вікторія",
    "Надія",
    "Лариса",
    "Валентина",
    "Ольга",
    "Софія",
    "Дарина",
    "Христина",
]
STREETS = [
    "Шевченка",
    "Соборна",
    "Незалежності",
    "Грушевського",
    "Лесі Українки",
    "Франка",
    "Київська",
    "Миру",
    "Садова",
    "Шкільна",
    "Зелена",
    "Центральна",
    "Богдана Хмельницького",
    "Стуса",
]
OPERATORS = ["50", "66", "95", "99", "67", "68", "96", "97", "98", "63", "73", "93"]
ORG_FORMS = ["ТОВ", "ПП", "ФГ", "ГО", "ОСББ", "ПрАТ"]
ORG_WORDS = [
    "Агро",
    "Світанок",
    "Поділля",
    "Волинь",
    "Буд",
    "Сервіс",
    "Техно",
    "Лан",
    "Добробут",
    "Колос",
    "Надія",
    "Промінь",
    "Оберіг",
    "Маяк",
    "Граніт",
    "Дніпро",
    "Житло",
    "Затишок",
]


def weighted_slots(items: list, weights: list[float], slots: int) -> list:
    """``slots`` entries where each item appears in proportion to its weight (largest remainder)."""
    total = sum(weights)
    exact = [w * slots / total for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(items)), key=lambda i: exact[i] - counts[i], reverse=True)[: slots - sum(counts)]:
        counts[i] += 1
    out = []
    for item, n in zip(items, counts, strict=True):
        out.extend([item] * n)
    return out


class Generator:
    def __init__(self, cases: int, seed: int, applicants_per_case: float):
        from django.db import connection

        self.n_cases = cases
        self.rng = random.Random(seed)
        self.seed = seed
        self.applicants_per_case = applicants_per_case
        self.connection = connection
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.timings: list[tuple[str, int, float]] = []

    # --- helpers --------------------------------------------------------------------------------

    def sql(self, statement: str, params=None) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount

    def scalar(self, statement: str, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchone()[0]

    def step(self, label: str, fn) -> None:
        start = time.perf_counter()
        rows = fn() or 0
        seconds = time.perf_counter() - start
        self.timings.append((label, rows, seconds))
        rate = f"{rows / seconds:>12,.0f} rows/s" if rows and seconds > 0 else ""
        print(f"  {label:<44}{rows:>12,} rows {seconds:>8.1f} s {rate}", flush=True)

    def copy_rows(self, table: str, columns: list[str], rows) -> int:
        n = 0
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        return n

    # --- steps ------------------------------------------------------------------------------------

    def wipe(self) -> int:
        """Empty everything but the catalog (and Django's own tables) in the bench database."""
        return truncate_bench_tables(self.connection)

    def catalog(self) -> int:
        from django.conf import settings

        from vikno.catalog import importers
        from vikno.catalog.models import Service

        importers.import_shared_catalog(settings.DATA_DIR)
        return Service.objects.count()

    def network(self) -> int:
        from django.contrib.auth.hashers import make_password

        from vikno.accounts.models import User
        from vikno.core.scoping import Role
        from vikno.orgs.models import Center, Hromada, Office, Provider, Raion, Region, Settlement

        rng = self.rng
        regions = {code: Region.objects.create(katottg=code, name=name, category="O") for code, name in REGIONS}
        new_edrpou = edrpou_maker(rng)

        raions: dict[str, Raion] = {}
        self.centers = []
        password = make_password("bench-password-not-used")
        users = []
        rows = 0
        for i, spec in enumerate(CENTERS):
            region_code, raion_code, raion_name, hromada_code, hromada_name, city_code, city, share = spec
            region = regions[region_code]
            if raion_code not in raions:
                raions[raion_code] = Raion.objects.create(katottg=raion_code, name=raion_name, region=region)
            hromada = Hromada.objects.create(
                katottg=hromada_code, name=hromada_name, region=region, raion=raions[raion_code], population=0
            )
            city_settlement = Settlement.objects.create(
                katottg=city_code,
                name=city,
                category="X" if city == "Вороновиця" else "M",
                hromada=hromada,
                region=region,
            )
            center = Center.objects.create(
                name=f"Центр надання адміністративних послуг {hromada_name} міської ради",
                short_name=f"ЦНАП {city}",
                slug=f"bench-{i + 1}",
                hromada=hromada,
                edrpou=new_edrpou(),
                address=f"м. {city}, вул. Соборна, {rng.randrange(1, 60)}",
            )
            size = share * self.n_cases
            offices = [Office.objects.create(center=center, kind="main", name=f"ЦНАП {city}, головний офіс")]
            villages = rng.sample(VILLAGES, 4)
            n_branch = 1 if size < 80_000 else 2
            for k in range(n_branch):
                offices.append(Office.objects.create(center=center, kind="branch", name=f"ТП ЦНАП, с. {villages[k]}"))
            for k in range(2):
                offices.append(Office.objects.create(center=center, kind="remote", name=f"ВРМ, с. {villages[2 + k]}"))
            if share >= 0.1:
                offices.append(Office.objects.create(center=center, kind="mobile", name=f"Мобільний ЦНАП {city}"))
            n_admins = max(4, round(30 * share))
            first = len(users)
            for k in range(n_admins):
                users.append(
                    User(
                        username=f"bench_admin_{i + 1}_{k + 1}",
                        password=password,
                        role=Role.ADMINISTRATOR,
                        center=center,
                        first_name=rng.choice(FEMALE),
                        last_name=rng.choice(SURNAMES)[-1],
                    )
                )
            users.append(
                User(
                    username=f"bench_head_{i + 1}",
                    password=password,
                    role=Role.CENTER_HEAD,
                    center=center,
                    first_name=rng.choice(FEMALE),
                    last_name=rng.choice(SURNAMES)[-1],
                )
            )
            council = {}
            for name, spheres in COUNCIL_PROVIDERS:
                provider = Provider.objects.create(
                    name=f"{name} {hromada_name} міської ради",
                    edrpou=new_edrpou(),
                    kind="council_department",
                    region=region,
                    hromada=hromada,
                )
                for sphere in spheres.split() or [""]:
                    council[sphere] = provider.pk
            self.centers.append(
                {
                    "idx": i,
                    "center": center,
                    "city": city,
                    "settlement_id": city_settlement.pk,
                    "share": share,
                    "offices": offices,
                    "admins": (first, n_admins),
                    "council": council,
                }
            )
            rows += 3 + len(offices) + len(council)
        state = {}
        for region in regions.values():
            state[region.pk] = {}
            for name, sphere in STATE_PROVIDERS:
                provider = Provider.objects.create(
                    name=f"{name} у {region.name[:-2]}ій області",
                    edrpou=new_edrpou(),
                    kind="state_territorial",
                    region=region,
                )
                state[region.pk][sphere] = provider.pk
                rows += 1
        self.state_providers = state
        created = User.objects.bulk_create(users)
        for c in self.centers:
            first, n = c["admins"]
            c["admin_ids"] = [u.pk for u in created[first : first + n]]
            c["admin_names"] = [u.username for u in created[first : first + n]]
            offices = c["offices"]
            for user in created[first : first + n]:
                user.offices.add(offices[0], *rng.sample(offices[1:], 1))
        return rows + len(created)

    def lookup_tables(self) -> int:
        """Small weighted tables the set-based inserts pick from by a random slot number."""
        from vikno.catalog import fees
        from vikno.catalog.models import Service

        rng = self.rng
        rows = 0
        # Centers.
        self.sql(
            "DROP TABLE IF EXISTS bench_center, bench_center_slot, bench_office_slot, bench_service_slot, "
            "bench_center_service, bench_day_slot, bench_path, bench_admin"
        )
        self.sql(
            """CREATE TEMP TABLE bench_center (idx int PRIMARY KEY, center_id bigint, region_id bigint,
            main_office_id bigint, appl_lo bigint, appl_n bigint, admin_lo int, admin_n int)"""
        )
        for c in self.centers:  # the applicant blocks are known once the cases are drawn (stage_cases)
            c["appl_lo"], c["appl_n"] = 0, 0
        self.sql("CREATE TEMP TABLE bench_admin (center_idx int, k int, user_id bigint, username text)")
        admin_rows = []
        for c in self.centers:
            for k, (uid, uname) in enumerate(zip(c["admin_ids"], c["admin_names"], strict=True)):
                admin_rows.append((c["idx"], k, uid, uname))
        rows += self.copy_rows("bench_admin", ["center_idx", "k", "user_id", "username"], admin_rows)
        rows += self.copy_rows(
            "bench_center",
            ["idx", "center_id", "region_id", "main_office_id", "appl_lo", "appl_n", "admin_lo", "admin_n"],
            [
                (
                    c["idx"],
                    c["center"].pk,
                    c["center"].region_id,
                    c["offices"][0].pk,
                    c["appl_lo"],
                    c["appl_n"],
                    0,
                    len(c["admin_ids"]),
                )
                for c in self.centers
            ],
        )
        self.sql("CREATE TEMP TABLE bench_center_slot (slot int PRIMARY KEY, center_idx int)")
        slots = weighted_slots([c["idx"] for c in self.centers], [c["share"] for c in self.centers], 1000)
        rows += self.copy_rows("bench_center_slot", ["slot", "center_idx"], enumerate(slots))
        # Offices and channels: most cases at the main office, some at ТП/ВРМ/mobile, some online.
        self.sql(
            "CREATE TEMP TABLE bench_office_slot (center_idx int, slot int, office_id bigint, channel text, "
            "PRIMARY KEY (center_idx, slot))"
        )
        office_rows = []
        for c in self.centers:
            items, weights = [], []
            for office in c["offices"]:
                w = {"main": 62.0, "branch": 9.0, "remote": 5.0, "mobile": 3.0}[office.kind]
                items.append((office.pk, office.kind))
                weights.append(w)
            items.append((c["offices"][0].pk, "online"))
            weights.append(9.0)
            for slot, (office_id, channel) in enumerate(weighted_slots(items, weights, 100)):
                office_rows.append((c["idx"], slot, office_id, channel))
        rows += self.copy_rows("bench_office_slot", ["center_idx", "slot", "office_id", "channel"], office_rows)
        # Services: a few very popular ones (residence, passports, subsidies, births…), a long tail.
        services = list(
            Service.objects.filter(is_active=True, current_version__isnull=False)
            .select_related("current_version", "current_version__fee_rule", "sphere")
            .order_by("code")
        )
        popular = (
            "місця проживання",
            "паспорт",
            "субсид",
            "народження",
            "смерті",
            "шлюб",
            "пенсі",
            "ФОП",
            "підприєм",
            "земельн",
            "довідк",
            "посвідчення водія",
            "допомог",
            "ВПО",
            "переміщен",
        )
        shuffled = services[:]
        rng.shuffle(shuffled)
        weights = []
        for rank, service in enumerate(shuffled, start=1):
            w = 1.0 / rank**0.9
            if any(p.lower() in service.name_uk.lower() for p in popular):
                w *= 6
            weights.append(w)
        self.sql(
            """CREATE TEMP TABLE bench_service_slot (slot int PRIMARY KEY, service_id bigint, version_id bigint,
            sphere text, instant boolean, online boolean, pay_later boolean, term interval, term_days float8)"""
        )
        service_rows = []
        for slot, service in enumerate(weighted_slots(shuffled, weights, 10_000)):
            v = service.current_version
            if v.term_unit == "hours":
                term = dt.timedelta(hours=v.term_value)
            elif v.term_unit == "working_days":
                term = dt.timedelta(days=round(v.term_value * 7 / 5))
            else:
                term = dt.timedelta(days=v.term_value)
            if v.instant:
                term = dt.timedelta(minutes=20)
            service_rows.append(
                (
                    slot,
                    service.pk,
                    v.pk,
                    service.sphere.code,
                    v.instant,
                    v.online,
                    v.pay_later_allowed,
                    term,
                    term.total_seconds() / 86400,
                )
            )
        rows += self.copy_rows(
            "bench_service_slot",
            ["slot", "service_id", "version_id", "sphere", "instant", "online", "pay_later", "term", "term_days"],
            service_rows,
        )
        # Fee of each service in each filing year, and the provider of each service in each center.
        self.sql(
            "CREATE TEMP TABLE bench_center_service (center_idx int, service_id bigint, year int, "
            "provider_id bigint, fee numeric(12,2), budget_code text, PRIMARY KEY (center_idx, service_id, year))"
        )
        cs_rows = []
        for service in services:
            v = service.current_version
            sphere = service.sphere.code
            for year in YEAR_GROWTH:
                try:
                    quote = fees.fee_for(v, dt.date(year, 6, 1))
                    fee, code = quote.amount, quote.budget_code
                except Exception:  # a rule not in force that year: keep the case without a fee
                    fee, code = None, v.fee_budget_code
                for c in self.centers:
                    if sphere in self.state_providers[c["center"].region_id]:
                        provider = self.state_providers[c["center"].region_id][sphere]
                    elif v.instant:
                        provider = None
                    else:
                        provider = c["council"].get(sphere, c["council"][""])
                    cs_rows.append((c["idx"], service.pk, year, provider, fee, code or ""))
        rows += self.copy_rows(
            "bench_center_service",
            ["center_idx", "service_id", "year", "provider_id", "fee", "budget_code"],
            cs_rows,
        )
        # Filing days: Monday to Friday from START_DAY to today, more each year, fewer in January and August.
        self.sql("CREATE TEMP TABLE bench_day_slot (slot int PRIMARY KEY, day date)")
        days, day_weights = [], []
        today = self.now.astimezone(dt.timezone(dt.timedelta(hours=2))).date()
        d = START_DAY
        while d <= today:
            if d.weekday() < 5:
                days.append(d)
                season = {1: 0.8, 8: 0.85, 9: 1.15, 3: 1.05}.get(d.month, 1.0)
                day_weights.append(YEAR_GROWTH[d.year] * season * (0.3 if d == today else 1.0))
            d += dt.timedelta(days=1)
        rows += self.copy_rows("bench_day_slot", ["slot", "day"], enumerate(weighted_slots(days, day_weights, 100_000)))
        # Event paths: the transitions that lead to each final status.
        self.sql(
            """CREATE TEMP TABLE bench_path (path text, step int, steps int, action text, from_status text,
            to_status text, center_side boolean)"""
        )
        path_rows = []
        for path, steps in self.paths().items():
            for k, (action, frm, to, center_side) in enumerate(steps):
                path_rows.append((path, k, len(steps), action, frm, to, center_side))
        rows += self.copy_rows(
            "bench_path", ["path", "step", "steps", "action", "from_status", "to_status", "center_side"], path_rows
        )
        self.sql(
            "ANALYZE bench_center; ANALYZE bench_center_slot; ANALYZE bench_office_slot; "
            "ANALYZE bench_service_slot; ANALYZE bench_center_service; ANALYZE bench_day_slot; ANALYZE bench_path"
        )
        return rows

    @staticmethod
    def paths() -> dict[str, list[tuple[str, str, str, bool]]]:
        """Final status (``_online`` when filed online, ``instant``) → (action, from, to, by the center?)."""
        register = [("registered", "", "accepted", True)]
        online = [("registered", "", "submitted_online", False), ("accept", "submitted_online", "accepted", True)]
        send = ("send_to_provider", "accepted", "sent_to_provider", True)
        take = ("take_into_work", "sent_to_provider", "in_progress", False)
        ready = ("mark_result_ready", "in_progress", "result_ready", False)
        refuse = ("refuse", "in_progress", "refused", False)
        tails = {
            "accepted": [],
            "sent_to_provider": [send],
            "in_progress": [send, take],
            "needs_clarification": [send, take, ("request_clarification", "in_progress", "needs_clarification", False)],
            "result_ready": [send, take, ready],
            "issued": [send, take, ready, ("issue", "result_ready", "issued", True)],
            "refused": [send, take, refuse],
            "refusal_issued": [send, take, refuse, ("issue_refusal", "refused", "refusal_issued", True)],
            "withdrawn": [send, ("withdraw", "sent_to_provider", "withdrawn", True)],
            "dismissed": [send, take, ("dismiss", "in_progress", "dismissed", False)],
        }
        out = {}
        for status, tail in tails.items():
            out[status] = register + tail
            out[status + "_online"] = online + tail
        out["submitted_online_online"] = online[:1]
        out["instant"] = [
            *register,
            ("mark_result_ready", "accepted", "result_ready", True),
            ("issue", "result_ready", "issued", True),
        ]
        return out

    def applicants(self) -> int:
        """Applicants of each center, written by COPY after the cases that refer to them."""
        from stdnum.ua import edrpou, rntrc

        rng = self.rng
        epoch = dt.date(1899, 12, 31)
        used_rnokpp: set[str] = set()
        columns = [
            "id",
            "center_id",
            "region_id",
            "kind",
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "rnokpp",
            "refused_rnokpp",
            "passport_series",
            "passport_number",
            "id_card_number",
            "unzr",
            "edrpou",
            "organisation_name",
            "head_name",
            "phone",
            "email",
            "address",
            "settlement_id",
            "sms_consent",
            "email_consent",
            "created_at",
        ]
        surname_weights = [1 / (k + 1) ** 0.7 for k in range(len(SURNAMES))]
        surnames = weighted_slots(SURNAMES, surname_weights, 5000)
        passport_letters = "АВЕКМНОРСТ"

        def person(c, aid, created):
            male = rng.random() < 0.47
            surname = rng.choice(surnames)
            last = surname[0] if male or len(surname) == 1 else surname[1]
            father = rng.choice(MALE)
            if male:
                first = rng.choice(MALE)[0]
                patronymic = father[1]
            else:
                first = rng.choice(FEMALE)
                patronymic = father[2]
            born = dt.date(1938, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 70))
            if born > dt.date(2012, 1, 1):
                born -= dt.timedelta(days=365 * 20)
            refused = rng.random() < 0.004
            rnokpp = ""
            if not refused:
                while True:
                    sex = rng.randrange(1, 10, 2) if male else rng.randrange(0, 10, 2)
                    head = f"{(born - epoch).days:05d}{rng.randrange(1000):03d}{sex}"
                    rnokpp = head + rntrc.calc_check_digit(head)
                    if rnokpp not in used_rnokpp:
                        used_rnokpp.add(rnokpp)
                        break
            id_card = unzr = series = pnumber = ""
            if born.year >= 1990 or rng.random() < 0.35:
                id_card = f"{rng.randrange(10**8, 10**9):09d}"
                unzr = f"{born:%Y%m%d}-{rng.randrange(100000):05d}"
            else:
                series = rng.choice(passport_letters) + rng.choice(passport_letters)
                pnumber = f"{rng.randrange(10**5, 10**6):06d}"
            phone = ""
            if rng.random() < 0.88:
                phone = f"+380{rng.choice(OPERATORS)}{rng.randrange(10**7):07d}"
            email = ""
            if rng.random() < 0.25:
                email = f"user{aid}@{rng.choice(['ukr.net', 'gmail.com', 'i.ua', 'meta.ua'])}"
            if rng.random() < 0.7:
                address = f"м. {c['city']}, вул. {rng.choice(STREETS)}, {rng.randrange(1, 150)}"
                if rng.random() < 0.6:
                    address += f", кв. {rng.randrange(1, 200)}"
                settlement = c["settlement_id"]
            else:
                address = f"с. {rng.choice(VILLAGES)}, вул. {rng.choice(STREETS)}, {rng.randrange(1, 90)}"
                settlement = None
            return (
                aid,
                c["center"].pk,
                c["center"].region_id,
                "person",
                last,
                first,
                patronymic,
                born,
                rnokpp,
                refused,
                series,
                pnumber,
                id_card,
                unzr,
                "",
                "",
                "",
                phone,
                email,
                address,
                settlement,
                bool(phone) and rng.random() < 0.7,
                bool(email) and rng.random() < 0.6,
                created,
            )

        def entity(c, aid, created):
            base = f"{rng.randrange(2_000_000, 4_500_000):07d}"
            code = base + edrpou.calc_check_digit(base)
            name = f"{rng.choice(ORG_FORMS)} «{rng.choice(ORG_WORDS)}{rng.choice(ORG_WORDS).lower()}»"
            father = rng.choice(MALE)
            head = f"{rng.choice(SURNAMES)[0]} {father[0]} {rng.choice(MALE)[1]}"
            phone = f"+380{rng.choice(OPERATORS)}{rng.randrange(10**7):07d}"
            return (
                aid,
                c["center"].pk,
                c["center"].region_id,
                "legal_entity",
                "",
                "",
                "",
                None,
                "",
                False,
                "",
                "",
                "",
                "",
                code,
                name,
                head,
                phone,
                f"office{aid}@ukr.net",
                f"м. {c['city']}, вул. {rng.choice(STREETS)}, {rng.randrange(1, 150)}",
                c["settlement_id"],
                False,
                True,
                created,
            )

        n = 0
        for c in self.centers:
            # Each applicant exists from their first case on (cases() gives every one at least one).
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT applicant_id, min(filed_at) - interval '3 minutes' FROM cases_case "
                    "WHERE center_id = %s GROUP BY applicant_id ORDER BY applicant_id",
                    [c["center"].pk],
                )
                first_case = cursor.fetchall()
            assert [r[0] for r in first_case] == list(range(c["appl_lo"], c["appl_lo"] + c["appl_n"]))
            n += self.copy_rows(
                "cases_applicant",
                columns,
                (
                    entity(c, aid, created) if rng.random() < 0.04 else person(c, aid, created)
                    for aid, created in first_case
                ),
            )
        return n

    def stage_cases(self) -> int:
        """Draw the random choices of every case into an unlogged table; size the applicant blocks."""
        self.sql(f"SELECT setseed({(self.seed % 1000) / 1000.0})")
        # Stage 1: the random choices of every case (center, day, time, service, office, applicant).
        self.sql("DROP TABLE IF EXISTS bench_case")
        self.sql(
            """
            CREATE UNLOGGED TABLE bench_case AS
            WITH base AS (
                SELECT g,
                       floor(random() * 1000)::int AS center_slot,
                       floor(random() * 100000)::int AS day_slot,
                       floor(random() * 10000)::int AS service_slot,
                       floor(random() * 100)::int AS office_slot,
                       random() AS u_time, random() AS u_applicant, random() AS u_status, random() AS u_ready,
                       random() AS u_close, random() AS u_admin
                FROM generate_series(1, %(n)s) AS g
            )
            SELECT b.*, cs.center_idx, c.center_id, c.region_id, c.main_office_id,
                   (d.day + time '08:00' + b.u_time * interval '9 hours') AT TIME ZONE 'Europe/Kyiv' AS filed_raw,
                   s.service_id, s.version_id, s.instant, s.online, s.pay_later, s.term, s.term_days,
                   o.office_id, CASE WHEN o.channel = 'online' AND NOT s.online THEN 'main' ELSE o.channel END
                       AS channel,
                   c.admin_n
            FROM base b
            JOIN bench_center_slot cs ON cs.slot = b.center_slot
            JOIN bench_center c ON c.idx = cs.center_idx
            JOIN bench_day_slot d ON d.slot = b.day_slot
            JOIN bench_service_slot s ON s.slot = b.service_slot
            JOIN bench_office_slot o ON o.center_idx = cs.center_idx AND o.slot = b.office_slot
            """,
            {"n": self.n_cases},
        )
        # Applicants: ``applicants_per_case`` of each center's real number of cases, in one id block.
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT center_idx, count(*) FROM bench_case GROUP BY center_idx")
            counts = dict(cursor.fetchall())
        lo = 1
        for c in self.centers:
            n_cases = counts.get(c["idx"], 0)
            c["appl_lo"], c["appl_n"] = lo, max(1, min(n_cases, round(n_cases * self.applicants_per_case)))
            self.sql("UPDATE bench_center SET appl_lo = %s, appl_n = %s WHERE idx = %s", [lo, c["appl_n"], c["idx"]])
            lo += c["appl_n"]
        return sum(counts.values())

    def cases(self) -> int:
        """The cases, by one INSERT … SELECT; numbers in filing order per center and year. The k-th case
        of a center (in filing order) is the first case of applicant ⌊k·A/N⌋ when that index is new,
        otherwise a returning applicant drawn among those before; so every applicant has a case."""
        return self.sql(
            """
            WITH staged AS (
                SELECT b.*, bc.appl_lo, bc.appl_n,
                       LEAST(b.filed_raw, %(now)s::timestamptz - interval '5 minutes') AS filed_at,
                       extract(year FROM b.filed_raw AT TIME ZONE 'Europe/Kyiv')::int AS year
                FROM bench_case b JOIN bench_center bc ON bc.idx = b.center_idx
            ), aged AS (
                SELECT s.*,
                       row_number() OVER (PARTITION BY s.center_id, s.year ORDER BY s.filed_at, s.g) AS seq,
                       row_number() OVER (ORDER BY s.filed_at, s.g) AS id,
                       row_number() OVER (PARTITION BY s.center_id ORDER BY s.filed_at, s.g) - 1 AS rn,
                       count(*) OVER (PARTITION BY s.center_id) AS n_center,
                       extract(epoch FROM (%(now)s::timestamptz - s.filed_at)) / 86400.0 AS age_days
                FROM staged s
            ), with_status AS (
                SELECT a.*,
                    CASE
                      WHEN a.instant THEN 'issued'
                      WHEN a.age_days > a.term_days * 1.5 + 30 THEN CASE
                          WHEN a.u_status < 0.86 THEN 'issued' WHEN a.u_status < 0.91 THEN 'refusal_issued'
                          WHEN a.u_status < 0.94 THEN 'withdrawn' WHEN a.u_status < 0.96 THEN 'dismissed'
                          WHEN a.u_status < 0.995 THEN 'result_ready' ELSE 'refused' END
                      WHEN a.age_days > a.term_days THEN CASE
                          WHEN a.u_status < 0.55 THEN 'issued' WHEN a.u_status < 0.80 THEN 'result_ready'
                          WHEN a.u_status < 0.85 THEN 'in_progress' WHEN a.u_status < 0.88 THEN 'needs_clarification'
                          WHEN a.u_status < 0.93 THEN 'refusal_issued' WHEN a.u_status < 0.95 THEN 'refused'
                          ELSE 'withdrawn' END
                      ELSE CASE
                          WHEN a.u_status < 0.22 THEN
                              CASE WHEN a.channel = 'online' AND a.u_ready < 0.5 THEN 'submitted_online'
                                   ELSE 'accepted' END
                          WHEN a.u_status < 0.52 THEN 'sent_to_provider' WHEN a.u_status < 0.78 THEN 'in_progress'
                          WHEN a.u_status < 0.84 THEN 'needs_clarification' WHEN a.u_status < 0.95 THEN 'result_ready'
                          ELSE 'issued' END
                    END AS status,
                    a.filed_at + a.term AS due_at
                FROM aged a
            ), timed AS (
                SELECT w.*,
                    CASE WHEN w.status IN ('result_ready', 'issued', 'refused', 'refusal_issued') THEN
                        LEAST(w.filed_at + w.term * (0.3 + 0.8 * w.u_ready), %(now)s::timestamptz - interval '2 minutes')
                    END AS ready_at
                FROM with_status w
            ), closed AS (
                SELECT t.*,
                    CASE
                      WHEN t.status IN ('issued', 'refusal_issued') THEN
                        LEAST(t.ready_at + CASE WHEN t.instant THEN interval '1 minute'
                                                ELSE interval '1 day' * (-ln(1 - t.u_close * 0.999) * 5) END,
                              %(now)s::timestamptz - interval '1 minute')
                      WHEN t.status IN ('withdrawn', 'dismissed') THEN
                        LEAST(t.filed_at + t.term * t.u_close, %(now)s::timestamptz - interval '1 minute')
                    END AS closed_at
                FROM timed t
            )
            INSERT INTO cases_case (
                id, center_id, region_id, office_id, current_office_id, provider_id, service_id, service_version_id,
                applicant_id, representative_id, number, year, seq, access_code, channel, status, status_changed_at,
                filed_at, due_at, suspended_since, suspended_days, extended_days, escalated_at, instant, fee_amount,
                fee_budget_code, pay_later_allowed, result_ready_at, closed_at, uncollected_reminded_at,
                refusal_reason, refusal_ground, parent_id, created_by_id, idempotency_key, request_fingerprint
            )
            SELECT
                x.id, x.center_id, x.region_id, x.office_id, x.office_id, cs.provider_id, x.service_id, x.version_id,
                x.appl_lo + CASE
                    WHEN x.rn = 0 OR (x.rn * x.appl_n) / x.n_center <> ((x.rn - 1) * x.appl_n) / x.n_center
                    THEN (x.rn * x.appl_n) / x.n_center
                    ELSE floor(x.u_applicant * ((x.rn * x.appl_n) / x.n_center + 1))::bigint END,
                NULL,
                """
            + NUMBER_SQL
            + """,
                x.year, x.seq,
                translate(upper(substr(md5(x.g::text || 'access'), 1, 8)), '01', 'XZ'),
                x.channel,
                x.status,
                COALESCE(x.closed_at, x.ready_at, CASE
                    WHEN x.status IN ('submitted_online', 'accepted') THEN x.filed_at
                    ELSE LEAST(x.filed_at + x.term * 0.3 * x.u_close, %(now)s::timestamptz - interval '1 minute') END),
                x.filed_at,
                CASE WHEN x.instant THEN x.filed_at ELSE x.due_at END,
                NULL, 0, 0,
                CASE WHEN x.status IN ('in_progress', 'needs_clarification') AND x.due_at < %(now)s::timestamptz
                     THEN x.due_at + interval '1 day' END,
                x.instant,
                cs.fee, cs.budget_code, x.pay_later,
                x.ready_at,
                x.closed_at,
                CASE WHEN x.status = 'result_ready' AND x.ready_at < %(now)s::timestamptz - interval '30 days'
                     THEN x.ready_at + interval '30 days' END,
                CASE WHEN x.status IN ('refused', 'refusal_issued') THEN (ARRAY[
                    'Подано неповний пакет документів.',
                    'У документах виявлено недостовірні відомості.',
                    'Заявник не має права на отримання послуги.',
                    'Звернулася особа, яка не має на це повноважень.'])[1 + floor(x.u_ready * 4)::int]
                     ELSE '' END,
                '',
                NULL,
                CASE WHEN x.channel = 'online' THEN NULL ELSE ba.user_id END,
                '', ''
            FROM closed x
            JOIN bench_center_service cs
              ON cs.center_idx = x.center_idx AND cs.service_id = x.service_id AND cs.year = x.year
            JOIN bench_admin ba ON ba.center_idx = x.center_idx AND ba.k = floor(x.u_admin * x.admin_n)::int
            """,
            {"now": self.now},
        )

    def events(self) -> int:
        return self.sql(
            """
            INSERT INTO cases_caseevent (case_id, at, actor_id, actor_label, office_id, action, from_status,
                                         to_status, comment, visible_to_applicant, data)
            SELECT c.id,
                   CASE WHEN p.step = p.steps - 1 THEN c.status_changed_at
                        ELSE c.filed_at + (c.status_changed_at - c.filed_at) * (p.step::float8 / (p.steps - 1)) END,
                   CASE WHEN p.center_side THEN c.created_by_id END,
                   CASE WHEN NOT p.center_side AND p.action = 'registered' THEN 'system'
                        WHEN NOT p.center_side THEN 'provider'
                        ELSE COALESCE(u.username, 'system') END,
                   CASE WHEN p.center_side THEN c.office_id END,
                   p.action, p.from_status, p.to_status,
                   CASE WHEN p.action = 'request_clarification' THEN 'Надайте копію документа, що посвідчує особу.'
                        WHEN p.action IN ('refuse', 'dismiss') THEN c.refusal_reason
                        ELSE '' END,
                   true, '{}'::jsonb
            FROM cases_case c
            LEFT JOIN accounts_user u ON u.id = c.created_by_id
            JOIN bench_path p ON p.path = CASE
                WHEN c.instant THEN 'instant'
                WHEN c.channel = 'online' THEN c.status || '_online'
                ELSE c.status END
            ORDER BY c.id, p.step
            """
        )

    def tasks(self) -> int:
        """The ТК steps of each case's service version: done for finished cases, the first one active
        (or done once sent to the provider) and the rest pending for open ones."""
        return self.sql(
            """
            INSERT INTO cases_casetask (case_id, position, action, role, action_type, term_value, term_unit, state,
                                        started_at, due_at, done_at, done_by_id)
            SELECT c.id, s.position, s.action, s.role, s.action_type, s.term_value, s.term_unit,
                   CASE WHEN fin THEN 'done'
                        WHEN s.position = first_pos AND c.status IN ('submitted_online', 'accepted') THEN 'active'
                        WHEN s.position = first_pos THEN 'done'
                        WHEN s.position = second_pos THEN 'active'
                        ELSE 'pending' END,
                   CASE WHEN fin OR s.position IN (first_pos, second_pos) THEN c.filed_at END,
                   CASE WHEN NOT fin AND s.position IN (first_pos, second_pos) THEN c.due_at END,
                   CASE WHEN fin THEN c.status_changed_at
                        WHEN s.position = first_pos AND c.status NOT IN ('submitted_online', 'accepted')
                        THEN c.filed_at END,
                   CASE WHEN s.role = 'administrator' AND (fin OR s.position = first_pos) THEN c.created_by_id END
            FROM (
                SELECT c.*, c.status IN ('result_ready', 'refused', 'issued', 'refusal_issued', 'withdrawn',
                                         'dismissed') AS fin,
                       v.first_pos, v.second_pos
                FROM cases_case c
                JOIN (SELECT version_id, min(position) AS first_pos,
                             (array_agg(position ORDER BY position))[2] AS second_pos
                      FROM catalog_techstep GROUP BY version_id) v ON v.version_id = c.service_version_id
            ) c
            JOIN catalog_techstep s ON s.version_id = c.service_version_id
            ORDER BY c.id, s.position
            """
        )

    def documents(self) -> int:
        """The ІК checklist of each case (where the version has one), every document provided."""
        return self.sql(
            """
            INSERT INTO cases_casedocument (case_id, position, name, original, copy, pages, provided, file,
                                            content_type, size, sha256, uploaded_at, extra)
            SELECT c.id, d.position, d.name, d.original, d.copy, d.pages, true, NULL, '', NULL, '', NULL, false
            FROM cases_case c JOIN catalog_requireddocument d ON d.version_id = c.service_version_id
            ORDER BY c.id, d.position
            """
        )

    def payments(self) -> int:
        """One payment for each case with a fee, except withdrawn cases and unpaid pay-later ones. Receipt
        numbers carry the case id whole, so none repeats (a receipt is unique per center and method:
        payments.0005; ``lpad`` alone would cut ids longer than its width)."""
        return self.sql(
            """
            INSERT INTO payments_payment (case_id, center_id, region_id, method, amount, budget_code, receipt_number,
                                          paid_on, exemption_ground, recorded_at, recorded_by_id)
            SELECT c.id, c.center_id, c.region_id,
                   CASE WHEN h < 0.05 THEN 'exemption' WHEN h < 0.60 THEN 'pos' ELSE 'bank' END,
                   CASE WHEN h < 0.05 THEN 0 ELSE c.fee_amount END,
                   c.fee_budget_code,
                   CASE WHEN h < 0.05 THEN ''
                        WHEN h < 0.60 THEN 'POS-' || lpad(c.id::text, greatest(6, length(c.id::text)), '0')
                        ELSE 'P24' || upper(substr(md5(c.id::text || 'pay'), 1, 6))
                             || lpad(c.id::text, greatest(6, length(c.id::text)), '0') END,
                   (CASE WHEN c.pay_later_allowed THEN COALESCE(c.result_ready_at, c.filed_at) ELSE c.filed_at END
                        AT TIME ZONE 'Europe/Kyiv')::date,
                   CASE WHEN h < 0.05 THEN 'Особа з інвалідністю I групи (ст. 38 Закону № 875-XII)' ELSE '' END,
                   CASE WHEN c.pay_later_allowed THEN COALESCE(c.result_ready_at, c.filed_at) ELSE c.filed_at END,
                   c.created_by_id
            FROM (
                SELECT c.*, ('x' || substr(md5(c.id::text || 'method'), 1, 8))::bit(32)::bigint / 4294967296.0 AS h
                FROM cases_case c
                WHERE c.fee_amount > 0 AND c.status NOT IN ('withdrawn', 'submitted_online')
                  AND (NOT c.pay_later_allowed OR c.result_ready_at IS NOT NULL)
            ) c
            ORDER BY c.id
            """
        )

    def issuances(self) -> int:
        return self.sql(
            """
            INSERT INTO cases_issuance (case_id, issued_at, issued_by_id, office_id, to_representative,
                                        recipient_name, identity_document, note)
            SELECT c.id, c.closed_at, c.created_by_id, c.current_office_id, false,
                   CASE WHEN a.kind = 'legal_entity' THEN a.head_name
                        ELSE concat_ws(' ', a.last_name, a.first_name, a.patronymic) END,
                   CASE WHEN a.id_card_number <> '' THEN 'ID-картка № ' || a.id_card_number
                        WHEN a.passport_number <> '' THEN 'Паспорт ' || a.passport_series || ' № ' || a.passport_number
                        ELSE 'Паспорт громадянина України' END,
                   ''
            FROM cases_case c JOIN cases_applicant a ON a.id = c.applicant_id
            WHERE c.status IN ('issued', 'refusal_issued')
            ORDER BY c.id
            """
        )

    def counters(self) -> int:
        return self.sql(
            """
            INSERT INTO cases_casenumbercounter (center_id, year, last_value)
            SELECT center_id, year, max(seq) FROM cases_case GROUP BY center_id, year
            """
        )

    def finish(self) -> int:
        for table in (
            "cases_applicant",
            "cases_case",
            "cases_caseevent",
            "payments_payment",
            "cases_issuance",
            "cases_casetask",
            "cases_casedocument",
        ):
            self.sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"
            )
        self.sql("DROP TABLE IF EXISTS bench_case")
        return 0

    def vacuum(self) -> int:
        self.sql("RESET session_replication_role")
        for table in (
            "cases_applicant",
            "cases_case",
            "cases_caseevent",
            "payments_payment",
            "cases_issuance",
            "cases_casetask",
            "cases_casedocument",
            "cases_casenumbercounter",
            "accounts_user",
        ):
            self.sql(f"VACUUM (ANALYZE) {table}")
        return 0

    def check(self) -> list[str]:
        """Cheap consistency checks of what the FK triggers did not see."""
        problems = []
        queries = {
            "counter ≠ last seq": """SELECT count(*) FROM cases_casenumbercounter n
                JOIN (SELECT center_id, year, max(seq) m, count(*) k FROM cases_case GROUP BY 1, 2) c
                  USING (center_id, year) WHERE n.last_value <> c.m OR c.m <> c.k""",
            "applicant of another center": """SELECT count(*) FROM cases_case c JOIN cases_applicant a
                ON a.id = c.applicant_id WHERE a.center_id <> c.center_id""",
            "case without applicant": """SELECT count(*) FROM cases_case c
                WHERE NOT EXISTS (SELECT 1 FROM cases_applicant a WHERE a.id = c.applicant_id)""",
            "applicant without cases": """SELECT count(*) FROM cases_applicant a
                WHERE NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.applicant_id = a.id)""",
            "applicant created after the case": """SELECT count(*) FROM cases_case c JOIN cases_applicant a
                ON a.id = c.applicant_id WHERE a.created_at > c.filed_at""",
            "case without events": """SELECT count(*) FROM cases_case c
                WHERE NOT EXISTS (SELECT 1 FROM cases_caseevent e WHERE e.case_id = c.id)""",
            "case in the future": "SELECT count(*) FROM cases_case WHERE filed_at > now() OR closed_at > now()",
        }
        for label, q in queries.items():
            n = self.scalar(q)
            if n:
                problems.append(f"{label}: {n}")
        # The numbers and event actions the application itself writes.
        from vikno.cases import services, workflow

        with self.connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT ON (center_id) center_id, year, seq, number FROM cases_case")
            for center_id, year, seq, number in cursor.fetchall():
                if services.format_number(center_id, year, seq) != number:
                    problems.append(f"number {number} ≠ format_number() {services.format_number(center_id, year, seq)}")
            cursor.execute("SELECT DISTINCT action FROM bench_path")
            unknown = {r[0] for r in cursor.fetchall()} - set(workflow.ACTIONS) - {"registered"}
            if unknown:
                problems.append(f"event actions unknown to vikno.cases.workflow: {sorted(unknown)}")
        return problems


# Case number as vikno.cases.services.format_number writes it: «<center id>-<yy>-<seq, 6 digits>».
NUMBER_SQL = "x.center_id::text || '-' || lpad(mod(x.year, 100)::text, 2, '0') || '-' || lpad(x.seq::text, 6, '0')"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="number of cases (default 1,000,000)")
    parser.add_argument("--applicants-per-case", type=float, default=0.6, help="applicants per case (default 0.6)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    db = setup_django()

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    gen = Generator(args.cases, args.seed, args.applicants_per_case)
    print(f"Database {db}; machine: {machine()}")
    print(f"Generating {args.cases:,} cases (seed {args.seed}) …", flush=True)
    gen.step("migrate", lambda: call_command("migrate", verbosity=0) or 0)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET maintenance_work_mem = '512MB'")
    gen.step("wipe (tables emptied)", gen.wipe)
    gen.step("catalog (import_shared_catalog; services)", gen.catalog)
    gen.step("regions, centers, offices, providers, staff", gen.network)
    gen.step("lookup tables", gen.lookup_tables)
    gen.sql("SET session_replication_role = replica")
    gen.step("cases: random draws (unlogged table)", gen.stage_cases)
    gen.step("cases (INSERT … SELECT)", gen.cases)
    gen.step("applicants (COPY)", gen.applicants)
    gen.step("case events", gen.events)
    gen.step("case tasks (ТК steps)", gen.tasks)
    gen.step("case documents (ІК checklist)", gen.documents)
    gen.step("payments", gen.payments)
    gen.step("issuances", gen.issuances)
    gen.step("number counters", gen.counters)
    gen.step("sequences", gen.finish)
    gen.step("VACUUM ANALYZE", gen.vacuum)
    problems = gen.check()
    total = time.perf_counter() - started
    rows = sum(r for _label, r, _s in gen.timings)
    print(f"Done: {rows:,} rows in {total:.0f} s ({rows / total:,.0f} rows/s overall).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM cases_case GROUP BY status ORDER BY count(*) DESC")
        print("Statuses: " + ", ".join(f"{s} {n:,}" for s, n in cursor.fetchall()))
        cursor.execute("SELECT year, count(*) FROM cases_case GROUP BY year ORDER BY year")
        print("Years: " + ", ".join(f"{y} {n:,}" for y, n in cursor.fetchall()))
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"Database size: {cursor.fetchone()[0]}")
    if problems:
        print("CONSISTENCY PROBLEMS: " + "; ".join(problems))
        raise SystemExit(1)
    print("Consistency checks passed.")


if __name__ == "__main__":
    main()
