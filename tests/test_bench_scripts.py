"""The benchmark scripts still run against today's schema: each one, at a tiny size, on its own
``vikno_bench_…`` database of the same server as the tests (embedded or ``DATABASE_URL``).

They are not timed here (figures live in bench/RESULTS.md); this only catches a script that a
schema change has broken, as a new NOT NULL column once broke ``generate_cases.py``'s bulk inserts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PREFIX = f"vikno_bench_t{os.getpid()}"


def _server() -> dict:
    params = connection.get_connection_params()  # starts the embedded server when that is the one
    return {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}


def _drop(name: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **_server()) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _run(script: str, *args: str, env: dict[str, str], timeout: float = 240) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("VIKNO_BENCH", "VIKNO_TEST_DB"))}
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # the scripts choose their own (vikno.settings.dev)
    environment.update(env)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, (
        f"{script} exited with {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


@pytest.fixture
def bench_db(request):
    name = f"{PREFIX}_{request.node.name.split('[')[0].removeprefix('test_')}"[:63]
    _drop(name)
    yield name
    _drop(name)


def test_case_scripts(bench_db):
    env = {"VIKNO_BENCH_CASES_DB": bench_db}
    out = _run("generate_cases.py", "--cases", "3000", env=env)
    assert "Consistency checks passed." in out
    out = _run("case_inprocess.py", "--requests", "10", env=env)
    assert "registration:" in out and "ping:" in out
    out = _run("case_search.py", "--searches", "20", env=env)
    assert "Target p95 < 50 ms" in out
    out = _run("case_load.py", "--seconds", "0.5", "--clients", "4", env=env)
    assert "Target median < 20 ms at 1 client" in out


def test_queue_script(bench_db):
    out = _run(
        "queue_load.py",
        *("--seconds", "1", "--operators", "3", "--history-days", "1", "--history-per-day", "30", "--fresh"),
        env={"VIKNO_BENCH_QUEUE_DB": bench_db},
    )
    assert "Integrity: OK" in out


def test_report_script(bench_db):
    out = _run(
        "report_load.py",
        *("--national-cases", "4000", "--oblast-cases", "1000", "--centers-per-oblast", "2", "--runs", "1"),
        *("--stream-changes", "200", "--fresh"),
        env={"VIKNO_BENCH_REPORTS_DB": bench_db},
    )
    assert "Whole run:" in out


def test_portal_scripts(bench_db):
    out = _run("page_weight.py", "--fresh", env={"VIKNO_BENCH_PORTAL_DB": bench_db})
    assert "KB" in out
    out = _run("search_latency.py", "--services", "60", "--searches", "10", env={"VIKNO_BENCH_DB_NAME": bench_db})
    assert "Target p95" in out
