#!/usr/bin/env python
"""Case registration under load through a real multi-worker server, beside a hello-world baseline.

Run from the project folder after ``bench/generate_cases.py``:
``.venv/bin/python bench/case_load.py [--workers N] [--clients 32] [--seconds 20]``.

It starts ``gunicorn vikno.wsgi`` (``--workers`` sync workers, as docs/operations.md deploys it) on
a free port of 127.0.0.1 against the bench database (``VIKNO_BENCH_CASES_DB``, default
``vikno_bench_cases``) with ``vikno.settings.dev`` and ``VIKNO_DEBUG=false``; creates one
administrator with an API token per center (``bench_load_<n>``) and then runs four phases of
``--seconds`` each, only against that server:

1. ``GET /api/v1/ping`` (no auth, no database) with 1 client, then with ``--clients`` clients;
2. ``POST /api/v1/cases`` with 1 client, then with ``--clients`` clients: every request has its own
   ``Idempotency-Key``, an existing applicant of the client's center, a service drawn like real
   traffic (popular services often) and, when the service is paid, the payment taken at the desk.
   Clients are spread over the centers (``--centers``; 1 puts every client on one center, the worst
   case for its number counter and audit chain).

Clients are threads, each with its own keep-alive ``http.client`` connection (gunicorn's sync
workers close it after each response, so it reconnects, as a browser behind the proxy would).
It prints the latency (median, p95, p99) and throughput of every phase and the ratios to the
baseline, checks them against the targets (median < 20 ms at 1 client, p99 < 100 ms and throughput
≥ 40 % of the ping rate at ``--clients``), and stops the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu import CpuMeter, per_request
from generate_cases import machine, percentile, setup_django
from servers import Server


class Phase:
    """``clients`` threads send requests built by ``make(client_no)`` for ``seconds``."""

    def __init__(
        self,
        label: str,
        port: int,
        clients: int,
        seconds: float,
        make,
        expect=(200,),
        think: float = 0,
        server_pid=None,
    ):
        self.label, self.port, self.clients, self.seconds, self.think = label, port, clients, seconds, think
        self.server_pid = server_pid
        self.cpu: dict[str, float] | None = None
        self.make, self.expect = make, expect
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.lock = threading.Lock()

    def _client(self, n: int, barrier: threading.Barrier) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        mine: list[float] = []
        errors: dict[str, int] = {}
        barrier.wait()  # every client starts at once; ``stop_at`` is set before the barrier opens
        while time.perf_counter() < self.stop_at:
            method, path, body, headers = self.make(n)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            elapsed = (time.perf_counter() - start) * 1000
            if status in self.expect:
                mine.append(elapsed)
            else:
                key = f"HTTP {status} {payload[:160].decode(errors='replace')}"
                errors[key] = errors.get(key, 0) + 1
            if self.think:
                time.sleep(random.expovariate(1 / self.think))  # an administrator between two cases
        conn.close()
        with self.lock:
            self.latencies.extend(mine)
            for k, v in errors.items():
                self.errors[k] = self.errors.get(k, 0) + v

    def run(self) -> Phase:
        barrier = threading.Barrier(self.clients + 1)
        threads = [threading.Thread(target=self._client, args=(n, barrier), daemon=True) for n in range(self.clients)]
        for t in threads:
            t.start()
        meter = CpuMeter(self.server_pid) if self.server_pid else None
        self.started = time.perf_counter()
        self.stop_at = self.started + self.seconds
        barrier.wait()
        for t in threads:
            t.join()
        self.elapsed = time.perf_counter() - self.started
        if meter is not None:
            self.cpu = meter.stop()
        return self

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def row(self) -> str:
        lat = self.latencies or [float("nan")]
        return (
            f"{self.label[:44]:<44}{self.clients:>8}{len(self.latencies):>9}{self.rate:>10.1f}"
            f"{statistics.median(lat):>9.2f}{percentile(lat, 95):>9.2f}{percentile(lat, 99):>9.2f}"
            f"{max(lat):>9.1f}{sum(self.errors.values()):>8}"
        )


def prepare(centers_wanted: int, seed: int):
    """Staff users with tokens (one per center), applicants to pick from, and weighted services."""
    from django.db import connection
    from django.db.models import Count

    from vikno.accounts.models import ApiToken, User
    from vikno.cases.models import Applicant, Case
    from vikno.catalog import fees
    from vikno.catalog.models import Service
    from vikno.core.scoping import Role
    from vikno.orgs.models import Center

    rng = random.Random(seed)
    centers = list(Center.objects.filter(slug__startswith="bench-").order_by("pk"))
    if not centers:
        raise SystemExit("No bench centers: run bench/generate_cases.py first.")
    centers = centers[: max(1, centers_wanted)]
    clients = []
    for center in centers:
        user, _ = User.objects.get_or_create(
            username=f"bench_load_{center.pk}",
            defaults={"role": Role.ADMINISTRATOR, "center": center, "first_name": "Навантаження", "last_name": "Тест"},
        )
        user.offices.add(*center.offices.filter(kind="main"))
        ApiToken.objects.filter(user=user).delete()
        _token, key = ApiToken.issue(user, "bench load")
        applicant_ids = list(
            Applicant.objects.filter(center=center, kind="person").order_by("?").values_list("id", flat=True)[:2000]
        )
        clients.append({"center": center, "token": key, "applicants": applicant_ids})
    # Services as the recent traffic of the bench data picks them; instant ones are left out (their
    # intake also issues the result, a different operation).
    today = dt.date.today()
    weights = dict(
        Case.objects.filter(instant=False, filed_at__year=today.year)
        .values_list("service_id")
        .annotate(n=Count("id"))
        .values_list("service_id", "n")
    )
    services = []
    for service in Service.objects.filter(pk__in=weights, current_version__isnull=False).select_related(
        "current_version", "current_version__fee_rule"
    ):
        try:
            quote = fees.fee_for(service.current_version, today)
        except Exception:  # noqa: S112 — a fee rule not in force: skip the service
            continue
        if quote.amount is None:
            continue
        services.append((service.code, quote.amount, weights[service.pk]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        n_cases = cursor.fetchone()[0]
    connection.close()
    return clients, services, n_cases, rng


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count(),
        help="gunicorn workers (default: one per core, as gunicorn.conf.py)",
    )
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (default sync)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker for --worker-class gthread")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients of the loaded phases")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase (default 20 s)")
    parser.add_argument("--centers", type=int, default=8, help="centers the clients are spread over (default 8)")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="also run the loaded registration phase with this mean pause between a client's requests",
    )
    parser.add_argument("--settings", default="vikno.settings.dev")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    db = setup_django(args.settings)
    clients, services, n_cases, rng = prepare(args.centers, args.seed)
    codes = [s[0] for s in services]
    cum = []
    total = 0
    for s in services:
        total += s[2]
        cum.append(total)
    fee_of = {s[0]: s[1] for s in services}
    counter = iter(range(10**9))
    counter_lock = threading.Lock()
    run_id = uuid.uuid4().hex[:8]

    def ping(_n):
        return "GET", "/api/v1/ping", None, {}

    def register(n):
        client = clients[n % len(clients)]
        with counter_lock:
            k = next(counter)
            r = rng.random() * total
            applicant = rng.choice(client["applicants"])
        lo, hi = 0, len(cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < r:
                lo = mid + 1
            else:
                hi = mid
        code = codes[lo]
        body = {"service": code, "applicant_id": applicant}
        if fee_of[code] > 0:
            body["payment"] = {"method": "pos", "amount": str(fee_of[code]), "receipt_number": f"B{run_id}-{k}"}
        headers = {
            "Authorization": f"Bearer {client['token']}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{run_id}-{k}",
        }
        return "POST", "/api/v1/cases", json.dumps(body), headers

    server = Server(
        "api", workers=args.workers, db=db, settings=args.settings, worker_class=args.worker_class, threads=args.threads
    )
    phases: list[Phase] = []
    paced = None
    started = dt.datetime.now().astimezone()
    try:
        server.wait_ready()
        # Warm-up: every worker imports, connects and plans its statements.
        Phase("warm-up ping", server.port, 8, 2, ping).run()
        warm = Phase("warm-up register", server.port, 4, 3, register, expect=(201,)).run()
        if not warm.latencies:
            raise SystemExit(f"Registration fails: {warm.errors}")
        for label, make, expect in (("GET /api/v1/ping", ping, (200,)), ("POST /api/v1/cases", register, (201,))):
            for n in (1, args.clients):
                load = " ".join(f"{x:.2f}" for x in os.getloadavg())
                phase = Phase(label, server.port, n, args.seconds, make, expect, server_pid=server.proc.pid).run()
                phase.load = load
                phases.append(phase)
                print(f"  … {label} × {n}: {len(phase.latencies)} requests, {phase.rate:.1f}/s", flush=True)
        if args.think_ms:
            label = f"POST /api/v1/cases, {args.think_ms:.0f} ms pauses"
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            paced = Phase(
                label, server.port, args.clients, args.seconds, register, (201,), args.think_ms / 1000, server.proc.pid
            ).run()
            paced.load = load
            print(f"  … {label} × {args.clients}: {len(paced.latencies)} requests, {paced.rate:.1f}/s", flush=True)
    finally:
        server.stop()

    print()
    print(f"Machine: {machine()}")
    print(f"Date: {started:%Y-%m-%d %H:%M %Z}; database {db} with {n_cases:,} cases before the run")
    print(f"Server: gunicorn {server.command.split(' ', 1)[1]} (settings {args.settings}, DEBUG off)")
    print(
        f"Clients: threads with http.client on the same machine; {len(clients)} center(s); "
        f"{len(services)} services weighted by this year's traffic; {args.seconds:.0f} s per phase"
    )
    print()
    print(
        f"{'phase':<44}{'clients':>8}{'requests':>9}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'errors':>8}"
    )
    if paced is not None:
        phases.append(paced)
    for phase in phases:
        print(phase.row() + f"   (load {phase.load})")
    print()
    print("CPU per request (user + system, all processes of the machine; see bench/cpu.py):")
    for phase in phases:
        if phase.cpu is not None:
            print(f"  {phase.label[:44]:<44} × {phase.clients:>2}: {per_request(phase.cpu, len(phase.latencies))}")
    for phase in phases:
        for err, count in sorted(phase.errors.items(), key=lambda kv: -kv[1])[:3]:
            print(f"  {phase.label} × {phase.clients}: {count} × {err}")
    ping1, ping_n, reg1, reg_n = phases[:4]
    median1 = statistics.median(reg1.latencies)
    p99 = percentile(reg_n.latencies, 99)
    share = reg_n.rate / ping_n.rate if ping_n.rate else 0
    print()
    print(f"Registration median at 1 client / ping median: {median1 / statistics.median(ping1.latencies):.1f}×")
    print(f"Registration throughput at {args.clients} clients / ping throughput: {share:.1%}")
    print()
    print(f"Target median < 20 ms at 1 client: {'met' if median1 < 20 else 'NOT met'} ({median1:.1f} ms)")
    print(f"Target p99 < 100 ms at {args.clients} clients: {'met' if p99 < 100 else 'NOT met'} ({p99:.1f} ms)")
    print(f"Target throughput ≥ 40 % of ping: {'met' if share >= 0.4 else 'NOT met'} ({share:.1%})")


if __name__ == "__main__":
    main()
