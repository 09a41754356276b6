"""Configuring an office: queues with colours, prefixes, services and service-level targets; windows and
their work profiles; the demo sectors (orange Р, green С, blue А)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from vikno.catalog.models import OfficeService, Service, Sphere
from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.queue import services
from vikno.queue.demo import setup_office
from vikno.queue.models import Queue, Workplace

from .core_factories import make_queue

pytestmark = pytest.mark.django_db


def test_the_head_configures_queues(world):
    head = Actor(user=world.head_a)
    queue = services.create_queue(
        world.office_a, name="Реєстрація", prefix="р", color="#B45309", service_minutes=12, actor=head
    )
    assert (queue.prefix, queue.color, queue.center_id, queue.region_id) == (
        "Р",
        "#b45309",
        world.center_a.pk,
        world.r1.pk,
    )
    updated = services.update_queue(queue, target_wait_minutes=25, target_share="0.9", actor=head)
    assert (updated.target_wait_minutes, updated.target_share) == (25, Decimal("0.90"))
    assert AuditEvent.objects.get(action="queue.queue_updated").data["target_wait_minutes"] == ["15", "25"]
    with pytest.raises(Conflict):
        services.create_queue(world.office_a, name="Інша", prefix="Р", actor=head)
    # The same letter in another office is fine.
    services.create_queue(world.remote_a, name="Реєстрація", prefix="Р", actor=head)
    with pytest.raises(PermissionDenied):
        services.create_queue(world.office_a, name="Х", prefix="Х", actor=Actor(user=world.admin_a))
    with pytest.raises(NotFound):
        services.create_queue(world.office_a, name="Х", prefix="Х", actor=Actor(user=world.admin_b))
    services.create_queue(world.office_b, name="Х", prefix="Х", actor=Actor(user=world.sysadmin))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"prefix": "РЕЄ"}, "prefix"),
        ({"prefix": "1"}, "prefix"),
        ({"color": "red"}, "color"),
        ({"name": "  "}, "name"),
        ({"service_minutes": 0}, "service_minutes"),
        ({"target_share": "1.5"}, "target_share"),
        ({"colour": "#000000"}, "colour"),
    ],
)
def test_bad_queue_fields_are_named(world, fields, field):
    values = {"name": "Реєстрація", "prefix": "Р", **fields}
    with pytest.raises(DomainError) as error:
        services.create_queue(world.office_a, actor=Actor(user=world.head_a), **values)
    assert error.value.field == field
    assert not Queue.objects.exists()


def test_services_must_be_offered_at_the_office(world):
    sphere = Sphere.objects.create(code="RMP", name_uk="Реєстрація місця проживання")
    offered = Service.objects.create(code="RMP-001", sphere=sphere, name_uk="Декларування")
    elsewhere = Service.objects.create(code="RMP-002", sphere=sphere, name_uk="Реєстрація")
    OfficeService.objects.create(office=world.office_a, service=offered)
    head = Actor(user=world.head_a)
    queue = services.create_queue(world.office_a, name="Р", prefix="Р", services=[offered], actor=head)
    assert list(queue.services.all()) == [offered]
    with pytest.raises(DomainError) as error:
        services.update_queue(queue, services=[offered, elsewhere], actor=head)
    assert error.value.code == "service_not_offered" and "RMP-002" in error.value.message


def test_windows_and_work_profiles(world):
    head = Actor(user=world.head_a)
    first, second = make_queue(world.office_a, "Р"), make_queue(world.office_a, "А")
    window = services.create_workplace(world.office_a, name="Вікно 1", queues=[second, first], actor=head)
    assert list(window.profile.values_list("queue__prefix", "order")) == [("А", 0), ("Р", 1)]
    services.set_work_profile(window, [first.pk], actor=head)
    assert list(window.profile.values_list("queue__prefix", flat=True)) == ["Р"]
    with pytest.raises(Conflict):
        services.create_workplace(world.office_a, name="Вікно 1", actor=head)
    with pytest.raises(DomainError) as twice:
        services.set_work_profile(window, [first, first], actor=head)
    assert twice.value.code == "duplicate_queue"
    foreign = make_queue(world.remote_a, "Р")
    with pytest.raises(DomainError) as other_office:
        services.set_work_profile(window, [foreign], actor=head)
    assert other_office.value.code == "queue_of_other_office"
    with pytest.raises(PermissionDenied):
        services.create_workplace(world.office_a, name="Вікно 2", actor=Actor(user=world.admin_a))


def test_demo_sectors_by_sphere(world):
    for code in ("RMP", "SOC", "ZEM"):
        sphere = Sphere.objects.create(code=code, name_uk=code)
        service = Service.objects.create(code=f"{code}-001", sphere=sphere, name_uk=code)
        OfficeService.objects.create(office=world.office_a, service=service)
        if code == "RMP":
            OfficeService.objects.create(office=world.remote_a, service=service)

    assert setup_office(world.office_a) == 3
    queues = {q.prefix: q for q in Queue.objects.filter(office=world.office_a)}
    assert [(q.name, q.color) for q in sorted(queues.values(), key=lambda q: q.position)] == [
        ("Реєстрація", "#b45309"),
        ("Соціальні та пенсійні питання", "#15803d"),
        ("Адміністративні послуги", "#1d4ed8"),
    ]
    assert [list(q.services.values_list("code", flat=True)) for q in (queues["Р"], queues["С"], queues["А"])] == [
        ["RMP-001"],
        ["SOC-001"],
        ["ZEM-001"],
    ]
    assert Workplace.objects.filter(office=world.office_a).count() == 6

    call_command("setup_demo_queues", verbosity=0)  # the rest; office A is left as it is
    assert Queue.objects.filter(office=world.office_a).count() == 3
    assert list(Queue.objects.filter(office=world.remote_a).values_list("prefix", flat=True)) == ["Р"]
    assert Workplace.objects.filter(office=world.remote_a).count() == 1
    assert not Queue.objects.filter(office=world.office_b).exists()  # offers nothing yet
