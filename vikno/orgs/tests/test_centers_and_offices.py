"""Creating and changing centers and offices: validation, one main office, who may change what."""

from __future__ import annotations

import pytest

from vikno.core.audit import SYSTEM, Actor
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.orgs import services
from vikno.orgs.models import Center, Office, Settlement


@pytest.mark.django_db
def test_sysadmin_creates_a_center_with_its_region_and_an_audit_event(world):
    center = services.create_center(
        hromada=world.h1, name="  ЦНАП В ", slug="center-v", edrpou="43316700", actor=Actor(user=world.sysadmin)
    )
    assert center.name == "ЦНАП В" and center.region == world.r1 and center.edrpou == "43316700"
    event = AuditEvent.objects.get(action="orgs.center_created")
    assert event.center_id == center.pk and event.data["hromada"] == world.h1.katottg


@pytest.mark.django_db
def test_center_creation_is_refused_for_others_and_for_bad_values(world):
    with pytest.raises(PermissionDenied):
        services.create_center(hromada=world.h1, name="Х", slug="x", actor=Actor(user=world.head_a))
    with pytest.raises(DomainError) as exc:
        services.create_center(hromada=world.h1, name="Х", slug="Погано!", actor=SYSTEM)
    assert exc.value.field == "slug"
    with pytest.raises(Conflict):
        services.create_center(hromada=world.h1, name="Х", slug="center-a", actor=SYSTEM)
    with pytest.raises(DomainError) as exc:
        services.create_center(hromada=world.h1, name=" ", slug="x", actor=SYSTEM)
    assert exc.value.field == "name"
    with pytest.raises(DomainError) as exc:
        services.create_center(hromada=world.h1, name="Х", slug="x", email="не пошта", actor=SYSTEM)
    assert exc.value.field == "email"
    assert Center.objects.count() == 2


@pytest.mark.django_db
def test_head_updates_own_center_and_the_change_is_audited(world):
    services.update_center(world.center_a, phone="+380432000000", actor=Actor(user=world.head_a))
    world.center_a.refresh_from_db()
    assert world.center_a.phone == "+380432000000"
    event = AuditEvent.objects.get(action="orgs.center_updated")
    assert event.data == {"phone": ["", "+380432000000"]}


@pytest.mark.django_db
def test_update_center_scope_and_role(world):
    with pytest.raises(NotFound):
        services.update_center(world.center_b, name="Чуже", actor=Actor(user=world.head_a))
    with pytest.raises(PermissionDenied):
        services.update_center(world.center_a, name="Нове", actor=Actor(user=world.admin_a))
    with pytest.raises(PermissionDenied):
        services.update_center(world.center_a, name="Нове", actor=Actor(user=world.monitor_1))
    with pytest.raises(NotFound):
        services.update_center(world.center_b, name="Нове", actor=Actor(user=world.monitor_1))
    with pytest.raises(DomainError) as exc:
        services.update_center(world.center_a, edrpou="00032128", actor=Actor(user=world.sysadmin))
    assert exc.value.field == "edrpou"
    world.center_b.refresh_from_db()
    assert world.center_b.name == "ЦНАП Б"


@pytest.mark.django_db
def test_create_office_checks_kind_main_and_settlement(world):
    head = Actor(user=world.head_a)
    office = services.create_office(center=world.center_a, kind="branch", name="ТП Сокиринці", actor=head)
    assert office.region == world.r1
    with pytest.raises(Conflict) as exc:
        services.create_office(center=world.center_a, kind="main", name="Другий головний", actor=head)
    assert exc.value.field == "kind"
    with pytest.raises(DomainError) as exc:
        services.create_office(center=world.center_a, kind="kiosk", name="Кіоск", actor=head)
    assert exc.value.field == "kind"
    foreign = Settlement.objects.create(
        katottg="UA07020010010012345", name="Чуже", category="C", hromada=world.h2, region=world.r2
    )
    with pytest.raises(DomainError) as exc:
        services.create_office(center=world.center_a, kind="remote", name="ВРМ", settlement=foreign, actor=head)
    assert exc.value.code == "settlement_outside_hromada"
    with pytest.raises(NotFound):
        services.create_office(center=world.center_b, kind="remote", name="ВРМ", actor=head)
    assert Office.objects.filter(center=world.center_a).count() == 3


@pytest.mark.django_db
def test_update_office(world):
    head = Actor(user=world.head_a)
    services.update_office(world.remote_a, address="с. Якушинці", latitude="49.2", actor=head)
    world.remote_a.refresh_from_db()
    assert world.remote_a.address == "с. Якушинці" and float(world.remote_a.latitude) == 49.2
    with pytest.raises(Conflict):
        services.update_office(world.remote_a, kind="main", actor=head)
    with pytest.raises(DomainError) as exc:
        services.update_office(world.remote_a, longitude="500", actor=head)
    assert exc.value.field == "longitude"
    with pytest.raises(NotFound):
        services.update_office(world.office_b, name="Чуже", actor=head)
    with pytest.raises(DomainError) as exc:
        services.update_office(world.remote_a, colour="red", actor=head)
    assert exc.value.code == "unknown_field"
