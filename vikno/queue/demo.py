"""Colour-coded demo sectors and windows for every office (``manage.py setup_demo_queues``; the demo loader
calls it too). Offices that already have queues are left as they are, so running it again changes nothing.

Each office gets the sectors for which it offers at least one service: orange «Реєстрація» (Р), green
«Соціальні та пенсійні питання» (С) and blue «Адміністративні послуги» (А, every sphere not named in the
other two). The main office gets six windows with mixed work profiles, a branch two, any other office one.
"""

from __future__ import annotations

from django.db import transaction

from vikno.catalog.models import OfficeService
from vikno.core.audit import Actor
from vikno.orgs.models import Office

from . import services
from .models import Queue

ACTOR = Actor(label="demo-queues")

# (prefix, name, English name, colour with white text at 4.5:1 or more, spheres; None = the rest)
SECTORS = [
    ("Р", "Реєстрація", "Registration", "#b45309", {"RMP", "ACS", "PAS", "TAX", "BUS", "NER"}),
    ("С", "Соціальні та пенсійні питання", "Social and pension matters", "#15803d",
     {"SOC", "PEN", "CHD", "VTR", "LAB", "MED", "MIL"}),
    ("А", "Адміністративні послуги", "Administrative services", "#1d4ed8", None),
]  # fmt: skip
NAMED_SPHERES = set().union(*(spheres for *_rest, spheres in SECTORS if spheres))

# Work profiles by office kind: each window serves these prefixes, in order.
WINDOWS = {
    "main": [("Р", "А"), ("Р", "А"), ("С", "А"), ("С", "А"), ("А", "Р"), ("А", "С")],
    "branch": [("Р", "С", "А"), ("А", "С", "Р")],
}
SINGLE_WINDOW = [("Р", "С", "А")]


def setup_office(office: Office) -> int:
    """Create the sectors and windows of one office; returns the number of queues created."""
    if Queue.objects.filter(office=office).exists():
        return 0
    offered = list(OfficeService.objects.filter(office=office).values_list("service_id", "service__sphere__code"))
    created: dict[str, Queue] = {}
    with transaction.atomic():
        for position, (prefix, name, name_en, color, spheres) in enumerate(SECTORS):
            ids = [pk for pk, sphere in offered if (sphere in spheres if spheres else sphere not in NAMED_SPHERES)]
            if not ids:
                continue
            created[prefix] = services.create_queue(
                office, name=name, name_en=name_en, prefix=prefix, color=color, position=position,
                services=ids, actor=ACTOR,
            )  # fmt: skip
        if not created:
            return 0
        for number, profile in enumerate(WINDOWS.get(office.kind, SINGLE_WINDOW), start=1):
            queues = [created[p] for p in profile if p in created]
            services.create_workplace(office, name=f"Вікно {number}", queues=queues, actor=ACTOR)
    return len(created)


def setup_demo_queues(report=None, *, centers: list[str] | None = None) -> str:
    """Set up every active office (or the offices of the centers with these slugs) that has no queues."""
    offices = Office.objects.filter(is_active=True).select_related("center").order_by("center_id", "id")
    if centers:
        offices = offices.filter(center__slug__in=centers)
    done = [office for office in offices if setup_office(office)]
    line = f"Електронна черга: налаштовано офісів — {len(done)}"
    if report is not None:
        report.add(line)
    return line
