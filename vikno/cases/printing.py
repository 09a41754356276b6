"""The printed documents of a case, for the staff page and the API alike: which exist, who may print them,
the audit record of the personal data they show, and the PDF itself (laid out by ``pdf``).

- ``inventory`` — the опис вхідного пакета документів, signed at intake;
- ``receipt`` — the розписка with the access code and the QR code of the public status page;
- ``refusal`` — the notice handed out with a refusal (only once the case is refused).

The center's front office (administrators, the head) and a system administrator print them; for anyone
else, and for a refusal notice of a case without a refusal, the case has no such document (404), as a case
outside one's scope does not exist."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from vikno.core.audit import Actor, record
from vikno.core.errors import NotFound
from vikno.payments import services as payments

from . import pdf, workflow
from .models import Case, Status
from .services import get_case

KINDS = ("inventory", "receipt", "refusal")
REFUSAL_STATUSES = (Status.REFUSED, Status.REFUSAL_ISSUED)


def available(user, case: Case) -> list[str]:
    """The documents ``user`` may print for ``case`` now, in ``KINDS`` order."""
    if not workflow.is_front(user, case):
        return []
    return [kind for kind in KINDS if kind != "refusal" or case.status in REFUSAL_STATUSES]


def printout(user, number: str, kind: str, *, actor: Actor | None) -> tuple[bytes, str]:
    """The PDF ``kind`` of the case ``number`` and its file name; audited as a view of the applicant's data."""
    case = get_case(user, number)
    if not workflow.is_front(user, case):
        raise NotFound(_("Case not found."))
    if kind not in available(user, case):
        raise NotFound(_("Case No. %(number)s has no refusal.") % {"number": case.number})
    record(actor, "applicant.viewed", case.applicant, data={"view": f"{kind}.pdf", "case": case.number})
    fallback = _signed(user)  # the one printing signs when the record names nobody
    if kind == "inventory":
        content = pdf.inventory_pdf(case, administrator_name=_signed(_staff(case.created_by_id)) or fallback)
    elif kind == "receipt":
        with translation.override("uk"):  # printed: the weekdays in Ukrainian like the rest of the receipt
            collection = pdf.collection_point(case.current_office)
        content = pdf.receipt_pdf(
            case,
            collection=collection,
            paid_total=payments.paid_total(case),
            exemption_ground=payments.exemption_ground(case),
            administrator_name=_signed(_staff(case.created_by_id)) or fallback,
        )
    else:
        refused = case.events.filter(action="refuse").order_by("-at", "-id").first()
        decision = pdf.RefusalDecision(
            decided_by=(_full_name(_staff(refused.actor_id)) or refused.actor_label) if refused else "",
            documents=list(
                case.results.filter(is_refusal=True).order_by("uploaded_at", "id").values_list("name", "sha256")
            ),
        )
        issued_by = getattr(getattr(case, "issuance", None), "issued_by_id", None)
        content = pdf.refusal_notice_pdf(
            case, decision=decision, administrator_name=_signed(_staff(issued_by)) or fallback
        )
    return content, f"{kind}-{case.number}.pdf"


def _staff(user_id):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def _full_name(user) -> str:
    return user.full_name() if user else ""


def _signed(user) -> str:
    """The name under a staff signature line: «Прізвище І. Б.», the login only for an account without a name."""
    if user is None:
        return ""
    return pdf.surname_initials(user.last_name, user.first_name, user.patronymic) or user.username
