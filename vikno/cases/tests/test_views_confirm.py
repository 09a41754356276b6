"""The case page asks to confirm what cannot be undone (withdraw, dismiss, refuse, issue) on a page of its
own that works without script; issuance names the applicant and the representative with the power of
attorney and never swaps a typed name; the history names people, not logins."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from vikno.cases import services, workflow
from vikno.cases.models import Case, Representative, Status
from vikno.core.audit import SYSTEM, Actor
from vikno.core.models import AuditEvent

from .core_factories import make_service, pdf, register

UNDONE = "Цю дію не можна скасувати."


def _url(case, tail=""):
    return f"/staff/cases/{case.number}/{tail}"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _status(case) -> str:
    return Case.objects.get(pk=case.pk).status


def _in_work(world, **kwargs):
    admin, officer = Actor(user=world.admin_a), Actor(user=world.officer_a)
    case = register(world, make_service(providers=[world.provider_a]), **kwargs)
    case = services.transition(case, "send_to_provider", actor=admin)
    return services.transition(case, "take_into_work", actor=officer)


def _ready(world, **kwargs):
    officer = Actor(user=world.officer_a)
    case = _in_work(world, **kwargs)
    services.attach_result(case, pdf(), name="Витяг", actor=officer)
    return services.transition(case, "mark_result_ready", actor=officer)


def _represented(world, valid_until):
    representative = Representative.objects.create(
        center=world.center_a,
        full_name="Коваль Андрій Іванович",
        authority_document="Довіреність № 12 від 01.02.2026",
        authority_valid_until=valid_until,
    )
    return _ready(world, representative=representative)


@pytest.mark.django_db
def test_a_withdrawal_is_confirmed_with_the_applicants_statement(world, login_as):
    case = register(world, make_service())
    admin = login_as(world.admin_a)
    asked = admin.post(_url(case, "action/"), {"withdraw-action": "withdraw"})
    assert asked.status_code == 200 and _status(case) == Status.ACCEPTED
    page = _text(asked)
    for fact in (case.number, "Шевченко Олена Петрівна", "Відкликано заявником", UNDONE, "Заява суб’єкта звернення"):
        assert fact in page, fact
    assert 'name="confirm" type="hidden" value="1"' in page or 'name="confirm" value="1"' in page
    # Confirmed without the statement: asked for it beside its field, nothing done.
    missing = admin.post(_url(case, "action/"), {"withdraw-action": "withdraw", "confirm": "1"})
    assert missing.status_code == 400 and "Зазначте письмову заяву суб’єкта звернення" in _text(missing)
    assert _status(case) == Status.ACCEPTED
    # «Back» shows the case page with what was typed.
    statement = "Заява від 04.12.2026 № 17"
    back = admin.post(
        _url(case, "action/"), {"withdraw-action": "withdraw", "withdraw-comment": statement, "back": "1"}
    )
    assert back.status_code == 200 and statement in _text(back) and "Дії" in _text(back)
    assert _status(case) == Status.ACCEPTED
    done = admin.post(
        _url(case, "action/"), {"withdraw-action": "withdraw", "withdraw-comment": statement, "confirm": "1"}
    )
    assert done.status_code == 302 and _status(case) == Status.WITHDRAWN
    assert case.events.get(action="withdraw").comment == statement
    assert AuditEvent.objects.filter(action="case.withdraw", object_id=str(case.pk)).count() == 1


@pytest.mark.django_db
def test_a_dismissal_is_refused_before_the_question_and_confirmed_with_its_reason(world, login_as):
    case = register(world, make_service())
    admin = login_as(world.admin_a)
    refused = admin.post(_url(case, "action/"), {"dismiss-action": "dismiss"})
    assert refused.status_code == 400 and UNDONE not in _text(refused)  # no question for what will be refused
    body = {"dismiss-action": "dismiss", "dismiss-reason": "Неповний пакет документів"}
    asked = admin.post(_url(case, "action/"), body)
    assert asked.status_code == 200 and "Залишено без розгляду" in _text(asked)
    assert re.search(
        r"<textarea[^>]*name=\"dismiss-reason\"[^>]*>\s*Неповний пакет документів</textarea>", _text(asked)
    )
    assert _status(case) == Status.ACCEPTED
    assert admin.post(_url(case, "action/"), {**body, "confirm": "1"}).status_code == 302
    assert _status(case) == Status.DISMISSED


@pytest.mark.django_db
def test_a_refusal_is_confirmed_by_the_officer(world, login_as):
    case = _in_work(world)
    officer = login_as(world.officer_a)
    body = {"refuse-action": "refuse", "refuse-reason": "Неповний пакет", "refuse-legal_ground": "ст. 19 Закону"}
    asked = officer.post(_url(case, "action/"), body)
    assert asked.status_code == 200 and UNDONE in _text(asked) and "Так, відмовити в наданні послуги" in _text(asked)
    assert _status(case) == Status.IN_PROGRESS and not case.events.filter(action="refuse").exists()
    # Changed on the confirmation page to nothing: refused there, beside the field.
    emptied = officer.post(_url(case, "action/"), {**body, "refuse-legal_ground": "", "confirm": "1"})
    assert emptied.status_code == 400 and "Вкажіть правову підставу" in _text(emptied) and UNDONE in _text(emptied)
    assert officer.post(_url(case, "action/"), {**body, "confirm": "1"}).status_code == 302
    assert _status(case) == Status.REFUSED


@pytest.mark.django_db
def test_the_officer_is_not_offered_a_withdrawal(world, login_as):
    case = _in_work(world)
    officer = login_as(world.officer_a)
    page = _text(officer.get(_url(case)))
    assert "dismiss-action" in page and "withdraw-action" not in page
    body = {"withdraw-action": "withdraw", "withdraw-comment": "Заява", "confirm": "1"}
    assert officer.post(_url(case, "action/"), body).status_code == 403
    assert _status(case) == Status.IN_PROGRESS


@pytest.mark.django_db
def test_issuing_to_the_representative_shows_the_power_of_attorney_and_keeps_the_typed_name(world, login_as):
    until = timezone.localdate() + dt.timedelta(days=30)
    case = _represented(world, until)
    admin = login_as(world.admin_a)
    page = _text(admin.get(_url(case)))
    assert "Суб’єкт звернення: Шевченко Олена Петрівна" in page
    assert (
        f"Представник: Коваль Андрій Іванович (довіреність: Довіреність № 12 від 01.02.2026; дійсна до {until:%d.%m.%Y})"
        in page
    )
    name_input = re.search(r'<input[^>]*name="issue-recipient_name"[^>]*>', page).group(0)
    assert "value=" not in name_input  # nothing typed for the user: the name follows the choice
    # The applicant's name typed while choosing the representative: refused, the name kept as typed.
    body = {"issue-identity_document": "ID-картка № 009876543", "issue-to_representative": "on"}
    mismatch = admin.post(_url(case, "issue/"), {**body, "issue-recipient_name": "Шевченко Олена Петрівна"})
    assert mismatch.status_code == 400
    answer = _text(mismatch)
    assert (
        "Видається представникові Коваль Андрій Іванович, а отримувачем зазначено «Шевченко Олена Петрівна»" in answer
    )
    assert re.search(r'<input[^>]*name="issue-recipient_name"[^>]*value="Шевченко Олена Петрівна"', answer)
    # Without a name: the question names the representative, and nothing is done yet.
    asked = admin.post(_url(case, "issue/"), {**body, "issue-recipient_name": ""})
    assert asked.status_code == 200 and _status(case) == Status.RESULT_READY
    question = _text(asked)
    assert "представник Коваль Андрій Іванович" in question and "ID-картка № 009876543" in question
    assert UNDONE in question and "Видано" in question
    done = admin.post(_url(case, "issue/"), {**body, "issue-recipient_name": "", "confirm": "1"})
    assert done.status_code == 302 and _status(case) == Status.ISSUED
    issuance = Case.objects.get(pk=case.pk).issuance
    assert issuance.to_representative and issuance.recipient_name == "Коваль Андрій Іванович"


@pytest.mark.django_db
def test_an_expired_power_of_attorney_is_shown_and_refused_before_the_question(world, login_as):
    case = _represented(world, timezone.localdate() - dt.timedelta(days=1))
    admin = login_as(world.admin_a)
    assert "строк дії минув" in _text(admin.get(_url(case)))
    refused = admin.post(
        _url(case, "issue/"),
        {"issue-identity_document": "ID", "issue-to_representative": "on", "issue-recipient_name": ""},
    )
    assert refused.status_code == 400 and "Довіреність представника діяла до" in _text(refused)
    assert UNDONE not in _text(refused) and _status(case) == Status.RESULT_READY


@pytest.mark.django_db
def test_the_history_names_people_and_their_roles_not_logins(world, login_as):
    case = _in_work(world)
    workflow.add_event(case, "collect_reminded", actor=SYSTEM)
    workflow.add_event(case, "transferred", actor=Actor(user=world.head_a, label="demo-history"))
    page = _text(login_as(world.admin_a).get(_url(case)))
    history = page[page.index('id="h-history"') : page.index('id="h-tasks"')]
    assert '<span title="admin_a">Тестовий Admin_A</span><br><span class="help">Адміністратор ЦНАП</span>' in history
    assert '<span title="officer_a">Тестовий Officer_A</span>' in history
    assert '<span title="head_a">Тестовий Head_A</span>' in history  # a label beside a user: the user
    assert "<td>admin_a</td>" not in history and "demo-history" not in history
    assert "<td>system</td>" in history
