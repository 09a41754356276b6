"""Walk-through of the notification and payment blocks of the case page, as a head of a ЦНАП, an
administrator and a citizen meet them: the delivery state in both languages, the resend pressed twice
(and following the applicant's card: their new phone, their withdrawn consent),
the fee checks (more than due, a receipt already used, free and paid cases), the receipt PDF."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from vikno.cases import services
from vikno.cases.models import Applicant
from vikno.core.audit import Actor
from vikno.core.models import AuditEvent
from vikno.notify.models import Notification, Status
from vikno.notify.services import opt_out
from vikno.payments.models import Payment

from .core_factories import ApiCaller, make_service, person, register

pytestmark = pytest.mark.django_db


def _accepted(world, **applicant):
    """A case registered at the desk (which tells the applicant it is accepted), with SMS and email
    consent unless told otherwise."""
    values = {"sms_consent": True, "email_consent": True, "email": "olena@example.ua", **applicant}
    return register(world, make_service(providers=[world.provider_a]), applicant=person(world, **values))


def _page(client, case, language="uk"):
    client.cookies["django_language"] = language
    response = client.get(f"/staff/cases/{case.number}/")
    assert response.status_code == 200
    return response.content.decode()


# --- the delivery state on the case page ---------------------------------------------------------------


def test_each_notification_shows_its_recipient_and_state_in_both_languages(world, login_as):
    opt_out("email", "olena@example.ua")
    case = _accepted(world)
    sms = case.notifications.get(channel="sms")
    mail = case.notifications.get(channel="email")
    assert (sms.status, mail.status) == (Status.QUEUED, Status.CANCELLED)
    client = login_as(world.head_a)

    ukrainian = _page(client, case)
    assert "+380501234567" in ukrainian and "olena@example.ua" in ukrainian
    assert "В черзі" in ukrainian or "Очікує" in ukrainian or "queued" not in ukrainian
    assert "отримувач відмовився від повідомлень цього каналу" in ukrainian

    english = _page(client, case, "en")
    assert "the recipient unsubscribed from notifications on this channel" in english
    assert "Отримувач" not in english


def test_a_failed_and_a_retried_message_say_why_in_the_readers_language(world, login_as):
    case = _accepted(world, email_consent=False)
    note = case.notifications.get()
    note.status, note.attempts, note.last_error = Status.QUEUED, 2, "SMS-шлюз відповів HTTP 503"
    note.save()
    client = login_as(world.admin_a)
    assert "спроба 2 не вдалася, її буде повторено; відповідь: SMS-шлюз відповів HTTP 503" in _page(client, case)
    assert "attempt 2 failed, it will be repeated; answer: SMS-шлюз відповів HTTP 503" in _page(client, case, "en")

    note.status, note.last_error = Status.FAILED, "SMS-шлюз відхилив запит: HTTP 400 bad number"
    note.save()
    english = _page(client, case, "en")
    assert "Failed to send" in english and "answer: SMS-шлюз відхилив запит" in english
    assert "Send again: Application accepted (SMS)" in english


def test_an_invalid_address_is_named_and_offers_no_resend_that_cannot_work(world, login_as):
    case = _accepted(world, email_consent=False)
    Notification.objects.filter(case=case).update(status=Status.CANCELLED, body="", recipient="050", last_error="x")
    client = login_as(world.admin_a)
    english = _page(client, case, "en")
    assert "the address «050» is not valid" in english
    assert f"/notifications/{case.notifications.get().pk}/resend/" not in english


# --- the staff resend -------------------------------------------------------------------------------------


def test_pressing_send_again_twice_sends_once(world, login_as):
    case = _accepted(world, email_consent=False)
    original = case.notifications.get()
    Notification.objects.filter(pk=original.pk).update(status=Status.SENT)
    client = login_as(world.admin_a)
    url = f"/staff/cases/{case.number}/notifications/{original.pk}/resend/"

    first = client.post(url)
    second = client.post(url)
    assert first.status_code == 302 and second.status_code == 302
    assert case.notifications.filter(original=original).count() == 1
    assert AuditEvent.objects.filter(action="notify.resent").count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "вже надіслано повторно" in page

    # the copy went out at once; pressing it on the copy itself is still the same press
    copy = case.notifications.get(original=original)
    Notification.objects.filter(pk=copy.pk).update(status=Status.SENT)
    third = client.post(f"/staff/cases/{case.number}/notifications/{copy.pk}/resend/")
    assert third.status_code == 302
    assert case.notifications.count() == 2


def test_the_api_answers_a_second_resend_with_409_in_ukrainian(world, client):
    case = _accepted(world, email_consent=False)
    original = case.notifications.get()
    Notification.objects.filter(pk=original.pk).update(status=Status.FAILED)
    api = ApiCaller(client, world.admin_a)
    assert api.post(f"/notifications/{original.pk}/resend").status_code == 201
    again = api.post(f"/notifications/{original.pk}/resend")
    assert again.status_code == 409
    assert again.json()["code"] == "resend_pending" and "не буде надіслано двічі" in again.json()["message"]


def test_a_resend_after_the_guard_time_goes_out_again(world):
    from datetime import timedelta

    from django.utils import timezone

    from vikno.notify.services import RESEND_GUARD_SECONDS, resend

    case = _accepted(world, email_consent=False)
    original = case.notifications.get()
    Notification.objects.filter(pk=original.pk).update(status=Status.SENT)
    copy = resend(original, actor=Actor(user=world.admin_a))
    earlier = timezone.now() - timedelta(seconds=RESEND_GUARD_SECONDS + 5)
    Notification.objects.filter(pk=copy.pk).update(status=Status.SENT, created_at=earlier)
    resend(original, actor=Actor(user=world.admin_a))
    assert case.notifications.filter(original=original).count() == 2


def test_send_again_names_where_it_goes(world, login_as):
    case = _accepted(world, email_consent=False)
    original = case.notifications.get()
    Notification.objects.filter(pk=original.pk).update(status=Status.SENT)
    client = login_as(world.admin_a)
    answer = client.post(f"/staff/cases/{case.number}/notifications/{original.pk}/resend/", follow=True)
    assert "Повідомлення буде надіслано ще раз на +380501234567." in answer.content.decode()


def test_the_applicants_new_phone_is_shown_and_gets_the_copy_once(world, login_as):
    case = _accepted(world, email_consent=False)
    original = case.notifications.get()
    Notification.objects.filter(pk=original.pk).update(status=Status.SENT)
    Applicant.objects.filter(pk=case.applicant_id).update(phone="+380671112233")
    client = login_as(world.admin_a)
    url = f"/staff/cases/{case.number}/notifications/{original.pk}/resend/"
    assert "на новий контакт заявника +380671112233" in _page(client, case)
    assert "to the applicant's new contact +380671112233" in _page(client, case, "en")

    client.cookies["django_language"] = "uk"
    first = client.post(url, follow=True).content.decode()
    assert (
        "Контакт заявника змінився: повідомлення буде надіслано ще раз на +380671112233, а не на +380501234567."
        in first
    )
    second = client.post(url, follow=True).content.decode()
    assert "вже надіслано повторно" in second
    copy = case.notifications.get(original=original)
    assert copy.recipient == "+380671112233" and copy.body == original.body
    assert case.notifications.count() == 2


def test_no_send_again_once_the_applicant_withdrew_consent(world, login_as):
    case = _accepted(world, email_consent=False)
    original = case.notifications.get()
    Notification.objects.filter(pk=original.pk).update(status=Status.SENT)
    Applicant.objects.filter(pk=case.applicant_id).update(sms_consent=False)
    client = login_as(world.admin_a)
    url = f"/staff/cases/{case.number}/notifications/{original.pk}/resend/"
    assert url not in _page(client, case)

    refused = client.post(url)  # a page left open from before
    assert refused.status_code == 409
    assert "Заявник відкликав згоду на повідомлення цим каналом" in refused.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(url).content.decode()
    assert "The applicant has withdrawn consent to notifications on this channel" in english
    assert case.notifications.count() == 1
    assert not AuditEvent.objects.filter(action="notify.resent").exists()


# --- payments ---------------------------------------------------------------------------------------------


def _paying_case(world, fee="85", **kwargs):
    return register(world, make_service(fee=fee, providers=[world.provider_a], **kwargs))


def _pay(client, case, **data):
    fields = {"method": "pos", "amount": "", "receipt_number": "", "paid_on": "", "exemption_ground": "", **data}
    return client.post(f"/staff/cases/{case.number}/payment/", {f"payment-{k}": v for k, v in fields.items()})


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "більше чи дорівнює 0"),
        ("abc", "Введіть число"),
        ("100", "Сума 100,00 грн більша за ще не сплачений збір (85,00 грн)"),
    ],
)
def test_a_bad_amount_is_a_ukrainian_400_and_writes_nothing(world, login_as, amount, message):
    case = _paying_case(world)
    response = _pay(login_as(world.admin_a), case, amount=amount, receipt_number="R-1")
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert not Payment.objects.exists()


def test_less_then_the_rest_pays_the_fee_and_the_page_says_how_much(world, login_as):
    case = _paying_case(world)
    client = login_as(world.admin_a)
    assert _pay(client, case, amount="50", receipt_number="R-1").status_code == 302
    page = _page(client, case)
    assert "сплачено 50,00 з 85,00 грн" in page
    assert "50.00 of 85.00 UAH paid" in _page(client, case, "en")
    over = _pay(client, case, amount="40", receipt_number="R-2")
    assert over.status_code == 400 and "more than the fee still due, 35.00 UAH" in over.content.decode()
    assert _pay(client, case, amount="35", receipt_number="R-2").status_code == 302
    assert "Record a payment" not in _page(client, case, "en")
    again = services.record_payment
    with pytest.raises(Exception) as exc:
        again(case, method="pos", amount="1", receipt_number="R-3", actor=Actor(user=world.admin_a))
    assert exc.value.code == "already_paid"
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 2


def test_a_receipt_number_used_twice_is_refused_with_the_other_case(world, login_as):
    first = _paying_case(world)
    second = _paying_case(world)
    client = login_as(world.admin_a)
    assert _pay(client, first, amount="85", receipt_number="R-77").status_code == 302
    response = _pay(client, second, amount="85", receipt_number="r-77 ")
    assert response.status_code == 409
    assert f"Квитанцію № r-77 вже зареєстровано (звернення № {first.number})" in response.content.decode()
    assert not second.payments.exists()
    # the same number from another center's terminal is another receipt
    other = register(world, make_service(fee="85"), office=world.office_b)
    services.record_payment(other, method="pos", amount="85", receipt_number="R-77", actor=Actor(user=world.admin_b))


def test_an_exemption_shows_on_the_page_and_the_receipt(world, login_as):
    case = _paying_case(world)
    client = login_as(world.admin_a)
    ground = "п. 11 ст. 4 Декрету КМУ № 7-93"
    assert _pay(client, case, method="exemption", exemption_ground=ground).status_code == 302
    assert "звільнено від сплати" in _page(client, case)
    assert "exempt from payment" in _page(client, case, "en")
    receipt = client.get(f"/staff/cases/{case.number}/receipt.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert "звільнено від сплати" in " ".join(text.split()) and "Декрету" in text
    assert "— сплачено" not in text


def test_a_partial_payment_on_the_receipt(world, login_as):
    case = _paying_case(world)
    client = login_as(world.admin_a)
    services.record_payment(case, method="bank", amount="50", receipt_number="B-1", actor=Actor(user=world.admin_a))
    receipt = client.get(f"/staff/cases/{case.number}/receipt.pdf")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.content)).pages).split())
    assert "сплачено 50,00 грн, до сплати 35,00 грн" in text


def test_a_free_service_takes_no_payment_and_a_variable_fee_takes_any(world):
    admin = Actor(user=world.admin_a)
    free = register(world, make_service(providers=[world.provider_a]))
    with pytest.raises(Exception) as exc:
        services.record_payment(free, method="pos", amount="10", receipt_number="F-1", actor=admin)
    assert exc.value.code == "no_fee_due"
    variable = register(world, make_service(providers=[world.provider_a]))
    variable.fee_amount = None
    variable.save(update_fields=["fee_amount"])
    services.record_payment(variable, method="pos", amount="120", receipt_number="V-1", actor=admin)
    assert variable.payments.get().amount == Decimal("120.00")


def test_an_unpaid_case_cannot_go_to_the_provider_and_a_pay_later_one_can(world, login_as):
    client = login_as(world.admin_a)
    unpaid = _paying_case(world)
    response = client.post(f"/staff/cases/{unpaid.number}/action/", {"send_to_provider-action": "send_to_provider"})
    assert response.status_code == 409
    assert "плату (85,00 грн) не сплачено" in response.content.decode()
    later = _paying_case(world, pay_later=True)
    sent = client.post(f"/staff/cases/{later.number}/action/", {"send_to_provider-action": "send_to_provider"})
    assert sent.status_code == 302
