"""Case operations, from intake to issuance (owner: cases-core). Start reading here.

Contract used by views, API, portal, queue and reports:

- ``probable_duplicates(center, data) -> list[Applicant]``; ``create_applicant(center, data, *, actor)``;
  ``find_applicants(user, *, rnokpp=None, phone=None, name=None, actor)`` (each view of personal data audited)
- ``register_case(*, office, service, applicant, actor, channel, documents=(), representative=None,
  payment=None, idempotency_key="", filed_at=None) -> Case``: number unique per center per year with no
  gaps, access code, ТК tasks, due time, fee; an instant service completes at intake.
- ``transition(case, action, *, actor, comment="", **details) -> Case`` — actions in vikno/cases/workflow.py
- ``record_payment(case, *, method, amount, receipt_number="", paid_on, exemption_ground="", actor)``
- ``add_document_file(case, position, uploaded_file, *, actor)``; ``attach_result(case, uploaded_file, *, name,
  is_refusal=False, actor)``
- ``issue(case, *, actor, office, recipient_name, identity_document, to_representative=False, note="")``
- ``transfer(case, *, to_office, actor, comment="")``
- ``record_consultation(*, office, actor, service=None, topic="", channel="in_person")``
- ``search_cases(user, query) -> QuerySet`` (number, РНОКПП, phone, surname)

Also: ``create_representative``, ``get_case``, ``get_applicant``, ``view_applicant`` (audited reads),
``officer_inbox``, ``work_inbox``, ``front_offices``, ``page_cases`` (keyset pages, newest first), ``normalise_phone``; ``workload(user)`` and
``workload_by_center(user)``: the counters of the staff workplace (vikno/workplace).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from datetime import datetime
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ua import edrpou as edrpou_std
from stdnum.ua import rntrc

from vikno.catalog import intake
from vikno.catalog.models import Service
from vikno.core import audit
from vikno.core.audit import Actor, record
from vikno.core.db.errors import violated_constraint
from vikno.core.db.ordered import reuse_plans, run_in_order
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied, Problems
from vikno.core.i18n import in_ukrainian
from vikno.core.pagination import Page, newest_first
from vikno.core.scoping import Role, scope_of
from vikno.orgs.models import Center, Office, Settlement
from vikno.payments import services as payments
from vikno.payments.models import Payment

from . import deadlines, workflow
from .models import (
    OPEN_STATUSES,
    Applicant,
    Case,
    CaseDocument,
    CaseNumberCounter,
    CaseTask,
    Channel,
    Consultation,
    Representative,
    ResultDocument,
    Status,
)
from .uploads import check_upload
from .workflow import FRONT, add_event, notify, transition

__all__ = [
    "add_document_file",
    "attach_result",
    "case_of_earlier_intake",
    "consultations_on",
    "create_applicant",
    "create_representative",
    "find_applicants",
    "get_applicant",
    "get_case",
    "identity_of",
    "issue",
    "issue_action",
    "normalise_phone",
    "officer_inbox",
    "page_cases",
    "probable_duplicates",
    "record_consultation",
    "record_payment",
    "register_case",
    "search_cases",
    "transfer",
    "transferred_by",
    "transition",
    "view_applicant",
]

ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1
ACCESS_CODE_LENGTH = 8
NUMBER_RE = re.compile(r"^\d+-\d{2}-\d{6}$")
CENT = Decimal("0.01")
INBOX_STATUSES = (Status.SENT_TO_PROVIDER, Status.IN_PROGRESS, Status.NEEDS_CLARIFICATION)
FIND_LIMIT = 20


# --- small cleaners ----------------------------------------------------------------------------


def normalise_phone(raw: str, *, field: str = "phone") -> str:
    """A phone number in E.164 (``+380501234567``); numbers without a country code are Ukrainian."""
    import phonenumbers

    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "UA")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(
            _("The phone number «%(phone)s» is invalid: give it in the format +380XXXXXXXXX.") % {"phone": raw},
            code="invalid_phone",
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _try_phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except DomainError:
        return ""


def validate_rnokpp(raw: str, *, field: str = "rnokpp") -> str:
    value = re.sub(r"\s", "", raw or "")
    try:
        return rntrc.validate(value)
    except InvalidChecksum:
        raise DomainError(
            _("RNOKPP «%(value)s» is invalid: the check digit does not match. Check the number.") % {"value": value},
            code="invalid_rnokpp",
            field=field,
        )
    except (InvalidLength, InvalidFormat, StdnumError):
        raise DomainError(
            _("RNOKPP «%(value)s» is invalid: it must consist of 10 digits.") % {"value": value},
            code="invalid_rnokpp",
            field=field,
        )


def validate_edrpou(raw: str, *, field: str = "edrpou") -> str:
    value = re.sub(r"\s", "", raw or "")
    try:
        return edrpou_std.validate(value)
    except InvalidChecksum:
        raise DomainError(
            _("EDRPOU code «%(value)s» is invalid: the check digit does not match.") % {"value": value},
            code="invalid_edrpou",
            field=field,
        )
    except (InvalidLength, InvalidFormat, StdnumError):
        raise DomainError(
            _("EDRPOU code «%(value)s» is invalid: it must consist of 8 digits.") % {"value": value},
            code="invalid_edrpou",
            field=field,
        )


def normalise_name(raw: str) -> str:
    """Trim, collapse spaces, use the Ukrainian apostrophe; fix ALL-CAPS or all-lower input."""
    value = " ".join((raw or "").split())
    value = re.sub(r"['’`]", "ʼ", value)
    if value and (value.islower() or value.isupper()):
        value = re.sub(r"[^\s\-]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), value)
    return value


def _as_date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(_("Give the date in the format YYYY-MM-DD."), code="invalid_date", field=field)


def _settlement(value) -> Settlement | None:
    if value in (None, ""):
        return None
    if isinstance(value, Settlement):
        return value
    text = str(value).strip()
    if text.upper().startswith("UA"):
        settlement = Settlement.objects.filter(katottg=text.upper()).first()
    elif text.isascii() and text.isdigit():
        settlement = Settlement.objects.filter(pk=int(text)).first()
    else:
        settlement = None
    if settlement is None:
        raise DomainError(
            _("No settlement with the code «%(code)s» was found in KATOTTG.") % {"code": value},
            code="invalid_settlement",
            field="settlement",
        )
    return settlement


# --- applicants --------------------------------------------------------------------------------

PERSON_TEXT = ("last_name", "first_name", "patronymic")
PASSPORT_SERIES_RE = re.compile(r"^[А-ЯҐЄІЇ]{2}$")
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)  # an earlier date of birth is a typo (the applicant would be over 125)


def clean_applicant_data(data: dict) -> dict:
    """Validate and normalise applicant fields (model field names). Every problem found is reported
    at once: the DomainError raised carries the others in ``others``."""
    kind = data.get("kind") or Applicant.Kind.PERSON
    if kind not in Applicant.Kind.values:
        raise DomainError(
            _("The kind of applicant: an individual or a legal entity."), code="invalid_kind", field="kind"
        )
    problems = Problems()
    clean: dict = {"kind": kind}
    for name in (*PERSON_TEXT, "organisation_name", "head_name"):
        clean[name] = (
            normalise_name(data.get(name) or "") if name in PERSON_TEXT else " ".join((data.get(name) or "").split())
        )
    clean["address"] = " ".join((data.get("address") or "").split())[:500]
    clean["settlement"] = problems.check(_settlement, data.get("settlement"))
    clean["sms_consent"] = bool(data.get("sms_consent"))
    clean["email_consent"] = bool(data.get("email_consent"))
    clean["phone"] = problems.check(normalise_phone, data.get("phone") or "", default="")
    email = (data.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.add(
                DomainError(
                    _("The email address «%(email)s» is invalid.") % {"email": email},
                    code="invalid_email",
                    field="email",
                )
            )
    clean["email"] = email
    if clean["sms_consent"] and not (data.get("phone") or "").strip():
        problems.add(DomainError(_("Give a phone number for SMS notifications."), code="phone_required", field="phone"))
    if clean["email_consent"] and not email:
        problems.add(
            DomainError(_("Give an email address for notifications by email."), code="email_required", field="email")
        )
    for name, limit in (("last_name", 150), ("first_name", 150), ("patronymic", 150), ("head_name", 300)):
        if len(clean[name]) > limit:
            problems.add(DomainError(_("The value is too long."), code="too_long", field=name))
    if kind == Applicant.Kind.LEGAL_ENTITY:
        clean["edrpou"] = problems.check(validate_edrpou, data.get("edrpou") or "", default="")
        if not clean["organisation_name"]:
            problems.add(
                DomainError(_("Give the name of the legal entity."), code="name_required", field="organisation_name")
            )
        clean["organisation_name"] = clean["organisation_name"][:500]
        problems.raise_any()
        return clean

    if not clean["last_name"]:
        problems.add(DomainError(_("Give the applicant's surname."), code="last_name_required", field="last_name"))
    if not clean["first_name"]:
        problems.add(DomainError(_("Give the applicant's first name."), code="first_name_required", field="first_name"))
    birth_date = problems.check(_as_date, data.get("birth_date"), "birth_date")
    if birth_date and birth_date > timezone.localdate():
        problems.add(
            DomainError(_("The date of birth cannot be in the future."), code="invalid_birth_date", field="birth_date")
        )
        birth_date = None
    elif birth_date and birth_date < EARLIEST_BIRTH_DATE:
        problems.add(
            DomainError(
                _("Check the date of birth: %(date)s is before 1900.") % {"date": birth_date.strftime("%d.%m.%Y")},
                code="invalid_birth_date",
                field="birth_date",
            )
        )
        birth_date = None
    clean["birth_date"] = birth_date
    refused = bool(data.get("refused_rnokpp"))
    clean["refused_rnokpp"] = refused
    rnokpp = (data.get("rnokpp") or "").strip()
    series = (data.get("passport_series") or "").strip().upper()
    number = re.sub(r"\s", "", data.get("passport_number") or "")
    if refused and rnokpp:
        problems.add(
            DomainError(
                _("The person has refused a RNOKPP: no RNOKPP is given, only the passport series and number."),
                code="rnokpp_refused",
                field="rnokpp",
            )
        )
    elif rnokpp:
        rnokpp = problems.check(validate_rnokpp, rnokpp, default="")
    clean["rnokpp"] = rnokpp if not refused else ""
    if refused and (not series or not number):
        problems.add(
            DomainError(
                _("The person has refused a RNOKPP: give the series and number of the (booklet) passport."),
                code="passport_required",
                field="passport_number",
            )
        )
    elif series and not PASSPORT_SERIES_RE.fullmatch(series):
        problems.add(
            DomainError(
                _("The passport series is two capital Ukrainian letters, e.g. «КВ»."),
                code="invalid_passport_series",
                field="passport_series",
            )
        )
    elif number and not re.fullmatch(r"\d{6}", number):
        problems.add(
            DomainError(
                _("The number of a booklet passport is 6 digits."),
                code="invalid_passport_number",
                field="passport_number",
            )
        )
    elif bool(series) != bool(number):
        problems.add(
            DomainError(
                _("Give both the series and the number of the passport."),
                code="passport_incomplete",
                field="passport_number",
            )
        )
    clean["passport_series"], clean["passport_number"] = series, number
    id_card = re.sub(r"\s", "", data.get("id_card_number") or "")
    if id_card and not re.fullmatch(r"\d{9}", id_card):
        problems.add(DomainError(_("The ID card number is 9 digits."), code="invalid_id_card", field="id_card_number"))
    clean["id_card_number"] = id_card
    unzr = (data.get("unzr") or "").strip()
    if unzr:
        match = re.fullmatch(r"(\d{8})-(\d{5})", unzr)
        try:
            unzr_date = dt.datetime.strptime(match.group(1), "%Y%m%d").date() if match else None
        except ValueError:
            unzr_date = None
        if unzr_date is None:
            problems.add(
                DomainError(
                    _("The UNZR looks like YYYYMMDD-NNNNN, where the first 8 digits are the date of birth."),
                    code="invalid_unzr",
                    field="unzr",
                )
            )
        elif birth_date and unzr_date != birth_date:
            problems.add(
                DomainError(
                    _("The date in the UNZR does not match the date of birth."), code="unzr_birth_date", field="unzr"
                )
            )
    clean["unzr"] = unzr
    problems.raise_any()
    return clean


def probable_duplicates(center: Center, data: dict, *, exclude_id: int | None = None, actor=None) -> list[Applicant]:
    """Applicants of ``center`` who are probably the same person: same РНОКПП, or the same name and
    birth date, or the same phone and surname. A warning for the administrator, never a refusal."""
    rnokpp = re.sub(r"\s", "", data.get("rnokpp") or "")
    last_name = normalise_name(data.get("last_name") or "")
    first_name = normalise_name(data.get("first_name") or "")
    phone = _try_phone(data.get("phone") or "")
    edrpou = re.sub(r"\s", "", data.get("edrpou") or "")
    try:
        birth_date = _as_date(data.get("birth_date"), "birth_date")
    except DomainError:
        birth_date = None
    condition = Q()
    if rnokpp:
        condition |= Q(rnokpp=rnokpp)
    if edrpou and (data.get("kind") == Applicant.Kind.LEGAL_ENTITY):
        condition |= Q(edrpou=edrpou)
    if last_name and first_name and birth_date:
        condition |= Q(last_name__iexact=last_name, first_name__iexact=first_name, birth_date=birth_date)
    if phone and last_name:
        condition |= Q(phone=phone, last_name__iexact=last_name)
    if not condition:
        return []
    queryset = Applicant.objects.filter(center=center).filter(condition)
    if exclude_id:
        queryset = queryset.exclude(pk=exclude_id)
    found = list(queryset.order_by("-created_at")[:10])
    if actor is not None:
        _viewed(actor, found, reason="duplicate_check")
    return found


def _require_center_staff(center_id: int, actor: Actor | None, what: str) -> None:
    """Administrators and heads of the center (or a system administrator / system actor)."""
    if actor is not None and actor.user is None and actor.label:
        return
    user = actor.user if actor else None
    if user is not None and user.is_active and user.role in workflow.FRONT_ROLES and user.center_id == center_id:
        return  # their own center: visible by definition, no query needed
    if user is None or not Center.objects.visible_to(user).filter(pk=center_id).exists():
        raise NotFound(_("Center not found."))
    if user.role == Role.SYSADMIN or (user.role in workflow.FRONT_ROLES and user.center_id == center_id):
        return
    raise PermissionDenied(_("The action «%(action)s» is for an administrator of the center.") % {"action": what})


def create_applicant(center: Center, data: dict, *, actor: Actor | None) -> Applicant:
    """A new applicant of ``center``. Check ``probable_duplicates`` first to warn the administrator."""
    _require_center_staff(center.pk, actor, _("register an applicant"))
    clean = clean_applicant_data(data)
    with transaction.atomic():
        _refuse_same_code(center, clean)
        return _new_applicant(center, clean, actor=actor)


def _new_applicant(center: Center, clean: dict, *, actor: Actor | None) -> Applicant:
    applicant = Applicant.objects.create(center=center, region_id=center.region_id, **clean)
    record(
        actor,
        "applicant.created",
        applicant,
        data={"kind": applicant.kind, "has_rnokpp": bool(applicant.rnokpp), "refused_rnokpp": applicant.refused_rnokpp},
    )
    return applicant


def case_of_earlier_intake(center_id: int, idempotency_key: str) -> Case | None:
    """The case an earlier submit of the same intake form (its key) registered: a repeat reuses its
    applicant and representative cards instead of writing others, and ``register_case`` returns it."""
    if not idempotency_key:
        return None
    earlier = Case.objects.filter(center_id=center_id, idempotency_key=idempotency_key)
    return earlier.select_related("applicant", "representative").first()


def _same_code(center: Center, clean: dict) -> tuple[str, Applicant | None]:
    """The applicant card of ``center`` already holding the РНОКПП (or ЄДРПОУ) of ``clean``, with the
    field's name. Two desks typing the same code at once are serialised by a transaction-scoped
    advisory lock on it (hold it until the new card is written)."""
    for field in ("rnokpp", "edrpou"):
        code = clean.get(field) or ""
        if not code:
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"applicant-{center.pk}-{field}-{code}"])
        existing = Applicant.objects.filter(center=center, **{field: code}).order_by("pk").first()
        if existing is not None:
            return field, existing
    return "", None


def _refuse_same_code(center: Center, clean: dict) -> None:
    """A РНОКПП (or ЄДРПОУ) names one person (or company): a second applicant card with it in the same
    center is refused, naming the first (for the staff member, who then picks that card)."""
    field, existing = _same_code(center, clean)
    if existing is None:
        return
    code = clean[field]
    if field == "rnokpp":
        message = _(
            "An applicant with the RNOKPP %(code)s is already registered at the center: %(name)s. "
            "Find them by this code and choose them instead of creating a new card."
        )
    else:
        message = _(
            "An applicant with the EDRPOU code %(code)s is already registered at the center: %(name)s. "
            "Find them by this code and choose them instead of creating a new card."
        )
    raise Conflict(message % {"code": code, "name": existing.display_name}, code="applicant_exists", field=field)


def applicant_for_online_application(center: Center, data: dict, *, actor: Actor | None) -> tuple[Applicant, bool]:
    """The applicant card of an online application: the center's card with the same РНОКПП when there is
    one (left as it is, and nothing of it is shown to the submitter), otherwise a new card. Returns the
    card and whether it was created; the caller records what was submitted for the administrator who
    accepts the application to compare."""
    _require_center_staff(center.pk, actor, _("register an applicant"))
    clean = clean_applicant_data(data)
    with transaction.atomic():
        _field, existing = _same_code(center, clean)
        if existing is not None:
            return existing, False
        return _new_applicant(center, clean, actor=actor), True


def note_submitted_details(case: Case, data: dict, *, actor: Actor | None) -> None:
    """Keep, for the administrator who accepts an online application made for an existing card, the
    name and contacts the submitter typed (the card itself is not changed by a web form)."""
    typed = [" ".join(str(data.get(f) or "").split()) for f in ("last_name", "first_name", "patronymic")]
    parts = [" ".join(p for p in typed if p)]
    for label, field in (("тел.", "phone"), ("ел. пошта", "email")):
        value = " ".join(str(data.get(field) or "").split())
        if value:
            parts.append(f"{label} {value}")
    add_event(
        case,
        "online_details",
        actor=actor,
        visible_to_applicant=False,
        comment=("Подано онлайн: " + "; ".join(p for p in parts if p))[:1000],  # stored: Ukrainian
    )


def clean_representative_data(data: dict) -> dict:
    """Validate and normalise a representative's details; every problem is reported at once (the
    DomainError raised carries the others in ``others``)."""
    problems = Problems()
    full_name = normalise_name(data.get("full_name") or "")
    if not full_name:
        problems.add(
            DomainError(_("Give the full name of the representative."), code="name_required", field="full_name")
        )
    authority = " ".join((data.get("authority_document") or "").split())
    if not authority:
        problems.add(
            DomainError(
                _("Give the power of attorney: its number, date and who certified it."),
                code="authority_required",
                field="authority_document",
            )
        )
    valid_until = problems.check(_as_date, data.get("authority_valid_until"), "authority_valid_until")
    if valid_until and valid_until < timezone.localdate():
        problems.add(
            DomainError(
                _("The power of attorney was valid until %(date)s: it is no longer in force.")
                % {"date": f"{valid_until:%d.%m.%Y}"},
                code="authority_expired",
                field="authority_valid_until",
            )
        )
    rnokpp = (data.get("rnokpp") or "").strip()
    clean = {
        "full_name": full_name[:300],
        "rnokpp": problems.check(validate_rnokpp, rnokpp, field="rnokpp", default="") if rnokpp else "",
        "identity_document": " ".join((data.get("identity_document") or "").split())[:200],
        "authority_document": authority[:300],
        "authority_valid_until": valid_until,
        "phone": problems.check(normalise_phone, data.get("phone") or "", default=""),
    }
    problems.raise_any()
    return clean


def create_representative(center: Center, data: dict, *, actor: Actor | None) -> Representative:
    """A representative with the power of attorney details."""
    _require_center_staff(center.pk, actor, _("register a representative"))
    clean = clean_representative_data(data)
    with transaction.atomic():
        representative = Representative.objects.create(center=center, **clean)
        record(
            actor,
            "representative.created",
            representative,
            data={"authority_valid_until": clean["authority_valid_until"]},
        )
    return representative


def _viewed(actor: Actor | None, applicants, *, reason: str) -> None:
    for applicant in applicants:
        record(actor, "applicant.viewed", applicant, data={"reason": reason})


def view_applicant(applicant: Applicant, *, actor: Actor | None, reason: str = "view") -> Applicant:
    """Audit that staff looked at the applicant's personal data; returns the applicant."""
    _viewed(actor, [applicant], reason=reason)
    return applicant


def get_applicant(user, applicant_id: int, *, actor: Actor | None) -> Applicant:
    applicant = Applicant.objects.visible_to(user).filter(pk=applicant_id).select_related("settlement").first()
    if applicant is None:
        raise NotFound(_("Applicant not found."))
    return view_applicant(applicant, actor=actor)


TYPO_SURNAMES = 20  # similar surnames a typo may stand for
PREFIX_IDS = 300  # up to this many applicants with the name: look their cases up by applicant


def _similar_surnames(center_id: int, surname: str) -> list[str]:
    """The distinct surnames of the center's applicants similar to ``surname`` (pg_trgm ``%``, the
    same test as ``trigram_similar``), most similar first. The distinct surnames are walked through
    the (center, last_name) index one by one (a loose index scan: one probe per distinct surname), so
    the cost follows the number of different surnames, not of applicants."""
    table = Applicant._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE names(last_name) AS (
                (SELECT last_name FROM {table} WHERE center_id = %s ORDER BY last_name USING ~<~ LIMIT 1)
                UNION ALL
                SELECT (
                    SELECT a.last_name FROM {table} a
                    WHERE a.center_id = %s AND a.last_name ~>~ n.last_name
                    ORDER BY a.last_name USING ~<~ LIMIT 1
                )
                FROM names n WHERE n.last_name IS NOT NULL
            )
            SELECT last_name FROM names WHERE last_name %% %s
            ORDER BY similarity(last_name, %s) DESC, last_name LIMIT %s
            """,  # noqa: S608 — table name from the model
            [center_id, center_id, surname, surname, TYPO_SURNAMES],
        )
        return [row[0] for row in cursor.fetchall()]


def _surname_condition(prefix: str, text: str, applicants: QuerySet, *, center_id: int | None = None) -> Q:
    """Surname (and first name) as typed: the names starting so; only when no applicant in
    ``applicants`` has such a name, the surnames similar to it (a typo, trigram similarity).

    A trigram match over every applicant is slow — Ukrainian surnames share endings (-енко, -чук),
    so one query matches a large share of them — so it runs only when the prefix finds nothing, and
    within one center it compares the center's distinct surnames instead of its applicants."""
    words = text.split()
    surname = normalise_name(words[0]) if words else ""
    first = normalise_name(words[1]) if len(words) > 1 else ""
    by_prefix = {"last_name__startswith": surname}
    if first:
        by_prefix["first_name__startswith"] = first
    ids = list(applicants.filter(**by_prefix).values_list("id", flat=True)[: PREFIX_IDS + 1])
    if len(ids) > PREFIX_IDS:  # a common name: its cases are dense, walking the newest ones finds them
        return Q(**{f"{prefix}{k}": v for k, v in by_prefix.items()})
    if ids:  # a rarer name: its few applicants' cases, looked up by applicant (the planner cannot
        # tell a rare prefix from a common one and would walk the whole center's cases)
        return Q(**{f"{prefix}id__in": ids}) if prefix else Q(id__in=ids)
    if center_id is not None:
        condition = Q(**{f"{prefix}last_name__in": _similar_surnames(center_id, surname)})
    else:
        condition = Q(**{f"{prefix}last_name__trigram_similar": surname})
    if first:
        condition &= Q(**{f"{prefix}first_name__istartswith": first})
    return condition


def find_applicants(
    user, *, rnokpp: str | None = None, phone: str | None = None, name: str | None = None, actor: Actor | None
) -> list[Applicant]:
    """Applicants in the user's scope by РНОКПП, phone or name (surname, with a typo allowed).
    Every applicant returned is audited as viewed."""
    queryset = Applicant.objects.visible_to(user)
    if not any(((rnokpp or "").strip(), (phone or "").strip(), (name or "").strip())):
        raise DomainError(
            _("Give a RNOKPP, a phone number or a surname to search by."), code="query_required", field="q"
        )
    if (rnokpp or "").strip():
        queryset = queryset.filter(rnokpp=re.sub(r"\s", "", rnokpp))
    if (phone or "").strip():
        queryset = queryset.filter(phone=normalise_phone(phone))
    if (name or "").strip():
        surname = normalise_name(name.split()[0])
        queryset = queryset.filter(_surname_condition("", name.strip(), queryset)).annotate(
            similarity=TrigramSimilarity("last_name", surname)
        )
        queryset = queryset.order_by("-similarity", "last_name", "first_name", "id")
    else:
        queryset = queryset.order_by("last_name", "first_name", "id")
    found = list(queryset.select_related("settlement")[:FIND_LIMIT])
    _viewed(actor, found, reason="search")
    return found


# --- registration ----------------------------------------------------------------------------


def new_access_code() -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def format_number(center_id: int, year: int, seq: int) -> str:
    return f"{center_id}-{year % 100:02d}-{seq:06d}"


def _take_number(center_id: int, year: int) -> int:
    """Take the center's audit-chain lock (``workflow.lock_center_chain``: audit lock first, always),
    then the next number of this center's year, then read the chain's head for the audit records
    that follow (``audit.remember_head``) — three statements in one round trip. The counter row
    (created at the first case of the year) stays locked until the transaction ends, so a concurrent
    registration waits for it; a rolled-back registration rolls the increment back too, so numbers
    have no gaps."""
    table = CaseNumberCounter._meta.db_table
    upsert = (
        f"INSERT INTO {table} AS counter (center_id, year, last_value) VALUES (%s, %s, 1) "  # noqa: S608 — the model's table
        "ON CONFLICT (center_id, year) DO UPDATE SET last_value = counter.last_value + 1 RETURNING last_value"
    )
    chain = audit.center_chain(center_id)
    head, head_params = audit.head_query(chain)
    *_set, _lock, (counter,), last = run_in_order(
        [
            *reuse_plans(),  # registration's statements keep their plans (see core.db.ordered)
            ("SELECT pg_advisory_xact_lock(hashtext(%s))", [audit.chain_lock_key(chain)]),
            (upsert, [center_id, year]),
            (head, head_params),
        ]
    )
    seq = counter
    audit.remember_head(chain, last)
    return seq


MAX_DOCUMENT_NAME = 300
MAX_EXTRA_DOCUMENTS = 20


def _checklist(required, documents) -> list[CaseDocument]:
    """The ІК checklist (``required``: the version's documents by position) with the provided flags.
    ``documents``: None (everything provided) or a list of positions / dicts ``{"position",
    "provided", "pages", "original", "copy"}`` (what was actually taken in: the ІК says what is
    required, the administrator records an original shown or a copy kept). A dict with a ``name``
    and no ``position`` is a document the applicant brought beyond the ІК list (a service whose card
    lists none, a supporting paper): it follows the ІК rows in the опис, as a copy unless told."""
    by_position = {d.position: d for d in required}
    given: dict[int, dict] = {}
    extra: list[dict] = []
    for item in documents or ():
        entry = dict(item) if isinstance(item, dict) else {"position": item}
        if entry.get("position") is None and entry.get("name") is not None:
            name = " ".join(str(entry["name"]).split())
            if not name:
                raise DomainError(
                    _("Give the name of the additional document."), code="invalid_document", field="documents"
                )
            if len(name) > MAX_DOCUMENT_NAME:
                raise DomainError(
                    _("The document name is too long (up to %(limit)s characters).") % {"limit": MAX_DOCUMENT_NAME},
                    code="invalid_document",
                    field="documents",
                )
            extra.append({**entry, "name": name})
            continue
        try:
            position = int(entry.get("position"))
        except (TypeError, ValueError):
            raise DomainError(_("The document position must be a number."), code="invalid_document", field="documents")
        if position not in by_position:
            raise DomainError(
                _("The service's list of documents has no item No. %(position)s.") % {"position": position},
                code="unknown_document",
                field="documents",
            )
        given[position] = entry
    if len(extra) > MAX_EXTRA_DOCUMENTS:
        raise DomainError(
            _("Too many additional documents (up to %(limit)s).") % {"limit": MAX_EXTRA_DOCUMENTS},
            code="invalid_document",
            field="documents",
        )
    rows = []
    for doc in required:
        entry = given.get(doc.position)
        provided = True if documents is None else (entry is not None and entry.get("provided", True) is not False)
        pages = entry.get("pages") if entry and entry.get("pages") is not None else doc.pages
        rows.append(
            CaseDocument(
                position=doc.position,
                name=doc.name,
                original=bool(entry["original"]) if entry and "original" in entry else doc.original,
                copy=bool(entry["copy"]) if entry and "copy" in entry else doc.copy,
                pages=pages,
                provided=provided,
            )
        )
    last = max(by_position, default=0)
    for number, entry in enumerate(extra, start=last + 1):
        rows.append(
            CaseDocument(
                position=number,
                name=entry["name"],
                original=bool(entry.get("original", False)),
                copy=bool(entry.get("copy", True)),
                pages=entry.get("pages") or None,  # counted only when the administrator gives it
                provided=True,
                extra=True,
            )
        )
    return rows


def identity_of(applicant: Applicant) -> str:
    """The identity document on the applicant's card (ID card, else passport), for the issuance record."""
    if applicant.id_card_number:
        return f"ID-картка № {applicant.id_card_number}"
    if applicant.passport_number:
        return f"Паспорт {applicant.passport_series} № {applicant.passport_number}"
    return ""


def _fingerprint_conflict(case: Case, fingerprint: str) -> None:
    if fingerprint and case.request_fingerprint and case.request_fingerprint != fingerprint:
        raise DomainError(
            _(
                "The idempotency key has already been used for another application (case No. %(number)s). "
                "A repeated request must be the same; for a new application pass a new key."
            )
            % {"number": case.number},
            code="idempotency_key_reused",
            field="Idempotency-Key",
            status=422,
        )


def _replay(case: Case, fingerprint: str) -> Case:
    _fingerprint_conflict(case, fingerprint)
    case.replayed = True
    return case


IDEMPOTENCY_KEY_CONSTRAINT = "case_idempotency_key"  # Case.Meta.constraints


def register_case(
    *,
    office: Office,
    service: Service,
    applicant: Applicant,
    actor: Actor | None,
    channel: str | None = None,
    documents=None,
    representative: Representative | None = None,
    payment: dict | None = None,
    idempotency_key: str = "",
    fingerprint: str = "",
    filed_at: datetime | None = None,
    issuance: dict | None = None,
) -> Case:
    """Register an application at ``office`` (see the module docstring). With ``idempotency_key``, a
    repeat returns the first case (its ``replayed`` attribute is True) instead of creating another.

    ``payment``: ``{"method", "amount", "receipt_number", "paid_on", "exemption_ground"}`` taken at
    the desk. ``issuance``: for an instant service, ``{"identity_document", "to_representative"}``.
    The center's audit lock is taken before the counter lock, so a caller may have written audit
    records earlier in its transaction (e.g. ``create_applicant``) without risking a deadlock."""
    center_id = office.center_id
    _require_center_staff(center_id, actor, _("register an application"))
    if not office.is_active:
        raise DomainError(
            _("The office «%(office)s» is not operating.") % {"office": office}, code="office_inactive", field="office"
        )
    if applicant.center_id != center_id:
        raise NotFound(_("Applicant not found."))
    if representative is not None and representative.center_id != center_id:
        raise NotFound(_("Representative not found."))
    key = (idempotency_key or "").strip()
    if len(key) > 80:
        raise DomainError(
            _("The idempotency key is too long (up to 80 characters)."), code="invalid_key", field="Idempotency-Key"
        )
    channel = channel or office.kind
    if channel not in Channel.values:
        raise DomainError(_("Unknown application channel."), code="invalid_channel", field="channel")
    now = timezone.now()
    filed_at = filed_at or now
    if filed_at > now + dt.timedelta(minutes=5):
        raise DomainError(_("The filing date cannot be in the future."), code="invalid_filed_at", field="filed_at")
    filed_day = timezone.localdate(filed_at)
    terms = intake.terms(service, filed_day)
    if terms is None:
        raise DomainError(
            _("The service %(code)s was not in force on %(date)s: there is no valid version of its information card.")
            % {"code": service.code, "date": f"{filed_day:%d.%m.%Y}"},
            code="service_not_in_force",
            field="service",
        )
    version, fee, steps = terms.version, terms.fee, terms.steps
    checklist = _checklist(terms.documents, documents)
    online = channel == Channel.ONLINE
    instant = version.instant and not online
    tasks = [
        CaseTask(
            position=step.position,
            action=step.action,
            role=step.role,
            action_type=step.action_type,
            term_value=step.term_value,
            term_unit=step.term_unit,
        )
        for step in steps
    ]
    if tasks:  # the first ТК step starts at filing (as workflow.start_tasks does for a saved case)
        first = tasks[0]
        first.state = CaseTask.State.ACTIVE
        first.started_at = filed_at
        first.due_at = workflow.compute_due(filed_at, first.term_value, first.term_unit, office=office)
    status = Status.SUBMITTED_ONLINE if online else Status.ACCEPTED
    due_at = workflow.compute_due(filed_at, version.term_value, version.term_unit, office=office)
    fee_amount = fee.amount.quantize(CENT) if fee.amount is not None else None
    try:
        with transaction.atomic():
            # A repeated key (a retry, even one racing the first request) is caught by the unique
            # constraint of the insert below (IntegrityError): the block, counter included, rolls back
            # and the first case is returned. Retries are rare, so the first request pays no look-up.
            seq = _take_number(center_id, filed_day.year)
            case = Case.objects.create(
                center_id=center_id,
                region_id=office.region_id,
                office=office,
                current_office=office,
                service=service,
                service_version=version,
                applicant=applicant,
                representative=representative,
                number=format_number(center_id, filed_day.year, seq),
                year=filed_day.year,
                seq=seq,
                access_code=new_access_code(),
                channel=channel,
                status=status,
                status_changed_at=filed_at,
                filed_at=filed_at,
                due_at=due_at,
                instant=version.instant,
                fee_amount=fee_amount,
                fee_budget_code=fee.budget_code,
                pay_later_allowed=version.pay_later_allowed,
                created_by_id=actor.user_id if actor else None,
                idempotency_key=key,
                request_fingerprint=fingerprint if key else "",
            )
            if Office.center.is_cached(office):
                case.center = office.center  # for the notification text, without a query
            for row in checklist:
                row.case = case
            CaseDocument.objects.bulk_create(checklist)
            for task in tasks:
                task.case = case
            CaseTask.objects.bulk_create(tasks)
            add_event(
                case,
                "registered",
                actor=actor,
                at=filed_at,
                to_status=case.status,
                office_id=office.pk,
                data={"version": version.number, "fee": str(fee.amount) if fee.amount is not None else None},
            )
            record(
                actor,
                "case.registered",
                case,
                data={
                    "number": case.number,
                    "service": service.code,
                    "version": version.number,
                    "applicant": applicant.pk,
                    "channel": channel,
                    "fee": fee.amount,
                    "documents_missing": [d.position for d in checklist if not d.provided],
                },
            )
            if payment:
                _record_payment(case, actor=actor, office_id=office.pk, at=filed_at, **payment)
            if instant:
                _complete_instant(case, actor=actor, issuance=issuance or {}, now=filed_at)
            elif not online:
                notify("accepted", case, actor=actor)
    except IntegrityError as error:
        # Two refusals of the database end the block here, told apart by the constraint's name: the
        # idempotency key (a repeat: the first case is the answer) and the receipt of the payment (the
        # same receipt recorded for another case at this very moment: the 409 of a receipt recorded
        # twice). Either way the whole registration, its number included, has rolled back.
        refusal = (
            payments.receipt_refusal(
                error,
                center_id=center_id,
                method=payment.get("method", ""),
                receipt_number=payment.get("receipt_number", ""),
            )
            if payment
            else None
        )
        if refusal is not None:
            raise refusal from error
        if not key or violated_constraint(error) != IDEMPOTENCY_KEY_CONSTRAINT:
            raise
        existing = Case.objects.filter(center_id=center_id, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    case.replayed = False
    return case


def _complete_instant(case: Case, *, actor: Actor | None, issuance: dict, now) -> None:
    """An instant service: the administrator gives the result at intake, in the same transaction."""
    if not case.pay_later_allowed and not payments.is_paid(case):
        raise Conflict(
            _(
                "An instant service is issued only after payment: add the payment or the exemption from payment "
                "to the application."
            ),
            code="fee_unpaid",
        )
    to_representative = bool(issuance.get("to_representative"))
    identity = (issuance.get("identity_document") or "").strip()
    if not identity:
        identity = (case.representative.identity_document if to_representative and case.representative else "") or (
            identity_of(case.applicant)
        )
    if not identity:
        # the result is handed over now: the record of who received it names the document shown
        raise DomainError(
            _("An instant service is issued at once: give the identity document of the recipient (type and number)."),
            code="identity_document_required",
            field="identity_document",
        )
    case.status = Status.RESULT_READY
    case.result_ready_at = now
    case.save(update_fields=["status", "result_ready_at"])
    add_event(
        case,
        "mark_result_ready",
        actor=actor,
        at=now,
        from_status=Status.ACCEPTED,
        to_status=Status.RESULT_READY,
        comment="Миттєва послуга: результат сформовано під час прийому.",
    )
    transition(
        case,
        "issue",
        actor=actor,
        at=now,
        office=case.office_id,
        recipient_name=issuance.get("recipient_name", ""),
        identity_document=identity,
        to_representative=to_representative,
        note="Миттєва послуга",
    )
    case.refresh_from_db()


# --- payments, files, issuance, transfer ---------------------------------------------------------


def _record_payment(case: Case, *, actor: Actor | None, office_id: int | None = None, at=None, **fields):
    payment = payments.record_payment(case, actor=actor, **fields)
    add_event(
        case,
        "payment_recorded",
        actor=actor,
        at=at,
        office_id=office_id,
        comment=in_ukrainian(payment.Method(payment.method).label),  # stored in the history: Ukrainian
        data={"amount": str(payment.amount), "method": payment.method, "receipt_number": payment.receipt_number},
    )
    return payment


def record_payment(
    case: Case,
    *,
    method: str,
    amount=None,
    receipt_number: str = "",
    paid_on: dt.date | None = None,
    exemption_ground: str = "",
    actor: Actor | None,
):
    """Record a payment or an exemption of the case's fee (front office of the case's center)."""
    workflow.require_side(case, actor, FRONT, _("record a payment"))
    if case.is_closed:
        raise Conflict(
            _("Case No. %(number)s is closed (%(status)s): no payment is added to it.")
            % {"number": case.number, "status": case.get_status_display()},
            code="case_closed",
        )
    paid_on = _as_date(paid_on, "paid_on")
    try:
        with transaction.atomic():
            workflow.lock_center_chain(case.center_id)
            Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).values_list("pk", flat=True).first()
            same = _same_payment(case, method, amount, receipt_number, paid_on, exemption_ground)
            if same is not None:
                return same  # the same receipt sent again (a button pressed twice, a retried request)
            return _record_payment(
                case,
                actor=actor,
                method=method,
                amount=amount,
                receipt_number=receipt_number,
                paid_on=paid_on,
                exemption_ground=exemption_ground,
            )
    except IntegrityError as error:
        # the same receipt recorded for another case at this very moment (the unique index of receipts)
        refusal = payments.receipt_refusal(
            error, center_id=case.center_id, method=method, receipt_number=receipt_number
        )
        if refusal is None:
            raise
        raise refusal from error


def _same_payment(case: Case, method, amount, receipt_number, paid_on, exemption_ground):
    """The payment of the case already recorded from the same receipt (or the same exemption), if any."""
    payments_of_case = Payment.objects.filter(case_id=case.pk, method=method)
    if method == Payment.Method.EXEMPTION:
        ground = (exemption_ground or "").strip()[:500]
        return payments_of_case.filter(exemption_ground=ground).first() if ground else None
    receipt_number = (receipt_number or "").strip()
    try:
        amount = Decimal(str(amount).replace(",", ".").replace(" ", "")).quantize(CENT)
    except (ArithmeticError, ValueError):
        return None  # the payments room refuses it with its message
    if not receipt_number or not amount.is_finite():
        return None
    return payments_of_case.filter(
        receipt_number=receipt_number[:80], amount=amount, paid_on=paid_on or timezone.localdate()
    ).first()


def add_document_file(case: Case, position: int, uploaded_file, *, actor: Actor | None) -> CaseDocument:
    """Attach the scan of one document of the input package (PDF, JPEG or PNG)."""
    workflow.require_side(case, actor, FRONT, _("add a document scan"))
    if case.is_closed:
        raise Conflict(
            _("Case No. %(number)s is closed: no documents are added to it.") % {"number": case.number},
            code="case_closed",
        )
    document = case.documents.filter(position=position).first()
    if document is None:
        raise NotFound(
            _("The inventory of case No. %(number)s has no document No. %(position)s.")
            % {"number": case.number, "position": position}
        )
    checked = check_upload(uploaded_file)
    with transaction.atomic():
        previous = document.sha256
        document.file.save(f"{case.number}-{position}{checked.extension}", uploaded_file, save=False)
        document.content_type = checked.content_type
        document.size = checked.size
        document.sha256 = checked.sha256
        document.uploaded_at = timezone.now()
        document.provided = True
        document.save()
        add_event(
            case,
            "document_uploaded",
            actor=actor,
            visible_to_applicant=False,
            comment=document.name[:200],
            data={"position": position, "sha256": checked.sha256, "replaced": previous or None},
        )
        record(
            actor,
            "case.document_uploaded",
            case,
            data={"position": position, "sha256": checked.sha256, "size": checked.size, "replaced": previous or None},
        )
    return document


RESULT_STATUSES = (Status.IN_PROGRESS, Status.RESULT_READY, Status.REFUSED)


def attach_result(
    case: Case,
    uploaded_file,
    *,
    name: str,
    is_refusal: bool = False,
    mark_ready: bool = False,
    actor: Actor | None,
    at=None,
) -> ResultDocument:
    """Attach the result (or the refusal decision) of the case, with its SHA-256. ``at``: when it was
    attached, for history brought in from elsewhere (default now; the audit record keeps the real time).
    ``mark_ready``: also move the case to «result ready», in the same transaction — a refused move keeps
    no attachment."""
    workflow.require_side(case, actor, workflow.EITHER, _("attach the result"))
    if case.status not in RESULT_STATUSES:
        raise Conflict(
            _("Cannot attach the result: case No. %(number)s has the status «%(status)s».")
            % {"number": case.number, "status": case.get_status_display()},
            code="illegal_transition",
        )
    if case.status == Status.REFUSED and not is_refusal:
        raise Conflict(
            _("Case No. %(number)s was refused: only its refusal decision can be attached.") % {"number": case.number},
            code="illegal_transition",
        )
    if case.status == Status.RESULT_READY and is_refusal:
        raise Conflict(
            _("The result of case No. %(number)s is ready: a refusal decision cannot be attached to it.")
            % {"number": case.number},
            code="illegal_transition",
        )
    name = " ".join((name or "").split())[:300] or ("Рішення про відмову" if is_refusal else "Результат послуги")
    checked = check_upload(uploaded_file)
    with transaction.atomic():
        # One file is one document: the same file sent again (a button pressed twice, a retried request)
        # is the result already attached. The case's row lock makes a second request wait for the first.
        workflow.lock_center_chain(case.center_id)
        Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).values_list("pk", flat=True).first()
        result = ResultDocument.objects.filter(case=case, sha256=checked.sha256, is_refusal=bool(is_refusal)).first()
        if result is None:
            result = _new_result(case, uploaded_file, checked, name=name, is_refusal=is_refusal, actor=actor, at=at)
        if mark_ready and not is_refusal:
            transition(case, "mark_result_ready", actor=actor)
    return result


def _new_result(case: Case, uploaded_file, checked, *, name: str, is_refusal: bool, actor, at) -> ResultDocument:
    result = ResultDocument(
        case=case,
        name=name,
        is_refusal=bool(is_refusal),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_at=at or timezone.now(),
        uploaded_by_id=actor.user_id if actor else None,
    )
    result.file.save(f"{case.number}-result{checked.extension}", uploaded_file, save=False)
    result.save()
    add_event(
        case,
        "result_attached",
        actor=actor,
        at=result.uploaded_at,
        visible_to_applicant=False,
        comment=name,
        data={"sha256": checked.sha256, "is_refusal": bool(is_refusal)},
    )
    record(
        actor,
        "case.result_attached",
        case,
        data={"name": name, "sha256": checked.sha256, "size": checked.size, "is_refusal": bool(is_refusal)},
    )
    return result


def issue_action(case: Case) -> str:
    """The workflow action that hands over what the case has: the refusal or the result."""
    return "issue_refusal" if case.status == Status.REFUSED else "issue"


def issue(
    case: Case,
    *,
    actor: Actor | None,
    office: Office | None = None,
    recipient_name: str = "",
    identity_document: str = "",
    to_representative: bool = False,
    note: str = "",
    comment: str = "",
) -> Case:
    """Hand the result (``result_ready``) or the refusal (``refused``) over; this closes the case."""
    action = issue_action(case)
    return transition(
        case,
        action,
        actor=actor,
        comment=comment,
        office=office,
        recipient_name=recipient_name,
        identity_document=identity_document,
        to_representative=to_representative,
        note=note,
    )


def transfer(case: Case, *, to_office: Office, actor: Actor | None, comment: str = "") -> Case:
    """Move a case between offices of its center (e.g. filed at a ВРМ, handled at the main office)."""
    workflow.require_side(case, actor, FRONT, _("transfer the case to another office"))
    with transaction.atomic():
        workflow.lock_center_chain(case.center_id)
        case = Case.objects.select_for_update(of=("self",)).select_related("current_office").get(pk=case.pk)
        if case.is_closed:
            raise Conflict(
                _("Case No. %(number)s is closed: it cannot be transferred.") % {"number": case.number},
                code="case_closed",
            )
        if to_office.center_id != case.center_id or not to_office.is_active:
            raise DomainError(
                _("A case can only be transferred to an active office of the same center."),
                code="invalid_office",
                field="to_office",
            )
        if to_office.pk == case.current_office_id:
            raise DomainError(_("The case is already at this office."), code="same_office", field="to_office")
        previous = case.current_office
        case.current_office = to_office
        case.save(update_fields=["current_office"])
        add_event(
            case,
            "transferred",
            actor=actor,
            comment=(comment or "").strip(),
            visible_to_applicant=False,
            data={"from_office": previous.pk, "to_office": to_office.pk, "to_office_name": to_office.name},
        )
        record(
            actor,
            "case.transferred",
            case,
            data={"from_office": previous.pk, "to_office": to_office.pk, "comment": comment},
        )
    return case


def transferred_by(case: Case, office_id, user) -> bool:
    """Whether the case's last event is ``user``'s transfer of it to ``office_id``, where it still is
    (a transfer sent twice is answered as done)."""
    office_id = str(office_id or "").strip()
    if not office_id.isdigit() or user is None or not getattr(user, "pk", None):
        return False
    case.refresh_from_db(fields=["current_office"])
    if case.current_office_id != int(office_id):
        return False
    last = case.events.order_by("-at", "-id").values("action", "actor_id", "data").first()
    return (
        last is not None
        and last["action"] == "transferred"
        and last["actor_id"] == user.pk
        and str((last["data"] or {}).get("to_office")) == office_id
    )


def record_consultation(
    *, office: Office, actor: Actor | None, service: Service | None = None, topic: str = "", channel: str = "in_person"
) -> Consultation:
    """Count one consultation given at ``office``."""
    _require_center_staff(office.center_id, actor, _("record a consultation"))
    if channel not in Consultation.Channel.values:
        raise DomainError(_("Unknown consultation channel."), code="invalid_channel", field="channel")
    topic = " ".join((topic or "").split())[:300]
    if service is None and not topic:
        raise DomainError(_("Give the service or the topic of the consultation."), code="topic_required", field="topic")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            center_id=office.center_id,
            region_id=office.region_id,
            office=office,
            service=service,
            topic=topic,
            channel=channel,
            at=timezone.now(),
            by_id=actor.user_id if actor else None,
        )
        record(actor, "consultation.recorded", consultation, data={"service": getattr(service, "code", None)})
    return consultation


def consultations_on(user, day: dt.date) -> QuerySet:
    """The consultations the user may see (their center, or region for the oblast) given on ``day``
    (local time), newest first."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    queryset = Consultation.objects.visible_to(user).filter(at__gte=start, at__lt=end)
    return queryset.select_related("office", "service").order_by("-at", "-id")


# --- reading -----------------------------------------------------------------------------------

CASE_RELATED = ("applicant", "service", "service_version", "office", "current_office", "provider", "center")


def get_case(user, number: str) -> Case:
    """A case by its number within the user's scope (404 outside it)."""
    case = Case.objects.visible_to(user).select_related(*CASE_RELATED).filter(number=(number or "").strip()).first()
    if case is None:
        raise NotFound(_("Case not found."))
    return case


def front_offices(user) -> QuerySet:
    """The active offices where a front-office user works: an administrator's own offices (all the
    center's offices when none is set), every office of the center for a head."""
    offices = Office.objects.visible_to(user).filter(is_active=True)
    if user.role == Role.ADMINISTRATOR:
        own = offices.filter(pk__in=user.offices.values("pk"))
        if own.exists():
            return own
    return offices


def officer_inbox(user) -> QuerySet:
    """Cases waiting at the officer's provider: sent, in work or waiting for clarification."""
    return Case.objects.visible_to(user).filter(status__in=INBOX_STATUSES)


# The front office's inbox: online applications to accept, cases to send (new or returned by a СНАП),
# cases waiting for the applicant's clarification (the applicant usually brings it to the desk) and
# results or refusals to hand out.
FRONT_INBOX_STATUSES = (
    Status.SUBMITTED_ONLINE,
    Status.ACCEPTED,
    Status.NEEDS_CLARIFICATION,
    Status.RESULT_READY,
    Status.REFUSED,
)


def work_inbox(user, *, statuses=(), uncollected: bool = False, now: datetime | None = None):
    """The cases awaiting ``user``'s side: ``officer_inbox`` for a СНАП officer, ``FRONT_INBOX_STATUSES``
    at the front office. ``statuses`` narrows it to those of them (others are ignored); ``uncollected``
    (front office) to the results and refusals not collected in time. Returns the queryset and the
    statuses it was narrowed to, in the inbox's order."""
    officer = user.role == Role.OFFICER
    offered = INBOX_STATUSES if officer else FRONT_INBOX_STATUSES
    shown = [value for value in offered if value in statuses]
    queryset = Case.objects.visible_to(user).filter(status__in=shown or offered)
    if uncollected and not officer:
        queryset = queryset.filter(deadlines.uncollected_q(now or timezone.now()))
    return queryset, shown


# --- what waits today (the staff workplace) ---------------------------------------------------

ONE = Value(1)  # COUNT(1) FILTER (…): unlike COUNT(id), it needs no column outside the open-case indexes


def _open_by_status(queryset, now: datetime, *by: str, statuses=OPEN_STATUSES) -> list[dict]:
    """The open cases of ``queryset`` per status (and per the fields ``by``), with those of them waiting
    to be collected past the reminder's term: one index-only scan of ``case_center_open`` /
    ``case_region_open``, two counters per row."""
    late = deadlines.uncollected_q(now)
    return list(
        queryset.filter(status__in=statuses)
        .values(*by, "status")
        .annotate(cases=Count(ONE), uncollected=Count(ONE, filter=late))
        .order_by()
    )


SOON_WORKING_DAYS = 2  # «due soon»: within this many working days, on the staff lists and the workplace


def _terms(queryset, now: datetime):
    """``queryset`` narrowed to the running cases due by the end of the second working day (overdue
    included: a range of ``case_center_status_due``), and the counters of the term lists over them."""
    due = queryset.filter(deadlines.running_q(), due_at__lte=deadlines.soon_limit(now, SOON_WORKING_DAYS))
    overdue = deadlines.overdue_q(now)
    counters = {
        "due_today": Count(ONE, filter=deadlines.due_today_q(now)),
        "due_soon": Count(ONE, filter=deadlines.due_within_q(now, SOON_WORKING_DAYS)),
        "overdue": Count(ONE, filter=overdue),
        "escalated": Count(ONE, filter=overdue & Q(escalated_at__isnull=False)),
    }
    return due, counters


# status → the workplace counter that counts it
WORKLOAD_STATUSES = {
    Status.SUBMITTED_ONLINE: "online_to_accept",
    Status.ACCEPTED: "to_send",
    Status.SENT_TO_PROVIDER: "with_provider",
    Status.IN_PROGRESS: "in_progress",
    Status.NEEDS_CLARIFICATION: "clarification",
}


def workload(user, now: datetime | None = None) -> dict[str, int]:
    """What waits for ``user`` today over the cases in their scope: open cases by where they stand, the
    results and refusals to hand out (``uncollected``: past the reminder's term), the term lists' sizes
    (due today, within two working days, overdue, of them escalated), and today's registrations, issues
    and consultations (``registered_by_me`` and ``consulted_by_me``: the user's own). Counts only, no
    personal data; five small aggregate queries on indexes."""
    now = now or timezone.now()
    start = datetime.combine(timezone.localdate(now, deadlines.KYIV), dt.time.min, tzinfo=deadlines.KYIV)
    cases = Case.objects.visible_to(user)
    counts = dict.fromkeys([*WORKLOAD_STATUSES.values(), "to_hand_out", "uncollected"], 0)
    # A provider's results wait at the centers, not with it: its count stays on the (small) undecided cases
    # that the index case_provider_status finds.
    provider = scope_of(user).kind == "provider"
    statuses = deadlines.TERM_RUNNING_STATUSES if provider else OPEN_STATUSES
    for row in _open_by_status(cases, now, statuses=statuses):
        if row["status"] in deadlines.WAITING_TO_BE_COLLECTED:
            counts["to_hand_out"] += row["cases"]
            counts["uncollected"] += row["uncollected"]
        else:
            counts[WORKLOAD_STATUSES[row["status"]]] = row["cases"]
    due, counters = _terms(cases, now)
    counts.update(due.aggregate(**counters))
    counts.update(
        cases.filter(filed_at__gte=start).aggregate(
            registered_today=Count(ONE), registered_by_me=Count(ONE, filter=Q(created_by_id=user.pk))
        )
    )
    counts["issued_today"] = cases.filter(
        closed_at__gte=start, status__in=(Status.ISSUED, Status.REFUSAL_ISSUED)
    ).count()
    counts.update(
        Consultation.objects.visible_to(user)
        .filter(at__gte=start)
        .aggregate(consulted_today=Count(ONE), consulted_by_me=Count(ONE, filter=Q(by_id=user.pk)))
    )
    return counts


def workload_by_center(user, now: datetime | None = None) -> list[dict]:
    """For the oblast and the system administrator: per center of their scope, the open cases that need a
    head's eye (overdue, due today, results waiting, of them uncollected), busiest first: centers with none
    of these are left out. Three small queries."""
    now = now or timezone.now()
    cases = Case.objects.visible_to(user)
    table: dict[int, dict] = {}

    def row_of(center_id: int) -> dict:
        return table.setdefault(
            center_id, {"center_id": center_id, "overdue": 0, "due_today": 0, "to_hand_out": 0, "uncollected": 0}
        )

    for row in _open_by_status(cases, now, "center_id", statuses=deadlines.WAITING_TO_BE_COLLECTED):
        target = row_of(row["center_id"])
        target["to_hand_out"] += row["cases"]
        target["uncollected"] += row["uncollected"]
    due, counters = _terms(cases, now)
    wanted = {key: counters[key] for key in ("overdue", "due_today")}
    for row in due.values("center_id").annotate(**wanted).order_by():
        row_of(row["center_id"]).update(overdue=row["overdue"], due_today=row["due_today"])
    rows = list(table.values())
    names = dict(Center.objects.filter(pk__in=[row["center_id"] for row in rows]).values_list("pk", "name"))
    result = [{**row, "center": names.get(row["center_id"], "")} for row in rows]
    result.sort(key=lambda row: (-row["overdue"], -row["uncollected"], -row["due_today"], row["center"]))
    return result


# What a list of cases shows (CaseOut): views add the offices or the provider they display.
SEARCH_RELATED = ("applicant", "service", "service_version")
# Long columns of the catalog no list shows (the search text and vector of a service, the ІК texts).
SEARCH_DEFERRED = (
    "service__search_text",
    "service__search_vector",
    *(
        f"service_version__{name}"
        for name in ("legal_basis", "result_uk", "how_to_receive_uk", "grounds_for_refusal", "info_card", "source")
    ),
)


def search_cases(user, query: str) -> QuerySet:
    """Cases in the user's scope by exact number, РНОКПП, phone or surname (prefix, else a typo).

    Only the relations a list needs are joined: planning a join of all seven costs more than running
    it. Searches by the applicant also name the applicant's scope column (an applicant belongs to the
    center of its cases), so the (center, …) indexes of applicants serve them directly."""
    text = " ".join((query or "").split())
    queryset = Case.objects.visible_to(user).select_related(*SEARCH_RELATED).defer(*SEARCH_DEFERRED)
    if not text:
        return queryset
    if NUMBER_RE.fullmatch(text):
        return queryset.filter(number=text)
    scope = scope_of(user)
    if scope.kind in ("center", "region"):
        queryset = queryset.filter(**{f"applicant__{scope.kind}_id": scope.id})
    compact = re.sub(r"[\s()\-]", "", text)
    if re.fullmatch(r"\+?\d{9,15}", compact):
        condition = Q()
        if re.fullmatch(r"\d{10}", compact) and rntrc.is_valid(compact):
            condition |= Q(applicant__rnokpp=compact)
        phone = _try_phone(compact) if (compact.startswith(("+", "0", "380")) or len(compact) != 10) else ""
        if phone:
            condition |= Q(applicant__phone=phone)
        return queryset.filter(condition) if condition else queryset.none()
    applicants = Applicant.objects.in_scope(scope) if scope.kind in ("center", "region", "all") else Applicant.objects
    center_id = scope.id if scope.kind == "center" else None
    return queryset.filter(_surname_condition("applicant__", text, applicants, center_id=center_id))


def page_cases(queryset: QuerySet, *, cursor: str | None = None, limit: int = 50) -> Page:
    """One page of cases, newest filing first, by the key (filed_at, id)."""
    return newest_first(queryset, "filed_at", cursor=cursor, limit=limit)
