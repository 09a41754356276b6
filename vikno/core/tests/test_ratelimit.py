"""Rate-limit counters live in PostgreSQL: every app process counts against the same budget, concurrent
hits are never lost, a window restarts when it ends and ended windows are purged."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from vikno.core import ratelimit
from vikno.core.models import RateCounter
from vikno.testing.parallel import database_url, run_together

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_hits_count_up_and_a_window_restarts_when_it_ends():
    start = timezone.now()
    assert [ratelimit.hit("k", 60, now=start) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count("k", now=start + timedelta(seconds=59)) == 3
    assert ratelimit.count("k", now=start + timedelta(seconds=60)) == 0
    assert ratelimit.hit("k", 60, now=start + timedelta(seconds=61)) == 1
    assert ratelimit.count("other") == 0


@pytest.mark.django_db
def test_purge_deletes_only_ended_windows():
    now = timezone.now()
    ratelimit.hit("old", 10, now=now - timedelta(seconds=20))
    ratelimit.hit("current", 10, now=now)
    assert ratelimit.purge(now=now) == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["current"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_parallel_connections_lose_nothing():
    workers, each = 8, 25
    seen: list[int] = []

    def work():
        for _ in range(each):
            seen.append(ratelimit.hit("busy", 600))

    assert run_together([work] * workers) == []
    assert sorted(seen) == list(range(1, workers * each + 1))
    assert ratelimit.count("busy") == workers * each


@pytest.mark.django_db(transaction=True)
def test_two_app_processes_share_the_status_check_budget(client):
    """Two other app processes each answer five failed status checks of one address; this process then refuses
    that address (with the old per-process cache it saw none of them)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vikno.settings.test", "DATABASE_URL": database_url()}
    script = (
        "from django.test import Client\n"
        "client = Client(REMOTE_ADDR='198.51.100.7')\n"
        "for _ in range(5):\n"
        "    assert client.get('/status/', {'number': '1-26-000001', 'code': 'ABC'}).status_code == 404\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()[-2000:]
    assert ratelimit.count("portal:status-fails:198.51.100.7") == 10
    limited = client.get("/status/", {"number": "1-26-000001", "code": "ABC"}, REMOTE_ADDR="198.51.100.7")
    assert limited.status_code == 429
    other = client.get("/status/", {"number": "1-26-000001", "code": "ABC"}, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 404
