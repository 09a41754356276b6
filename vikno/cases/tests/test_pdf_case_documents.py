"""The inventory of the input package and the receipt with a QR code of the public status page."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from pypdf import PdfReader

from vikno.cases import pdf, services
from vikno.core.audit import Actor
from vikno.core.models import AuditEvent
from vikno.testing.fixtures import login

from .core_factories import ApiCaller, make_service, register
from .core_factories import pdf as pdf_file


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def case(world):
    return register(world, make_service(fee="85.00", documents=("Заява", "Паспорт громадянина України")))


def test_status_url_carries_number_and_code(settings):
    settings.PUBLIC_BASE_URL = "https://vikno.example.gov.ua/"
    url = pdf.status_url("7-26-000042", "ABCD2345")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "vikno.example.gov.ua", "/status/")
    assert parse_qs(parts.query) == {"number": ["7-26-000042"], "code": ["ABCD2345"]}
    assert pdf.qr_png(url).startswith(b"\x89PNG")


def test_inventory_pdf(world, login_as, case):
    client = login_as(world.admin_a)
    response = client.get(f"/staff/cases/{case.number}/inventory.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert case.number in text
    assert "Шевченко Олена Петрівна" in text
    assert "Паспорт громадянина України" in text
    assert "Опис вхідного пакета документів" in text
    assert AuditEvent.objects.filter(action="applicant.viewed", data__view="inventory.pdf").exists()


def test_receipt_pdf_has_code_due_date_fee_and_qr(world, login_as, case, settings):
    settings.PUBLIC_BASE_URL = "https://vikno.example.gov.ua"
    world.office_a.address = "вул. Соборна, 1"
    world.office_a.save()
    world.office_a.weekly_hours.create(weekday=0, opens="08:00", closes="17:00")
    client = login_as(world.admin_a)
    response = client.get(f"/staff/cases/{case.number}/receipt.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert case.number in text and case.access_code in text
    assert "Шевченко Олена Петрівна" in text
    assert "85,00 грн" in text
    assert "вул. Соборна, 1" in text and "08:00–17:00" in text
    assert "vikno.example.gov.ua/status/" in text
    assert any(page.images for page in reader.pages)  # the QR code
    client.cookies["django_language"] = "en"  # printed for the applicant: Ukrainian whatever the staff's language
    english = client.get(f"/staff/cases/{case.number}/receipt.pdf").content
    assert "Понеділок" in _text(english) and "Monday" not in _text(english)


def test_pdfs_are_scoped(world, login_as, case):
    client = login_as(world.admin_b)
    assert client.get(f"/staff/cases/{case.number}/receipt.pdf").status_code == 404


@pytest.mark.parametrize("view", ["inventory.pdf", "receipt.pdf"])
def test_a_long_center_name_does_not_run_into_the_case_number(world, login_as, case, view):
    world.center_a.name = "Центр надання адміністративних послуг виконавчого комітету Вінницької міської ради"
    world.center_a.save(update_fields=["name"])
    response = login_as(world.admin_a).get(f"/staff/cases/{case.number}/{view}")
    line = next(line for line in _text(response.content).splitlines() if "Справа №" in line)
    assert "ради" not in line  # the name's last word is on a line of its own, above the number


def _refused(world):
    admin, officer = Actor(user=world.admin_a), Actor(user=world.officer_a)
    case = register(world, make_service(fee="85.00", providers=[world.provider_a]))
    services.record_payment(case, method="exemption", exemption_ground="Закон, ст. 1", actor=admin)
    services.transition(case, "send_to_provider", actor=admin)
    services.transition(case, "take_into_work", actor=officer)
    return services.transition(
        case, "refuse", actor=officer, reason="Подано неповний пакет документів", legal_ground="п. 9 ІК"
    )


def test_the_refusal_notice_names_the_decision_its_ground_and_the_appeal(world, login_as):
    case = _refused(world)
    client = login_as(world.admin_a)
    page = client.get(f"/staff/cases/{case.number}/").content.decode()
    assert f"/staff/cases/{case.number}/refusal.pdf" in page
    response = client.get(f"/staff/cases/{case.number}/refusal.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(_text(response.content).split())
    assert "Повідомлення про відмову у наданні адміністративної послуги" in text
    assert case.number in text and "Шевченко Олена Петрівна" in text
    assert "Відділ ДРАЦС А" in text and "Тестовий Officer_A" in text  # the provider and the officer who refused
    assert "Подано неповний пакет документів" in text and "п. 9 ІК" in text
    assert "не долучив до справи документа рішення" in text and "оскаржити" in text
    assert AuditEvent.objects.filter(action="applicant.viewed", data__view="refusal.pdf").exists()

    # Once the provider attaches its signed decision, the notice lists it with its checksum.
    document = services.attach_result(
        case,
        pdf_file("refusal.pdf"),
        name="Рішення про відмову № 12",
        is_refusal=True,
        actor=Actor(user=world.officer_a),
    )
    text = "".join(_text(client.get(f"/staff/cases/{case.number}/refusal.pdf").content).split())
    assert "РішенняпровідмовуNo12" in text.replace("№", "No") and document.sha256 in text
    assert "недолучив" not in text


def test_only_a_refused_case_of_ones_own_center_has_a_refusal_notice(world, login_as):
    accepted = register(world, make_service())
    client = login_as(world.admin_a)
    assert client.get(f"/staff/cases/{accepted.number}/refusal.pdf").status_code == 404
    assert "refusal.pdf" not in client.get(f"/staff/cases/{accepted.number}/").content.decode()
    refused = _refused(world)
    other_center = Client()
    login(other_center, world.admin_b)
    assert other_center.get(f"/staff/cases/{refused.number}/refusal.pdf").status_code == 404


def test_the_api_prints_the_same_documents_within_the_same_rights(world):
    refused = _refused(world)
    api = ApiCaller(Client(), world.admin_a)
    for kind, title in (
        ("inventory", "Опис вхідного пакета документів"),
        ("receipt", "Розписка про прийняття заяви"),
        ("refusal", "Повідомлення про відмову"),
    ):
        response = api.get(f"/cases/{refused.number}/printouts/{kind}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", kind
        assert title in _text(response.content) and refused.number in _text(response.content)
        assert AuditEvent.objects.filter(action="applicant.viewed", data__view=f"{kind}.pdf").exists()
    assert api.get(f"/cases/{refused.number}").json()["printouts"] == ["inventory", "receipt", "refusal"]
    accepted = register(world, make_service())
    assert api.get(f"/cases/{accepted.number}").json()["printouts"] == ["inventory", "receipt"]
    assert ApiCaller(Client(), world.officer_a).get(f"/cases/{refused.number}").json()["printouts"] == []
    missing = api.get(f"/cases/{accepted.number}/printouts/refusal")
    assert missing.status_code == 404 and missing.json()["message"] == f"У справі № {accepted.number} немає відмови."
    assert api.get(f"/cases/{refused.number}/printouts/letter").status_code == 422
    # the officer who refused works the case but does not print the center's documents; another center's
    # administrator does not see the case at all
    for user in (world.officer_a, world.admin_b):
        answer = ApiCaller(Client(), user).get(f"/cases/{refused.number}/printouts/receipt")
        assert answer.status_code == 404 and answer.json()["message"] == "Справу не знайдено."


def test_names_under_signature_lines_are_surname_and_initials():
    assert pdf.surname_initials("Шевченко", "Олена", "Петрівна") == "Шевченко О. П."
    assert pdf.surname_initials("Коваль", "анна-марія", "") == "Коваль А.-М."
    assert pdf.surname_initials("Тестовий", "Admin_A", "") == "Тестовий A."
    assert pdf.surname_initials("", "", "") == ""


def test_signatures_carry_initials_and_the_notice_the_provider_s_official_name(world, login_as, case):
    client = login_as(world.admin_a)
    inventory = _text(client.get(f"/staff/cases/{case.number}/inventory.pdf").content)
    signatures = inventory[inventory.index("Документи прийняв") :]
    assert "Тестовий A." in signatures and "Шевченко О. П." in signatures
    assert "Шевченко Олена Петрівна" in inventory  # the applicant's line above names the person in full

    world.provider_a.short_name = "ДРАЦС А"
    world.provider_a.save(update_fields=["short_name"])
    refused = _refused(world)
    notice = " ".join(_text(client.get(f"/staff/cases/{refused.number}/refusal.pdf").content).split())
    assert "Суб'єкт надання: Відділ ДРАЦС А" in notice
