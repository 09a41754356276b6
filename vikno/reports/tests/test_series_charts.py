"""Series from the roll-ups with exact values, the SVG charts (well-formed, the right bars and points),
the charts on the report page (no inline styles: CSP) and in the PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from defusedxml import ElementTree as ET
from django.utils import translation
from pypdf import PdfReader

from vikno.core.errors import DomainError, NotFound
from vikno.reports import charts, exports, series, services

from .series_data import build

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def data(world, django_capture_on_commit_callbacks):
    build(world, django_capture_on_commit_callbacks)
    return world


def values(cs, key):
    return [int(v) if v == int(v) else v for v in cs.get(key).values]


def test_monthly_series_have_the_written_values(data):
    cs = series.center_series(data.center_a, *Q1)
    assert cs.granularity == "month"
    assert [p.key for p in cs.periods] == ["2026-01", "2026-02", "2026-03"]
    assert values(cs, "cases_registered") == [2, 1, 1]
    assert values(cs, "results_issued") == [1, 0, 1]
    assert values(cs, "refused") == [0, 0, 1]
    assert values(cs, "consultations") == [1, 0, 1]
    assert values(cs, "visitors") == [3, 1, 0]
    assert values(cs, "revenue_local") == [100, 0, 0]
    assert values(cs, "revenue_state") == [0, 50, 0]
    assert values(cs, "ratings_count") == [2, 0, 0]
    assert [(r.code, r.registered, r.issued) for r in cs.spheres] == [("REG", 2, 1), ("SOC", 2, 1)]
    assert cs.spheres[0].name == "Реєстрація місця проживання"


def test_the_series_add_up_to_the_report_figures(data):
    cs = series.center_series(data.center_a, *Q1)
    report = services.center_report(data.head_a, data.center_a.pk, *Q1)
    for key in ("cases_registered", "results_issued", "refused", "consultations", "visitors", "revenue_local"):
        assert cs.get(key).total == report.figure(key).current, key


def test_a_short_period_is_daily_and_a_cut_month_starts_at_the_period(data):
    cs = series.center_series(data.center_a, date(2026, 1, 10), date(2026, 1, 20))
    assert cs.granularity == "day" and len(cs.periods) == 11
    assert values(cs, "cases_registered") == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert values(cs, "visitors")[2] == 3 and cs.periods[2].label == "12.01"
    cut = series.center_series(data.center_a, date(2026, 1, 15), date(2026, 3, 31))
    assert (cut.periods[0].start, cut.periods[0].end) == (date(2026, 1, 15), date(2026, 1, 31))
    assert values(cut, "cases_registered") == [1, 1, 1]
    assert values(cut, "results_issued") == [0, 0, 1]
    forced = series.center_series(data.center_a, *Q1, granularity="day")
    assert len(forced.periods) == 90 and forced.get("cases_registered").total == 4


def test_series_check_the_period_and_the_scope_like_the_report(data):
    with pytest.raises(DomainError) as error:
        series.user_series(data.head_a, data.center_a.pk, date(2026, 3, 1), date(2026, 1, 1))
    assert error.value.code == "period_inverted"
    with pytest.raises(NotFound):
        series.user_series(data.head_a, data.center_b.pk, *Q1)
    with pytest.raises(DomainError) as error:
        series.user_series(data.head_a, data.center_a.pk, date(2025, 1, 1), date(2026, 1, 1), "day")
    assert error.value.code == "period_too_long"
    with pytest.raises(DomainError) as error:
        series.user_series(data.head_a, data.center_a.pk, *Q1, "week")
    assert error.value.code == "granularity_invalid"


def test_nice_ticks():
    assert charts.nice_ticks(D(20)) == [0, 5, 10, 15, 20]
    assert charts.nice_ticks(D(12)) == [0, 5, 10, 15]
    assert charts.nice_ticks(D(3)) == [0, 1, 2, 3]
    assert charts.nice_ticks(D(0)) == [0, 1, 2, 3, 4, 5]


def _bars(root):
    return [el for el in root.iter(f"{SVG}rect") if "bar" in el.get("class", "").split()]


def test_the_time_series_svg_has_a_column_per_period_and_series(data):
    with translation.override("en"):
        cs = series.center_series(data.center_a, *Q1)
        chart, _sphere = charts.center_charts(cs)
        root = ET.fromstring(charts.to_svg(chart))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Applications, results, consultations and visitors by month"
    assert "Applications registered: 01.2026 — 2, 02.2026 — 1, 03.2026 — 1" in root.find(f"{SVG}desc").text
    bars = _bars(root)
    assert len(bars) == 3 * 4
    tips = {bar.find(f"{SVG}title").text: float(bar.get("height")) for bar in bars}
    assert set(tips) >= {"Applications registered, 01.2026: 2", "Visitors, 01.2026: 3", "Results issued, 02.2026: 0"}
    assert tips["Visitors, 01.2026: 3"] == pytest.approx(3 * tips["Visitors, 02.2026: 1"])
    assert tips["Results issued, 02.2026: 0"] == 0
    assert not any(el.get("style") for el in root.iter())


def test_a_long_daily_series_is_drawn_as_lines_with_points(data):
    cs = series.center_series(data.center_a, date(2026, 1, 1), date(2026, 1, 31))
    chart, _ = charts.center_charts(cs)
    root = ET.fromstring(charts.to_svg(chart))
    lines = [el for el in root.iter(f"{SVG}polyline") if "line" in el.get("class", "")]
    assert len(lines) == 4 and all(len(line.get("points").split()) == 31 for line in lines)
    points = [el for el in root.iter(f"{SVG}polygon") if "point" in el.get("class", "")]
    assert len(points) == 4 * 31
    assert {el.get("stroke-dasharray") for el in lines} == {None, "6 3", "2 3", "9 3"}  # told apart without colour


def test_the_sphere_chart_has_a_bar_per_sphere(data):
    cs = series.center_series(data.center_a, *Q1)
    _, chart = charts.center_charts(cs, ukrainian=True)
    root = ET.fromstring(charts.to_svg(chart))
    assert root.find(f"{SVG}title").text == "Зареєстровано заяв за сферами"
    bars = _bars(root)
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "Реєстрація місця проживання: 2",
        "Соціальний захист: 2",
    ]
    assert bars[0].get("width") == bars[1].get("width")


def test_an_empty_period_gives_well_formed_charts(data):
    cs = series.center_series(data.center_a, date(2020, 1, 1), date(2020, 3, 31))
    assert cs.is_empty
    chart, sphere = charts.center_charts(cs, ukrainian=True)
    for one in (chart, sphere):
        root = ET.fromstring(charts.to_svg(one))
        assert "Немає даних за період" in "".join(root.itertext())
    assert _bars(ET.fromstring(charts.to_svg(sphere))) == []


def test_text_in_the_svg_is_escaped():
    periods = series.periods(date(2026, 1, 1), date(2026, 1, 31), "month")
    one = series.Series("x", '<b>&"', [D(1)])
    svg = charts.to_svg(charts.time_series_chart("t", "A & <B>", periods, [one], empty_text="-"))
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "A & <B>"


def test_the_report_page_shows_both_charts_and_their_tables(data, login_as):
    client = login_as(data.head_a)
    response = client.get(
        "/staff/reports/center/", {"center": data.center_a.pk, "from": "2026-01-01", "to": "2026-03-31"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 2
    roots = [ET.fromstring(svg) for svg in svgs]
    assert len(_bars(roots[0])) == 12 and len(_bars(roots[1])) == 2
    assert 'aria-labelledby="chart-series-title chart-series-desc"' in html
    assert "css/reports.css" in html
    assert "style=" not in "".join(svgs)
    assert "<details>" in html and "01.01–31.01.2026" in html  # the figures as a table


def test_the_pdf_has_the_charts(data):
    report = services.center_report(data.head_a, data.center_a.pk, *Q1)
    reader = PdfReader(io.BytesIO(exports.to_pdf(report)))
    last = reader.pages[-1]
    text = last.extract_text()
    assert "Заяви, результати, консультації та відвідувачі за місяцями" in text
    assert "Зареєстровано заяв за сферами" in text
    assert "Реєстрація місця проживання" in text and "01.01–31.01.2026" in text
    content = last.get_contents().get_data()
    assert content.count(b" re") >= 12 + 2  # the columns and the sphere bars are drawn as rectangles
    first = reader.pages[0].extract_text()
    assert "Зареєстровано заяв" in first  # the tables still come first
