"""A СНАП officer and the center's administrator walk a case from the inbox to issuance: scope, each
action's page and message, a button pressed twice (done once, answered as done), the audit record,
the result file's checksum, issuance to a representative and results waiting to be collected."""

from __future__ import annotations

import datetime as dt
import hashlib
import html

import pytest
from django.test import Client
from django.utils import timezone

from vikno.cases import deadlines, services
from vikno.cases.models import Case, CaseEvent, Representative, ResultDocument, Status
from vikno.core.audit import Actor
from vikno.core.models import AuditEvent
from vikno.core.scoping import Role
from vikno.payments.models import Payment
from vikno.testing.fixtures import login, make_user

from .core_factories import PDF, ApiCaller, make_service, pdf, register


def _url(case, tail=""):
    return f"/staff/cases/{case.number}/{tail}"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _client(user) -> Client:
    """A logged-in client of its own (each staff member works in their own browser)."""
    client = Client()
    login(client, user)
    return client


def _sent(world, **kwargs):
    admin = Actor(user=world.admin_a)
    case = register(world, make_service(fee="85.00", providers=[world.provider_a]), **kwargs)
    services.record_payment(case, method="exemption", exemption_ground="Закон, ст. 1", actor=admin)
    return services.transition(case, "send_to_provider", actor=admin)


def _in_work(world, **kwargs):
    return services.transition(_sent(world, **kwargs), "take_into_work", actor=Actor(user=world.officer_a))


def _ready(world, **kwargs):
    officer = Actor(user=world.officer_a)
    case = _in_work(world, **kwargs)
    services.attach_result(case, pdf(), name="Витяг", actor=officer)
    return services.transition(case, "mark_result_ready", actor=officer)


def _audited(case, action: str) -> int:
    return AuditEvent.objects.filter(action=action, object_id=str(case.pk)).count()


@pytest.mark.django_db
def test_the_inbox_and_the_case_of_another_provider_do_not_exist_for_an_officer(world):
    case = _sent(world)
    mine = _client(world.officer_a).get("/staff/cases/inbox/")
    assert mine.status_code == 200 and case.number in _text(mine)
    stranger = make_user("officer_b", Role.OFFICER, provider=world.provider_b)
    other = _client(stranger)
    assert case.number not in _text(other.get("/staff/cases/inbox/"))
    assert other.get(_url(case)).status_code == 404
    assert other.post(_url(case, "action/"), {"take_into_work-action": "take_into_work"}).status_code == 404
    assert other.post(_url(case, "result/"), {"result-name": "Витяг", "result-file": pdf()}).status_code == 404
    api = ApiCaller(Client(), stranger)
    assert api.get(f"/cases/{case.number}").status_code == 404
    assert api.get("/cases", inbox=True).json()["items"] == []
    assert Case.objects.get(pk=case.pk).status == Status.SENT_TO_PROVIDER


@pytest.mark.django_db
def test_take_into_work_pressed_twice_is_done_once_and_answered_as_done(world):
    case = _sent(world)
    officer = _client(world.officer_a)
    first = officer.post(_url(case, "action/"), {"take_into_work-action": "take_into_work"})
    assert first.status_code == 302
    again = officer.post(_url(case, "action/"), {"take_into_work-action": "take_into_work"})
    assert again.status_code == 302 and again["Location"] == _url(case)
    page = _text(officer.get(_url(case)))
    assert 'role="status">Це вже зроблено: справа має статус «Взято в роботу».' in page
    assert "Дію не виконано" not in page
    assert case.events.filter(action="take_into_work").count() == 1
    assert _audited(case, "case.take_into_work") == 1


@pytest.mark.django_db
def test_an_illegal_action_of_someone_else_is_still_refused_with_409(world):
    """Only the user's own last action counts as «pressed twice»: a colleague's is a conflict."""
    case = _in_work(world)
    colleague = make_user("officer_a2", Role.OFFICER, provider=world.provider_a)
    response = _client(colleague).post(_url(case, "action/"), {"take_into_work-action": "take_into_work"})
    assert response.status_code == 409
    assert "Неможливо взяти справу в роботу" in _text(response)


@pytest.mark.django_db
def test_clarification_stops_the_term_and_resumption_moves_the_due_time(world):
    officer = Actor(user=world.officer_a)
    case = _in_work(world)
    due = Case.objects.get(pk=case.pk).due_at
    page = _client(world.officer_a)
    refused = page.post(_url(case, "action/"), {"request_clarification-action": "request_clarification"})
    assert refused.status_code == 400 and "Опишіть, які уточнення" in _text(refused)
    asked = page.post(
        _url(case, "action/"),
        {"request_clarification-action": "request_clarification", "request_clarification-comment": "Довідка"},
    )
    assert asked.status_code == 302
    shown = _text(page.get(_url(case)))
    assert "перебіг строку зупинено з" in shown and "Відновити розгляд" in shown
    # Suspended on a Monday, resumed on Thursday: the term runs again from Friday, three working days later.
    case = Case.objects.get(pk=case.pk)
    monday = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    Case.objects.filter(pk=case.pk).update(suspended_since=monday)
    case = services.transition(case, "resume", actor=officer, at=monday + dt.timedelta(days=3))
    case.refresh_from_db()
    assert case.suspended_since is None and case.suspended_days == 3
    assert case.due_at == deadlines.shift_working_days(due, 3)
    assert _audited(case, "case.request_clarification") == 1 and _audited(case, "case.resume") == 1


@pytest.mark.django_db
def test_a_result_file_is_checked_hashed_and_attached_once_when_sent_twice(world):
    case = _in_work(world)
    officer = _client(world.officer_a)
    fake = officer.post(_url(case, "result/"), {"result-name": "Витяг", "result-file": pdf("r.pdf", b"not a pdf")})
    assert fake.status_code == 400
    assert "не є документом PDF чи зображенням JPEG або PNG" in _text(fake)
    body = {"result-name": "Витяг", "result-file": pdf("r.pdf")}
    assert officer.post(_url(case, "result/"), body).status_code == 302
    assert officer.post(_url(case, "result/"), {**body, "result-file": pdf("r.pdf")}).status_code == 302
    result = ResultDocument.objects.get(case=case)
    assert result.sha256 == hashlib.sha256(PDF).hexdigest()
    assert _audited(case, "case.result_attached") == 1
    assert case.events.filter(action="result_attached").count() == 1
    # The API answers a retried upload with the same document too, and refuses a fake PDF in Ukrainian.
    api = ApiCaller(Client(), world.officer_a)
    assert api.upload(f"/cases/{case.number}/results", pdf(), name="Витяг").json()["id"] == result.pk
    bad = api.upload(f"/cases/{case.number}/results", pdf("x.pdf", b"<html>"), name="Витяг")
    assert bad.status_code == 415 and "не є документом PDF" in bad.json()["message"]


@pytest.mark.django_db
def test_an_api_upload_whose_mark_ready_is_refused_attaches_nothing(world):
    case = _ready(world)
    api = ApiCaller(Client(), world.officer_a)
    other = pdf("other.pdf", PDF + b"%second")
    response = api.upload(f"/cases/{case.number}/results", other, name="Витяг 2", mark_ready="true")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    assert ResultDocument.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_a_legal_ground_beside_the_fields(world):
    case = _in_work(world)
    officer = _client(world.officer_a)
    missing = officer.post(_url(case, "action/"), {"refuse-action": "refuse", "refuse-reason": "Неповний пакет"})
    assert missing.status_code == 400 and "Вкажіть правову підставу відмови" in _text(missing)
    body = {"refuse-action": "refuse", "refuse-reason": "Неповний пакет", "refuse-legal_ground": "ст. 19 Закону"}
    asked = officer.post(_url(case, "action/"), body)  # a refusal cannot be undone: it is confirmed first
    assert asked.status_code == 200 and "Цю дію не можна скасувати." in _text(asked)
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    done = officer.post(_url(case, "action/"), {**body, "confirm": "1"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.refusal_reason, case.refusal_ground) == (
        Status.REFUSED,
        "Неповний пакет",
        "ст. 19 Закону",
    )
    record = AuditEvent.objects.get(action="case.refuse", object_id=str(case.pk))
    assert record.data["reason"] == "Неповний пакет" and record.data["legal_ground"] == "ст. 19 Закону"


@pytest.mark.django_db
def test_return_to_the_center_pressed_twice_lands_on_the_inbox_not_on_not_found(world):
    case = _in_work(world)
    officer = _client(world.officer_a)
    body = {"return_to_center-action": "return_to_center", "return_to_center-comment": "Не наша послуга"}
    assert officer.post(_url(case, "action/"), body)["Location"] == "/staff/cases/inbox/"
    again = officer.post(_url(case, "action/"), body)
    assert again.status_code == 302 and again["Location"] == "/staff/cases/inbox/"
    assert case.events.filter(action="return_to_center").count() == 1
    # Another officer of another provider learns nothing of the case.
    stranger = _client(make_user("officer_b", Role.OFFICER, provider=world.provider_b))
    assert stranger.post(_url(case, "action/"), body).status_code == 404


@pytest.mark.django_db
def test_a_payment_sent_twice_is_recorded_once(world):
    case = register(world, make_service(fee="85.00", providers=[world.provider_a]))
    admin = _client(world.admin_a)
    body = {"payment-method": "pos", "payment-amount": "50.00", "payment-receipt_number": "Ч-1", "payment-paid_on": ""}
    assert admin.post(_url(case, "payment/"), body).status_code == 302
    assert admin.post(_url(case, "payment/"), body).status_code == 302
    assert Payment.objects.filter(case_id=case.pk).count() == 1
    assert AuditEvent.objects.filter(action="payment.recorded", data__case=case.number).count() == 1
    # Another receipt is another payment (a part of the fee still due: 35 of 85).
    services.record_payment(case, method="bank", amount="10.00", receipt_number="Б-7", actor=Actor(user=world.admin_a))
    assert Payment.objects.filter(case_id=case.pk).count() == 2


@pytest.mark.django_db
def test_a_transfer_sent_twice_is_done_once_and_a_wrong_office_is_explained(world):
    case = _ready(world)
    admin = _client(world.admin_a)
    body = {"transfer-to_office": world.remote_a.pk, "transfer-comment": "Видача у ВРМ"}
    assert admin.post(_url(case, "transfer/"), body).status_code == 302
    again = admin.post(_url(case, "transfer/"), body)
    assert again.status_code == 302
    assert case.events.filter(action="transferred").count() == 1 and _audited(case, "case.transferred") == 1
    wrong = admin.post(_url(case, "transfer/"), {"transfer-to_office": world.office_b.pk})
    assert wrong.status_code == 400
    assert "Виберіть зі списку інше діюче місце надання послуг ЦНАП." in _text(wrong)
    assert "Зробить" not in _text(wrong)


@pytest.mark.django_db
def test_issue_to_the_representative_pressed_twice_records_one_issuance(world):
    admin_actor = Actor(user=world.admin_a)
    rep = services.create_representative(
        world.center_a,
        {"full_name": "Коваль Андрій Іванович", "authority_document": "Довіреність № 12 від 01.02.2026"},
        actor=admin_actor,
    )
    case = _ready(world, representative=rep)
    admin = _client(world.admin_a)
    body = {
        "issue-recipient_name": "",  # the name follows the choice
        "issue-identity_document": "ID-картка № 009876543",
        "issue-to_representative": "on",
        "confirm": "1",
    }
    assert admin.post(_url(case, "issue/"), body).status_code == 302
    again = admin.post(_url(case, "issue/"), body)
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ISSUED and case.issuance.recipient_name == "Коваль Андрій Іванович"
    assert case.issuance.identity_document == "ID-картка № 009876543" and case.issuance.to_representative
    assert _audited(case, "case.issue") == 1
    page = _text(admin.get(_url(case)))
    assert "представникові Коваль Андрій Іванович · ID-картка № 009876543" in page
    assert "Це вже зроблено: справа має статус «Видано»." in page


@pytest.mark.django_db
def test_a_refused_issuance_is_summed_up_once(world):
    """The refusal shows at the top of the page and beside the field: not in two summaries with one id."""
    rep = Representative.objects.create(
        center=world.center_a,
        full_name="Коваль Андрій Іванович",
        authority_document="Довіреність № 12",
        authority_valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    case = _ready(world, representative=rep)
    response = _client(world.admin_a).post(
        _url(case, "issue/"),
        {"issue-recipient_name": "Коваль", "issue-identity_document": "ID", "issue-to_representative": "on"},
    )
    assert response.status_code == 400
    page = _text(response)
    assert page.count('id="error-summary"') == 1 and "Дію не виконано" in page
    assert "Довіреність представника діяла до" in page


@pytest.mark.django_db
def test_a_result_waiting_too_long_is_flagged_and_the_reminder_shown(world, settings):
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    case = _ready(world)
    fresh = _ready(world)
    long_ago = timezone.now() - dt.timedelta(days=15)
    Case.objects.filter(pk=case.pk).update(result_ready_at=long_ago)
    admin = _client(world.admin_a)
    inbox = _text(admin.get("/staff/cases/inbox/"))
    assert inbox.count("Не отримано з") == 1 and f"Не отримано з {timezone.localtime(long_ago):%d.%m.%Y}" in inbox
    assert fresh.number in inbox
    deadlines.sweep()
    page = _text(admin.get(_url(case)))
    assert "Не отримано з" in page and f"заявникові нагадано {timezone.localdate():%d.%m.%Y}" in page
    assert CaseEvent.objects.filter(case=case, action="collect_reminded").count() == 1
    assert "Не отримано з" not in _text(admin.get(_url(fresh)))


@pytest.mark.django_db
def test_the_new_texts_read_in_english(world, settings):
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    case = _sent(world)
    officer = _client(world.officer_a)
    officer.post("/i18n/setlang/", {"language": "en", "next": "/staff/cases/"})
    officer.post(_url(case, "action/"), {"take_into_work-action": "take_into_work"})
    officer.post(_url(case, "action/"), {"take_into_work-action": "take_into_work"})
    assert "This has already been done: the case is «In progress»." in _text(officer.get(_url(case)))
    case.refresh_from_db()
    services.attach_result(case, pdf(), name="Витяг", actor=Actor(user=world.officer_a))
    case = services.transition(case, "mark_result_ready", actor=Actor(user=world.officer_a))
    Case.objects.filter(pk=case.pk).update(result_ready_at=timezone.now() - dt.timedelta(days=20))
    admin = _client(world.admin_a)
    admin.post("/i18n/setlang/", {"language": "en", "next": "/staff/cases/"})
    assert "Not collected since" in _text(admin.get("/staff/cases/inbox/"))
    wrong = admin.post(_url(case, "transfer/"), {"transfer-to_office": world.office_b.pk})
    assert "Choose another active office of the center from the list." in _text(wrong)
