"""The queue API end to end: configure, open a window, kiosk ticket, call, serve, state, «my ticket»."""

from __future__ import annotations

import pytest

from vikno.accounts.models import ApiToken
from vikno.core.models import AuditEvent
from vikno.queue.models import Queue, Ticket, VisitEvent
from vikno.testing.fixtures import make_user

from .core_factories import make_queue, make_workplace, open_always

pytestmark = pytest.mark.django_db

API = "/api/v1/queue"


def bearer(user) -> dict:
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, data=None, auth=None):
    return client.post(url, data or {}, content_type="application/json", **(auth or {}))


def test_configuration_by_the_head_only(client, world):
    office = world.office_a.pk
    head, admin, stranger = bearer(world.head_a), bearer(world.admin_a), bearer(world.admin_b)
    body = {"name": "Реєстрація", "prefix": "р", "color": "#B45309", "target_wait_minutes": 20}
    response = post(client, f"{API}/offices/{office}/queues", body, head)
    assert response.status_code == 201, response.content
    queue = response.json()
    assert (queue["prefix"], queue["color"], queue["target_wait_minutes"]) == ("Р", "#b45309", 20)
    assert post(client, f"{API}/offices/{office}/queues", body, head).json()["code"] == "prefix_taken"
    assert post(client, f"{API}/offices/{office}/queues", {**body, "prefix": "Q"}, admin).status_code == 403
    assert post(client, f"{API}/offices/{office}/queues", {**body, "prefix": "Q"}, stranger).status_code == 404
    bad = post(client, f"{API}/offices/{office}/queues", {**body, "prefix": "Z", "color": "orange"}, head)
    assert bad.status_code == 400 and bad.json()["field"] == "color"
    unknown = post(client, f"{API}/offices/{office}/queues", {**body, "prefix": "Z", "services": ["NOPE-1"]}, head)
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_service"

    window = post(client, f"{API}/offices/{office}/workplaces", {"name": "Вікно 1", "queue_ids": [queue["id"]]}, head)
    assert window.status_code == 201
    assert window.json()["profile"] == [{"queue_id": queue["id"], "prefix": "Р", "order": 0}]
    foreign = make_queue(world.office_b, "Б")
    other = post(client, f"{API}/offices/{office}/workplaces", {"name": "Вікно 2", "queue_ids": [foreign.pk]}, head)
    assert other.status_code == 400 and other.json()["code"] == "queue_of_other_office"
    assert client.get(f"{API}/offices/{office}/queues", **admin).json()[0]["prefix"] == "Р"
    assert len(client.get(f"{API}/offices/{office}/workplaces", **admin).json()) == 1
    assert AuditEvent.objects.filter(action="queue.queue_created", actor_id=world.head_a.pk).count() == 1


def test_a_visit_through_the_api(client, world):
    open_always(world.office_a)
    queue = make_queue(world.office_a, name="Реєстрація")
    window = make_workplace(world.office_a, "Вікно 1", queue)
    admin = bearer(world.admin_a)

    assert post(client, f"{API}/workplaces/{window.pk}/call-next", auth=admin).json()["code"] == "workplace_closed"
    session = post(client, f"{API}/workplaces/{window.pk}/session", {"open": True}, admin)
    assert session.status_code == 200 and session.json()["open"] is True
    empty = post(client, f"{API}/workplaces/{window.pk}/call-next", auth=admin).json()
    assert empty["ticket"] is None and "порожня" in empty["message"]

    kiosk = post(client, f"{API}/kiosk/{world.office_a.pk}/tickets", {"queue_id": queue.pk, "language": "en"})
    assert kiosk.status_code == 201, kiosk.content
    issued = kiosk.json()
    assert (issued["code"], issued["people_ahead"], issued["estimated_wait_minutes"]) == ("Р-001", 0, 0)
    mine = client.get(f"{API}/my/{issued['token']}").json()
    assert (mine["status"], mine["queue"], mine["workplace"]) == ("waiting", "Реєстрація", None)

    called = post(client, f"{API}/workplaces/{window.pk}/call-next", auth=admin).json()
    assert called["ticket"]["code"] == "Р-001" and called["ticket"]["workplace"] == "Вікно 1"
    ticket_id = called["ticket"]["id"]
    assert client.get(f"{API}/my/{issued['token']}").json()["workplace"] == "Вікно 1"
    state = client.get(f"{API}/offices/{world.office_a.pk}/state", **admin).json()
    assert state["queues"][0]["waiting"] == 0 and state["calls"][0]["ticket"] == "Р-001"
    assert state["workplaces"] == [{"id": window.pk, "name": "Вікно 1", "open": True, "operator": "Admin_A Тестовий"}]

    recalled = post(client, f"{API}/tickets/{ticket_id}/recall", auth=admin).json()
    assert recalled["call_count"] == 2
    assert post(client, f"{API}/tickets/{ticket_id}/finish", auth=admin).json()["code"] == "invalid_status"
    assert post(client, f"{API}/tickets/{ticket_id}/start", auth=admin).json()["status"] == "serving"
    assert post(client, f"{API}/tickets/{ticket_id}/finish", auth=admin).json()["status"] == "done"
    assert post(client, f"{API}/tickets/{ticket_id}/dance", auth=admin).status_code == 422
    closed = post(client, f"{API}/workplaces/{window.pk}/session", {"open": False}, admin).json()
    assert closed["open"] is False and closed["closed_at"]
    assert list(VisitEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        "issued", "called", "recalled", "started", "finished",
    ]  # fmt: skip


def test_staff_issue_and_transfer(client, world):
    open_always(world.office_a)
    registration, social = make_queue(world.office_a, "Р"), make_queue(world.office_a, "С")
    foreign = make_queue(world.office_b, "Р")
    window = make_workplace(world.office_a, "Вікно 1", registration)
    admin = bearer(world.admin_a)
    issued = post(client, f"{API}/tickets", {"queue_id": registration.pk, "priority": "veteran"}, admin)
    assert issued.status_code == 201 and issued.json()["priority"] == "veteran"
    assert post(client, f"{API}/tickets", {"queue_id": foreign.pk}, admin).status_code == 404
    post(client, f"{API}/workplaces/{window.pk}/session", {"open": True}, admin)
    ticket_id = post(client, f"{API}/workplaces/{window.pk}/call-next", auth=admin).json()["ticket"]["id"]

    # A queue of another center is not even visible; one of another office of the center is refused.
    remote = make_queue(world.remote_a, "В")
    assert post(client, f"{API}/tickets/{ticket_id}/transfer", {"queue_id": foreign.pk}, admin).status_code == 404
    refused = post(client, f"{API}/tickets/{ticket_id}/transfer", {"queue_id": remote.pk}, admin)
    assert refused.status_code == 400 and refused.json()["code"] == "queue_of_other_office"
    assert Ticket.objects.get(pk=ticket_id).status == "called"
    moved = post(client, f"{API}/tickets/{ticket_id}/transfer", {"queue_id": social.pk}, admin).json()
    assert (moved["status"], moved["queue_prefix"], moved["code"]) == ("waiting", "С", "Р-001")


def test_kiosk_refusals_and_device_token(client, world):
    queue = make_queue(world.office_a)
    url = f"{API}/kiosk/{world.office_a.pk}/tickets"
    closed = post(client, url, {"queue_id": queue.pk})
    assert closed.status_code == 409 and closed.json()["code"] == "office_closed"
    assert "зачинено" in closed.json()["message"]
    open_always(world.office_a)
    assert post(client, url, {"queue_id": queue.pk, "priority": "vip"}).status_code == 400
    other_office = make_queue(world.office_b, "Б")
    assert post(client, url, {"queue_id": other_office.pk}).status_code == 404
    assert post(client, url, {"queue_id": queue.pk}, auth={"HTTP_AUTHORIZATION": "Bearer nonsense"}).status_code == 401
    assert post(client, url, {"queue_id": queue.pk}, auth=bearer(world.admin_b)).status_code == 404
    assert not Ticket.objects.exists()
    device = make_user("kiosk_a", "administrator", center=world.center_a)
    issued = post(client, url, {"queue_id": queue.pk}, auth=bearer(device))
    assert issued.status_code == 201
    assert VisitEvent.objects.get(ticket_id=issued.json()["id"]).user_id == device.pk
    assert Ticket.objects.get().source == "kiosk"
    assert client.get(f"{API}/my/unknown-token").status_code == 404


def test_openapi_documents_the_queue(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/queue/kiosk/{office_id}/tickets" in paths
    assert "/api/v1/queue/workplaces/{workplace_id}/call-next" in paths
    assert Queue  # the schema import stays meaningful
