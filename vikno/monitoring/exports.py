"""The oblast summary as CSV and XLSX: a title, one row per center, then the centers that have not
submitted for the period. Numbers are numbers in the workbook; a missing figure is «—». Monitoring
results are submitted to the oblast, so the files are in Ukrainian whatever the reader's language
(``official_document``)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from vikno.core.i18n import in_ukrainian, official_document

from .models import AssessmentStatus, Section
from .services import Summary, as_text


def _period_in_ukrainian(period) -> str:
    """The period's label in Ukrainian, whatever the staff member's language: the file is for publication."""
    with translation.override("uk"):
        return period.label


def title_lines(summary: Summary) -> list[str]:
    scope = summary.region.name if summary.region else "усі доступні ЦНАП"
    title = summary.questionnaire.title if summary.questionnaire else "опитувальник не налаштовано"
    return [
        f"Моніторинг ЦНАП: {scope}",
        f"Період: {_period_in_ukrainian(summary.period)} ({summary.period.start:%d.%m.%Y} – {summary.period.end:%d.%m.%Y}); {title}",
    ]


def head(summary: Summary) -> list[str]:
    return [
        "ЦНАП",
        "Статус за період",
        "Останнє подане",
        "Бал, %",
        *[f"{in_ukrainian(Section.Kind(kind).label)}, %" for kind, _ in summary.section_kinds],
        "Зміна до попереднього періоду, п.п.",
        *[f"{i.name} (бал)" for i in summary.indicators],
        "Показники, середній бал",
    ]


def rows(summary: Summary) -> list[list]:
    result = []
    for row in summary.rows:
        latest = row.latest
        result.append(
            [
                str(row.center),
                in_ukrainian(AssessmentStatus(row.current.status).label) if row.current else "Не розпочато",
                latest.period if latest else "—",
                latest.percent if latest else None,
                *[row.section_percent(kind) for kind, _ in summary.section_kinds],
                row.change,
                *[
                    (row.indicator_values[i.code].score if i.code in row.indicator_values else None)
                    for i in summary.indicators
                ],
                row.indicator_score,
            ]
        )
    return result


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return as_text(value)
    return str(value)


def filename(summary: Summary, extension: str) -> str:
    return f"monitoring-{summary.period.key}.{extension}"


@official_document
def to_csv(summary: Summary) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in title_lines(summary):
        writer.writerow([line])
    writer.writerow([])
    writer.writerow(head(summary))
    for row in rows(summary):
        writer.writerow([_text(v) for v in row])
    writer.writerow([])
    writer.writerow(["Не подали самооцінювання за період"])
    for center in summary.not_submitted:
        writer.writerow([str(center)])
    # A BOM so that spreadsheet programs read the Cyrillic text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@official_document
def to_xlsx(summary: Summary) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Моніторинг"
    bold = Font(bold=True)
    for line in title_lines(summary):
        sheet.append([line])
    sheet["A1"].font = bold
    sheet.append([])
    sheet.append(head(summary))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in rows(summary):
        sheet.append([v if isinstance(v, Decimal) else _text(v) for v in row])
    sheet.append([])
    sheet.append(["Не подали самооцінювання за період"])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    for center in summary.not_submitted:
        sheet.append([str(center)])
    sheet.column_dimensions["A"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
