"""Helpers for the queue-core tests (owner: queue-core): office hours, queues, windows, fixed moments."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from vikno.core.audit import Actor
from vikno.orgs.services import set_weekly_hours
from vikno.queue import services

KYIV = ZoneInfo("Europe/Kyiv")
SYSTEM = Actor(label="test")
ALWAYS = {day: [(time(0), time(23, 59, 59))] for day in range(7)}
WORKDAY = {day: [(time(8), time(17))] for day in range(5)}


def at(hour: int, minute: int = 0, second: int = 0, *, day: int = 25) -> datetime:
    """A moment on Wednesday 25 November 2026 (or another November day), Kyiv time."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=KYIV)


def open_always(office) -> None:
    set_weekly_hours(office, ALWAYS, actor=SYSTEM)


def open_workdays(office) -> None:
    set_weekly_hours(office, WORKDAY, actor=SYSTEM)


def make_queue(office, prefix: str = "Р", **fields):
    fields.setdefault("name", f"Черга {prefix}")
    return services.create_queue(office, prefix=prefix, actor=SYSTEM, **fields)


def make_workplace(office, name: str, *queues):
    return services.create_workplace(office, name=name, queues=list(queues), actor=SYSTEM)


def issue(queue, *, now=None, **kwargs):
    return services.issue_ticket(queue, now=now or at(10), **kwargs)
