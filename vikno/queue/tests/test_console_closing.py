"""Closing a session at the console: a stale page closing a closed session is told so (information, no
audit); a window switched off while its session is open does not trap the operator behind a 404."""

import pytest
from django.contrib import messages as levels

from vikno.core.models import AuditEvent
from vikno.queue.models import OperatorSession, Ticket, Workplace
from vikno.queue.tests.live_setup import queue_world


@pytest.fixture
def q(world):
    return queue_world(world)


def _messages(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


def _act(client, window, action, **data):
    return client.post(f"/queue/console/{window.pk}/action/", {"action": action, **data}, follow=True)


def test_closing_an_already_closed_session_is_information_not_success(q, login_as, world):
    staff = login_as(world.admin_a)
    _act(staff, q.window, "open")
    assert _messages(_act(staff, q.window, "close")) == [(levels.SUCCESS, "Сесію закрито.")]
    audited = AuditEvent.objects.count()
    stale = _act(staff, q.window, "close")  # the same page, submitted again
    assert stale.status_code == 200
    assert _messages(stale) == [(levels.INFO, "Сесію вже було закрито.")]
    assert AuditEvent.objects.count() == audited


def test_a_switched_off_window_lets_its_operator_finish_and_close(client, q, login_as, world):
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.social.pk, "priority": ""})
    staff = login_as(world.admin_a)
    _act(staff, q.window, "open")
    _act(staff, q.window, "call")
    ticket = Ticket.objects.get()
    Workplace.objects.filter(pk=q.window.pk).update(is_active=False)  # switched off in the settings meanwhile

    home = staff.get("/queue/console/", follow=True)
    assert home.status_code == 200 and home.redirect_chain[-1][0] == f"/queue/console/{q.window.pk}/"
    page = home.content.decode()
    assert "Це вікно вимкнено в налаштуваннях" in page
    assert 'value="close"' in page and 'value="call"' not in page and 'value="issue"' not in page
    # No new calls or tickets from here; the visitor at the window can still be dealt with.
    refused = "Вікно «Вікно 5» вимкнено в налаштуваннях: можна лише закрити сесію."
    assert _messages(_act(staff, q.window, "call")) == [(levels.ERROR, refused)]
    assert _messages(_act(staff, q.window, "issue", queue=q.social.pk, priority="")) == [(levels.ERROR, refused)]
    assert Ticket.objects.count() == 1
    _act(staff, q.window, "start", ticket=ticket.pk)
    _act(staff, q.window, "finish", ticket=ticket.pk)
    closed = _act(staff, q.window, "close")
    assert closed.redirect_chain[-1][0] == "/queue/console/"  # the window's console is gone with its session
    assert (levels.SUCCESS, "Сесію закрито.") in _messages(closed)
    assert not OperatorSession.objects.filter(closed_at__isnull=True).exists()
    assert f"/queue/console/{q.window.pk}/" not in closed.content.decode()  # not offered for a new session
    assert staff.get(f"/queue/console/{q.window.pk}/").status_code == 404
    assert _act(staff, q.window, "open").status_code == 404
    # A stale page closing it again is told so, without a 404.
    assert _messages(_act(staff, q.window, "close")) == [(levels.INFO, "Сесію вже було закрито.")]


def test_calling_when_nobody_waits_is_information_not_success(q, login_as, world):
    staff = login_as(world.admin_a)
    _act(staff, q.window, "open")
    assert not Ticket.objects.filter(status="waiting").exists()
    assert _messages(_act(staff, q.window, "call")) == [(levels.INFO, "Ніхто не очікує.")]
