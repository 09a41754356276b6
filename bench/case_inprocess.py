#!/usr/bin/env python
"""CPU time of one registration inside one process, without an HTTP server or client threads.

Run from the project folder after ``bench/generate_cases.py``:
``.venv/bin/python bench/case_inprocess.py [--requests 400] [--profile]``.

The Django test client posts ``POST /api/v1/cases`` through the whole middleware stack, with the
same traffic as ``bench/case_load.py`` (its ``prepare``: one token per center, existing applicants,
services weighted by this year's cases, the payment taken at the desk when the service is paid).
After 100 warm-up registrations it times ``--requests`` more and then 2,000 ``GET /api/v1/ping``,
and prints the process's CPU time per request for both (PostgreSQL's own CPU is not in it). With
``--profile`` it also runs the registrations under cProfile and prints the 40 most expensive
functions by cumulative and by own time. Steadier than the load test (±10 % between runs against
±20 % there), so it is the one to compare two commits with.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_load import prepare
from generate_cases import machine, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--profile-out", metavar="FILE", help="with --profile, also save the raw profile (pstats format)"
    )
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    setup_django("vikno.settings.dev")
    from django.test import Client

    clients, services, _n_cases, rng = prepare(8, args.seed)
    codes = [code for code, _fee, _weight in services]
    weights = [weight for _code, _fee, weight in services]
    fee_of = {code: fee for code, fee, _weight in services}
    http = Client()
    run = uuid.uuid4().hex[:8]
    sent = 0

    def register() -> None:
        nonlocal sent
        sent += 1
        caller = clients[sent % len(clients)]
        code = rng.choices(codes, weights)[0]
        body = {"service": code, "applicant_id": rng.choice(caller["applicants"])}
        if fee_of[code] > 0:
            body["payment"] = {"method": "pos", "amount": str(fee_of[code]), "receipt_number": f"I{run}-{sent}"}
        response = http.post(
            "/api/v1/cases",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {caller['token']}", "Idempotency-Key": f"inproc-{run}-{sent}"},
        )
        if response.status_code != 201:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")

    def cpu_per_call(call, n: int) -> float:
        start = time.process_time()
        for _ in range(n):
            call()
        return (time.process_time() - start) / n * 1000

    def ping() -> None:
        http.get("/api/v1/ping")

    print(machine())
    for _ in range(100):
        register()
    for _ in range(200):
        ping()
    reg = cpu_per_call(register, args.requests)
    base = cpu_per_call(ping, 2000)
    print(f"registration: {reg:.2f} ms of CPU per request ({args.requests} requests)")
    print(f"ping:         {base:.2f} ms of CPU per request (2000 requests); ratio {reg / base:.1f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            register()
        profile.disable()
        if args.profile_out:
            profile.dump_stats(args.profile_out)
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(40)


if __name__ == "__main__":
    main()
