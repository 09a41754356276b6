"""The case page: facts, history, tasks, documents, payments; actions allowed by status and role;
Ukrainian refusals of the domain layer; audit of each view of personal data; 404 outside the scope."""

from __future__ import annotations

import re

import pytest

from vikno.cases import services
from vikno.cases.models import Case, Status
from vikno.core.audit import Actor
from vikno.core.models import AuditEvent
from vikno.orgs.models import Office

from .core_factories import make_service, pdf, register


def _url(case, tail=""):
    return f"/staff/cases/{case.number}/{tail}"


@pytest.fixture
def case(world):
    service = make_service(fee="85.00", providers=[world.provider_a])
    return register(world, service)


def test_case_page_shows_status_history_tasks_documents_and_audits_the_view(world, login_as, case):
    client = login_as(world.admin_a)
    response = client.get(_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html and case.access_code in html
    assert "Шевченко Олена Петрівна" in html
    assert "Заяву зареєстровано" in html  # the history
    assert 'aria-current="step"' in html  # the current ТК step
    assert "Паспорт громадянина України" in html
    assert 'scope="col"' in html
    assert "send_to_provider" in html  # the button allowed now
    assert "take_into_work" not in html  # the СНАП's action is not offered to the front office
    assert AuditEvent.objects.filter(
        action="applicant.viewed", object_id=str(case.applicant_id), data__case=case.number
    ).exists()


def test_other_center_and_other_provider_get_404(world, login_as, case):
    assert login_as(world.admin_b).get(_url(case)).status_code == 404


def test_illegal_action_shows_the_ukrainian_message(world, login_as, case):
    client = login_as(world.admin_a)
    # The fee is not paid and the service does not allow paying later: the domain refuses.
    response = client.post(_url(case, "action/"), {"send_to_provider-action": "send_to_provider"})
    assert response.status_code == 409
    assert "не сплачено" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_payment_then_send_then_officer_takes_into_work_and_attaches_result(world, login_as, case, client):
    admin = login_as(world.admin_a)
    paid = admin.post(
        _url(case, "payment/"),
        {"payment-method": "pos", "payment-amount": "85.00", "payment-receipt_number": "Ч-1", "payment-paid_on": ""},
    )
    assert paid.status_code == 302
    sent = admin.post(
        _url(case, "action/"), {"send_to_provider-action": "send_to_provider", "send_to_provider-comment": ""}
    )
    assert sent.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.SENT_TO_PROVIDER

    client.logout()
    officer = login_as(world.officer_a)
    page = officer.get(_url(case)).content.decode()
    assert "take_into_work" in page
    assert officer.post(_url(case, "action/"), {"take_into_work-action": "take_into_work"}).status_code == 302
    attached = officer.post(_url(case, "result/"), {"result-name": "Витяг", "result-file": pdf("result.pdf")})
    assert attached.status_code == 302
    ready = officer.post(_url(case, "action/"), {"mark_result_ready-action": "mark_result_ready"})
    assert ready.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.RESULT_READY


def test_refusal_without_reason_is_refused_beside_the_field(world, login_as, case):
    services.record_payment(case, method="exemption", exemption_ground="Закон, ст. 1", actor=Actor(user=world.admin_a))
    services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a))
    services.transition(case, "take_into_work", actor=Actor(user=world.officer_a))
    officer = login_as(world.officer_a)
    response = officer.post(_url(case, "action/"), {"refuse-action": "refuse", "refuse-reason": ""})
    assert response.status_code == 400
    assert "Вкажіть причину відмови" in response.content.decode()
    # The page has no address a GET can open: the language switcher returns to the case page.
    again = officer.post(
        _url(case, "action/"),
        {"refuse-action": "refuse", "refuse-reason": ""},
        HTTP_REFERER=f"http://testserver{_url(case)}",
    )
    assert f'name="next" type="hidden" value="{_url(case)}"' in again.content.decode()
    assert officer.get(_url(case, "action/")).status_code == 405
    assert officer.get(_url(case)).content.decode().count(f'type="hidden" value="{_url(case)}"') >= 1


def test_issue_and_transfer(world, login_as):
    service = make_service(instant=False, providers=[world.provider_a])
    case = register(world, service)
    admin = login_as(world.admin_a)
    response = admin.post(
        _url(case, "transfer/"), {"transfer-to_office": world.remote_a.pk, "transfer-comment": "ближче"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).current_office_id == world.remote_a.pk
    # Issuing is not allowed before the result is ready: no issue form, and the POST is refused.
    refused = admin.post(_url(case, "issue/"), {"issue-recipient_name": "X", "issue-identity_document": "ID 1"})
    assert refused.status_code == 409
    assert Office.objects.count() == 3


def test_scan_upload_on_the_case_page(world, login_as, case):
    admin = login_as(world.admin_a)
    response = admin.post(_url(case, "documents/2/file/"), {"upload-file": pdf("passport.pdf")})
    assert response.status_code == 302
    download = admin.get(_url(case, "documents/2/"))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    bad = admin.post(_url(case, "documents/1/file/"), {"upload-file": pdf("x.pdf", content=b"hello")})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_staff_resend_a_notification_from_the_case_page(world, login_as):
    from vikno.notify.models import Notification

    from .core_factories import make_service, person, register

    applicant = person(world, email="olena@example.org", email_consent=True)
    case = register(world, make_service(), applicant=applicant)
    note = Notification.objects.filter(case_id=case.pk, channel="email").first()
    assert note is not None
    Notification.objects.filter(pk=note.pk).update(status="sent")
    client = login_as(world.admin_a)
    page = client.get(f"/staff/cases/{case.number}/")
    assert f"/staff/cases/{case.number}/notifications/{note.pk}/resend/" in page.content.decode()
    # The event and channel by name, not by code.
    assert "<td>Звернення прийнято</td><td>Електронна пошта</td>" in page.content.decode()
    response = client.post(f"/staff/cases/{case.number}/notifications/{note.pk}/resend/")
    assert response.status_code == 302
    assert Notification.objects.filter(case_id=case.pk, channel="email").count() == 2


def test_the_provider_officer_is_not_offered_a_resend_they_may_not_do(world, login_as):
    from vikno.notify.models import Notification

    from .core_factories import person

    applicant = person(world, email="olena@example.org", email_consent=True)
    case = register(world, make_service(providers=[world.provider_a]), applicant=applicant)
    services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a), provider=world.provider_a)
    note = Notification.objects.filter(case_id=case.pk, channel="email").first()
    Notification.objects.filter(pk=note.pk).update(status="sent")
    page = login_as(world.officer_a).get(f"/staff/cases/{case.number}/")
    assert page.status_code == 200
    assert "/resend/" not in page.content.decode()


def _at_provider(world, case):
    services.record_payment(case, method="exemption", exemption_ground="Закон, ст. 1", actor=Actor(user=world.admin_a))
    return services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a))


def test_the_officer_returns_a_case_and_lands_on_the_inbox(world, login_as, case):
    _at_provider(world, case)
    officer = login_as(world.officer_a)
    assert "return_to_center" in officer.get(_url(case)).content.decode()
    refused = officer.post(_url(case, "action/"), {"return_to_center-action": "return_to_center"})
    assert refused.status_code == 400 and "Поясніть, чому справу повернуто" in refused.content.decode()
    done = officer.post(
        _url(case, "action/"),
        {"return_to_center-action": "return_to_center", "return_to_center-comment": "Не наша послуга"},
    )
    assert done.status_code == 302 and done["Location"] == "/staff/cases/inbox/"
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_the_front_office_inbox_lists_cases_waiting_for_clarification(world, login_as, case):
    _at_provider(world, case)
    services.transition(case, "take_into_work", actor=Actor(user=world.officer_a))
    services.transition(case, "request_clarification", actor=Actor(user=world.officer_a), comment="Довідка з банку")
    page = login_as(world.admin_a).get("/staff/cases/inbox/").content.decode()
    assert case.number in page


def test_the_refusal_decision_can_be_attached_after_the_refusal(world, login_as, case):
    _at_provider(world, case)
    services.transition(case, "take_into_work", actor=Actor(user=world.officer_a))
    services.transition(case, "refuse", actor=Actor(user=world.officer_a), reason="Неповний пакет", legal_ground="ІК")
    officer = login_as(world.officer_a)
    page = officer.get(_url(case)).content.decode()
    marker = re.search(r'<input[^>]*name="result-is_refusal"[^>]*>', page).group(0)
    assert 'type="hidden"' in marker and 'value="on"' in marker  # after a refusal the document is its decision
    attached = officer.post(
        _url(case, "result/"), {"result-name": "Рішення про відмову", "result-is_refusal": "on", "result-file": pdf()}
    )
    assert attached.status_code == 302
    assert Case.objects.get(pk=case.pk).results.get().is_refusal


def test_no_resend_once_the_case_is_closed(world, login_as):
    from vikno.notify.models import Notification

    from .core_factories import person

    applicant = person(world, email="olena@example.org", email_consent=True, id_card_number="001234567")
    case = register(world, make_service(), applicant=applicant)
    Notification.objects.filter(case_id=case.pk).update(status="sent")
    services.transition(case, "withdraw", actor=Actor(user=world.admin_a))
    page = login_as(world.admin_a).get(_url(case)).content.decode()
    assert "Звернення прийнято" in page and "/resend/" not in page


def test_the_audit_log_says_what_a_case_action_code_means(world, login_as, case):
    page = login_as(world.head_a).get("/staff/audit/").content.decode()
    # the description, not the code (the code is shown only for an action nobody described)
    assert "Заяву зареєстровано" in page and "case.registered" not in page
