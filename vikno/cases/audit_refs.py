"""Cases in the audit log: a case number typed into the log's filter stands for the case's events
(or, with the type «Applicant» chosen, its applicant's), and the rows of a case link to its page —
both only for a case the reader sees (``Case.objects.visible_to``), so the log reveals nothing else."""

from __future__ import annotations

from django.urls import reverse

from .models import Case
from .services import NUMBER_RE

CASE_TYPE = "cases.case"
APPLICANT_TYPE = "cases.applicant"


def find_case(user, text: str, object_type: str) -> tuple[str, str] | None:
    """``(cases.case, id)`` of the case numbered ``text`` in ``user``'s scope (``(cases.applicant, id)``
    of its applicant when that type is chosen), else None."""
    number = text.strip()
    if object_type not in ("", CASE_TYPE, APPLICANT_TYPE) or not NUMBER_RE.fullmatch(number):
        return None
    row = Case.objects.visible_to(user).filter(number=number).values_list("pk", "applicant_id").first()
    if row is None:
        return None
    case_id, applicant_id = row
    return (APPLICANT_TYPE, str(applicant_id)) if object_type == APPLICANT_TYPE else (CASE_TYPE, str(case_id))


def case_links(user, object_ids: set[str]) -> dict[str, str]:
    """``{case id: page}`` of the cases among ``object_ids`` that ``user`` may open."""
    ids = [int(i) for i in object_ids if i.isdigit()]
    rows = Case.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "number")
    return {str(pk): reverse("cases:detail", args=[number]) for pk, number in rows}
