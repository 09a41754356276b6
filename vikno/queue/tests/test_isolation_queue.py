"""Another center's queues, windows and tickets answer 404 — through the API and the services."""

from __future__ import annotations

import pytest

from vikno.accounts.models import ApiToken
from vikno.core.audit import Actor
from vikno.core.errors import NotFound
from vikno.queue import services
from vikno.queue.models import OperatorSession, Queue, Ticket, Workplace

from .core_factories import make_queue, make_workplace, open_always

pytestmark = pytest.mark.django_db

API = "/api/v1/queue"


@pytest.fixture
def center_a(world):
    open_always(world.office_a)
    queue = make_queue(world.office_a)
    window = make_workplace(world.office_a, "Вікно 1", queue)
    services.open_session(window, world.admin_a)
    services.issue_ticket(queue)
    waiting = services.issue_ticket(queue)
    called = services.call_next(window, world.admin_a)
    return queue, window, waiting, called


def test_api_hides_another_centers_objects(client, world, center_a):
    queue, window, waiting, _called = center_a
    _token, key = ApiToken.issue(world.admin_b, "b")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    office = world.office_a.pk

    def post(url, data=None):
        return client.post(url, data or {}, content_type="application/json", **auth)

    assert client.get(f"{API}/offices/{office}/state", **auth).status_code == 404
    assert client.get(f"{API}/offices/{office}/queues", **auth).status_code == 404
    assert post(f"{API}/offices/{office}/queues", {"name": "X", "prefix": "X"}).status_code == 404
    assert post(f"{API}/offices/{office}/workplaces", {"name": "X"}).status_code == 404
    assert post(f"{API}/workplaces/{window.pk}/session", {"open": False}).status_code == 404
    assert post(f"{API}/workplaces/{window.pk}/call-next").status_code == 404
    for action in ("recall", "no-show", "start", "finish", "park", "return"):
        assert post(f"{API}/tickets/{waiting.pk}/{action}").status_code == 404
    assert post(f"{API}/tickets/{waiting.pk}/transfer", {"queue_id": queue.pk}).status_code == 404
    assert post(f"{API}/tickets", {"queue_id": queue.pk}).status_code == 404
    assert client.get(f"{API}/offices/{office}/state").status_code == 401  # anonymous
    assert Ticket.objects.filter(status="waiting").count() == 1
    assert OperatorSession.objects.filter(closed_at__isnull=True).count() == 1
    assert Queue.objects.count() == 1 and Workplace.objects.count() == 1


def test_services_refuse_another_centers_staff(world, center_a):
    queue, window, waiting, called = center_a
    stranger = world.admin_b
    for call in (
        lambda: services.call_next(window, stranger),
        lambda: services.close_session(window, stranger),
        lambda: services.recall(called, stranger),
        lambda: services.finish_service(called, stranger),
        lambda: services.transfer(waiting, stranger, to_queue=queue),
        lambda: services.create_queue(world.office_a, name="X", prefix="X", actor=Actor(user=stranger)),
        lambda: services.issue_ticket(queue, source="staff", actor=Actor(user=stranger)),
    ):
        with pytest.raises(NotFound):
            call()
    assert Ticket.objects.get(pk=called.pk).call_count == 1
