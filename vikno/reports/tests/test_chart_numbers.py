"""Numbers in the charts are written as the reader's language writes them, like the ``num`` filter of the
page: «1 250» and «12,5» in Ukrainian (a no-break space between thousands), «1,250» and «12.5» in English;
the PDF's charts are Ukrainian whatever the reader's language."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from defusedxml import ElementTree as ET
from django.utils import translation
from pypdf import PdfReader

from vikno.reports import charts, exports, series, services
from vikno.reports.templatetags.report_numbers import num

from .series_data import build

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\xa0"


def _texts(chart) -> tuple[list[str], list[str], str]:
    """The text elements, the tooltips and the description of a chart's SVG."""
    root = ET.fromstring(charts.to_svg(chart))
    texts = [el.text for el in root.iter(f"{SVG}text")]
    tips = [el.text for el in root.iter(f"{SVG}title")][1:]
    return texts, tips, root.find(f"{SVG}desc").text


def _series_chart():
    periods = series.periods(date(2026, 1, 1), date(2026, 2, 28), "month")
    return charts.time_series_chart(
        "t", "T", periods, [series.Series("visitors", "Visitors", [D(1250), D("12.5")])], empty_text="-"
    )


@pytest.mark.parametrize(
    ("language", "thousands", "decimal", "tick"),
    [("uk", f"1{NBSP}250", "12,5", f"1{NBSP}500"), ("en", "1,250", "12.5", "1,500")],
)
def test_the_time_series_chart_writes_numbers_in_the_readers_language(language, thousands, decimal, tick):
    with translation.override(language):
        texts, tips, desc = _texts(_series_chart())
        assert num(D(1250)) == thousands and num(D("12.5")) == decimal  # the same as the page's tables
    assert tick in texts and "1500" not in texts  # the axis
    assert tips[0].endswith(f": {thousands}") and tips[1].endswith(f": {decimal}")
    assert f"— {thousands}" in desc and f"— {decimal}" in desc
    assert "1250" not in desc and ("12.5" not in desc if language == "uk" else "12,5" not in desc)


@pytest.mark.parametrize(("language", "value"), [("uk", f"2{NBSP}040,75"), ("en", "2,040.75")])
def test_the_sphere_chart_writes_numbers_in_the_readers_language(language, value):
    with translation.override(language):
        chart = charts.sphere_chart("s", "S", [("Реєстрація", D("2040.75"))], empty_text="-")
    texts, tips, desc = _texts(chart)
    assert value in texts and tips == [f"Реєстрація: {value}"] and desc == f"Реєстрація — {value}"


def test_whole_ticks_have_no_decimals():
    with translation.override("uk"):
        ticks = [charts.number(t) for t in charts.nice_ticks(D(12000))]
        assert ticks == ["0", f"5{NBSP}000", f"10{NBSP}000", f"15{NBSP}000"]
        assert charts.number(D("3.00")) == "3" and charts.number(0.5) == "0,5"


@pytest.fixture
def data(world, django_capture_on_commit_callbacks):
    build(world, django_capture_on_commit_callbacks)
    return world


def test_the_pdf_charts_are_ukrainian_for_an_english_reader(data):
    """The PDF is drawn in Ukrainian, so are its numbers; a revenue of 1 250,5 shows it."""
    q1 = (date(2026, 1, 1), date(2026, 3, 31))
    cs = series.center_series(data.center_a, *q1, ukrainian=True)
    cs.get("cases_registered").values[0] = D("1250.5")
    with translation.override("en"):
        chart, _ = charts.center_charts(cs, ukrainian=True)
        english, _ = charts.center_charts(cs)
    assert f"1{NBSP}250,5" in _texts(chart)[2] and "1,250.5" in _texts(english)[2]

    report = services.center_report(data.head_a, data.center_a.pk, *q1)
    with translation.override("en"):
        text = PdfReader(io.BytesIO(exports.to_pdf(report))).pages[-1].extract_text()
    assert "Заяви, результати, консультації та відвідувачі за місяцями" in text
    assert "Applications" not in text


def test_the_pdf_tables_write_figures_as_the_charts_do(data, login_as, django_capture_on_commit_callbacks):
    """A PDF is read, not computed with: its tables write «33 011,25» like its charts (in Ukrainian, as the
    whole file), while the CSV keeps «33011.25» for spreadsheets."""
    from vikno.cases.models import Case, Status

    from .factories import payment

    issued = Case.objects.filter(center=data.center_a).exclude(status=Status.REFUSED).first()
    with django_capture_on_commit_callbacks(execute=True):
        payment(issued, date(2026, 2, 3), D("32861.25"))
    from vikno.reports import rollup

    rollup.refresh_dirty()
    client = login_as(data.head_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    query = {"center": data.center_a.pk, "from": "2026-01-01", "to": "2026-03-31"}
    pdf = client.get("/staff/reports/center/", {**query, "format": "pdf"})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    lines = [line.replace(NBSP, " ") for line in text.splitlines()]
    assert "Надходження, грн 33 011,25 0 —" in lines and "33011.25" not in text  # with the data's 150
    csv_text = client.get("/staff/reports/center/", {**query, "format": "csv"}).content.decode("utf-8-sig")
    assert "33011.25" in csv_text and "33 011,25" not in csv_text.replace(NBSP, " ")
