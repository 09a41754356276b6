"""The queue pages without JavaScript: the kiosk issues a ticket by a plain form, the ticket and «my ticket»
pages show the position, state.json is the display's polling fallback, the console works by plain POSTs
and builds the case-intake link; staff see only their own center's workplaces."""

import pytest
from django.urls import reverse

from vikno.queue.models import Ticket
from vikno.queue.tests.live_setup import queue_world


@pytest.fixture
def q(world):
    return queue_world(world)


def test_kiosk_issues_a_ticket_with_a_plain_form(client, q):
    page = client.get(f"/queue/kiosk/{q.office.pk}/")
    assert page.status_code == 200
    assert "Реєстрація" in page.content.decode()
    response = client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": "veteran"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("queue:ticket", args=[ticket.token])
    assert (ticket.code, ticket.priority, ticket.source) == ("Р-001", "veteran", "kiosk")

    shown = client.get(response["Location"]).content.decode()
    assert "Р-001" in shown
    assert "<svg" in shown  # the QR code, inline
    assert reverse("queue:my-ticket", args=[ticket.token]) in shown


def test_kiosk_refuses_an_unknown_priority_and_keeps_the_page(client, q):
    response = client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": "vip"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_state_json_is_the_polling_fallback(client, q, login_as, world):
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""})
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.social.pk, "priority": ""})
    state = client.get(f"/queue/display/{q.office.pk}/state.json").json()
    assert {row["prefix"]: row["waiting"] for row in state["queues"]} == {"Р": 1, "С": 1}
    assert state["calls"] == []

    staff = login_as(world.admin_a)
    action = f"/queue/console/{q.window.pk}/action/"
    staff.post(action, {"action": "open"})
    staff.post(action, {"action": "call"})
    state = client.get(f"/queue/display/{q.office.pk}/state.json").json()
    assert [(c["ticket"], c["workplace"], c["color"]) for c in state["calls"]] == [("Р-001", "Вікно 5", "#e67e22")]
    assert {row["prefix"]: row["waiting"] for row in state["queues"]} == {"Р": 0, "С": 1}


def test_my_ticket_page_and_status(client, q, login_as, world):
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""})
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""})
    second = Ticket.objects.get(number=2)
    page = client.get(f"/queue/my/{second.token}/").content.decode()
    assert "Р-002" in page and "Refresh" not in page  # Ukrainian by default
    assert client.get(f"/queue/my/{second.token}/status.json").json()["people_ahead"] == 1
    assert client.get("/queue/my/not-a-token/").status_code == 404


def test_console_flow_and_case_link(client, q, login_as, world):
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""})
    staff = login_as(world.admin_a)
    url = f"/queue/console/{q.window.pk}/"
    assert staff.get("/queue/console/").status_code == 200
    staff.post(url + "action/", {"action": "open"})
    staff.post(url + "action/", {"action": "call"})
    ticket = Ticket.objects.get()
    page = staff.get(url).content.decode()
    assert "Р-001" in page and 'data-shortcut="n"' in page
    assert f"/staff/cases/new/?ticket={ticket.pk}" in page
    staff.post(url + "action/", {"action": "start", "ticket": ticket.pk})
    staff.post(url + "action/", {"action": "finish", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DONE

    staff.post(url + "action/", {"action": "issue", "queue": q.social.pk, "priority": ""})
    assert Ticket.objects.filter(source="staff", queue=q.social).count() == 1


def test_console_of_another_center_is_404(login_as, world, q):
    assert login_as(world.admin_b).get(f"/queue/console/{q.window.pk}/").status_code == 404


def test_events_view_answers_an_event_stream(client, q):
    response = client.get(f"/queue/display/{q.office.pk}/events")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"] == "no-cache" and response["X-Accel-Buffering"] == "no"
    first = next(iter(response.streaming_content)).decode()
    assert "event: state" in first
    response.close()


def test_the_ticket_does_not_promise_a_wait_of_0_minutes(client, q, login_as, world):
    staff = login_as(world.admin_a)
    staff.post(f"/queue/console/{q.window.pk}/action/", {"action": "open"})
    staff.logout()
    taken = client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""}, follow=True)
    body = taken.content.decode()
    assert "Вас незабаром запросять" in body and "близько 0" not in body
    english = client.get(taken.redirect_chain[-1][0], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You will be called shortly" in english and "about 0 minutes" not in english
    second = client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""}, follow=True)
    assert "Вас незабаром запросять" not in second.content.decode()
