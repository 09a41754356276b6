"""The oblast dashboard (and a center's drill-down) as table sections, CSV, XLSX and PDF.

The files are official documents: they are written in Ukrainian whatever the reader's language
(``official_document``); the page shows the same sections in the reader's language. Every format has the
same content: a title, the period, then three sections — access points and staff,
the approved list against the basic groups, activity with the queue and ratings — each a table with one
row per center (or office) and the total row last. A dashboard without data still gives a complete file.
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

from vikno.core.i18n import official_document

from .exports import FONT, _cell
from .numbers import for_reading
from .oblast import BASIC_GROUPS, GROUP_LABELS, OFFICE_KINDS, STAFF_ROLES, Dashboard, Line
from .services import as_text


def title_lines(board: Dashboard) -> list[str]:
    if board.center is not None:
        first = _("Center by access points: %(name)s") % {"name": board.title}
    else:
        first = _("Oblast dashboard: %(name)s") % {"name": board.title}
    period = _("Period: %(start)s – %(end)s") % {
        "start": f"{board.date_from:%d.%m.%Y}",
        "end": f"{board.date_to:%d.%m.%Y}",
    }
    return [first, period]


def _kind_labels() -> dict[str, str]:
    return {
        "main": _("Main office"),
        "branch": _("Branch (ТП)"),
        "remote": _("Remote workplace (ВРМ)"),
        "mobile": _("Mobile center"),
    }


def sections(board: Dashboard) -> list[tuple[str, list[str], list[tuple[Line, list]]]]:
    """(title, column heads after the name column, [(line, cells)]) per section, the total row last.

    The cells are values (numbers, ``None`` for none, text such as «5/8»): the page writes them in the
    reader's language, the CSV and XLSX as ``as_text`` does (a dot before decimals, «—» for none), the PDF
    as Ukrainian writes numbers («388 000», «0,4»)."""
    lines = [*board.lines, board.total]
    kinds = _kind_labels()
    role_labels = {"administrator": _("Administrators"), "center_head": _("Center heads")}
    network = (
        _("Access points and staff"),
        [
            *(kinds[k] for k in OFFICE_KINDS),
            _("Active access points"),
            *(role_labels[r] for r in STAFF_ROLES),
            _("Staff"),
        ],
        [
            (
                line,
                [
                    *(line.points.get(k, 0) for k in OFFICE_KINDS),
                    line.active_points,
                    *(line.staff.get(r, 0) for r in STAFF_ROLES),
                    line.staff_total,
                ],
            )
            for line in lines
        ],
    )
    services_title = (
        _("Offered services and the basic groups") if board.center else _("Approved lists and the basic groups")
    )
    listing = (
        services_title,
        [
            _("Services in the list"),
            *(str(GROUP_LABELS[g]) for g in BASIC_GROUPS),
            _("Basic groups covered"),
        ],
        [
            (
                line,
                [
                    line.list_size,
                    *(line.groups.get(g, 0) for g in BASIC_GROUPS),
                    f"{line.groups_covered}/{len(BASIC_GROUPS)}",
                ],
            )
            for line in lines
        ],
    )
    activity = (
        _("Activity, queue and ratings"),
        [
            _("Cases registered"),
            _("Residents"),
            _("Cases per 1,000 residents"),
            _("Visitors"),
            _("Average wait, min"),
            _("Service level, %"),
            _("No-shows, %"),
            _("Ratings"),
            _("Satisfied (4–5 stars), %"),
            _("Loyalty index (NPS)"),
        ],
        [
            (
                line,
                [
                    line.cases,
                    line.population,
                    line.per_1000,
                    line.visitors,
                    line.average_wait_minutes,
                    line.service_level,
                    line.no_show_share,
                    line.ratings_count,
                    line.satisfied_share,
                    line.loyalty_index,
                ],
            )
            for line in lines
        ],
    )
    return [network, listing, activity]


def name_head(board: Dashboard) -> str:
    return _("Access point") if board.center is not None else _("Center")


def filename(board: Dashboard, extension: str) -> str:
    slug = f"oblast-{board.slug}" if board.center is not None else board.slug  # the region's is «oblast-<id>»
    return f"{slug}-{board.date_from:%Y%m%d}-{board.date_to:%Y%m%d}.{extension}"


@official_document
def to_csv(board: Dashboard) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in title_lines(board):
        writer.writerow([line])
    for title, head, rows in sections(board):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow([name_head(board), *head])
        for line, cells in rows:
            writer.writerow([str(line.name), *(as_text(c) for c in cells)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@official_document
def to_xlsx(board: Dashboard) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Dashboard")[:31]
    bold = Font(bold=True)
    for line in title_lines(board):
        sheet.append([line])
    sheet["A1"].font = bold
    for title, head, rows in sections(board):
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append([name_head(board), *head])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for line, cells in rows:
            sheet.append([str(line.name), *(_cell(as_text(c)) for c in cells)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.column_dimensions["A"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@official_document
def to_pdf(board: Dashboard) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    font_dir = Path(settings.PDF_FONT_DIR)
    pdf.add_font(FONT, "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    first, second = title_lines(board)
    pdf.set_title(first)
    pdf.set_creator("Vikno")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, first, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, second, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for title, head, rows in sections(board):
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 7)
        name_width = 60
        other = (pdf.epw - name_width) / len(head)
        with pdf.table(
            col_widths=(name_width, *([other] * len(head))),
            text_align=("LEFT", *(["RIGHT"] * len(head))),
            first_row_as_headings=True,
        ) as table:
            table.row([name_head(board), *head])
            for line, cells in rows:
                table.row([str(line.name), *(for_reading(as_text(c)) for c in cells)])
    return bytes(pdf.output())
