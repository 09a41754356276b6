"""A small queue for the live-screen tests: office A open around the clock, two queues, two windows."""

from __future__ import annotations

from datetime import time
from types import SimpleNamespace

from vikno.core.audit import Actor
from vikno.orgs.models import WeeklyHours
from vikno.queue import services


def open_all_day(office) -> None:
    WeeklyHours.objects.bulk_create(
        WeeklyHours(office=office, weekday=day, opens=time(0, 0), closes=time(23, 59, 59)) for day in range(7)
    )


def queue_world(world) -> SimpleNamespace:
    office = world.office_a
    open_all_day(office)
    actor = Actor(user=world.sysadmin)
    registration = services.create_queue(
        office, name="Реєстрація", name_en="Registration", prefix="Р", color="#e67e22", actor=actor
    )
    social = services.create_queue(
        office, name="Соціальні послуги", name_en="Social services", prefix="С", color="#1e6b2f", actor=actor
    )
    window = services.create_workplace(office, name="Вікно 5", queues=[registration, social], actor=actor)
    other = services.create_workplace(office, name="Вікно 6", queues=[social], actor=actor)
    return SimpleNamespace(office=office, registration=registration, social=social, window=window, other=other)
