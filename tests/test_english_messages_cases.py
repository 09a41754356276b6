"""Refusals of the case services, uploads, deadlines, payments and notifications follow the reader's
language: a staff member who chose English reads them in English, while the API (and so any client of
it) still answers in Ukrainian whatever the language cookie says."""

from __future__ import annotations

import html

import pytest
from django.utils import translation

from vikno.cases import deadlines
from vikno.cases import services as cases
from vikno.cases.tests.core_factories import VALID_RNOKPP, ApiCaller, make_service, pdf, person, register
from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError
from vikno.notify import services as notify_services
from vikno.notify.models import Notification
from vikno.notify.models import Status as NotificationStatus

NOT_A_SCAN = b"just some text, not a scan"


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/cases/"})
    assert response.status_code == 302
    return client


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_every_problem_of_an_applicant_card_is_reported_in_english(world, client):
    data = {"kind": "person", "last_name": "Шевченко", "rnokpp": "1234567890", "email": "ні", "phone": "12"}
    with translation.override("en"), pytest.raises(DomainError) as caught:
        cases.create_applicant(world.center_a, data, actor=Actor(user=world.admin_a))
    messages = {error.field: error.message for error in caught.value.all}
    assert messages["rnokpp"] == "RNOKPP «1234567890» is invalid: the check digit does not match. Check the number."
    assert messages["email"] == "The email address «ні» is invalid."
    assert messages["phone"] == "The phone number «12» is invalid: give it in the format +380XXXXXXXXX."
    assert messages["first_name"] == "Give the applicant's first name."

    answer = ApiCaller(_english(client), world.admin_a).post("/applicants", data).json()
    by_field = {error["field"]: error["message"] for error in answer["errors"]}
    assert by_field["first_name"] == "Вкажіть ім’я заявника."
    assert by_field["email"] == "Адреса електронної пошти «ні» недійсна."


@pytest.mark.django_db
def test_a_second_card_with_the_same_rnokpp_is_refused_in_english_and_in_ukrainian_by_the_api(world, client):
    first = person(world, rnokpp=VALID_RNOKPP)
    data = {"kind": "person", "last_name": "Шевченко", "first_name": "Ольга", "rnokpp": VALID_RNOKPP}
    with translation.override("en"), pytest.raises(Conflict) as caught:
        cases.create_applicant(world.center_a, data, actor=Actor(user=world.admin_a))
    assert caught.value.message == (
        f"An applicant with the RNOKPP {VALID_RNOKPP} is already registered at the center: {first.display_name}. "
        "Find them by this code and choose them instead of creating a new card."
    )

    response = ApiCaller(_english(client), world.admin_a).post("/applicants", data)
    assert response.status_code == 409
    assert response.json()["message"] == (
        f"Заявник з РНОКПП {VALID_RNOKPP} уже є в центрі: {first.display_name}. "
        "Знайдіть його за цим кодом і оберіть, а не створюйте нову картку."
    )


@pytest.mark.django_db
def test_a_search_without_a_query_and_an_unknown_case(world, client):
    with translation.override("en"):
        with pytest.raises(DomainError, match=r"^Give a RNOKPP, a phone number or a surname to search by\.$"):
            cases.find_applicants(world.admin_a, actor=Actor(user=world.admin_a))
        with pytest.raises(DomainError, match=r"^Case not found\.$"):
            cases.get_case(world.admin_a, "1-26-999999")

    api = ApiCaller(_english(client), world.admin_a)
    assert api.get("/applicants").json()["message"] == "Вкажіть РНОКПП, телефон або прізвище для пошуку."
    assert api.get("/cases/1-26-999999").json()["message"] == "Справу не знайдено."


@pytest.mark.django_db
def test_a_file_that_is_not_a_scan_is_refused_on_the_english_case_page_and_in_ukrainian_by_the_api(world, login_as):
    case = register(world, make_service())
    client = _english(login_as(world.admin_a))
    page = client.post(
        f"/staff/cases/{case.number}/documents/1/file/", {"upload-file": pdf("notes.pdf", content=NOT_A_SCAN)}
    )
    assert page.status_code == 400
    text = _page_text(page)
    assert "The file «notes.pdf» is not a PDF document or a JPEG or PNG image (its content was checked)." in text
    assert "не є документом PDF" not in text

    api = ApiCaller(client, world.admin_a).upload(
        f"/cases/{case.number}/documents/1", pdf("notes.pdf", content=NOT_A_SCAN)
    )
    assert api.status_code == 415
    assert api.json()["message"].startswith("Файл «notes.pdf» не є документом PDF чи зображенням JPEG або PNG")


@pytest.mark.django_db
def test_a_payment_of_zero_is_refused_on_the_english_case_page_and_in_ukrainian_by_the_api(world, login_as):
    case = register(world, make_service(fee="85.00", providers=[world.provider_a]))
    client = _english(login_as(world.admin_a))
    page = client.post(
        f"/staff/cases/{case.number}/payment/",
        {"payment-method": "pos", "payment-amount": "0", "payment-receipt_number": "R-1"},
    )
    assert page.status_code == 400
    text = _page_text(page)
    assert "The payment amount must be greater than zero." in text and "більшою за нуль" not in text

    api = ApiCaller(client, world.admin_a).post(f"/cases/{case.number}/payments", {"method": "pos", "amount": "85.00"})
    assert api.status_code == 400
    assert api.json()["message"] == "Вкажіть номер квитанції або чека оплати."


@pytest.mark.django_db
def test_a_transfer_to_the_office_the_case_is_at(world, client):
    case = register(world, make_service())
    with translation.override("en"), pytest.raises(DomainError) as caught:
        cases.transfer(case, to_office=world.office_a, actor=Actor(user=world.admin_a))
    assert caught.value.message == "The case is already at this office."

    api = ApiCaller(_english(client), world.admin_a)
    response = api.post(f"/cases/{case.number}/transfer", {"office_id": world.office_a.pk})
    assert response.status_code == 400
    assert response.json()["message"] == "Справа вже в цьому офісі."


@pytest.mark.django_db
def test_a_deadline_without_a_due_time_cannot_be_extended(world):
    case = register(world, make_service())
    case.due_at = None
    with translation.override("en"):
        with pytest.raises(DomainError, match=r"^No term is set for this application, so it cannot be extended\.$"):
            deadlines.extend(case, working_days=3)
        with pytest.raises(DomainError, match=r"^Give the number of working days to extend the term by"):
            deadlines.extend(case, working_days=0)
    with translation.override("uk"), pytest.raises(DomainError, match=r"^Для цього звернення строк не встановлено"):
        deadlines.extend(case, working_days=3)


@pytest.mark.django_db
def test_a_notification_still_waiting_is_not_resent_and_a_stored_refusal_stays_ukrainian(world, login_as):
    applicant = person(world, sms_consent=True)
    with translation.override("en"):
        case = register(world, make_service(), applicant=applicant)
    queued = Notification.objects.get(case_id=case.pk, channel="sms")
    assert queued.status == NotificationStatus.QUEUED

    client = _english(login_as(world.admin_a))
    page = client.post(f"/staff/cases/{case.number}/notifications/{queued.pk}/resend/")
    assert page.status_code == 409
    text = _page_text(page)
    assert "The message is still waiting to be sent; it can be resent after a delivery attempt." in text

    api = ApiCaller(client, world.admin_a).post(f"/notifications/{queued.pk}/resend")
    assert api.status_code == 409
    assert api.json()["message"] == "Повідомлення ще в черзі на надсилання; повторити можна після спроби доставки."

    # an address refused while writing a notification is kept in the row (shown as it is): Ukrainian
    with translation.override("en"):
        rows = notify_services.enqueue(
            event="accepted",
            context={"case_number": case.number, "service_name": "Послуга", "center_name": "ЦНАП А"},
            email="not-an-address",
            email_allowed=True,
            case_id=case.pk,
            center_id=case.center_id,
            actor=Actor(user=world.admin_a),
        )
    assert [(row.status, row.last_error) for row in rows] == [
        (NotificationStatus.CANCELLED, "Адреса електронної пошти «not-an-address» некоректна.")
    ]
