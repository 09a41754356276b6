"""Registering a provider (СНАП): ЄДРПОУ checked with its control digit, scope of the oblast monitor."""

from __future__ import annotations

import pytest
from stdnum.ua import edrpou

from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.orgs import services
from vikno.orgs.models import Provider


def test_example_codes_are_valid_and_the_broken_one_is_not():
    assert all(edrpou.is_valid(c) for c in ("00032129", "00034045", "43316700"))
    assert not edrpou.is_valid("43316701")


@pytest.mark.django_db
def test_monitor_registers_a_provider_in_own_region(world):
    provider = services.create_provider(
        name="Головне управління ДПС",
        edrpou=" 43316700 ",
        kind="state_territorial",
        region=world.r1,
        hromada=world.h1,
        actor=Actor(user=world.monitor_1),
    )
    assert provider.edrpou == "43316700" and provider.hromada == world.h1
    assert AuditEvent.objects.get(action="orgs.provider_created").provider_id == provider.pk


@pytest.mark.django_db
def test_wrong_checksum_gives_a_clear_ukrainian_message_and_saves_nothing(world):
    with pytest.raises(DomainError) as exc:
        services.create_provider(
            name="Відділ",
            edrpou="43316701",
            kind="state_territorial",
            region=world.r1,
            actor=Actor(user=world.sysadmin),
        )
    assert exc.value.code == "invalid_edrpou" and exc.value.field == "edrpou"
    assert exc.value.message == "Код ЄДРПОУ «43316701» недійсний: контрольна цифра не збігається. Перевірте код."
    assert Provider.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["4331670", "4331670A", ""])
def test_wrong_length_or_format(world, code):
    with pytest.raises(DomainError) as exc:
        services.create_provider(
            name="В", edrpou=code, kind="state_territorial", region=world.r1, actor=Actor(user=world.sysadmin)
        )
    assert exc.value.field == "edrpou" and "8 цифр" in exc.value.message


@pytest.mark.django_db
def test_who_may_register_and_duplicates(world):
    args = {"name": "Відділ ДРАЦС А", "edrpou": "00032129", "kind": "state_territorial"}
    with pytest.raises(NotFound):
        services.create_provider(region=world.r2, actor=Actor(user=world.monitor_1), **args)
    with pytest.raises(PermissionDenied):
        services.create_provider(region=world.r1, actor=Actor(user=world.head_a), **args)
    with pytest.raises(PermissionDenied):
        services.create_provider(region=world.r1, actor=Actor(user=world.officer_a), **args)
    with pytest.raises(Conflict):
        services.create_provider(region=world.r1, actor=Actor(user=world.sysadmin), **args)
    with pytest.raises(DomainError) as exc:
        services.create_provider(
            region=world.r1, hromada=world.h2, actor=Actor(user=world.sysadmin), **{**args, "name": "Інший"}
        )
    assert exc.value.field == "hromada"
    assert Provider.objects.count() == 2
