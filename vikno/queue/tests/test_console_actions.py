"""Actions on a called ticket: recall (no-show after QUEUE_MAX_CALLS calls), no-show, start, finish, park
and return, transfer, linking cases. Every change writes a visit event and is published after commit."""

from __future__ import annotations

import pytest

from vikno.cases.tests.core_factories import make_service, register
from vikno.core.errors import Conflict, DomainError
from vikno.core.models import AuditEvent
from vikno.queue import live, services
from vikno.queue.models import Ticket, VisitEvent
from vikno.testing.fixtures import make_user

from .core_factories import at, issue, make_queue, make_workplace, open_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    open_workdays(world.office_a)
    open_workdays(world.office_b)
    registration, social = make_queue(world.office_a, "Р"), make_queue(world.office_a, "С")
    w1 = make_workplace(world.office_a, "Вікно 1", registration)
    w2 = make_workplace(world.office_a, "Вікно 2", social)
    services.open_session(w1, world.admin_a, now=at(9))
    return registration, social, w1, w2


def _kinds(ticket):
    return list(VisitEvent.objects.filter(ticket=ticket).order_by("at", "id").values_list("kind", flat=True))


def test_serve_a_visitor(world, desk):
    registration, _social, w1, _w2 = desk
    ticket = issue(registration)
    called = services.call_next(w1, world.admin_a, now=at(10, 1))
    assert (called.status, called.call_count, called.workplace, called.operator) == ("called", 1, w1, world.admin_a)
    services.start_service(called, world.admin_a, now=at(10, 2))
    with pytest.raises(Conflict) as twice:
        services.start_service(called, world.admin_a, now=at(10, 2))
    assert twice.value.code == "invalid_status" and "Обслуговується" in twice.value.message
    done = services.finish_service(called, world.admin_a, now=at(10, 12))
    assert (done.status, done.started_at, done.finished_at) == ("done", at(10, 2), at(10, 12))
    assert _kinds(ticket) == ["issued", "called", "started", "finished"]
    event = VisitEvent.objects.get(ticket=ticket, kind="called")
    assert (event.workplace_id, event.user_id, event.at) == (w1.pk, world.admin_a.pk, at(10, 1))
    assert AuditEvent.objects.filter(object_id=str(ticket.pk), action__startswith="queue.ticket_").count() == 3


def test_recall_then_automatic_no_show(world, desk, settings):
    settings.QUEUE_MAX_CALLS = 3
    registration, _social, w1, _w2 = desk
    issue(registration)
    ticket = services.call_next(w1, world.admin_a, now=at(10, 1))
    assert services.recall(ticket, world.admin_a, now=at(10, 2)).call_count == 2
    assert services.recall(ticket, world.admin_a, now=at(10, 3)).call_count == 3
    gone = services.recall(ticket, world.admin_a, now=at(10, 4))
    assert gone.status == "no_show" and gone.call_count == 3
    assert _kinds(ticket) == ["issued", "called", "recalled", "recalled", "no_show"]
    assert VisitEvent.objects.get(ticket=ticket, kind="no_show").data["automatic"] is True
    # The window is free for the next visitor.
    assert services.call_next(w1, world.admin_a, now=at(10, 5)) is None


def test_manual_no_show(world, desk):
    registration, _social, w1, _w2 = desk
    issue(registration)
    ticket = services.call_next(w1, world.admin_a, now=at(10, 1))
    assert services.mark_no_show(ticket, world.admin_a, now=at(10, 3)).status == "no_show"
    with pytest.raises(Conflict):
        services.recall(ticket, world.admin_a)


def test_park_and_return(world, desk):
    registration, _social, w1, _w2 = desk
    ticket = issue(registration)
    later = issue(registration, now=at(10, 1))
    services.call_next(w1, world.admin_a, now=at(10, 2))
    services.start_service(ticket, world.admin_a, now=at(10, 3))
    parked = services.park(ticket, world.admin_a, now=at(10, 4))
    assert parked.status == "parked"
    assert services.call_next(w1, world.admin_a, now=at(10, 5)) == later  # the window is free meanwhile
    services.finish_service(services.start_service(later, world.admin_a), world.admin_a)
    back = services.return_parked(ticket, world.admin_a, now=at(10, 20))
    assert (back.status, back.target_workplace, back.workplace, back.call_count) == ("waiting", w1, None, 0)
    assert services.call_next(w1, world.admin_a, now=at(10, 21)) == ticket
    assert _kinds(ticket) == ["issued", "called", "started", "parked", "returned", "called"]


def test_transfer_to_another_queue_keeps_the_code(world, desk):
    registration, social, w1, w2 = desk
    ticket = issue(registration)
    issue(social, now=at(10, 0, 30))  # С-001 waits in the other queue
    services.call_next(w1, world.admin_a, now=at(10, 1))
    services.start_service(ticket, world.admin_a, now=at(10, 2))
    moved = services.transfer(ticket, world.admin_a, to_queue=social, now=at(10, 10))
    assert (moved.status, moved.queue, moved.code, moved.workplace, moved.call_count) == (
        "waiting", social, "Р-001", None, 0,
    )  # fmt: skip
    event = VisitEvent.objects.get(ticket=ticket, kind="transferred")
    assert (event.queue_id, event.data["from_queue"], event.data["to_queue"]) == (social.pk, "Р", "С")
    # It keeps its place in time: before С-001 issued later.
    other = make_user("admin_a2", "administrator", center=world.center_a)
    services.open_session(w2, other, now=at(10, 11))
    assert services.call_next(w2, other, now=at(10, 12)) == ticket
    # A new Р ticket the same day still gets the next number, and codes stay unique.
    assert issue(registration, now=at(10, 13)).code == "Р-002"


def test_transfer_refusals_change_nothing(world, desk):
    registration, _social, w1, _w2 = desk
    ticket = issue(registration)
    services.call_next(w1, world.admin_a, now=at(10, 1))
    foreign_queue = make_queue(world.office_b, "Р")
    foreign_window = make_workplace(world.office_b, "Вікно 1", foreign_queue)
    with pytest.raises(DomainError) as other_office:
        services.transfer(ticket, world.admin_a, to_queue=foreign_queue)
    assert other_office.value.code == "queue_of_other_office" and "цього ж офісу" in other_office.value.message
    with pytest.raises(DomainError):
        services.transfer(ticket, world.admin_a, to_workplace=foreign_window)
    with pytest.raises(DomainError) as nowhere:
        services.transfer(ticket, world.admin_a)
    assert nowhere.value.code == "required"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.queue, ticket.workplace) == ("called", registration, w1)
    assert _kinds(ticket) == ["issued", "called"]


def test_only_the_window_operator_or_a_supervisor_acts_on_a_called_ticket(world, desk):
    registration, _social, w1, w2 = desk
    issue(registration)
    ticket = services.call_next(w1, world.admin_a, now=at(10, 1))
    other = make_user("admin_a2", "administrator", center=world.center_a)
    services.open_session(w2, other, now=at(10, 2))
    with pytest.raises(Conflict) as foreign:
        services.finish_service(ticket, other)
    assert foreign.value.code == "other_workplace"
    services.start_service(ticket, world.head_a, now=at(10, 3))
    assert Ticket.objects.get(pk=ticket.pk).status == "serving"


def test_link_cases_registered_during_the_visit(world, desk):
    registration, _social, w1, _w2 = desk
    ticket = issue(registration)
    with pytest.raises(Conflict):
        services.link_case(ticket, register(world, make_service()), world.admin_a)  # still waiting
    services.call_next(w1, world.admin_a, now=at(10, 1))
    case = register(world, make_service())
    services.link_case(ticket, case, world.admin_a)
    services.link_case(ticket, case, world.admin_a)  # twice: recorded once
    assert list(ticket.cases.all()) == [case]
    foreign = register(world, make_service(), office=world.office_b)
    with pytest.raises(DomainError) as other_center:
        services.link_case(ticket, foreign, world.admin_a)
    assert other_center.value.code == "case_of_other_center"


def test_events_are_published_after_commit(world, desk, monkeypatch, django_capture_on_commit_callbacks):
    registration, _social, w1, _w2 = desk
    sent = []
    monkeypatch.setattr(live, "publish_many", lambda office_id, events: sent.extend((office_id, e) for e in events))
    with django_capture_on_commit_callbacks(execute=True):
        issue(registration)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.call_next(w1, world.admin_a, now=at(10, 1))
    assert len(sent) == 2 and pending  # nothing sent before the commit
    for callback in pending:
        callback()
    offices = {office for office, _ in sent}
    assert offices == {world.office_a.pk}
    call = next(event for _, event in sent if event["type"] == "call")
    assert (call["ticket"], call["workplace"], call["queue"], call["call_count"]) == ("Р-001", "Вікно 1", "Р", 1)
    counts = [event for _, event in sent if event["type"] == "queue"]
    assert counts[0]["waiting"] == {"Р": 1, "С": 0} and counts[-1]["waiting"] == {"Р": 0, "С": 0}


def test_a_failing_publisher_does_not_undo_the_change(world, desk, monkeypatch, django_capture_on_commit_callbacks):
    registration, _social, _w1, _w2 = desk

    def broken(office_id, events):
        raise RuntimeError("live screens are down")

    monkeypatch.setattr(live, "publish_many", broken)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = issue(registration)
    assert Ticket.objects.filter(pk=ticket.pk).exists()
