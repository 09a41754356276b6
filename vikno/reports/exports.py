"""The center report as CSV, XLSX (openpyxl) and PDF (fpdf2 with the DejaVu fonts).

Every format has the same rows: a title, the periods compared, then per section the figures with the
value for the period, for the same period a year before and the change in per cent. A report with no data
still gives a complete file (zeros and dashes), never an empty response. The PDF ends with the charts of
the page (by month or day, and by sphere; see charts.py), each followed by its figures as a table.

The PDF writes its figures as Ukrainian does («32 861,25»), the CSV and XLSX keep them machine-readable.
The report is published by councils, so the files are in Ukrainian, the state language, whatever the
language of the staff member who downloads them (``official_document``).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Font

from vikno.core.i18n import official_document

from . import charts, series
from .numbers import for_reading
from .services import CenterReport, as_text

HEAD = ("Показник", "Період", "Рік тому", "Зміна, %")
LIST_HEAD = ("Рік", "Послуг у переліку", "Зміна до попереднього року, %")
FONT = "DejaVu"


def title_lines(report: CenterReport) -> list[str]:
    return [
        f"Звіт про діяльність ЦНАП: {report.center.name}",
        f"Період: {report.date_from:%d.%m.%Y} – {report.date_to:%d.%m.%Y}; "
        f"рік тому: {report.prev_from:%d.%m.%Y} – {report.prev_to:%d.%m.%Y}",
    ]


def sections(report: CenterReport) -> list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]]:
    """(title, column heads, rows) per section: the figures against a year before, then the approved
    list by year (year, services, change on the year before) under heads of its own."""

    def rows(figures):
        return [(str(f.label), *f.texts) for f in figures]  # Ukrainian: the renderers are official_document

    services = [(str(year), str(count), as_text(change)) for year, count, change in report.services_by_year]
    return [
        ("Основні показники", HEAD, rows(report.figures)),
        ("Заяви за сферами", HEAD, rows(report.spheres)),
        ("Оплати за способом", HEAD, rows(report.payments)),
        ("Послуг у затвердженому переліку (станом на 31 грудня)", LIST_HEAD, services),
    ]


def filename(report: CenterReport, extension: str) -> str:
    return f"report-{report.center.slug}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.{extension}"


@official_document
def to_csv(report: CenterReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in title_lines(report):
        writer.writerow([line])
    for title, head, rows in sections(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(head)
        writer.writerows(rows)
    # A BOM so that spreadsheet programs read the Cyrillic text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@official_document
def to_xlsx(report: CenterReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Звіт"
    bold = Font(bold=True)
    for line in title_lines(report):
        sheet.append([line])
    sheet["A1"].font = bold
    for title, head, rows in sections(report):
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append(list(head))
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for label, *values in rows:
            sheet.append([label, *(_cell(v) for v in values)])
    sheet.column_dimensions["A"].width = 60
    for column in "BCD":
        sheet.column_dimensions[column].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(text: str):
    """Numbers as numbers in the workbook, dashes and blanks as text."""
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


@official_document
def to_pdf(report: CenterReport) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    font_dir = Path(settings.PDF_FONT_DIR)
    pdf.add_font(FONT, "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title_lines(report)[0])
    pdf.set_creator("Vikno")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    first, second = title_lines(report)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, first, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, second, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for title, head, rows in sections(report):
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)
        widths = (96, *([84 / (len(head) - 1)] * (len(head) - 1)))
        with pdf.table(
            col_widths=widths, text_align=("LEFT", *(["RIGHT"] * (len(head) - 1))), first_row_as_headings=True
        ) as table:
            table.row(head)
            for label, *values in rows or [("Немає даних", *([""] * (len(head) - 1)))]:
                table.row((label, *(for_reading(v) for v in values)))
    _pdf_charts(pdf, report)
    return bytes(pdf.output())


def _pdf_charts(pdf: FPDF, report: CenterReport) -> None:
    """The two charts on a page of their own, each with a title and the figures drawn as a table."""
    cs = series.center_series(report.center, report.date_from, report.date_to, ukrainian=True)
    period_chart, sphere_chart = charts.center_charts(cs, ukrainian=True)
    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 7, "Графіки", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for chart, head, rows in (
        (
            period_chart,
            ("Період", *(s.label for s in cs.chart_series)),
            [(_period_text(p), *(as_text(v) for v in values)) for p, values in cs.rows()],
        ),
        (
            sphere_chart,
            ("Сфера", "Зареєстровано заяв", "Видано результатів"),
            [(r.name, as_text(r.registered), as_text(r.issued)) for r in cs.spheres],
        ),
    ):
        height = chart.height * width / chart.width
        if pdf.get_y() + height + 12 > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, chart.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        top = pdf.get_y() + 1
        pdf.set_y(top + charts.draw_pdf(pdf, chart, pdf.l_margin, top, width, font=FONT) + 3)
        pdf.set_font(FONT, "", 8)
        first = 60 if len(head) == 3 else 30
        rest = (width - first) / (len(head) - 1)
        with pdf.table(
            col_widths=(first, *([rest] * (len(head) - 1))),
            text_align=("LEFT", *(["RIGHT"] * (len(head) - 1))),
            first_row_as_headings=True,
        ) as table:
            table.row(head)
            for label, *values in rows or [("Немає даних", *([""] * (len(head) - 1)))]:
                table.row((label, *(for_reading(v) for v in values)))


def _period_text(period: series.Period) -> str:
    if period.granularity == "day":
        return f"{period.start:%d.%m.%Y}"
    return f"{period.start:%d.%m}–{period.end:%d.%m.%Y}"
