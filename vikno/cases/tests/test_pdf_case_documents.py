"""The inventory of the input package and the receipt with a QR code of the public status page."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from vikno.cases import pdf
from vikno.core.models import AuditEvent

from .core_factories import make_service, register


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
