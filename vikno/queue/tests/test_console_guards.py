"""The console refuses what its page does not offer: another window's visitor, odd posted ids (a message,
not a 500), unknown actions; the Recall key is offered only while the visitor is being called."""

import pytest
from django.test import Client

from vikno.queue.models import OperatorSession, Ticket
from vikno.queue.tests.live_setup import queue_world
from vikno.testing.fixtures import login


@pytest.fixture
def q(world):
    return queue_world(world)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_console_does_not_act_on_the_visitor_of_another_window(client, q, world):
    """A head works at window 5; the ticket she called was transferred and called to window 6. The
    window 5 page still shows it: «Finish» there must not end the visit at window 6."""
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.social.pk, "priority": ""})
    head = Client()
    login(head, world.head_a)
    head.post(f"/queue/console/{q.window.pk}/action/", {"action": "open"})
    head.post(f"/queue/console/{q.window.pk}/action/", {"action": "call"})
    ticket = Ticket.objects.get()
    head.post(
        f"/queue/console/{q.window.pk}/action/",
        {"action": "transfer", "ticket": ticket.pk, "target": f"workplace:{q.other.pk}"},
    )
    operator = Client()
    login(operator, world.admin_a)
    operator.post(f"/queue/console/{q.other.pk}/action/", {"action": "open"})
    operator.post(f"/queue/console/{q.other.pk}/action/", {"action": "call"})
    operator.post(f"/queue/console/{q.other.pk}/action/", {"action": "start", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.workplace_id) == ("serving", q.other.pk)

    stale = head.post(f"/queue/console/{q.window.pk}/action/", {"action": "finish", "ticket": ticket.pk}, follow=True)
    assert "Цей талон уже не в потрібному стані: оновіть сторінку." in _messages(stale)
    ticket.refresh_from_db()
    assert ticket.status == "serving"


@pytest.mark.parametrize("queue", ["abc", "1.5", "-1", "99999999999999999999", "١"])
def test_issuing_from_the_console_with_an_odd_queue_is_a_message(q, login_as, world, queue):
    staff = login_as(world.admin_a)
    answer = staff.post(
        f"/queue/console/{q.window.pk}/action/", {"action": "issue", "queue": queue, "priority": ""}, follow=True
    )
    assert answer.status_code == 200
    assert _messages(answer) == ["Оберіть чергу."]
    assert not Ticket.objects.exists()


def test_an_unknown_action_is_named_as_such(q, login_as, world):
    staff = login_as(world.admin_a)
    answer = staff.post(f"/queue/console/{q.window.pk}/action/", {"action": "explode"}, follow=True)
    assert _messages(answer) == ["Невідома дія."]
    english = staff.post(
        f"/queue/console/{q.window.pk}/action/", {"action": "explode"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _messages(english) == ["Unknown action."]


def test_recall_is_offered_only_while_the_visitor_is_called(client, q, login_as, world):
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""})
    staff = login_as(world.admin_a)
    url = f"/queue/console/{q.window.pk}/"
    staff.post(url + "action/", {"action": "open"})
    staff.post(url + "action/", {"action": "call"})
    called = staff.get(url).content.decode()
    assert all(f'data-shortcut="{key}"' in called for key in "rsdp")
    assert "D — не зʼявився, P — відкласти" in called
    ticket = Ticket.objects.get()
    staff.post(url + "action/", {"action": "start", "ticket": ticket.pk})
    serving = staff.get(url).content.decode()
    assert 'data-shortcut="r"' not in serving and 'value="recall"' not in serving
    assert 'data-shortcut="f"' in serving and 'data-shortcut="p"' in serving and 'data-shortcut="d"' not in serving


def test_transfer_asks_where_to_and_does_not_offer_the_tickets_own_queue(client, q, login_as, world):
    """The list used to start at the first queue, usually the visitor's own: «Transfer» pressed without a
    choice put the visitor back at the head of the same line."""
    client.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""})
    staff = login_as(world.admin_a)
    url = f"/queue/console/{q.window.pk}/"
    staff.post(url + "action/", {"action": "open"})
    staff.post(url + "action/", {"action": "call"})
    page = staff.get(url).content.decode()
    assert '<option value="">— оберіть, куди —</option>' in page
    assert f'value="queue:{q.registration.pk}"' not in page and f'value="queue:{q.social.pk}"' in page
    ticket = Ticket.objects.get()
    answer = staff.post(url + "action/", {"action": "transfer", "ticket": ticket.pk, "target": ""}, follow=True)
    assert _messages(answer)[-1] == "Оберіть чергу або вікно, куди перевести талон."
    ticket.refresh_from_db()
    assert ticket.status == "called"


def test_a_head_can_close_a_session_left_open(q, world):
    """An operator went home with the window open: it kept counting as open (KPI utilisation, waiting
    estimates) and the console offered the head nothing to do about it."""
    operator = Client()
    login(operator, world.admin_a)
    operator.post(f"/queue/console/{q.window.pk}/action/", {"action": "open"})

    head = Client()
    login(head, world.head_a)
    page = head.get(f"/queue/console/{q.window.pk}/").content.decode()
    assert "Ви можете закрити цю сесію" in page and 'value="close"' in page
    closed = head.post(f"/queue/console/{q.window.pk}/action/", {"action": "close"}, follow=True)
    assert _messages(closed) == ["Сесію закрито."]
    assert not OperatorSession.objects.filter(workplace=q.window, closed_at__isnull=True).exists()


def test_an_administrator_sees_no_close_button_on_anothers_window(q, world):
    from vikno.core.scoping import Role
    from vikno.testing.fixtures import make_user

    colleague = make_user("admin_a2", Role.ADMINISTRATOR, center=world.office_a.center)
    colleague.offices.add(world.office_a)
    first = Client()
    login(first, world.admin_a)
    first.post(f"/queue/console/{q.window.pk}/action/", {"action": "open"})
    second = Client()
    login(second, colleague)
    page = second.get(f"/queue/console/{q.window.pk}/").content.decode()
    assert "Зараз на цьому місці працює" in page
    assert 'value="close"' not in page
