"""ІК and ТК as print-friendly HTML and as PDF with extractable Ukrainian text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from vikno.catalog.models import ServiceVersion

from .test_ui_data import FIRST_DOCUMENT, fee_rule, make_service

NAME = "Декларування місця проживання"


@pytest.fixture
def service(world):
    return make_service(fee_kind=ServiceVersion.FeeKind.RULE, rule=fee_rule())


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 1
    return "\n".join(page.extract_text() for page in reader.pages)


def test_information_card_pdf(service, world, login_as):
    text = _text(login_as(world.admin_a).get("/staff/catalog/RMP-001/ik.pdf"))
    assert NAME in text
    assert FIRST_DOCUMENT in text
    assert "ЦНАП А" in text  # the user's center in the header
    assert "RMP-001" in text and "версія 1" in text
    assert "49,92 грн" in text  # today's fee


def test_tech_card_pdf(service, world, login_as):
    text = _text(login_as(world.admin_a).get("/staff/catalog/RMP-001/tk.pdf"))
    assert NAME in text
    assert "Приймає заяву та документи" in text and "Адміністратор ЦНАП" in text


def test_pdf_without_center_for_sysadmin(service, world, login_as):
    text = _text(login_as(world.sysadmin).get("/staff/catalog/RMP-001/ik.pdf?version=1"))
    assert NAME in text and "ЦНАП А" not in text


def test_print_pages_have_no_menu_and_print_css(service, world, login_as):
    client = login_as(world.admin_a)
    for suffix in ("ik/", "tk/"):
        response = client.get(f"/staff/catalog/RMP-001/{suffix}")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="menu"' not in html
        assert "/static/css/catalog.css" in html and "<style" not in html and "<script>" not in html
        assert NAME in html and "ЦНАП А" in html
    html = client.get("/staff/catalog/RMP-001/ik/").content.decode()
    assert FIRST_DOCUMENT in html
    html = client.get("/staff/catalog/RMP-001/tk/").content.decode()
    assert "Вносить відомості до реєстру" in html


def test_no_version_in_force_answers_404(world, login_as):
    import datetime as dt

    make_service(valid_from=dt.date(2099, 1, 1))
    client = login_as(world.admin_a)
    for suffix in ("ik/", "tk/", "ik.pdf", "tk.pdf"):
        assert client.get(f"/staff/catalog/RMP-001/{suffix}").status_code == 404
