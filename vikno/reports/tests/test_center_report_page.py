"""The staff page and its exports: tables, XLSX read back, CSV, PDF text, bad input and scope."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from vikno.cases.models import Case, Status
from vikno.catalog.models import ServiceList, ServiceListEntry
from vikno.core.errors import DomainError, NotFound
from vikno.reports import rollup, services

from .factories import case, kyiv, payment, version

URL = "/staff/reports/center/"


@pytest.fixture
def filled(world, django_capture_on_commit_callbacks):
    reg = version("REG", "Реєстрація місця проживання")
    with django_capture_on_commit_callbacks(execute=True):
        c = case(
            world.center_a,
            world.office_a,
            reg,
            kyiv(2026, 2, 2, 10),
            status=Status.ISSUED,
            closed_at=kyiv(2026, 2, 3, 10),
            fee_amount=Decimal("120"),
        )
        payment(c, date(2026, 2, 2), Decimal("120.50"))
        case(world.center_a, world.office_a, reg, kyiv(2025, 2, 2, 10))
    rollup.refresh_dirty()
    return world


def _get(client, center, date_from="2026-01-01", date_to="2026-03-31", **extra):
    return client.get(URL, {"center": center.pk, "from": date_from, "to": date_to, **extra})


def test_page_shows_the_tables(filled, login_as):
    client = login_as(filled.head_a)
    response = _get(client, filled.center_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Зареєстровано заяв" in html and "Реєстрація місця проживання" in html
    assert "120,50" in html and "120.50" not in html and "format=xlsx" in html


def test_numbers_on_the_page_follow_the_language_while_the_files_keep_theirs(filled, login_as):
    c = Case.objects.filter(center=filled.center_a, status=Status.ISSUED).get()
    payment(c, date(2026, 2, 3), Decimal("26660.45"))  # with the 120.50: 26 780,95 to the local budget
    rollup.refresh_dirty()
    client = login_as(filled.head_a)
    html = _get(client, filled.center_a).content.decode()
    assert '<td class="num">26\xa0780,95</td>' in html and "26780.95" not in html
    assert client.post("/i18n/setlang/", {"language": "en", "next": URL}).status_code == 302
    english = _get(client, filled.center_a).content.decode()
    assert '<td class="num">26,780.95</td>' in english
    rows = list(csv.reader(io.StringIO(_get(client, filled.center_a, format="csv").content.decode("utf-8-sig"))))
    assert ["до місцевого бюджету, грн", "26780.95", "0", "—"] in rows  # the files stay as they were
    sheet = load_workbook(io.BytesIO(_get(client, filled.center_a, format="xlsx").content)).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert cells["до місцевого бюджету, грн"] == pytest.approx(26780.95)  # a number, not text


def test_xlsx_reads_back(filled, login_as):
    response = _get(login_as(filled.head_a), filled.center_a, format="xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1:4] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Зареєстровано заяв"] == (1, 1, 0)
    assert rows["до місцевого бюджету, грн"] == (Decimal("120.5"), 0, "—")


def test_csv_and_pdf(filled, login_as):
    client = login_as(filled.head_a)
    text = _get(client, filled.center_a, format="csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Видано результатів", "1", "0", "—"] in rows
    pdf = _get(client, filled.center_a, format="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Зареєстровано заяв" in extracted and "ЦНАП А" in extracted


def test_the_approved_list_section_has_its_own_heads(filled, login_as):
    reg = version("ACS", "Реєстрація актів цивільного стану")
    service_list = ServiceList.objects.create(
        center=filled.center_a, decision_number="1", decision_date=date(2025, 1, 1), valid_from=date(2025, 1, 1)
    )
    ServiceListEntry.objects.create(service_list=service_list, service=reg.service, position=1)
    client = login_as(filled.head_a)
    rows = list(csv.reader(io.StringIO(_get(client, filled.center_a, format="csv").content.decode("utf-8-sig"))))
    title = rows.index(["Послуг у затвердженому переліку (станом на 31 грудня)"])
    assert rows[title + 1] == ["Рік", "Послуг у переліку", "Зміна до попереднього року, %"]
    assert rows[title + 2] == ["2025", "1", "—"]
    assert rows.count(["Показник", "Період", "Рік тому", "Зміна, %"]) == 3  # the three figure sections only
    sheet = load_workbook(io.BytesIO(_get(client, filled.center_a, format="xlsx").content)).active
    xlsx_rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert ("Рік", "Послуг у переліку", "Зміна до попереднього року, %") in [row[:3] for row in xlsx_rows]
    assert ("2025", 1, "—") in [row[:3] for row in xlsx_rows]
    pdf = _get(client, filled.center_a, format="pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Послуг у переліку" in text


@pytest.mark.parametrize("kind", ["xlsx", "csv", "pdf"])
def test_an_empty_period_exports_a_well_formed_file(world, login_as, kind):
    response = _get(login_as(world.head_a), world.center_a, "2020-01-01", "2020-01-31", format=kind)
    assert response.status_code == 200
    if kind == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert ("Зареєстровано заяв", 0, 0, "—") in rows
    elif kind == "csv":
        assert "Зареєстровано заяв,0,0,—" in response.content.decode("utf-8-sig")
    else:
        assert "Немає даних" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_inverted_or_missing_period_is_explained(world, login_as):
    client = login_as(world.head_a)
    response = _get(client, world.center_a, "2026-03-31", "2026-01-01")
    assert response.status_code == 400
    assert "Початок періоду пізніше за його кінець" in response.content.decode()
    assert 'value="2026-03-31"' in response.content.decode()
    response = _get(client, world.center_a, "", "", format="pdf")
    assert response.status_code == 400 and "Вкажіть початок періоду" in response.content.decode()
    assert _get(client, world.center_a, "не дата", "2026-01-01").status_code == 400
    with pytest.raises(DomainError) as error:
        services.center_report(world.head_a, world.center_a.pk, date(2026, 2, 1), date(2026, 1, 1))
    assert error.value.code == "period_inverted"


def test_a_center_outside_the_scope_is_not_found(world, login_as):
    client = login_as(world.head_a)
    assert _get(client, world.center_b).status_code == 404
    assert _get(client, world.center_b, format="xlsx").status_code == 404
    with pytest.raises(NotFound):
        services.center_report(world.monitor_1, world.center_b.pk, date(2026, 1, 1), date(2026, 1, 31))
    assert client.get(URL).status_code == 200


def test_the_page_opens_on_the_own_center_and_this_month(world, login_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case(world.center_a, world.office_a, version("REG", "Реєстрація"), timezone.now())
    rollup.refresh_dirty()
    today = timezone.localdate()
    first = today.replace(day=1)
    for user in (world.head_a, world.admin_a):
        client = login_as(user)
        response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"ЦНАП А: {first:%d.%m.%Y} – {today:%d.%m.%Y}" in html
        assert '<td class="num">1</td>' in html  # the application of today, at once
        assert f'<option value="{world.center_a.pk}" selected>' in html
        query = f"center={world.center_a.pk}&amp;from={first.isoformat()}&amp;to={today.isoformat()}"
        assert f'href="?{query}&amp;format=csv"' in html
        assert client.get(URL, {"format": "csv"}).status_code == 200
        # An explicit period is kept; dates sent empty are still refused.
        assert _get(client, world.center_a, "2026-01-01", "2026-01-31").status_code == 200
        assert client.get(URL, {"from": "", "to": ""}).status_code == 400
        client.logout()


def test_a_reader_of_several_centers_chooses_one(world, login_as):
    response = login_as(world.monitor_1).get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and "format=csv" not in html and "Оберіть ЦНАП" not in html
    assert f'value="{timezone.localdate().replace(day=1).isoformat()}"' in html  # the period is offered


def test_officers_do_not_see_the_page(world, login_as):
    assert login_as(world.officer_a).get(URL).status_code == 404


def test_the_change_columns_say_they_are_in_per_cent_in_both_languages(filled, login_as):
    """The Ukrainian head read «Зміна, %» while the English one read "Change on a year before" alone."""
    client = login_as(filled.head_a)
    assert _get(client, filled.center_a).content.decode().count(">Зміна, %</th>") == 3
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = _get(client, filled.center_a).content.decode()
    assert html.count(">Change on a year before, %</th>") == 3 and ">Change on a year before</th>" not in html


@pytest.mark.parametrize("url", [URL, "/staff/reports/timing/"])
def test_a_center_that_is_not_a_number_is_bad_input_not_a_missing_page(world, login_as, url):
    """Like the oblast page's region: an id outside the scope is a 404, text where an id goes is a 400."""
    client = login_as(world.head_a)
    response = client.get(url, {"center": "abc", "from": "2026-01-01", "to": "2026-01-31"})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert client.get(url, {"center": "abc", "format": "csv"}).status_code == 400
    assert client.get(url, {"center": world.center_b.pk}).status_code == 404
