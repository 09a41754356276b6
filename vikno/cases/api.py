"""API of the cases room: applicants, intake with an Idempotency-Key, the workflow, payments, scans,
results, issuance, transfers between offices and consultations. Handlers are thin: every change is
made by vikno/cases/services.py. Staff see only their scope; a case outside it answers 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from ninja import File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus
from pydantic import Field

from vikno.accounts.models import default_office
from vikno.catalog import intake
from vikno.catalog.models import Service
from vikno.core.api_errors import ApiError, error_responses
from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError, NotFound
from vikno.core.scoping import Role
from vikno.orgs.models import Center, Office, Provider
from vikno.payments.services import is_paid, paid_total

from . import printing, services, workflow
from .models import Applicant, Representative, Status

router = Router(tags=["cases"])

CURSOR = Query(None, description="`next_cursor` of the previous page; empty for the first page.")
LIMIT = Query(50, ge=1, le=200, description="Page size, 1–200.")
STATUS = Query(None, description="Only cases in this status.")
ACTION_NAMES = tuple(workflow.ACTIONS)


# --- schemas -----------------------------------------------------------------------------------


ERRORS = error_responses(400, 403, 404, 409, 413, 415, 422)


class ApplicantIn(Schema):
    kind: Literal["person", "legal_entity"] = Field(
        "person", description="person: фізична особа; legal_entity: юридична."
    )
    last_name: str = Field("", examples=["Шевченко"])
    first_name: str = Field("", examples=["Олена"])
    patronymic: str = Field("", examples=["Петрівна"])
    birth_date: dt.date | None = Field(None, examples=["1990-05-17"])
    rnokpp: str = Field("", examples=["3293406441"], description="РНОКПП: 10 digits with a valid control digit.")
    refused_rnokpp: bool = Field(False, description="Refused a РНОКПП: then passport series and number are required.")
    passport_series: str = Field("", examples=["КВ"])
    passport_number: str = Field("", examples=["123456"])
    id_card_number: str = Field("", examples=["001234567"])
    unzr: str = Field("", examples=["19900517-01234"], description="УНЗР: YYYYMMDD-NNNNN.")
    edrpou: str = Field("", examples=["00032129"], description="ЄДРПОУ of a legal entity.")
    organisation_name: str = ""
    head_name: str = ""
    phone: str = Field("", examples=["050 123 45 67"], description="Normalised to E.164 (+380…).")
    email: str = Field("", examples=["olena@example.com"])
    address: str = ""
    settlement: str | None = Field(
        None, examples=["UA05020030010063857"], description="КАТОТТГ code of the settlement."
    )
    sms_consent: bool = False
    email_consent: bool = False
    center_id: int | None = Field(None, description="Only for a system administrator: the center of the applicant.")


class ApplicantOut(Schema):
    id: int
    center_id: int
    kind: str
    display_name: str = Field(..., examples=["Шевченко Олена Петрівна"])
    last_name: str
    first_name: str
    patronymic: str
    birth_date: dt.date | None
    rnokpp: str
    refused_rnokpp: bool
    passport_series: str
    passport_number: str
    id_card_number: str
    unzr: str
    edrpou: str
    organisation_name: str
    head_name: str
    phone: str = Field(..., examples=["+380501234567"])
    email: str
    address: str
    settlement_katottg: str | None = None
    sms_consent: bool
    email_consent: bool

    @staticmethod
    def resolve_settlement_katottg(obj) -> str | None:
        return obj.settlement.katottg if obj.settlement_id else None


class ApplicantCreated(Schema):
    applicant: ApplicantOut
    duplicates: list[ApplicantOut] = Field(
        ...,
        description="Probable duplicates in the same center (same РНОКПП, name and birth date, or phone and "
        "surname). A warning only: the applicant was created.",
    )


class ApplicantList(Schema):
    items: list[ApplicantOut]


class RepresentativeIn(Schema):
    full_name: str = Field(..., examples=["Коваль Андрій Іванович"])
    rnokpp: str = ""
    identity_document: str = Field("", examples=["ID-картка № 001234567"])
    authority_document: str = Field(..., examples=["Довіреність № 123 від 01.02.2026, нотаріус Петренко О. О."])
    authority_valid_until: dt.date | None = Field(None, examples=["2027-02-01"])
    phone: str = ""
    center_id: int | None = Field(None, description="Only for a system administrator.")


class RepresentativeOut(Schema):
    id: int
    center_id: int
    full_name: str
    rnokpp: str
    identity_document: str
    authority_document: str
    authority_valid_until: dt.date | None
    phone: str


class DocumentIn(Schema):
    position: int | None = Field(
        None,
        ge=1,
        examples=[1],
        description="Position in the ІК checklist. Leave it out for a document beyond the list and give its `name`.",
    )
    name: str | None = Field(
        None,
        examples=["Довідка з місця навчання"],
        description="Only for a document beyond the ІК list (up to 300 characters); it follows the list in the опис.",
    )
    provided: bool = Field(True, description="The document is in the input package.")
    pages: int | None = Field(None, ge=1, examples=[2])
    original: bool | None = Field(None, description="An original was shown. Default: as the ІК says (beyond it: no).")
    copy_kept: bool | None = Field(
        None, description="A copy is kept in the case. Default: as the ІК says (beyond it: yes)."
    )


class PaymentIn(Schema):
    method: Literal["pos", "bank", "exemption"] = Field(
        ..., description="pos: POS-термінал; bank: банк або онлайн; exemption: звільнення від сплати."
    )
    amount: Decimal | None = Field(None, examples=["85.00"], description="Required unless an exemption.")
    receipt_number: str = Field("", examples=["R-2026-000123"])
    paid_on: dt.date | None = Field(None, examples=["2026-03-02"], description="Default: today.")
    exemption_ground: str = Field("", examples=["ст. 4 Декрету КМУ № 7-93, п. 11"])


class IssuanceIn(Schema):
    identity_document: str = Field("", examples=["ID-картка № 001234567"])
    to_representative: bool = False
    recipient_name: str = ""


class CaseIn(Schema):
    service: str = Field(..., examples=["DRC-001"], description="Service code.")
    applicant_id: int = Field(..., description="Create or find the applicant first: POST/GET /applicants.")
    representative_id: int | None = None
    office_id: int | None = Field(None, description="Office of filing; default: the caller's office.")
    channel: Literal["main", "branch", "remote", "mobile", "online"] | None = Field(
        None, description="Default: from the office kind."
    )
    documents: list[DocumentIn] | None = Field(
        None, description="The documents provided; null: every document of the checklist was provided."
    )
    payment: PaymentIn | None = Field(None, description="A payment taken at the desk.")
    issuance: IssuanceIn | None = Field(None, description="Instant services: who receives the result now.")


class CaseOut(Schema):
    number: str = Field(..., examples=["12-26-000123"], description="<center id>-<yy>-<sequence>.")
    status: str = Field(..., examples=["accepted"])
    status_label: str = Field(..., examples=["Прийнято"])
    channel: str
    center_id: int
    office_id: int
    current_office_id: int
    provider_id: int | None
    service_code: str = Field(..., examples=["DRC-001"])
    service_name: str
    version: int
    applicant_id: int
    applicant_name: str
    representative_id: int | None
    filed_at: dt.datetime
    status_changed_at: dt.datetime
    due_at: dt.datetime | None
    closed_at: dt.datetime | None
    instant: bool
    fee_amount: Decimal | None = Field(..., description="Fee due; null when it depends on the case.")
    fee_budget_code: str
    pay_later_allowed: bool

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_service_code(obj) -> str:
        return obj.service.code

    @staticmethod
    def resolve_service_name(obj) -> str:
        return obj.service_version.name_uk

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.service_version.number

    @staticmethod
    def resolve_applicant_name(obj) -> str:
        return obj.applicant.display_name


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None = Field(None, description="Cursor of the next page; null on the last page.")


class CaseDocumentOut(Schema):
    position: int
    name: str
    original: bool
    copy_kept: bool = Field(..., description="A copy is kept in the case.")
    pages: int | None
    provided: bool
    extra: bool = Field(..., description="Brought beyond the ІК list.")
    content_type: str
    size: int | None
    sha256: str
    uploaded_at: dt.datetime | None

    @staticmethod
    def resolve_copy_kept(obj) -> bool:
        return obj.copy


class TaskOut(Schema):
    position: int
    action: str
    role: str
    action_type: str
    state: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    done_at: dt.datetime | None


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    actor_label: str
    office_id: int | None
    comment: str
    data: dict


class PaymentOut(Schema):
    id: int
    method: str
    amount: Decimal
    receipt_number: str
    paid_on: dt.date
    exemption_ground: str


class ResultOut(Schema):
    id: int
    name: str
    is_refusal: bool
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class IssuanceOut(Schema):
    issued_at: dt.datetime
    office_id: int
    to_representative: bool
    recipient_name: str
    identity_document: str


class CaseDetailOut(CaseOut):
    access_code: str = Field(..., description="Secret code printed on the receipt for status checks.")
    refusal_reason: str
    refusal_ground: str
    applicant: ApplicantOut
    paid: bool = Field(..., description="No fee due, the payments cover it, or an exemption is recorded.")
    paid_total: Decimal
    allowed_actions: list[str] = Field(..., description="Actions the caller may take now.")
    printouts: list[str] = Field(
        ...,
        description="Printed documents the caller may get now from `/cases/{number}/printouts/{kind}`.",
        examples=[["inventory", "receipt"]],
    )
    documents: list[CaseDocumentOut]
    tasks: list[TaskOut]
    events: list[EventOut]
    payments: list[PaymentOut]
    results: list[ResultOut]
    issuance: IssuanceOut | None = None

    @staticmethod
    def resolve_paid(obj) -> bool:
        return is_paid(obj)

    @staticmethod
    def resolve_paid_total(obj) -> Decimal:
        return paid_total(obj)

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        return workflow.allowed_actions(obj, context["request"].user)

    @staticmethod
    def resolve_printouts(obj, context) -> list[str]:
        return printing.available(context["request"].user, obj)

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(obj.documents.order_by("position"))

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(obj.tasks.order_by("position"))

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.order_by("at", "id"))

    @staticmethod
    def resolve_payments(obj) -> list:
        return list(obj.payments.order_by("paid_on", "id"))

    @staticmethod
    def resolve_results(obj) -> list:
        return list(obj.results.order_by("uploaded_at", "id"))

    @staticmethod
    def resolve_issuance(obj):
        return obj.issuance if hasattr(obj, "issuance") else None


class TransitionIn(Schema):
    action: Literal[ACTION_NAMES] = Field(  # type: ignore[valid-type]
        ...,
        examples=["send_to_provider"],
        description="accept, send_to_provider, take_into_work, request_clarification, resume, mark_result_ready, "
        "refuse, return_to_center, issue, issue_refusal, withdraw, dismiss.",
    )
    comment: str = Field("", examples=["Заявник звернувся особисто"])
    provider_id: int | None = Field(None, description="send_to_provider: the СНАП chosen; default: picked by service.")
    reason: str = Field("", description="refuse, dismiss: the reason.")
    legal_ground: str = Field("", description="refuse: the legal ground (law, article, ІК item).")
    recipient_name: str = Field("", description="issue: who receives it; default: the applicant.")
    identity_document: str = Field("", description="issue: identity document shown (type and number).")
    to_representative: bool = False


class IssueIn(Schema):
    identity_document: str = Field(..., examples=["Паспорт КВ № 123456"])
    recipient_name: str = Field(
        "",
        description="Default: the applicant or, with to_representative, the representative. A name that is the "
        "other one's is refused (400 recipient_mismatch, recipient_is_representative).",
    )
    to_representative: bool = False
    office_id: int | None = Field(None, description="Office of issuance; default: the caller's office.")
    note: str = ""
    comment: str = ""


class CaseTransferIn(Schema):
    office_id: int = Field(..., description="An office of the same center.")
    comment: str = Field("", examples=["Передано з ВРМ до головного офісу"])


class ConsultationIn(Schema):
    office_id: int | None = Field(None, description="Default: the caller's office.")
    service: str | None = Field(None, examples=["DRC-001"], description="Service code, if about a service.")
    topic: str = Field("", examples=["Які документи потрібні для реєстрації місця проживання"])
    channel: Literal["in_person", "phone", "email", "online"] = "in_person"


class ConsultationOut(Schema):
    id: int
    center_id: int
    office_id: int
    service_id: int | None
    topic: str
    channel: str
    at: dt.datetime


# --- helpers -----------------------------------------------------------------------------------


def _actor(request):
    return actor_from_request(request)


def _center_for(request, center_id: int | None) -> Center:
    """The center an applicant or representative is registered in: the caller's own; a system
    administrator names one (``center_id``)."""
    user = request.user
    if user.role == Role.SYSADMIN:
        if not center_id:
            raise DomainError("Вкажіть ЦНАП (center_id).", code="center_required", field="center_id")
    elif user.role in workflow.FRONT_ROLES and user.center_id:
        center_id = user.center_id
    else:
        center_id = None
    center = Center.objects.filter(pk=center_id).first() if center_id else None
    if center is None:
        raise NotFound("ЦНАП не знайдено.")
    return center


def _office(request, office_id: int | None, *, center_id: int | None = None) -> Office:
    """The office given, else the caller's office: the session's, their first, or the main office."""

    def offices():  # built only when a candidate needs it
        return Office.objects.visible_to(request.user).select_related("center")

    if office_id:
        office = offices().filter(pk=office_id).first()
        if office is None:
            raise NotFound("Офіс не знайдено.")
        return office
    actor = _actor(request)
    user = request.user
    candidates = (  # tried in turn: each query runs only if the previous one found nothing
        lambda: offices().filter(pk=actor.office_id).first() if actor.office_id else None,
        lambda: default_office(user),
        lambda: (
            offices().filter(center_id=center_id or user.center_id, kind=Office.Kind.MAIN).first()
            if (center_id or user.center_id)
            else None
        ),
    )
    for candidate in candidates:
        office = candidate()
        if office is not None:
            return office
    raise DomainError("Вкажіть офіс (office_id).", code="office_required", field="office_id")


def _service(code: str) -> Service:
    service = intake.service_by_code(code)
    if service is None:
        raise NotFound(f"Послугу з кодом «{code}» не знайдено в каталозі.")
    return service


def _fingerprint(payload: Schema) -> str:
    body = json.dumps(payload.dict(), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _detail(request, case):
    """The full case; the applicant's personal data in it is audited as viewed."""
    services.view_applicant(case.applicant, actor=_actor(request), reason=f"case {case.number}")
    return case


def _case(request, number: str):
    return services.get_case(request.user, number)


# --- applicants ----------------------------------------------------------------------------------


@router.get("/applicants", response={200: ApplicantList, 400: ApiError}, summary="Find applicants (audited)")
def find_applicants(
    request,
    rnokpp: str = Query("", description="РНОКПП, 10 digits."),
    phone: str = Query("", description="Phone in any common format, e.g. `0501234567`."),
    name: str = Query("", description="Surname (a typo is tolerated), optionally followed by the first name."),
):
    found = services.find_applicants(request.user, rnokpp=rnokpp, phone=phone, name=name, actor=_actor(request))
    return {"items": found}


@router.post(
    "/applicants",
    response={201: ApplicantCreated, **ERRORS},
    summary="Register an applicant; probable duplicates come back as a warning",
)
def create_applicant(request, payload: ApplicantIn):
    data = payload.dict()
    center = _center_for(request, data.pop("center_id"))
    actor = _actor(request)
    applicant = services.create_applicant(center, data, actor=actor)
    duplicates = services.probable_duplicates(center, data, exclude_id=applicant.pk, actor=actor)
    return HttpStatus(201, {"applicant": applicant, "duplicates": duplicates})


@router.get(
    "/applicants/{applicant_id}", response={200: ApplicantOut, 404: ApiError}, summary="One applicant (audited)"
)
def get_applicant(request, applicant_id: int):
    return services.get_applicant(request.user, applicant_id, actor=_actor(request))


@router.post("/representatives", response={201: RepresentativeOut, **ERRORS}, summary="Register a representative")
def create_representative(request, payload: RepresentativeIn):
    data = payload.dict()
    center = _center_for(request, data.pop("center_id"))
    return HttpStatus(201, services.create_representative(center, data, actor=_actor(request)))


# --- cases -------------------------------------------------------------------------------------


def _document_entry(document: DocumentIn) -> dict:
    """A checklist entry for ``services.register_case``: only what the caller gave (the rest as the ІК says)."""
    entry = document.dict(exclude_none=True)
    if "copy_kept" in entry:
        entry["copy"] = entry.pop("copy_kept")
    return entry


@router.post(
    "/cases",
    response={200: CaseOut, 201: CaseOut, **ERRORS},
    summary="Register an application",
    description=(
        "Send an `Idempotency-Key` header (any unique string up to 80 characters) to make retries safe: a "
        "repeat with the same key returns the first case with status 200 and creates nothing; the same key "
        "with a different body is refused with 422."
    ),
)
def create_case(
    request,
    payload: CaseIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", description="Unique key of this request."),
):
    office = _office(request, payload.office_id)
    applicant = Applicant.objects.visible_to(request.user).filter(pk=payload.applicant_id).first()
    if applicant is None:
        raise NotFound("Заявника не знайдено.")
    representative = None
    if payload.representative_id:
        representative = Representative.objects.visible_to(request.user).filter(pk=payload.representative_id).first()
        if representative is None:
            raise NotFound("Представника не знайдено.")
    case = services.register_case(
        office=office,
        service=_service(payload.service),
        applicant=applicant,
        representative=representative,
        actor=_actor(request),
        channel=payload.channel,
        documents=[_document_entry(d) for d in payload.documents] if payload.documents is not None else None,
        payment=payload.payment.dict() if payload.payment else None,
        issuance=payload.issuance.dict() if payload.issuance else None,
        idempotency_key=idempotency_key or "",
        fingerprint=_fingerprint(payload),
    )
    # The new case is answered from memory (its service, version and applicant are loaded already):
    # re-reading it with its relations would cost a join that takes longer to plan than to run.
    return HttpStatus(200 if getattr(case, "replayed", False) else 201, case)


@router.get("/cases", response={200: CasePage, 400: ApiError}, summary="Cases in the caller's scope, newest first")
def list_cases(
    request,
    q: str = Query("", description="Case number, РНОКПП, phone or surname of the applicant."),
    status: Status | None = STATUS,
    inbox: bool = Query(False, description="Officers: only cases waiting at their СНАП."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    queryset = services.search_cases(request.user, q)
    if inbox:
        queryset = queryset.filter(status__in=services.INBOX_STATUSES)
    if status:
        queryset = queryset.filter(status=status)
    page = services.page_cases(queryset, cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/cases/{number}", response={200: CaseDetailOut, 404: ApiError}, summary="One case with its history")
def get_case(request, number: str):
    return _detail(request, _case(request, number))


@router.post(
    "/cases/{number}/transitions", response={200: CaseDetailOut, **ERRORS}, summary="Move the case to its next status"
)
def post_transition(request, number: str, payload: TransitionIn):
    case = _case(request, number)
    details = {}
    if payload.action == "send_to_provider" and payload.provider_id:
        provider = Provider.objects.filter(pk=payload.provider_id).first()
        if provider is None:
            raise NotFound("СНАП не знайдено.")
        details["provider"] = provider
    if payload.action in ("refuse", "dismiss"):
        details["reason"] = payload.reason
    if payload.action == "refuse":
        details["legal_ground"] = payload.legal_ground
    if payload.action in ("issue", "issue_refusal"):
        details.update(
            recipient_name=payload.recipient_name,
            identity_document=payload.identity_document,
            to_representative=payload.to_representative,
        )
    services.transition(case, payload.action, actor=_actor(request), comment=payload.comment, **details)
    return _detail(request, _case(request, number))


@router.post("/cases/{number}/payments", response={201: PaymentOut, **ERRORS}, summary="Record a payment or exemption")
def post_payment(request, number: str, payload: PaymentIn):
    case = _case(request, number)
    payment = services.record_payment(case, actor=_actor(request), **payload.dict())
    return HttpStatus(201, payment)


@router.post(
    "/cases/{number}/documents/{position}",
    response={200: CaseDocumentOut, **ERRORS},
    summary="Upload the scan of one document of the input package (PDF, JPEG, PNG)",
)
def post_document(request, number: str, position: int, file: File[UploadedFile]):
    case = _case(request, number)
    return services.add_document_file(case, position, file, actor=_actor(request))


@router.post(
    "/cases/{number}/results",
    response={201: ResultOut, **ERRORS},
    summary="Attach the result or the refusal decision (PDF, JPEG, PNG)",
)
def post_result(
    request,
    number: str,
    file: File[UploadedFile],
    name: str = Form("", description="Name of the document, e.g. «Свідоцтво про народження»."),
    is_refusal: bool = Form(False, description="The file is a refusal decision."),
    mark_ready: bool = Form(False, description="Also move the case to result_ready (not for a refusal)."),
):
    case = _case(request, number)
    result = services.attach_result(
        case, file, name=name, is_refusal=is_refusal, mark_ready=mark_ready, actor=_actor(request)
    )
    return HttpStatus(201, result)


@router.post("/cases/{number}/issue", response={200: CaseDetailOut, **ERRORS}, summary="Hand over the result")
def post_issue(request, number: str, payload: IssueIn):
    case = _case(request, number)
    office = _office(request, payload.office_id, center_id=case.center_id) if payload.office_id else None
    services.issue(
        case,
        actor=_actor(request),
        office=office,
        recipient_name=payload.recipient_name,
        identity_document=payload.identity_document,
        to_representative=payload.to_representative,
        note=payload.note,
        comment=payload.comment,
    )
    return _detail(request, _case(request, number))


@router.get(
    "/cases/{number}/printouts/{kind}",
    response={200: None, 404: ApiError},
    summary="A printed document of the case (PDF; audited)",
    description=(
        "`inventory` — опис вхідного пакета документів, `receipt` — розписка з кодом доступу і QR-кодом сторінки "
        "стану, `refusal` — повідомлення про відмову (лише для справи з відмовою). Друкують адміністратори й "
        "керівник ЦНАП справи та системний адміністратор; для інших справа не має цих документів (404)."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "The PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_printout(request, number: str, kind: Literal[printing.KINDS]):
    content, filename = printing.printout(request.user, number, kind, actor=_actor(request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/cases/{number}/transfer", response={200: CaseOut, **ERRORS}, summary="Move the case to another office")
def post_transfer(request, number: str, payload: CaseTransferIn):
    case = _case(request, number)
    office = _office(request, payload.office_id)
    services.transfer(case, to_office=office, actor=_actor(request), comment=payload.comment)
    return _case(request, number)


@router.post("/consultations", response={201: ConsultationOut, **ERRORS}, summary="Count a consultation")
def post_consultation(request, payload: ConsultationIn):
    office = _office(request, payload.office_id)
    service = _service(payload.service) if payload.service else None
    consultation = services.record_consultation(
        office=office, actor=_actor(request), service=service, topic=payload.topic, channel=payload.channel
    )
    return HttpStatus(201, consultation)
