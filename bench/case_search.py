#!/usr/bin/env python
"""Staff case search on the 1M-case bench database: latency per query kind, with EXPLAIN plans.

Run from the project folder after ``bench/generate_cases.py``:
``.venv/bin/python bench/case_search.py [--searches 400]``.

A center-scoped administrator (of the largest bench center) searches the way the staff case list
does (``GET /api/v1/cases?q=``): ``vikno.cases.services.search_cases(user, q)`` and the first page of
``page_cases`` (50 cases, newest first, with their applicant, service and offices). Queries are
drawn from that center's own data, in equal shares: a case number, an applicant's РНОКПП, a phone
(written as staff type it: ``+380…``, ``0…``, with spaces or dashes) and a surname (whole, a prefix
of at least 4 letters, a surname with a first name, or a surname with one typo). A ``SELECT 1``
round trip and a case by its primary key are the baselines of the same run. It prints p50/p95/p99
per kind and ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest query of each kind.

It also times the counts of the staff workplace page (``services.workload``; for the oblast and the
system administrator with ``workload_by_center``) for that administrator, the officer of the busiest
provider, the monitor of the center's region and the system administrator, 50 times each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_cases import machine, percentile, setup_django

KINDS = ("number", "rnokpp", "phone", "surname")


def phone_as_typed(phone: str, rng: random.Random) -> str:
    """+380501234567 as staff may type it."""
    local = "0" + phone[4:]
    return rng.choice(
        [
            phone,
            local,
            f"{local[:3]} {local[3:6]} {local[6:8]} {local[8:]}",
            f"+38 ({local[:3]}) {local[3:6]}-{local[6:]}",
        ]
    )


def misspell(word: str, rng: random.Random) -> str:
    """Drop or double one inner letter (a common slip)."""
    i = rng.randrange(2, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=400, help="measured searches (default 400)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--limit", type=int, default=50, help="page size, as the API default (50)")
    args = parser.parse_args()
    db = setup_django()

    from django.db import connection
    from django.db.models import Count

    from vikno.accounts.models import User
    from vikno.cases import services
    from vikno.cases.models import Applicant, Case
    from vikno.orgs.models import Center

    rng = random.Random(args.seed)
    center = (
        Center.objects.filter(slug__startswith="bench-").annotate(n=Count("cases")).order_by("-n").first()
        if Case.objects.exists()
        else None
    )
    if center is None:
        raise SystemExit("No bench data: run bench/generate_cases.py first.")
    user = User.objects.filter(center=center, role="administrator").order_by("pk").first()
    n_center = Case.objects.filter(center=center).count()
    n_total = Case.objects.count()
    n_applicants = Applicant.objects.filter(center=center).count()

    per_kind = max(1, args.searches // len(KINDS))
    numbers = list(Case.objects.filter(center=center).order_by("?").values_list("number", flat=True)[:per_kind])
    people = list(
        Applicant.objects.filter(center=center, kind="person")
        .exclude(rnokpp="")
        .exclude(phone="")
        .order_by("?")
        .values_list("rnokpp", "phone", "last_name", "first_name")[: per_kind * 3]
    )
    queries: dict[str, list[str]] = {
        "number": numbers,
        "rnokpp": [p[0] for p in people[:per_kind]],
        "phone": [phone_as_typed(p[1], rng) for p in people[per_kind : 2 * per_kind]],
        "surname": [],
    }
    for _rnokpp, _phone, last, first in people[2 * per_kind : 3 * per_kind]:
        form = rng.random()
        if form < 0.4:
            queries["surname"].append(last)
        elif form < 0.6:
            queries["surname"].append(last[: max(4, len(last) - 3)])
        elif form < 0.8:
            queries["surname"].append(f"{last} {first}")
        else:
            queries["surname"].append(misspell(last, rng))

    def search(q: str):
        return services.page_cases(services.search_cases(user, q), limit=args.limit).items

    def select_1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    ids = list(Case.objects.filter(center=center).order_by("?").values_list("id", flat=True)[:200])

    def by_pk(pk):
        return Case.objects.visible_to(user).select_related(*services.CASE_RELATED).get(pk=pk)

    # Warm-up: connection, caches, the server's plan and buffer caches.
    for kind in KINDS:
        for q in queries[kind][:10]:
            search(q)
    for _ in range(50):
        select_1()

    timings: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    empty: dict[str, list[str]] = {}
    slowest: list[tuple[float, str, str]] = []
    for _ in range(args.searches):
        start = time.perf_counter()
        select_1()
        timings.setdefault("baseline: SELECT 1", []).append((time.perf_counter() - start) * 1000)
    for pk in ids:
        start = time.perf_counter()
        by_pk(pk)
        timings.setdefault("baseline: case by id", []).append((time.perf_counter() - start) * 1000)
    provider_id = (
        Case.objects.exclude(provider=None)
        .values("provider_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["provider_id"]
    )
    viewers = {
        "administrator": (user, False),
        "officer": (User(role="officer", provider_id=provider_id, username="bench-officer"), False),
        "oblast monitor": (User(role="oblast_monitor", region_id=center.region_id, username="bench-monitor"), True),
        "system administrator": (User(role="sysadmin", username="bench-sysadmin"), True),
    }
    for label, (viewer, by_center) in viewers.items():
        for attempt in range(55):  # five to warm up
            start = time.perf_counter()
            services.workload(viewer)
            if by_center:
                services.workload_by_center(viewer)
            if attempt >= 5:
                timings.setdefault(f"workplace: {label}", []).append((time.perf_counter() - start) * 1000)
    mixed = [(kind, q) for kind in KINDS for q in queries[kind]]
    rng.shuffle(mixed)
    for kind, q in mixed:
        start = time.perf_counter()
        items = search(q)
        ms = (time.perf_counter() - start) * 1000
        timings.setdefault(f"search: {kind}", []).append(ms)
        found[kind] = found.get(kind, 0) + len(items)
        if not items:
            empty.setdefault(kind, []).append(q)
        slowest.append((ms, kind, q))
    everything = [x for kind in KINDS for x in timings[f"search: {kind}"]]

    print(f"Machine: {machine()}")
    print(f"Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; database {db}")
    print(
        f"Data: {n_total:,} cases; the user «{user.username}» (administrator) sees center «{center}» with "
        f"{n_center:,} cases and {n_applicants:,} applicants"
    )
    print(f"Searches: {len(mixed)} ({', '.join(f'{k} {len(queries[k])}' for k in KINDS)}), first page of {args.limit}")
    print()
    print(f"{'what':<34}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'hits/q':>8}")

    def row(label, values, hits=None):
        print(
            f"{label:<34}{len(values):>6}{statistics.median(values):>9.2f}{percentile(values, 95):>9.2f}"
            f"{percentile(values, 99):>9.2f}{max(values):>9.2f}" + (f"{hits:>8.1f}" if hits is not None else "")
        )

    row("baseline: SELECT 1", timings["baseline: SELECT 1"])
    row("baseline: case by id", timings["baseline: case by id"])
    for label in viewers:
        row(f"workplace: {label}", timings[f"workplace: {label}"])
    row("search: all", everything)
    for kind in KINDS:
        values = timings[f"search: {kind}"]
        row(f"search: {kind}", values, found.get(kind, 0) / len(values))
    for kind, qs in empty.items():
        print(f"  {kind}: {len(qs)} searches found nothing, e.g. {qs[:3]}")
    print()
    print("Slowest searches:")
    for ms, kind, q in sorted(slowest, reverse=True)[:8]:
        print(f"  {ms:8.2f} ms  {kind:<8} {q}")

    print()
    print("EXPLAIN (ANALYZE, BUFFERS) of the page query, the slowest search of each kind:")
    for kind in KINDS:
        q = max((x for x in slowest if x[1] == kind), key=lambda x: x[0])[2]
        queryset = services.search_cases(user, q).order_by("-filed_at", "-id")[: args.limit + 1]
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
            plan = [r[0] for r in cursor.fetchall()]
        print(f"\n--- {kind}: q = {q!r}")
        for line in plan:
            print("   " + line)

    p95 = percentile(everything, 95)
    worst = max(KINDS, key=lambda k: percentile(timings[f"search: {k}"], 95))
    worst_p95 = percentile(timings[f"search: {worst}"], 95)
    print()
    print(f"Target p95 < 50 ms (all kinds): {'met' if p95 < 50 else 'NOT met'} (p95 {p95:.2f} ms).")
    print(f"Worst kind: {worst}, p95 {worst_p95:.2f} ms ({'met' if worst_p95 < 50 else 'NOT met'} on its own).")


if __name__ == "__main__":
    main()
