"""The service-timing report as CSV, XLSX (openpyxl) and PDF (fpdf2 with the DejaVu fonts).

Every format has the same rows: a title, the period, a note on the resolution of the percentiles, then
one row per service (code, name, decided, on time, on-time share, median, 90th percentile) and a totals
row. A period with no decided cases still gives a complete file with the headings and the totals row.
Texts are in the active language (Ukrainian by default).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Font

from .exports import FONT
from .timing import ServiceTiming, TimingReport


def head() -> tuple[str, ...]:
    return (
        _("Code"),
        _("Service"),
        _("Decided"),
        _("On time"),
        _("On time, %"),
        _("Median"),
        _("90th percentile"),
    )


def title_lines(report: TimingReport) -> list[str]:
    return [
        _("Service timing: %(center)s") % {"center": report.center.name},
        _("Period: %(start)s – %(end)s")
        % {"start": f"{report.date_from:%d.%m.%Y}", "end": f"{report.date_to:%d.%m.%Y}"},
        _(
            "Processing time from filing to the decision; median and 90th percentile to the hour below one day, "
            "to the day below 90 days."
        ),
    ]


def _dash(value) -> str:
    return "—" if value is None else str(value)


def row(item: ServiceTiming) -> tuple:
    """One row of values: counts as numbers, the share as a Decimal (or «—»), percentiles as text."""
    return (
        item.code,
        item.name if item.service_id is not None else _("Total"),
        item.decided,
        item.on_time,
        item.on_time_share if item.on_time_share is not None else "—",
        item.median.text if item.median else "—",
        item.p90.text if item.p90 else "—",
    )


def rows(report: TimingReport) -> list[tuple]:
    return [row(item) for item in report.services] + [row(report.total)]


def filename(report: TimingReport, extension: str) -> str:
    return f"timing-{report.center.slug}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.{extension}"


def to_csv(report: TimingReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in title_lines(report):
        writer.writerow([line])
    writer.writerow([])
    writer.writerow(head())
    writer.writerows([[_dash(v) for v in values] for values in rows(report)])
    # A BOM so that spreadsheet programs read the Cyrillic text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: TimingReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Timing")[:31]
    bold = Font(bold=True)
    for line in title_lines(report):
        sheet.append([line])
    sheet["A1"].font = bold
    sheet.append([])
    sheet.append(list(head()))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for values in rows(report):
        sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60
    for column in "CDEFG":
        sheet.column_dimensions[column].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: TimingReport) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    font_dir = Path(settings.PDF_FONT_DIR)
    pdf.add_font(FONT, "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    first, *rest = title_lines(report)
    pdf.set_title(first)
    pdf.set_creator("Vikno")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, first, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    for line in rest:
        pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    widths = (26, 105, 22, 22, 22, 35, 35)
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
    ) as table:
        table.row(head())
        if report.is_empty:
            table.row((_("No data"), "", "", "", "", "", ""))
        for values in rows(report):
            table.row(tuple(_dash(v) for v in values))
    return bytes(pdf.output())
