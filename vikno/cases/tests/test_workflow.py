"""The state machine: the path from intake to issuance, roles, illegal moves, the unpaid fee, tasks."""

from __future__ import annotations

import pytest

from vikno.cases import services, workflow
from vikno.cases.models import Case, CaseEvent, CaseTask, Status
from vikno.catalog.models import ProviderService
from vikno.core.audit import Actor
from vikno.core.errors import DomainError, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.orgs.models import Provider
from vikno.testing.fixtures import make_user

from .core_factories import make_service, pdf, register


@pytest.fixture
def sent(world):
    """A case of center A, already at provider A."""
    service = make_service(providers=[world.provider_a])
    case = register(world, service)
    return services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a))


@pytest.mark.django_db
def test_the_whole_path_to_issuance(world, sent):
    admin, officer = Actor(user=world.admin_a), Actor(user=world.officer_a)
    assert sent.status == Status.SENT_TO_PROVIDER
    assert sent.provider == world.provider_a
    states = list(sent.tasks.order_by("position").values_list("state", flat=True))
    assert states == [CaseTask.State.DONE, CaseTask.State.ACTIVE, CaseTask.State.PENDING]

    case = services.transition(sent, "take_into_work", actor=officer)
    case = services.transition(case, "request_clarification", actor=officer, comment="Потрібна довідка")
    assert case.status == Status.NEEDS_CLARIFICATION
    case = services.transition(case, "resume", actor=officer)
    services.attach_result(case, pdf(), name="Довідка", actor=officer)
    case = services.transition(case, "mark_result_ready", actor=officer)
    assert case.result_ready_at is not None
    states = list(case.tasks.order_by("position").values_list("state", flat=True))
    assert states == [CaseTask.State.DONE, CaseTask.State.DONE, CaseTask.State.ACTIVE]

    case = services.issue(case, actor=admin, recipient_name="", identity_document="ID-картка № 001234567")
    assert case.status == Status.ISSUED and case.closed_at is not None
    assert case.issuance.recipient_name == "Шевченко Олена Петрівна"
    assert case.issuance.office == world.office_a
    assert set(case.tasks.values_list("state", flat=True)) == {CaseTask.State.DONE}

    events = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
    assert [e.action for e in events if e.to_status] == [
        "registered",
        "send_to_provider",
        "take_into_work",
        "request_clarification",
        "resume",
        "mark_result_ready",
        "issue",
    ]
    send_event = next(e for e in events if e.action == "send_to_provider")
    assert send_event.actor_id == world.admin_a.pk and send_event.office_id == world.office_a.pk
    take_event = next(e for e in events if e.action == "take_into_work")
    assert take_event.actor_id == world.officer_a.pk and take_event.office_id is None
    assert AuditEvent.objects.filter(action="case.issue", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_an_illegal_transition_is_409_with_the_status_named(world, sent):
    with pytest.raises(DomainError) as exc:
        services.transition(sent, "send_to_provider", actor=Actor(user=world.admin_a))
    assert exc.value.status == 409 and exc.value.code == "illegal_transition"
    assert "«Передано до СНАП»" in exc.value.message
    assert "передати справу до СНАП" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.transition(sent, "fly_to_the_moon", actor=Actor(user=world.admin_a))
    assert exc.value.code == "unknown_action"


@pytest.mark.django_db
def test_unpaid_fee_blocks_sending_unless_paying_later_is_allowed(world):
    admin = Actor(user=world.admin_a)
    case = register(world, make_service(fee="85", providers=[world.provider_a]))
    with pytest.raises(DomainError) as exc:
        services.transition(case, "send_to_provider", actor=admin)
    assert exc.value.code == "fee_unpaid" and exc.value.status == 409
    assert "не сплачено" in exc.value.message
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.provider_id is None
    assert not case.events.filter(action="send_to_provider").exists()

    services.record_payment(case, method="pos", amount="85", receipt_number="R-7", actor=admin)
    assert services.transition(case, "send_to_provider", actor=admin).status == Status.SENT_TO_PROVIDER

    later = register(world, make_service(fee="85", pay_later=True, providers=[world.provider_a]))
    assert services.transition(later, "send_to_provider", actor=admin).status == Status.SENT_TO_PROVIDER


@pytest.mark.django_db
def test_roles_front_and_back_office(world, sent):
    with pytest.raises(PermissionDenied):
        services.transition(sent, "take_into_work", actor=Actor(user=world.admin_a))
    other_officer = make_user("officer_other", "officer", provider=world.provider_b)
    with pytest.raises(NotFound):
        services.transition(sent, "take_into_work", actor=Actor(user=other_officer))
    with pytest.raises(NotFound):
        services.transition(sent, "withdraw", actor=Actor(user=world.admin_b))
    with pytest.raises(PermissionDenied):
        services.transition(sent, "withdraw", actor=Actor(user=world.monitor_1))
    # An officer never sees a case before it is sent to their provider.
    fresh = register(world, make_service(providers=[world.provider_a]))
    with pytest.raises(NotFound):
        services.transition(fresh, "withdraw", actor=Actor(user=world.officer_a))


@pytest.mark.django_db
def test_refusal_needs_reason_and_legal_ground(world, sent):
    officer = Actor(user=world.officer_a)
    case = services.transition(sent, "take_into_work", actor=officer)
    with pytest.raises(DomainError) as exc:
        services.transition(case, "refuse", actor=officer, reason="Неповний пакет")
    assert exc.value.code == "legal_ground_required"
    case = services.transition(
        case, "refuse", actor=officer, reason="Неповний пакет", legal_ground="ч. 1 ст. 19 Закону"
    )
    assert case.status == Status.REFUSED and case.refusal_ground == "ч. 1 ст. 19 Закону"
    case = services.issue(case, actor=Actor(user=world.admin_a), identity_document="Паспорт КВ № 123456")
    assert case.status == Status.REFUSAL_ISSUED and case.is_closed


@pytest.mark.django_db
def test_result_ready_needs_a_result_document(world, sent):
    officer = Actor(user=world.officer_a)
    case = services.transition(sent, "take_into_work", actor=officer)
    with pytest.raises(DomainError) as exc:
        services.transition(case, "mark_result_ready", actor=officer)
    assert exc.value.code == "result_missing"


@pytest.mark.django_db
def test_withdraw_and_dismiss_close_the_case(world, sent):
    case = services.transition(sent, "withdraw", actor=Actor(user=world.admin_a), comment="Заява заявника")
    assert case.status == Status.WITHDRAWN and case.closed_at is not None
    assert not case.tasks.filter(state__in=["pending", "active"]).exists()
    with pytest.raises(DomainError) as exc:
        services.transition(case, "dismiss", actor=Actor(user=world.admin_a), reason="x")
    assert exc.value.code == "illegal_transition" and "«Відкликано заявником»" in exc.value.message

    other = register(world, make_service())
    with pytest.raises(DomainError) as exc:
        services.transition(other, "dismiss", actor=Actor(user=world.admin_a))
    assert exc.value.code == "reason_required"
    other = services.transition(other, "dismiss", actor=Actor(user=world.admin_a), reason="Неповний пакет")
    assert other.status == Status.DISMISSED


@pytest.mark.django_db
def test_the_provider_is_picked_by_service_and_hromada(world):
    admin = Actor(user=world.admin_a)
    local = Provider.objects.create(
        name="Відділ соцзахисту громади А",
        edrpou="00034051",
        kind="council_department",
        region=world.r1,
        hromada=world.h1,
    )
    service = make_service(providers=[world.provider_a])
    link = ProviderService.objects.create(provider=local, service=service)
    link.hromadas.add(world.h1)
    case = services.transition(register(world, service), "send_to_provider", actor=admin)
    assert case.provider == local  # the hromada's own provider beats the region-wide one
    chosen = services.transition(register(world, service), "send_to_provider", actor=admin, provider=world.provider_a)
    assert chosen.provider == world.provider_a
    with pytest.raises(DomainError) as exc:
        services.transition(register(world, service), "send_to_provider", actor=admin, provider=world.provider_b)
    assert exc.value.code == "provider_not_covering"
    lonely = register(world, make_service())
    with pytest.raises(DomainError) as exc:
        services.transition(lonely, "send_to_provider", actor=admin)
    assert exc.value.code == "provider_unknown"
    assert Case.objects.get(pk=lonely.pk).status == Status.ACCEPTED


@pytest.mark.django_db
def test_clarification_suspends_and_resume_restarts_the_term(world, sent):
    officer = Actor(user=world.officer_a)
    case = services.transition(sent, "take_into_work", actor=officer)
    with pytest.raises(DomainError) as exc:
        services.transition(case, "request_clarification", actor=officer)
    assert exc.value.code == "comment_required"
    case = services.transition(case, "request_clarification", actor=officer, comment="Додайте довідку")
    assert Case.objects.get(pk=case.pk).suspended_since is not None
    case = services.transition(case, "resume", actor=officer)
    assert Case.objects.get(pk=case.pk).suspended_since is None


@pytest.mark.django_db
def test_the_snap_returns_a_case_to_the_center_with_a_reason_and_the_center_sends_it_again(world, sent):
    """Not this СНАП's case, or the package is incomplete: back to the front office without a decision."""
    admin, officer = Actor(user=world.admin_a), Actor(user=world.officer_a)
    with pytest.raises(DomainError) as exc:
        services.transition(sent, "return_to_center", actor=officer)
    assert exc.value.code == "comment_required"
    with pytest.raises(PermissionDenied):  # the front office cannot "return" to itself
        services.transition(sent, "return_to_center", actor=admin, comment="x")
    services.transition(sent, "take_into_work", actor=officer)
    case = services.transition(sent, "return_to_center", actor=officer, comment="Не належить до повноважень ДРАЦС")
    assert case.status == Status.ACCEPTED and case.provider_id is None
    event = case.events.get(action="return_to_center")
    assert event.comment == "Не належить до повноважень ДРАЦС"
    assert event.data["provider"] == world.provider_a.pk
    assert AuditEvent.objects.filter(action="case.return_to_center", object_id=str(case.pk)).exists()
    # the СНАП no longer sees it; the ТК is back at the front office's step
    assert not Case.objects.visible_to(world.officer_a).filter(pk=case.pk).exists()
    current = case.tasks.get(state=CaseTask.State.ACTIVE)
    assert current.role not in ("officer", "provider_head")
    assert not case.tasks.filter(role__in=("officer", "provider_head")).exclude(state=CaseTask.State.PENDING).exists()
    # sent again, the СНАП's step starts again
    again = services.transition(case, "send_to_provider", actor=admin, provider=world.provider_a)
    assert again.status == Status.SENT_TO_PROVIDER
    assert again.tasks.get(state=CaseTask.State.ACTIVE).role in ("officer", "provider_head")
    # a decided case cannot be returned
    services.transition(again, "take_into_work", actor=officer)
    services.transition(again, "refuse", actor=officer, reason="Неповний пакет", legal_ground="ІК, п. 12")
    with pytest.raises(DomainError) as exc:
        services.transition(again, "return_to_center", actor=officer, comment="x")
    assert exc.value.code == "illegal_transition"


@pytest.mark.django_db
def test_no_withdrawal_or_dismissal_once_decided(world, sent):
    import datetime as dt

    from django.utils import timezone

    from vikno.cases import workflow

    officer = Actor(user=world.officer_a)
    case = services.transition(sent, "take_into_work", actor=officer)
    earlier = timezone.now() - dt.timedelta(hours=3)
    result = services.attach_result(case, pdf(), name="Довідка", actor=officer, at=earlier)
    assert result.uploaded_at == earlier
    assert CaseEvent.objects.get(case=case, action="result_attached").at == earlier
    case = services.transition(case, "mark_result_ready", actor=officer)
    for action, details in (("withdraw", {}), ("dismiss", {"reason": "Неповний пакет"})):
        with pytest.raises(DomainError) as exc:
            services.transition(case, action, actor=Actor(user=world.admin_a), **details)
        assert exc.value.code == "illegal_transition"
        assert action not in workflow.allowed_actions(case, world.admin_a)


@pytest.mark.django_db
def test_only_the_front_office_withdraws_an_application(world, sent):
    """A withdrawal is the applicant's act, filed at the center: the СНАП officer cannot record it (they
    may still leave an application without consideration), the center's staff and the system
    administrator can; the API follows (its handler calls the same transition)."""
    officer = Actor(user=world.officer_a)
    case = services.transition(sent, "take_into_work", actor=officer)
    assert "withdraw" not in workflow.allowed_actions(case, world.officer_a)
    assert "dismiss" in workflow.allowed_actions(case, world.officer_a)
    with pytest.raises(PermissionDenied) as exc:
        services.transition(case, "withdraw", actor=officer, comment="Заява від 01.12.2026")
    assert "виконує адміністратор ЦНАП" in exc.value.message
    for user in (world.admin_a, world.head_a, world.sysadmin):
        assert "withdraw" in workflow.allowed_actions(case, user)
    case = services.transition(case, "withdraw", actor=Actor(user=world.sysadmin), comment="Заява від 01.12.2026")
    assert case.status == Status.WITHDRAWN


@pytest.mark.django_db
def test_check_refuses_as_the_transition_would_and_changes_nothing(world, sent):
    officer = Actor(user=world.officer_a)
    case = services.transition(sent, "take_into_work", actor=officer)
    with pytest.raises(DomainError) as exc:
        workflow.check(case, "refuse", actor=officer, reason="Неповний пакет")
    assert exc.value.code == "legal_ground_required"
    with pytest.raises(PermissionDenied):
        workflow.check(case, "withdraw", actor=officer)
    with pytest.raises(DomainError) as exc:
        workflow.check(case, "issue", actor=Actor(user=world.admin_a), identity_document="ID")
    assert exc.value.code == "illegal_transition"
    checked = workflow.check(case, "refuse", actor=officer, reason=" Неповний пакет ", legal_ground="ст. 19")
    assert checked == {"reason": "Неповний пакет", "legal_ground": "ст. 19"}
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and not case.events.filter(action="refuse").exists()
