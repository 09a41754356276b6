"""Approved lists (перелік) of a center's services, their history, and who may change them;
services offered by offices and decided by providers."""

import datetime as dt

import pytest

from vikno.catalog import services as catalog
from vikno.catalog.models import OfficeService, ProviderService, ServiceList, Sphere
from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied

D = dt.date
SYSTEM = Actor(label="test")


@pytest.fixture
def codes(world):
    sphere = Sphere.objects.create(code="RMP", name_uk="Місце проживання")
    out = []
    for i in range(1, 7):
        code = f"RMP-00{i}"
        catalog.create_service(
            code,
            sphere=sphere,
            data={"name_uk": f"Послуга {i}", "term_value": 1, "term_unit": "working_days", "instant": True},
            valid_from=D(2024, 1, 1),
            actor=SYSTEM,
            reindex=False,
        )
        out.append(code)
    return out


def _create(center, user, codes, valid_from, number="1"):
    return catalog.create_service_list(
        center,
        decision_number=number,
        decision_date=valid_from - dt.timedelta(days=10),
        valid_from=valid_from,
        service_codes=codes,
        actor=Actor(user=user),
    )


def test_lists_keep_history_and_counts_by_year(world, codes):
    first = _create(world.center_a, world.head_a, codes[:3], D(2024, 2, 1), "12-VIII")
    second = _create(world.center_a, world.sysadmin, codes[:5], D(2025, 7, 1), "40-VIII")
    assert catalog.service_list_in_force(world.center_a, D(2024, 1, 31)) is None
    assert catalog.service_list_in_force(world.center_a, D(2024, 2, 1)) == first
    assert catalog.service_list_in_force(world.center_a, D(2025, 6, 30)) == first
    assert catalog.service_list_in_force(world.center_a, D(2025, 7, 1)) == second
    assert list(second.entries.values_list("service__code", flat=True)) == codes[:5]
    counts = catalog.service_counts_by_year(world.center_a)
    assert counts[2024] == 3 and counts[2025] == 5
    assert max(counts) >= 2026 and counts[max(counts)] == 5
    assert catalog.service_counts_by_year(world.center_b) == {}
    assert ServiceList.objects.filter(center=world.center_a).count() == 2


def test_only_the_head_or_a_sysadmin_may_approve(world, codes):
    with pytest.raises(PermissionDenied):
        _create(world.center_a, world.admin_a, codes, D(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        _create(world.center_a, world.monitor_1, codes, D(2025, 1, 1))
    with pytest.raises(NotFound):
        _create(world.center_b, world.head_a, codes, D(2025, 1, 1))
    with pytest.raises(NotFound):
        _create(world.center_a, world.officer_a, codes, D(2025, 1, 1))
    assert not ServiceList.objects.exists()


def test_bad_lists_are_refused(world, codes):
    with pytest.raises(DomainError) as exc:
        _create(world.center_a, world.head_a, [*codes, "ZZZ-001"], D(2025, 1, 1))
    assert "ZZZ-001" in exc.value.message and exc.value.field == "service_codes"
    with pytest.raises(DomainError):
        _create(world.center_a, world.head_a, [], D(2025, 1, 1))
    with pytest.raises(DomainError) as exc:
        catalog.create_service_list(
            world.center_a,
            decision_number="5",
            decision_date=D(2025, 3, 1),
            valid_from=D(2025, 2, 1),
            service_codes=codes,
            actor=Actor(user=world.head_a),
        )
    assert exc.value.field == "valid_from"
    _create(world.center_a, world.head_a, codes, D(2025, 1, 1))
    with pytest.raises(Conflict):
        _create(world.center_a, world.head_a, codes[:2], D(2025, 1, 1))


def test_office_services_must_be_in_the_list(world, codes):
    _create(world.center_a, world.head_a, codes[:4], D(2025, 1, 1))
    head = Actor(user=world.head_a)
    assert catalog.assign_office_services(world.remote_a, codes[:2], head) == codes[:2]
    assert catalog.assign_office_services(world.remote_a, codes[1:3], head) == codes[1:3]
    assert set(OfficeService.objects.filter(office=world.remote_a).values_list("service__code", flat=True)) == set(
        codes[1:3]
    )
    with pytest.raises(DomainError) as exc:
        catalog.assign_office_services(world.remote_a, [codes[5]], head)
    assert exc.value.code == "not_in_service_list"
    with pytest.raises(NotFound):
        catalog.assign_office_services(world.office_b, codes[:1], head)
    with pytest.raises(PermissionDenied):
        catalog.assign_office_services(world.office_a, codes[:1], Actor(user=world.admin_a))


def test_provider_services_for_hromadas_of_its_region(world, codes):
    rows = catalog.assign_provider_services(world.provider_a, codes[:2], [world.h1], Actor(user=world.sysadmin))
    assert len(rows) == 2
    row = ProviderService.objects.get(provider=world.provider_a, service__code=codes[0])
    assert list(row.hromadas.all()) == [world.h1]
    catalog.assign_provider_services(world.provider_a, codes[:1], [], Actor(user=world.sysadmin))
    assert row.hromadas.count() == 0
    with pytest.raises(DomainError) as exc:
        catalog.assign_provider_services(world.provider_a, codes[:1], [world.h2], Actor(user=world.sysadmin))
    assert exc.value.field == "hromadas"
    with pytest.raises(NotFound):
        catalog.assign_provider_services(world.provider_a, codes[:1], [], Actor(user=world.head_a))
    with pytest.raises(PermissionDenied):
        catalog.assign_provider_services(world.provider_a, codes[:1], [], Actor(user=world.officer_a))
