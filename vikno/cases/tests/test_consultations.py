"""Consultations are counted per office, by the center's staff only."""

from __future__ import annotations

import pytest

from vikno.cases import services
from vikno.cases.models import Consultation
from vikno.core.audit import Actor
from vikno.core.errors import DomainError, NotFound, PermissionDenied

from .core_factories import make_service


@pytest.mark.django_db
def test_record_consultation(world):
    service = make_service()
    consultation = services.record_consultation(office=world.remote_a, actor=Actor(user=world.admin_a), service=service)
    assert consultation.center == world.center_a and consultation.region_id == world.r1.pk
    services.record_consultation(office=world.office_a, actor=Actor(user=world.head_a), topic="Графік роботи")
    assert Consultation.objects.visible_to(world.admin_a).count() == 2
    assert Consultation.objects.visible_to(world.admin_b).count() == 0


@pytest.mark.django_db
def test_consultation_bad_input_and_scope(world):
    with pytest.raises(DomainError) as exc:
        services.record_consultation(office=world.office_a, actor=Actor(user=world.admin_a))
    assert exc.value.code == "topic_required"
    with pytest.raises(DomainError):
        services.record_consultation(office=world.office_a, actor=Actor(user=world.admin_a), topic="x", channel="fax")
    with pytest.raises(NotFound):
        services.record_consultation(office=world.office_a, actor=Actor(user=world.admin_b), topic="x")
    with pytest.raises(PermissionDenied):
        services.record_consultation(office=world.office_a, actor=Actor(user=world.monitor_1), topic="x")
    assert Consultation.objects.count() == 0
