"""Intake: version in force, checklist, fee, number, access code, ТК tasks, events, audit, instant services."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from vikno.cases import services
from vikno.cases.models import Case, CaseEvent, CaseTask, Status
from vikno.catalog.models import ServiceVersion
from vikno.core.audit import Actor
from vikno.core.errors import DomainError, NotFound
from vikno.core.models import AuditEvent

from .core_factories import make_service, person, register


@pytest.mark.django_db
def test_register_builds_the_whole_case(world):
    service = make_service(fee="85.00", documents=("Заява", "Паспорт", "Довідка"))
    applicant = person(world)
    case = register(world, service, applicant=applicant, documents=[1, {"position": 2, "pages": 3}])

    year = timezone.localdate().year
    assert case.number == f"{world.center_a.pk}-{year % 100:02d}-000001"
    assert case.seq == 1 and case.year == year
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}", case.access_code)
    assert case.status == Status.ACCEPTED
    assert case.channel == "main"
    assert case.service_version == service.current_version
    assert case.fee_amount == Decimal("85.00") and case.fee_budget_code == "22012500"
    assert case.replayed is False
    assert case.due_at is not None and case.due_at > case.filed_at  # 10 working days (vikno.cases.deadlines)

    docs = list(case.documents.order_by("position").values_list("position", "provided", "pages"))
    assert docs == [(1, True, 1), (2, True, 3), (3, False, 1)]
    tasks = list(case.tasks.order_by("position"))
    assert [t.state for t in tasks] == [CaseTask.State.ACTIVE, CaseTask.State.PENDING, CaseTask.State.PENDING]
    assert tasks[0].started_at == case.filed_at
    assert CaseEvent.objects.filter(case=case, action="registered", to_status="accepted").count() == 1
    assert AuditEvent.objects.filter(action="case.registered", object_id=str(case.pk)).count() == 1
    assert AuditEvent.objects.filter(action="applicant.created", object_id=str(applicant.pk)).count() == 1


@pytest.mark.django_db
def test_channel_follows_the_office_kind_and_online_waits_for_acceptance(world):
    service = make_service()
    assert register(world, service, office=world.remote_a).channel == "remote"
    online = register(world, service, channel="online")
    assert online.status == Status.SUBMITTED_ONLINE
    accepted = services.transition(online, "accept", actor=Actor(user=world.admin_a))
    assert accepted.status == Status.ACCEPTED


@pytest.mark.django_db
def test_the_version_in_force_on_the_filing_day_is_used(world):
    service = make_service()
    old = service.current_version
    old.valid_to = date(2024, 12, 31)
    old.save()
    new = ServiceVersion.objects.create(
        service=service,
        number=2,
        valid_from=date(2025, 1, 1),
        name_uk="Нова редакція",
        term_value=5,
        term_unit="working_days",
    )
    filed_2024 = timezone.make_aware(timezone.datetime(2024, 6, 3, 10))
    case_2024 = register(world, service, filed_at=filed_2024)
    assert case_2024.service_version == old
    assert case_2024.number.endswith("-24-000001")
    assert register(world, service).service_version == new


@pytest.mark.django_db
def test_a_service_not_in_force_is_refused_and_nothing_is_written(world):
    service = make_service(valid_from=date(2099, 1, 1))
    with pytest.raises(DomainError) as exc:
        register(world, service)
    assert exc.value.code == "service_not_in_force"
    assert "не діяла" in exc.value.message
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_instant_service_is_issued_at_intake(world):
    service = make_service(instant=True)
    applicant = person(world, id_card_number="001234567")
    case = register(world, service, applicant=applicant)
    assert case.status == Status.ISSUED
    assert case.closed_at is not None
    assert case.issuance.identity_document == "ID-картка № 001234567"
    assert case.issuance.recipient_name == "Шевченко Олена Петрівна"
    assert set(case.tasks.values_list("state", flat=True)) == {CaseTask.State.DONE}
    actions = list(case.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["registered", "mark_result_ready", "issue"]


@pytest.mark.django_db
def test_paid_instant_service_needs_the_payment_at_intake(world):
    service = make_service(instant=True, fee="40")
    with pytest.raises(DomainError) as exc:
        register(world, service)
    assert exc.value.code == "fee_unpaid"
    assert Case.objects.count() == 0
    case = register(
        world,
        service,
        payment={"method": "pos", "amount": "40", "receipt_number": "R-1"},
        issuance={"identity_document": "Паспорт КВ № 123456"},
    )
    assert case.status == Status.ISSUED
    assert case.payments.get().amount == Decimal("40.00")
    assert case.issuance.identity_document == "Паспорт КВ № 123456"
    # the payment was taken before the result was handed over, and the history says so
    actions = list(case.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["registered", "payment_recorded", "mark_result_ready", "issue"]


@pytest.mark.django_db
def test_instant_service_without_a_known_identity_document_is_refused(world):
    """The issuance record names the document shown; nothing is written without it."""
    service = make_service(instant=True)
    with pytest.raises(DomainError) as exc:
        register(world, service, applicant=person(world))
    assert exc.value.code == "identity_document_required"
    assert exc.value.field == "identity_document"
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_staff_of_another_center_cannot_register_at_this_office(world):
    service = make_service()
    applicant = person(world)
    with pytest.raises(NotFound):
        services.register_case(
            office=world.office_a, service=service, applicant=applicant, actor=Actor(user=world.admin_b)
        )
    with pytest.raises(NotFound):
        # The applicant of center A is unknown at center B.
        services.register_case(
            office=world.office_b, service=service, applicant=applicant, actor=Actor(user=world.admin_b)
        )
