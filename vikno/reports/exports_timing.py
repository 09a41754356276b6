"""The service-timing report as CSV, XLSX (openpyxl) and PDF (fpdf2 with the DejaVu fonts).

Every format has the same content as the page: a title, the period, a note on the resolution of the
percentiles, then one row per service (code, name, decided, on time, on-time share, median, 90th
percentile) and a totals row; then the two lists, every row of each (not a page of it): the open cases
past their deadline at the moment of the download («Overdue now») and the cases decided late in the
period. The CSV has the sections one after another, the XLSX a sheet each, the PDF a table each. A period
with no decided cases still gives a complete file with the headings, the totals row and a line saying
that a list is empty. Texts are in the reader's language (Ukrainian by default): the lists of overdue and
late cases are working lists for staff, not official documents (compare ``official_document``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Font

from .exports import FONT
from .numbers import for_reading
from .timing import CasePage, CaseRow, ServiceTiming, TimingReport


@dataclass
class Lists:
    """The two live lists as downloaded: every row, and the moment the overdue list was read."""

    at: dt.datetime
    overdue: CasePage
    late: CasePage


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


def _moment(value: dt.datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%d.%m.%Y %H:%M}"


def _values(case: CaseRow, first: dt.datetime | None, second: dt.datetime | None) -> tuple:
    return (
        case.number,
        case.service_code,
        case.service_name,
        str(case.status_label),
        _moment(first),
        _moment(second),
        case.late_text,
    )


def case_sections(lists: Lists) -> list[tuple[str, str, tuple[str, ...], list[tuple[CaseRow, tuple]], str]]:
    """(title, note, column heads, [(case, values)], text when empty) for each list, as on the page.
    The values: number, service code and name, status, two moments as text and how late, as text."""
    overdue = (
        _("Overdue now"),
        _("Open cases past their deadline on %(moment)s, most overdue first.") % {"moment": _moment(lists.at)},
        (_("Case"), _("Code"), _("Service"), _("Status"), _("Filed"), _("Due"), _("Overdue by")),
        [(c, _values(c, c.filed_at, c.due_at)) for c in lists.overdue.items],
        _("No open case is past its deadline."),
    )
    late = (
        _("Decided late in the period"),
        _("Cases decided after their deadline in the period, latest first."),
        (_("Case"), _("Code"), _("Service"), _("Status"), _("Due"), _("Decided at"), _("Late by")),
        [(c, _values(c, c.due_at, c.decided_at)) for c in lists.late.items],
        _("No case was decided late in this period."),
    )
    return [overdue, late]


def filename(report: TimingReport, extension: str) -> str:
    return f"timing-{report.center.slug}-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.{extension}"


def to_csv(report: TimingReport, lists: Lists) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in title_lines(report):
        writer.writerow([line])
    writer.writerow([])
    writer.writerow(head())
    writer.writerows([[_dash(v) for v in values] for values in rows(report)])
    for title, note, heads, cases, empty in case_sections(lists):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow([note])
        writer.writerow(heads)
        writer.writerows([values for _case, values in cases] or [[empty]])
    # A BOM so that spreadsheet programs read the Cyrillic text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: TimingReport, lists: Lists) -> bytes:
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
    # a worksheet's name holds 31 characters: short names of their own, not the headings cut mid-word
    names = (pgettext("worksheet", "Overdue now"), pgettext("worksheet", "Decided late"))
    for name, (title, note, heads, cases, empty) in zip(names, case_sections(lists), strict=True):
        _case_sheet(book.create_sheet(_sheet_title(name)), title, note, heads, cases, empty)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    """A worksheet name: at most 31 characters, none of those a workbook refuses."""
    return "".join(" " if char in "\\/?*[]:" else char for char in title)[:31].strip()


def _case_sheet(sheet, title: str, note: str, heads, cases, empty: str) -> None:
    """A list on a sheet of its own: the moments as date-time cells, the rest as on the page."""
    bold = Font(bold=True)
    sheet.append([title])
    sheet["A1"].font = bold
    sheet.append([note])
    sheet.append([])
    sheet.append(list(heads))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for case, values in cases:
        cells = list(values)
        moments = (case.filed_at, case.due_at) if case.decided_at is None else (case.due_at, case.decided_at)
        cells[4:6] = [timezone.localtime(moment).replace(tzinfo=None) for moment in moments]
        sheet.append(cells)
        for cell in sheet[sheet.max_row][4:6]:
            cell.number_format = "DD.MM.YYYY HH:MM"
    if not cases:
        sheet.append([empty])
    for column, width in zip("ABCDEFG", (18, 14, 60, 22, 17, 17, 14), strict=True):
        sheet.column_dimensions[column].width = width


def to_pdf(report: TimingReport, lists: Lists) -> bytes:
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
            texts = [_dash(v) for v in values]
            texts[2:5] = [for_reading(t) for t in texts[2:5]]  # decided, on time, on-time share
            table.row(tuple(texts))
    for title, note, heads, cases, empty in case_sections(lists):
        pdf.ln(5)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        with pdf.table(
            col_widths=(30, 24, 80, 33, 34, 34, 32),
            text_align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
            first_row_as_headings=True,
        ) as table:
            table.row(heads)
            for _case, values in cases:
                table.row(values)
            if not cases:
                table.row().cell(empty, colspan=len(heads), align="LEFT")
    return bytes(pdf.output())
