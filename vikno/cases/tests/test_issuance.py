"""Issuance to the applicant or a representative, with the identity document; closed cases stay closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vikno.cases import services
from vikno.cases.models import Issuance, Representative, Status
from vikno.core.audit import Actor
from vikno.core.errors import DomainError

from .core_factories import make_service, pdf, person, register


def _ready(world, **kwargs):
    admin, officer = Actor(user=world.admin_a), Actor(user=world.officer_a)
    case = register(world, make_service(providers=[world.provider_a]), **kwargs)
    case = services.transition(case, "send_to_provider", actor=admin)
    case = services.transition(case, "take_into_work", actor=officer)
    services.attach_result(case, pdf(), name="Витяг", actor=officer)
    return services.transition(case, "mark_result_ready", actor=officer)


@pytest.mark.django_db
def test_issue_to_a_representative(world):
    admin = Actor(user=world.admin_a)
    rep = services.create_representative(
        world.center_a,
        {
            "full_name": "Коваль Андрій Іванович",
            "authority_document": "Довіреність № 12 від 01.02.2026, нотаріус Петренко",
            "authority_valid_until": timezone.localdate() + dt.timedelta(days=30),
            "identity_document": "ID-картка № 009876543",
        },
        actor=admin,
    )
    case = _ready(world, representative=rep)
    with pytest.raises(DomainError) as exc:
        services.issue(case, actor=admin, to_representative=True)
    assert exc.value.code == "identity_document_required"
    case = services.issue(case, actor=admin, to_representative=True, identity_document="ID-картка № 009876543")
    issuance = Issuance.objects.get(case=case)
    assert issuance.to_representative and issuance.recipient_name == "Коваль Андрій Іванович"
    assert case.status == Status.ISSUED


@pytest.mark.django_db
def test_an_expired_power_of_attorney_is_refused(world):
    rep = Representative.objects.create(
        center=world.center_a,
        full_name="Коваль Андрій",
        authority_document="Довіреність № 1",
        authority_valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    case = _ready(world, representative=rep)
    with pytest.raises(DomainError) as exc:
        services.issue(case, actor=Actor(user=world.admin_a), to_representative=True, identity_document="Паспорт")
    assert exc.value.code == "authority_expired"
    case.refresh_from_db()
    assert case.status == Status.RESULT_READY and not Issuance.objects.exists()


@pytest.mark.django_db
def test_issue_before_the_result_is_ready_is_illegal(world):
    case = register(world, make_service())
    with pytest.raises(DomainError) as exc:
        services.issue(case, actor=Actor(user=world.admin_a), identity_document="Паспорт КВ № 123456")
    assert exc.value.code == "illegal_transition" and "«Прийнято»" in exc.value.message


@pytest.mark.django_db
def test_issue_at_the_remote_office_after_a_transfer(world):
    admin = Actor(user=world.admin_a)
    case = _ready(world, applicant=person(world), office=world.remote_a)
    case = services.transfer(case, to_office=world.office_a, actor=admin, comment="Видача в головному офісі")
    assert case.current_office == world.office_a
    assert case.events.filter(action="transferred").exists()
    case = services.issue(case, actor=admin, office=world.remote_a, identity_document="Паспорт КВ № 123456")
    assert case.issuance.office == world.remote_a
    with pytest.raises(DomainError) as exc:
        services.transfer(case, to_office=world.remote_a, actor=admin)
    assert exc.value.code == "case_closed"


def _represented(world, **rep):
    representative = Representative.objects.create(
        center=world.center_a,
        full_name="Коваль Андрій Іванович",
        authority_document="Довіреність № 12 від 01.02.2026",
        **rep,
    )
    return _ready(world, representative=representative)


@pytest.mark.django_db
def test_a_name_typed_for_the_representative_that_is_not_theirs_is_refused_not_replaced(world):
    """The applicant's name left in the field while issuing to the representative: the issuance would
    record someone who did not sign for it, so it is refused (nothing is replaced silently)."""
    case = _represented(world)
    admin = Actor(user=world.admin_a)
    with pytest.raises(DomainError) as exc:
        services.issue(
            case,
            actor=admin,
            to_representative=True,
            recipient_name=case.applicant.display_name,
            identity_document="ID-картка № 009876543",
        )
    assert exc.value.code == "recipient_mismatch" and exc.value.field == "recipient_name"
    assert "Коваль Андрій Іванович" in exc.value.message and case.applicant.display_name in exc.value.message
    assert not Issuance.objects.filter(case=case).exists()
    # The same name in other spacing and case is the representative's; it is recorded as on their card.
    case = services.issue(
        case,
        actor=admin,
        to_representative=True,
        recipient_name="  коваль  андрій іванович ",
        identity_document="ID-картка № 009876543",
    )
    assert case.issuance.recipient_name == "Коваль Андрій Іванович" and case.issuance.to_representative


@pytest.mark.django_db
def test_the_representative_named_as_the_applicant_is_sent_to_the_representative_choice(world):
    """Typing the representative's name without choosing them would skip the power-of-attorney check."""
    case = _represented(world, authority_valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        services.issue(
            case, actor=Actor(user=world.admin_a), recipient_name="Коваль Андрій Іванович", identity_document="ID"
        )
    assert exc.value.code == "recipient_is_representative" and exc.value.field == "to_representative"
    # Without a name the applicant's is recorded.
    case = services.issue(case, actor=Actor(user=world.admin_a), identity_document="Паспорт КВ № 123456")
    assert case.issuance.recipient_name == case.applicant.display_name and not case.issuance.to_representative
