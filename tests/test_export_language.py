"""Which language each downloaded file is in, for a reader of either interface language.

The rule (docs/staff-guide.md, ``vikno.core.i18n.official_document``): documents meant for publication or
official submission — the center report, the oblast dashboard and its drill-down, the monitoring summary —
are in Ukrainian whatever the interface language; working lists for staff — the service-timing report with
its overdue and late cases — follow the reader's language. Each page says which, next to its download links.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from vikno.cases.models import Status
from vikno.monitoring.tests.helpers import make_questionnaire
from vikno.reports import rollup
from vikno.reports.tests.factories import case, kyiv, version

PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}
OFFICIAL_NOTE = {
    "en": "The files are in Ukrainian, the language of official reports, whatever the language of this page.",
    "uk": "Файли — українською мовою, мовою офіційної звітності, незалежно від мови цієї сторінки.",
}
WORKING_NOTE = {
    "en": "The files are in the language of this page: they are working lists for staff.",
    "uk": "Файли — мовою цієї сторінки: це робочі списки для працівників.",
}


@pytest.fixture
def data(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reg = version("REG", "Реєстрація")
        case(world.center_a, world.office_a, reg, kyiv(2026, 2, 2, 10), status=Status.REFUSED)
        case(
            world.center_a,
            world.office_a,
            reg,
            kyiv(2026, 1, 5, 9),
            status=Status.IN_PROGRESS,
            due_at=kyiv(2026, 1, 9),
        )
    rollup.refresh_dirty()
    make_questionnaire()
    return world


def _client(login_as, user, language):
    client = login_as(user)
    if language != "uk":
        assert client.post("/i18n/setlang/", {"language": language, "next": "/staff/"}).status_code == 302
    return client


def _text(response, kind: str) -> str:
    """Every text of a downloaded file."""
    assert response.status_code == 200, response.content[:300]
    assert "attachment" in response["Content-Disposition"]
    if kind == "csv":
        return response.content.decode("utf-8-sig")
    if kind == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        return (
            "\n".join(
                " ".join(str(v) for v in row if v is not None)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
            + "\n"
            + " ".join(sheet.title for sheet in book.worksheets)
        )
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


LANGUAGES = ("uk", "en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_the_center_report_file_is_ukrainian(data, login_as, language, kind):
    client = _client(login_as, data.head_a, language)
    query = {"center": data.center_a.pk, **PERIOD}
    page = client.get("/staff/reports/center/", query).content.decode()
    assert OFFICIAL_NOTE[language] in page
    text = _text(client.get("/staff/reports/center/", {**query, "format": kind}), kind)
    assert "Звіт про діяльність ЦНАП" in text and "Зареєстровано заяв" in text and "Днів з прийомом" in text
    assert "Applications registered" not in text and "Days with intake" not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_the_oblast_dashboard_file_is_ukrainian(data, login_as, language, kind):
    client = _client(login_as, data.monitor_1, language)
    page = client.get("/staff/reports/oblast/", PERIOD).content.decode()
    assert OFFICIAL_NOTE[language] in page
    assert ("Oblast total" in page) == (language == "en")  # the page itself follows the reader
    text = _text(client.get("/staff/reports/oblast/", {**PERIOD, "format": kind}), kind)
    assert "Огляд області" in text and "Точки доступу та працівники" in text and "Усього по області" in text
    for english in ("Oblast dashboard", "Access points and staff", "Oblast total", "Cases registered", "Period"):
        assert english not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_drilldown_file_of_a_center_is_ukrainian(data, login_as, language):
    client = _client(login_as, data.monitor_1, language)
    url = f"/staff/reports/oblast/centers/{data.center_a.pk}/"
    assert OFFICIAL_NOTE[language] in client.get(url, PERIOD).content.decode()
    text = _text(client.get(url, {**PERIOD, "format": "csv"}), "csv")
    assert "ЦНАП за точками доступу" in text and "Точка доступу" in text
    assert "Center by access points" not in text and "Access point" not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_monitoring_summary_file_is_ukrainian(data, login_as, language, kind):
    client = _client(login_as, data.monitor_1, language)
    page = client.get("/staff/monitoring/", {"period": "2026-Q1"}).content.decode()
    assert OFFICIAL_NOTE[language] in page
    text = _text(client.get("/staff/monitoring/", {"period": "2026-Q1", "format": kind}), kind)
    assert "Моніторинг ЦНАП" in text and "1 квартал 2026" in text and "Не розпочато" in text
    assert "quarter" not in text and "Not started" not in text


TIMING = {
    "uk": ("Строки надання послуг", "Прострочені зараз", "Послуга"),
    "en": ("Service timing", "Overdue now", "Service"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_the_timing_file_follows_the_readers_language(data, login_as, language, kind):
    client = _client(login_as, data.head_a, language)
    query = {"center": data.center_a.pk, **PERIOD}
    page = client.get("/staff/reports/timing/", query).content.decode()
    assert WORKING_NOTE[language] in page and OFFICIAL_NOTE[language] not in page
    text = _text(client.get("/staff/reports/timing/", {**query, "format": kind}), kind)
    for expected in TIMING[language]:
        assert expected in text
    other = "en" if language == "uk" else "uk"
    assert TIMING[other][0] not in text and TIMING[other][1] not in text
