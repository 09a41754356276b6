"""The assessment state machine: legal moves, illegal ones refused with nothing changed, and audit."""

from __future__ import annotations

import pytest

from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.monitoring import services
from vikno.monitoring.models import Assessment
from vikno.testing.fixtures import make_user

from .helpers import actor, answers, make_questionnaire

PERIOD = "2026-Q1"


@pytest.fixture
def t(db):
    return make_questionnaire()


@pytest.fixture
def draft(world, t):
    return services.save_answers(world.center_a, t.questionnaire, PERIOD, answers(t), actor=actor(world.admin_a))


def test_submit_accept(world, draft):
    submitted = services.transition(draft, "submit", actor=actor(world.head_a))
    assert submitted.status == "submitted" and submitted.submitted_by == world.head_a
    assert submitted.submitted_at is not None
    accepted = services.transition(submitted, "accept", actor=actor(world.monitor_1), comment="Дякуємо")
    assert accepted.status == "reviewed" and accepted.reviewed_by == world.monitor_1
    assert accepted.reviewer_comment == "Дякуємо"


def test_return_edit_and_resubmit(world, t, draft):
    services.transition(draft, "submit", actor=actor(world.head_a))
    returned = services.transition(draft, "return", actor=actor(world.monitor_1), comment="Уточніть реєстри")
    assert returned.status == "returned" and returned.reviewer_comment == "Уточніть реєстри"
    again = services.save_answers(
        world.center_a, t.questionnaire, PERIOD, answers(t, dracs="full"), actor=actor(world.head_a), submit=True
    )
    assert again.pk == draft.pk and again.status == "submitted"
    assert str(again.percent) == "80.00"  # registers now 2 of 2, weight 2: (2 + 4 + 2) / 10


def _status(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


def test_reviewing_a_draft_is_refused(world, draft):
    for name in ("accept", "return"):
        with pytest.raises(Conflict) as error:
            services.transition(draft, name, actor=actor(world.monitor_1), comment="x")
        assert error.value.code == "illegal_transition" and error.value.status == 409
        assert "Чернетка" in error.value.message
    assert _status(draft) == "draft"


def test_illegal_transitions(world, t, draft):
    services.transition(draft, "submit", actor=actor(world.head_a))
    with pytest.raises(Conflict):
        services.transition(draft, "submit", actor=actor(world.head_a))
    with pytest.raises(Conflict) as error:
        services.save_answers(world.center_a, t.questionnaire, PERIOD, answers(t), actor=actor(world.head_a))
    assert error.value.code == "not_editable"
    with pytest.raises(DomainError) as error:
        services.transition(draft, "return", actor=actor(world.monitor_1), comment="   ")
    assert error.value.code == "comment_required" and error.value.status == 400
    with pytest.raises(DomainError) as error:
        services.transition(draft, "publish", actor=actor(world.monitor_1))
    assert error.value.code == "unknown_action"
    services.transition(draft, "accept", actor=actor(world.monitor_1))
    for name in ("accept", "return", "submit"):
        with pytest.raises(Conflict):
            services.transition(draft, name, actor=actor(world.monitor_1 if name != "submit" else world.head_a))
    assert _status(draft) == "reviewed"


def test_roles_and_scope(world, draft):
    with pytest.raises(PermissionDenied):
        services.transition(draft, "submit", actor=actor(world.monitor_1))
    with pytest.raises(PermissionDenied):
        services.transition(draft, "accept", actor=actor(world.head_a))
    with pytest.raises(NotFound):
        services.transition(draft, "submit", actor=actor(world.admin_b))
    monitor_2 = make_user("monitor_2", "oblast_monitor", region=world.r2)
    services.transition(draft, "submit", actor=actor(world.head_a))
    with pytest.raises(NotFound):
        services.transition(draft, "accept", actor=actor(monitor_2))
    with pytest.raises(NotFound):
        services.save_answers(world.center_a, draft.questionnaire, "2026-Q2", {}, actor=actor(world.admin_b))
    with pytest.raises(PermissionDenied):
        services.save_answers(world.center_a, draft.questionnaire, "2026-Q2", {}, actor=actor(world.sysadmin))
    assert _status(draft) == "submitted"


def test_incomplete_submission_changes_nothing(world, t):
    raw = answers(t, ramp="", dracs="")
    with pytest.raises(DomainError) as error:
        services.save_answers(world.center_a, t.questionnaire, PERIOD, raw, actor=actor(world.head_a), submit=True)
    assert error.value.code == "incomplete" and error.value.status == 400
    assert "Пандус" in error.value.message and "ДРАЦС" in error.value.message
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="monitoring.").exists()
    draft = services.save_answers(world.center_a, t.questionnaire, PERIOD, raw, actor=actor(world.head_a))
    with pytest.raises(DomainError):
        services.transition(draft, "submit", actor=actor(world.head_a))
    assert _status(draft) == "draft"


def test_future_period_and_wrong_kind_are_refused(world, t):
    with pytest.raises(DomainError) as error:
        services.save_answers(world.center_a, t.questionnaire, "2099-Q1", answers(t), actor=actor(world.head_a))
    assert error.value.code == "period_future"
    with pytest.raises(DomainError) as error:
        services.save_answers(world.center_a, t.questionnaire, "2026", answers(t), actor=actor(world.head_a))
    assert error.value.code == "period_kind"


def test_every_change_is_audited(world, draft):
    services.transition(draft, "submit", actor=actor(world.head_a, ip="10.1.2.3"))
    services.transition(draft, "return", actor=actor(world.monitor_1, ip="10.9.9.9"), comment="Уточніть")
    events = list(
        AuditEvent.objects.filter(object_type="monitoring.assessment", object_id=str(draft.pk)).order_by("at", "id")
    )
    assert [e.action for e in events] == [
        "monitoring.assessment.created",
        "monitoring.assessment.submit",
        "monitoring.assessment.return",
    ]
    created, submit, returned = events
    assert created.actor_id == world.admin_a.pk and created.center_id == world.center_a.pk
    assert submit.actor_label == "head_a" and submit.ip == "10.1.2.3"
    assert submit.data["from"] == "draft" and submit.data["to"] == "submitted"
    assert returned.actor_id == world.monitor_1.pk and returned.ip == "10.9.9.9"
    assert returned.data == {"from": "submitted", "to": "returned", "comment": "Уточніть", "percent": "60.00"}
    assert returned.region_id == world.r1.pk
