"""The service-timing page, its exports (XLSX read back, CSV, PDF text) and the API, with bad input and scope."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from vikno.accounts.models import ApiToken
from vikno.cases.models import Status
from vikno.reports import rollup

from .factories import case, kyiv, version

URL = "/staff/reports/timing/"
API = "/api/v1/reports"
H = timedelta(hours=1)


def uk(text: str) -> str:
    """A message as the (Ukrainian) page shows it, whether or not its translation is merged yet."""
    with translation.override("uk"):
        return gettext(text)


def label(choice) -> str:
    with translation.override("uk"):
        return str(choice.label)


@pytest.fixture
def filled(world, django_capture_on_commit_callbacks):
    reg = version("REG", "Реєстрація")
    reg.service.name_uk = "Реєстрація місця проживання"
    reg.service.save()
    at = kyiv(2026, 2, 10, 12)
    with django_capture_on_commit_callbacks(execute=True):
        for hours, late in [(3, False), (30, False), (100, True)]:
            case(
                world.center_a,
                world.office_a,
                reg,
                at - hours * H,
                status=Status.ISSUED,
                result_ready_at=at,
                closed_at=at + H,
                due_at=at - H if late else at + H,
            )
        overdue = case(
            world.center_a, world.office_a, reg, kyiv(2026, 1, 5, 9), status=Status.IN_PROGRESS, due_at=kyiv(2026, 1, 9)
        )
    rollup.refresh_dirty()
    world.overdue_number = overdue.number
    world.service_code = reg.service.code
    return world


def _get(client, center, date_from="2026-02-01", date_to="2026-02-28", **extra):
    return client.get(URL, {"center": center.pk, "from": date_from, "to": date_to, **extra})


def test_page_shows_the_timing_and_the_lists(filled, login_as):
    response = _get(login_as(filled.head_a), filled.center_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Реєстрація місця проживання" in html and filled.service_code in html
    assert '<caption id="cap-services">' in html and 'scope="col"' in html and 'scope="row"' in html
    assert filled.overdue_number in html  # overdue now
    assert "66,7" in html  # two of three on time (a decimal comma in Ukrainian)
    assert "format=xlsx" in html and "format=pdf" in html
    assert 'href="/staff/reports/timing/"' in html  # the menu link


def test_page_without_a_query_shows_the_form(world, login_as):
    response = login_as(world.admin_a).get(URL)
    assert response.status_code == 200 and 'name="center"' in response.content.decode()


def test_page_opens_on_the_own_center_and_this_month(world, login_as):
    today = timezone.localdate()
    first = today.replace(day=1)
    response = login_as(world.head_a).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ЦНАП А: " in html and f"{first:%d.%m.%Y}" in html and f"{today:%d.%m.%Y}" in html
    assert f'href="?center={world.center_a.pk}&amp;from={first.isoformat()}&amp;to={today.isoformat()}' in html
    assert "?&amp;" not in html


def test_xlsx_reads_back(filled, login_as):
    response = _get(login_as(filled.head_a), filled.center_a, format="xlsx")
    assert response.status_code == 200
    assert 'filename="timing-center-a-20260201-20260228.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_code = {row[0]: row for row in rows if row and row[0] == filled.service_code}
    _code, name, decided, on_time, share, median, p90 = by_code[filled.service_code]
    assert (name, decided, on_time, share) == ("Реєстрація місця проживання", 3, 2, pytest.approx(66.7))
    assert median == uk("≤ %(days)s d") % {"days": 2}  # 2nd of 3: 30 h
    assert p90 == uk("≤ %(days)s d") % {"days": 5}  # 3rd of 3: 100 h
    assert rows[-1][1:5] == (uk("Total"), 3, 2, pytest.approx(66.7))


def test_csv_and_pdf(filled, login_as):
    client = login_as(filled.head_a)
    text = _get(client, filled.center_a, format="csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [filled.service_code, "Реєстрація місця проживання", "3", "2", "66.7"] in [r[:5] for r in rows]
    assert list(rows[4]) == [uk(h) for h in ("Code", "Service", "Decided", "On time", "On time, %", "Median")] + [
        uk("90th percentile")
    ]
    pdf = _get(client, filled.center_a, format="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Реєстрація місця проживання" in extracted and "ЦНАП А" in extracted


def test_every_export_has_the_overdue_and_the_late_lists(filled, login_as):
    client = login_as(filled.head_a)
    overdue_row = [filled.overdue_number, filled.service_code, "Реєстрація місця проживання", label(Status.IN_PROGRESS)]
    text = _get(client, filled.center_a, format="csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    at = rows.index([uk("Overdue now")])
    assert rows[at + 2] == [uk(h) for h in ("Case", "Code", "Service", "Status", "Filed", "Due", "Overdue by")]
    assert rows[at + 3][:4] == overdue_row and rows[at + 3][4:6] == ["05.01.2026 09:00", "09.01.2026 00:00"]
    late_at = rows.index([uk("Decided late in the period")])
    assert late_at > at + 3
    assert rows[late_at + 2] == [uk(h) for h in ("Case", "Code", "Service", "Status", "Due", "Decided at", "Late by")]
    (late,) = [row for row in rows[late_at + 3 :] if row]
    assert late[1:] == [filled.service_code, "Реєстрація місця проживання", label(Status.ISSUED), "10.02.2026 11:00",
                        "10.02.2026 12:00", uk("%(hours)s h") % {"hours": 1}]  # fmt: skip

    book = load_workbook(io.BytesIO(_get(client, filled.center_a, format="xlsx").content))
    assert book.sheetnames == [uk("Timing"), "Прострочені зараз", "Рішення із запізненням"]
    overdue = [row for row in book.worksheets[1].iter_rows(values_only=True) if row and row[0] == filled.overdue_number]
    assert list(overdue[0][:4]) == overdue_row
    assert overdue[0][4:6] == (datetime(2026, 1, 5, 9), datetime(2026, 1, 9))  # date-time cells, local time
    late_rows = list(book.worksheets[2].iter_rows(values_only=True))
    assert late_rows[3][0] == uk("Case") and late_rows[4][5] == datetime(2026, 2, 10, 12)

    pdf = _get(client, filled.center_a, format="pdf")
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert uk("Overdue now") in extracted and uk("Decided late in the period") in extracted
    assert filled.overdue_number in extracted and "05.01.2026 09:00" in extracted


def test_the_export_lists_are_not_cut_to_a_page(filled, login_as, django_capture_on_commit_callbacks):
    reg = version("LST", "Ще одна сфера")
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1, 29):
            for hour in range(9, 17):
                case(filled.center_a, filled.office_a, reg, kyiv(2025, 11, day, hour), status=Status.IN_PROGRESS,
                     due_at=kyiv(2025, 12, day, hour))  # fmt: skip
    text = _get(login_as(filled.head_a), filled.center_a, format="csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    start, end = rows.index([uk("Overdue now")]), rows.index([uk("Decided late in the period")])
    assert len([row for row in rows[start + 3 : end] if row]) == 28 * 8 + 1  # more than one page of 200


@pytest.mark.parametrize("kind", ["xlsx", "csv", "pdf"])
def test_an_empty_report_exports_a_well_formed_file(world, login_as, kind):
    response = _get(login_as(world.head_a), world.center_a, "2020-01-01", "2020-01-31", format=kind)
    assert response.status_code == 200
    total = uk("Total")
    if kind == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[4][0] == uk("Code") and len(rows[4]) == 7
        assert rows[5][1:] == (total, 0, 0, "—", "—", "—")
        book = load_workbook(io.BytesIO(response.content))
        assert book.worksheets[1]["A5"].value == uk("No open case is past its deadline.")
        assert book.worksheets[2]["A5"].value == uk("No case was decided late in this period.")
    elif kind == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[4][0] == uk("Code") and rows[5] == ["", total, "0", "0", "—", "—", "—"]
        assert [uk("No open case is past its deadline.")] in rows
        assert [uk("No case was decided late in this period.")] in rows
    else:
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert uk("No data") in text and total in text
        assert uk("No open case is past its deadline.") in text


def test_inverted_or_missing_period_is_400_with_a_message(world, login_as):
    client = login_as(world.head_a)
    response = _get(client, world.center_a, "2026-03-31", "2026-01-01")
    assert response.status_code == 400
    assert "Початок періоду пізніше за його кінець" in response.content.decode()
    response = _get(client, world.center_a, "", "", format="xlsx")
    assert response.status_code == 400 and "Вкажіть початок періоду" in response.content.decode()
    assert _get(client, world.center_a, "не дата", "2026-01-01").status_code == 400
    assert _get(client, world.center_a, overdue_offset="-1").status_code == 400


def test_a_center_outside_the_scope_is_not_found(world, login_as):
    client = login_as(world.head_a)
    assert _get(client, world.center_b).status_code == 404
    assert _get(client, world.center_b, format="csv").status_code == 404


def test_officers_do_not_see_the_page(world, login_as):
    assert login_as(world.officer_a).get(URL).status_code == 404


# --- the API -------------------------------------------------------------------------------------


def _auth(user) -> dict:
    _, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_timing(filled, client):
    response = client.get(
        f"{API}/timing",
        {"center": filled.center_a.pk, "from": "2026-02-01", "to": "2026-02-28"},
        **_auth(filled.monitor_1),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    (item,) = body["services"]
    assert (item["code"], item["decided"], item["on_time"], item["late"]) == (filled.service_code, 3, 2, 1)
    assert Decimal(str(item["on_time_share"])) == Decimal("66.7")
    assert (item["median"]["hours_from"], item["median"]["hours_to"]) == (24, 48)
    assert (item["p90"]["hours_from"], item["p90"]["hours_to"]) == (96, 120)
    assert body["total"]["decided"] == 3 and body["total"]["service_id"] is None


def test_api_overdue_and_late(filled, client):
    headers = _auth(filled.admin_a)
    response = client.get(f"{API}/overdue", {"center": filled.center_a.pk}, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["number"] for row in body["items"]] == [filled.overdue_number]
    assert body["total"] == 1 and body["next_offset"] is None and body["items"][0]["late_hours"] > 24 * 30
    late = client.get(
        f"{API}/overdue",
        {"center": filled.center_a.pk, "kind": "late", "from": "2026-02-10", "to": "2026-02-10"},
        **headers,
    ).json()
    assert late["total"] == 1 and late["items"][0]["late_hours"] == 1


def test_api_bad_input(filled, client):
    headers = _auth(filled.head_a)
    inverted = client.get(
        f"{API}/timing", {"center": filled.center_a.pk, "from": "2026-03-01", "to": "2026-02-01"}, **headers
    )
    assert inverted.status_code == 400
    assert inverted.json()["code"] == "period_inverted"
    assert "Початок періоду пізніше за його кінець" in inverted.json()["message"]
    missing = client.get(f"{API}/overdue", {"center": filled.center_a.pk, "kind": "late"}, **headers)
    assert missing.status_code == 400 and missing.json()["code"] == "period_missing"
    foreign = client.get(
        f"{API}/timing", {"center": filled.center_b.pk, "from": "2026-02-01", "to": "2026-02-28"}, **headers
    )
    assert foreign.status_code == 404
    assert client.get(f"{API}/overdue", {"center": filled.center_b.pk}, **headers).status_code == 404
    assert client.get(f"{API}/overdue", {"center": filled.center_a.pk, "limit": 0}, **headers).status_code == 422
    officer = client.get(f"{API}/overdue", {"center": filled.center_a.pk}, **_auth(filled.officer_a))
    assert officer.status_code == 404
    assert client.get(f"{API}/timing", {"center": filled.center_a.pk}).status_code == 401


def test_english_page_names_the_service_in_english_where_the_catalog_has_it(filled, login_as):
    from vikno.catalog.models import Service

    Service.objects.filter(code=filled.service_code).update(name_en="Registration of residence")
    client = login_as(filled.head_a)
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = _get(client, filled.center_a).content.decode()
    assert html.count("Registration of residence") >= 2  # the figures and the overdue list
    assert "Реєстрація місця проживання" not in html
