"""Printable ІК (information card) and ТК (technological card) of a service version as PDF.

fpdf2 draws the pages with the DejaVu fonts from ``settings.PDF_FONT_DIR`` (installed from npm), so
Cyrillic text renders and stays extractable. The callers (views) pass what is not on the version: the
center's name for the header, the date printed, and the fee text for that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from .models import ServiceVersion, TechStep

FONT = "DejaVu"


@dataclass
class CardHeader:
    title: str
    center_name: str
    code: str
    version_number: int
    valid_from: dt.date
    printed_on: dt.date


class CardPDF(FPDF):
    def __init__(self, head: CardHeader, *, orientation: str = "P"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.head = head
        font_dir = Path(settings.PDF_FONT_DIR)
        self.add_font(FONT, "", str(font_dir / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(f"{head.title} {head.code}")
        self.set_creator("Vikno")
        self.alias_nb_pages()

    def header(self):
        self.set_font(FONT, "", 8)
        self.set_text_color(70, 70, 70)
        left = self.head.center_name or ""
        right = (
            f"{self.head.code} · версія {self.head.version_number} від {self.head.valid_from:%d.%m.%Y} · "
            f"станом на {self.head.printed_on:%d.%m.%Y}"
        )
        self.cell(0, 5, left, new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.cell(0, 5, right, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(70, 70, 70)
        self.cell(0, 5, f"Сторінка {self.page_no()} з {{nb}}", align="C")

    # --- building blocks ---

    def title_block(self, kind: str, name: str):
        self.set_font(FONT, "B", 13)
        self.multi_cell(0, 7, kind, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "B", 12)
        self.multi_cell(0, 6, name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def section(self, heading: str, text: str | list[str]):
        lines = [t for t in text if t] if isinstance(text, list) else ([text] if text else [])
        if not lines:
            return
        self.set_font(FONT, "B", 10)
        self.multi_cell(0, 6, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        for i, line in enumerate(lines, start=1):
            prefix = f"{i}. " if len(lines) > 1 else ""
            self.multi_cell(0, 5, prefix + line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def grid(self, headings: list[str], rows: list[list[str]], widths: tuple[int, ...]):
        self.set_font(FONT, "", 9)
        with self.table(
            col_widths=widths,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
            line_height=5,
            text_align="LEFT",
            first_row_as_headings=True,
        ) as table:
            row = table.row()
            for heading in headings:
                row.cell(heading)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.ln(3)


def _term(value, unit) -> str:
    if not value:
        return ""
    return f"{value} {ServiceVersion.TermUnit(unit).label}" if unit else str(value)


def _yes(flag: bool) -> str:
    return "так" if flag else "ні"


@translation.override("uk")  # a printed document: Ukrainian whatever the page's language
def information_card_pdf(
    version: ServiceVersion, *, center_name: str = "", on_date: dt.date, fee_text: str, life_situations=()
) -> bytes:
    service = version.service
    pdf = CardPDF(
        CardHeader(
            title="Інформаційна картка",
            center_name=center_name,
            code=service.code,
            version_number=version.number,
            valid_from=version.valid_from,
            printed_on=on_date,
        )
    )
    pdf.add_page()
    pdf.title_block("Інформаційна картка адміністративної послуги", version.name_uk)
    info = version.info_card or {}
    pdf.section("Код послуги", service.code)
    pdf.section("Суб'єкт надання", version.provider_kind)
    documents = list(version.documents.all())
    if documents:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(
            0, 6, "Перелік документів, необхідних для отримання послуги", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        rows = []
        for doc in documents:
            name = doc.name + (f" ({doc.condition})" if doc.condition else "")
            rows.append([str(doc.position), name, _yes(doc.original), _yes(doc.copy)])
        pdf.grid(["№", "Документ", "Оригінал", "Копія"], rows, (10, 120, 25, 25))
    term = _term(version.term_value, version.term_unit)
    pdf.section("Строк надання", [term, info.get("term_text_uk", "")])
    pdf.section("Оплата", fee_text)
    pdf.section("Результат", version.result_uk)
    pdf.section("Способи отримання результату", version.how_to_receive_uk)
    pdf.section("Підстави для відмови", [str(g) for g in version.grounds_for_refusal or []])
    legal = [version.legal_basis, *[str(a) for a in info.get("legal_acts", []) or []]]
    pdf.section("Нормативна база", legal)
    pdf.section("Життєві ситуації", ", ".join(str(s) for s in life_situations))
    flags = [label for label, on in (("миттєва", version.instant), ("онлайн", version.online)) if on]
    pdf.section("Особливості", ", ".join(flags))
    return bytes(pdf.output())


@translation.override("uk")
def tech_card_pdf(version: ServiceVersion, *, center_name: str = "", on_date: dt.date) -> bytes:
    service = version.service
    pdf = CardPDF(
        CardHeader(
            title="Технологічна картка",
            center_name=center_name,
            code=service.code,
            version_number=version.number,
            valid_from=version.valid_from,
            printed_on=on_date,
        ),
        orientation="L",
    )
    pdf.add_page()
    pdf.title_block("Технологічна картка адміністративної послуги", version.name_uk)
    steps: list[TechStep] = list(version.tech_steps.all())
    if steps:
        rows = [
            [
                str(step.position),
                step.action,
                step.get_role_display(),
                step.action_type,
                _term(step.term_value, step.term_unit),
            ]
            for step in steps
        ]
        pdf.grid(
            ["№", "Етапи послуги", "Відповідальна посадова особа", "Дія (В, У, П, З)", "Строк"],
            rows,
            (10, 130, 60, 22, 45),
        )
    else:
        pdf.section("Етапи", "Етапи технологічної картки ще не заповнено.")
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(
        0,
        4,
        "Умовні позначки: В — виконує, У — бере участь, П — погоджує, З — затверджує.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0,
        5,
        f"Загальний строк надання послуги: {_term(version.term_value, version.term_unit)}",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
