"""Printed documents of a case: the inventory of the input package (опис вхідного пакета документів)
and the receipt given to the applicant, with a QR code leading to the public status page.

The pages reuse the catalog's fpdf2 set-up (``CardPDF``: DejaVu fonts from ``settings.PDF_FONT_DIR``,
margins, title, sections and tables); only the running header differs. The callers (views) pass what is
not on the case: who prints, the date printed, where the result is collected.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from fpdf.enums import XPos, YPos

from vikno.catalog.fees import format_uah
from vikno.catalog.pdf import FONT, CardHeader, CardPDF

from .models import Case

QR_SIZE_MM = 38


def status_url(number: str, access_code: str) -> str:
    """The public status page of a case, as printed in the receipt's QR code and under it."""
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return f"{base}{reverse('portal:status')}?{urlencode({'number': number, 'code': access_code})}"


def qr_png(payload: str) -> bytes:
    """A QR code (error correction M) of ``payload`` as PNG bytes, made in memory."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


@dataclass
class CollectionPoint:
    """Where the applicant collects the result: the office with its address and hours."""

    office_name: str
    address: str = ""
    phone: str = ""
    hours: list[str] = field(default_factory=list)


def collection_point(office) -> CollectionPoint:
    """The office where a case is now, with its weekly hours grouped by day («Понеділок: 08:00–17:00», in
    the active language: the receipt prints it in Ukrainian, the status page follows the reader)."""
    days: dict[int, list[str]] = {}
    labels: dict[int, str] = {}
    for row in office.weekly_hours.all():
        days.setdefault(row.weekday, []).append(f"{row.opens:%H:%M}–{row.closes:%H:%M}")
        labels[row.weekday] = row.get_weekday_display()
    hours = [f"{labels[day]}: {', '.join(days[day])}" for day in sorted(days)]
    return CollectionPoint(office_name=office.name, address=office.address, phone=office.phone, hours=hours)


class CasePDF(CardPDF):
    """The catalog's card layout with a case header: the center on the left, the case on the right."""

    def __init__(self, case: Case, *, title: str, printed_on: dt.date):
        version = case.service_version
        super().__init__(
            CardHeader(
                title=title,
                center_name=str(case.center.name),
                code=case.number,
                version_number=version.number,
                valid_from=version.valid_from,
                printed_on=printed_on,
            )
        )
        self.case = case

    def header(self):
        self.set_font(FONT, "", 8)
        self.set_text_color(70, 70, 70)
        right = f"Справа № {self.case.number} · надруковано {self.head.printed_on:%d.%m.%Y}"
        # A long center name gets a line of its own rather than running into the case number.
        fits = self.get_string_width(self.head.center_name) + self.get_string_width(right) + 4 <= self.epw
        self.cell(0, 5, self.head.center_name, new_x=XPos.LMARGIN, new_y=YPos.TOP if fits else YPos.NEXT)
        self.cell(0, 5, right, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)
        self.set_text_color(0, 0, 0)

    def pair(self, label: str, value: str):
        """One «label: value» line, the label in bold."""
        if not value:
            return
        self.set_font(FONT, "B", 10)
        width = self.get_string_width(label + ": ") + 1
        self.cell(width, 6, label + ":", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def block(self, heading: str, lines: list[str]):
        """A heading and plain lines (not numbered, unlike ``section``)."""
        lines = [line for line in lines if line]
        if not lines:
            return
        self.set_font(FONT, "B", 10)
        self.multi_cell(0, 6, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        for line in lines:
            self.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def status_line(self):
        """The closing line: where the applicant checks the status of the case."""
        self.ln(4)
        self.set_font(FONT, "", 9)
        line = f"Перевірити стан розгляду: {status_url(self.case.number, self.case.access_code)}"
        self.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def signature(self, role: str, name: str = ""):
        self.ln(8)
        self.set_font(FONT, "", 10)
        width = max(75, self.get_string_width(role) + 3)  # a long role does not run into the signature line
        self.cell(width, 6, role, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(50, 6, "_" * 22, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(0, 6, name or "_" * 28, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 7)
        self.set_text_color(90, 90, 90)
        self.cell(width, 4, "", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(50, 4, "(підпис)", align="C", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(0, 4, "(прізвище, ініціали)", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)


def _local(moment: dt.datetime | None, pattern: str = "%d.%m.%Y %H:%M") -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else ""


def _mark(flag: bool) -> str:
    return "так" if flag else "—"


def surname_initials(last_name: str, first_name: str = "", patronymic: str = "") -> str:
    """«Шевченко Т. Г.»: the name under a signature line, as its caption «(прізвище, ініціали)» asks. A
    hyphenated given name keeps both initials («Анна-Марія» → «А.-М.»)."""

    def initial(part: str) -> str:
        return "-".join(piece[0].upper() + "." for piece in part.split("-") if piece)

    initials = " ".join(initial(part) for part in (first_name, patronymic) if part.strip())
    return " ".join(p for p in (last_name.strip(), initials) if p)


def signatory(applicant) -> str:
    """Who signs for the applicant: the person, or a legal entity's head (blank when the card has none)."""
    if applicant.kind == applicant.Kind.LEGAL_ENTITY:
        parts = applicant.head_name.split()
        return surname_initials(parts[0], *parts[1:3]) if parts else ""
    return surname_initials(applicant.last_name, applicant.first_name, applicant.patronymic)


def _applicant_line(case: Case) -> str:
    applicant = case.applicant
    name = applicant.display_name
    if applicant.kind == applicant.Kind.LEGAL_ENTITY and applicant.edrpou:
        return f"{name} (ЄДРПОУ {applicant.edrpou})"
    return name


@translation.override("uk")  # a printed document: Ukrainian whatever the page's language
def inventory_pdf(case: Case, *, administrator_name: str = "", printed_on: dt.date | None = None) -> bytes:
    """Опис вхідного пакета документів: who applied for what, the table of documents taken in, and
    the lines where the administrator and the applicant sign."""
    printed_on = printed_on or timezone.localdate()
    pdf = CasePDF(case, title="Опис вхідного пакета документів", printed_on=printed_on)
    pdf.add_page()
    pdf.title_block("Опис вхідного пакета документів", f"до заяви № {case.number}")
    pdf.pair("Дата і час подання", _local(case.filed_at))
    pdf.pair("Суб'єкт звернення", _applicant_line(case))
    if case.representative_id:
        rep = case.representative
        pdf.pair("Представник", f"{rep.full_name} ({rep.authority_document})")
    pdf.pair("Послуга", f"{case.service.code} {case.service_version.name_uk}")
    pdf.pair("Місце подання", case.office.name)
    pdf.ln(3)
    documents = [doc for doc in case.documents.all() if doc.provided]
    if documents:
        rows = [
            [str(i), doc.name, _mark(doc.original), _mark(doc.copy), str(doc.pages or "")]
            for i, doc in enumerate(documents, start=1)
        ]
        pdf.grid(["№", "Найменування документа", "Оригінал", "Копія", "Аркушів"], rows, (10, 110, 22, 20, 18))
        total = sum(doc.pages or 0 for doc in documents)
        pdf.set_font(FONT, "", 10)
        summary = f"Усього документів: {len(documents)}" + (f", аркушів: {total}" if total else "")
        pdf.multi_cell(0, 6, summary, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.section("Документи", "Документів не подано.")
    pdf.signature("Документи прийняв адміністратор ЦНАП", administrator_name)
    pdf.signature("Опис отримав суб'єкт звернення", signatory(case.applicant))
    pdf.status_line()
    return bytes(pdf.output())


def _fee_line(case: Case, paid_total, exemption_ground: str = "") -> str:
    if case.fee_amount == 0:
        return "Безоплатно"
    if exemption_ground:
        exempt = f"звільнено від сплати ({exemption_ground})"
        return f"{format_uah(case.fee_amount)} — {exempt}" if case.fee_amount else "З" + exempt[1:]
    if case.fee_amount is None:
        if paid_total:
            return f"Сплачено {format_uah(paid_total)}"
        return "Розмір плати повідомляє адміністратор."
    text = format_uah(case.fee_amount)
    if paid_total is not None and paid_total >= case.fee_amount:
        return f"{text} — сплачено"
    if paid_total:
        return f"{text} — сплачено {format_uah(paid_total)}, до сплати {format_uah(case.fee_amount - paid_total)}"
    return f"{text} — не сплачено"


@translation.override("uk")
def receipt_pdf(
    case: Case,
    *,
    collection: CollectionPoint,
    paid_total=None,
    exemption_ground: str = "",
    administrator_name: str = "",
    printed_on: dt.date | None = None,
) -> bytes:
    """The receipt (розписка) for the applicant: the case number and access code, the service, when and
    where to collect the result, the fee, and a QR code of the public status page."""
    printed_on = printed_on or timezone.localdate()
    pdf = CasePDF(case, title="Розписка про прийняття заяви", printed_on=printed_on)
    pdf.add_page()
    pdf.title_block("Розписка про прийняття заяви", f"№ {case.number}")
    url = status_url(case.number, case.access_code)
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(url)), x=pdf.w - pdf.r_margin - QR_SIZE_MM, y=top, w=QR_SIZE_MM, h=QR_SIZE_MM)
    # Text to the left of the QR code.
    pdf.set_right_margin(pdf.r_margin + QR_SIZE_MM + 4)
    pdf.pair("Номер заяви", case.number)
    pdf.pair("Код доступу", case.access_code)
    pdf.pair("Дата і час подання", _local(case.filed_at))
    pdf.pair("Суб'єкт звернення", case.applicant.display_name)
    pdf.pair("Послуга", f"{case.service.code} {case.service_version.name_uk}")
    pdf.pair("Результат буде готовий до", _local(case.due_at, "%d.%m.%Y") or "—")
    pdf.pair("Адміністративний збір", _fee_line(case, paid_total, exemption_ground))
    pdf.set_right_margin(15)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE_MM + 2))
    pdf.ln(2)
    place = [collection.office_name, collection.address, f"тел. {collection.phone}" if collection.phone else ""]
    pdf.block("Де отримати результат", [", ".join(p for p in place if p)])
    pdf.block("Графік роботи", collection.hours)
    pdf.block(
        "Як дізнатися стан розгляду",
        [
            "Відскануйте QR-код або відкрийте сторінку і введіть номер заяви та код доступу:",
            url,
            "Нікому не повідомляйте код доступу: він відкриває відомості про вашу заяву.",
        ],
    )
    pdf.signature("Адміністратор ЦНАП", administrator_name)
    return bytes(pdf.output())


@dataclass(frozen=True)
class RefusalDecision:
    """What the refusal notice says about the decision beyond the case's own fields: who recorded it and
    the decision documents the provider attached (name and SHA-256 of each)."""

    decided_by: str = ""
    documents: list[tuple[str, str]] = field(default_factory=list)


@translation.override("uk")
def refusal_notice_pdf(
    case: Case,
    *,
    decision: RefusalDecision,
    administrator_name: str = "",
    printed_on: dt.date | None = None,
) -> bytes:
    """Повідомлення про відмову у наданні адміністративної послуги, handed to the applicant with the refusal:
    the provider, the date of the decision, its reason and legal ground, the decision documents the provider
    attached (or a line saying there are none), how to appeal, and the lines where the administrator and the
    recipient sign. The law wants a refusal in writing with its ground and the way to appeal it; this page is
    that writing when the provider attached no signed decision, and its cover sheet when it did."""
    printed_on = printed_on or timezone.localdate()
    title = "Повідомлення про відмову у наданні адміністративної послуги"
    pdf = CasePDF(case, title=title, printed_on=printed_on)
    pdf.add_page()
    pdf.title_block(title, f"за заявою № {case.number} від {_local(case.filed_at, '%d.%m.%Y')}")
    pdf.pair("Суб'єкт звернення", _applicant_line(case))
    if case.representative_id:
        rep = case.representative
        pdf.pair("Представник", f"{rep.full_name} ({rep.authority_document})")
    pdf.pair("Послуга", f"{case.service.code} {case.service_version.name_uk}")
    pdf.pair("Суб'єкт надання", case.provider.name if case.provider_id else "")  # the official name
    pdf.pair("Дата рішення", _local(case.result_ready_at, "%d.%m.%Y"))
    pdf.pair("Рішення внесено до справи", decision.decided_by)
    pdf.ln(2)
    pdf.block("Підстава для відмови", [case.refusal_reason or "—"])
    pdf.block("Правова підстава", [case.refusal_ground or "—"])
    if decision.documents:
        pdf.block(
            "Документи рішення суб'єкта надання (додаються)",
            [f"{name} (SHA-256 {digest})" for name, digest in decision.documents],
        )
    else:
        pdf.block(
            "Документи рішення суб'єкта надання",
            ["Суб'єкт надання не долучив до справи документа рішення; повідомлення складено за записом у справі."],
        )
    pdf.block(
        "Оскарження",
        [
            "Рішення про відмову у наданні адміністративної послуги можна оскаржити в порядку, встановленому "
            "законом, зокрема до суду (Закон України «Про адміністративні послуги»).",
        ],
    )
    pdf.signature("Повідомлення видав адміністратор ЦНАП", administrator_name)
    pdf.signature("Повідомлення отримав (отримала)", "")
    pdf.status_line()
    return bytes(pdf.output())
