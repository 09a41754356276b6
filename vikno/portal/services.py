"""What citizens do on the portal (owner: portal). Views stay thin and call these functions.

- ``online_services(center)``; ``online_service(center, code) -> (service, version)``
- ``submit_application(center, service, data, files, *, staged=None) -> Case``: an online application
  (status ``submitted_online``) registered by the system actor «portal» at the center's main office; it
  waits in the front office's intake inbox for an administrator to check and accept it. Every problem
  is reported at once (the DomainError raised carries the others in ``others``);
  ``check_application(...)`` runs the same checks without registering.
  Files that passed the checks of a refused application are kept for the visitor's session by
  ``vikno.cases.staging`` (the same mechanism as the staff intake's) and passed here as ``staged``.
- ``add_missing_document(case, uploaded_file, *, name)``: a document sent from the status page.
- ``ask_question(center, data)``, ``answer_question(question, answer, *, actor)``: e-consultation; the
  answer goes to the person through notify and is counted as an online consultation.
- ``file_complaint(center, data)``, ``answer_complaint(complaint, response, *, actor)``: complaints to
  the center head, due in 30 calendar days (see vikno/portal/models.py).
- ``record_survey(center, data)``: one answer to the quality survey.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vikno.cases import services as cases
from vikno.cases import staging
from vikno.cases.models import Case, Channel
from vikno.cases.portal_uploads import add_applicant_document
from vikno.cases.uploads import check_upload
from vikno.cases.workflow import notify as notify_applicant
from vikno.catalog.models import Service, ServiceVersion
from vikno.catalog.services import service_list_in_force, version_in_force
from vikno.core.audit import Actor, record
from vikno.core.errors import Conflict, DomainError, NotFound, Problems
from vikno.notify import services as notify
from vikno.orgs.models import Center, Office

from .models import COMPLAINT_TERM_DAYS, Complaint, Question, Survey

PORTAL = Actor(label="portal")
TEXT_LIMIT = 5000


def main_office(center: Center) -> Office:
    offices = Office.objects.filter(center=center, is_active=True).select_related("center")
    office = offices.filter(kind=Office.Kind.MAIN).first() or offices.order_by("id").first()
    if office is None:
        raise NotFound(_("The center does not accept applications now."))
    return office


def listed_services(center: Center) -> QuerySet:
    """The services of the center's approved list in force today."""
    service_list = service_list_in_force(center, timezone.localdate())
    if service_list is None:
        return Service.objects.none()
    return service_list.services.filter(is_active=True).select_related("current_version").order_by("code")


def online_services(center: Center) -> list[Service]:
    today = timezone.localdate()
    return [s for s in listed_services(center) if (v := version_in_force(s, today)) is not None and v.online]


def online_service(center: Center, code: str) -> tuple[Service, ServiceVersion]:
    """The service with its version in force, when the center lists it and it may be applied for online."""
    service = listed_services(center).filter(code=code).first()
    version = version_in_force(service, timezone.localdate()) if service else None
    if version is None or not version.online:
        raise NotFound(_("This service is not provided online at this center."))
    return service, version


def _required(data: dict, field: str, message: str) -> str:
    value = " ".join(str(data.get(field) or "").split())
    if not value:
        raise DomainError(message, code=f"{field}_required", field=field)
    return value


def _application_problems(version: ServiceVersion, data: dict, files: dict, staged: dict) -> list[DomainError]:
    """Every problem of the application, at most one per field (the first found)."""
    problems = Problems()
    problems.check(_required, data, "rnokpp", _("Enter the taxpayer registration number (RNOKPP)."))
    problems.check(_required, data, "phone", _("Enter a phone number to contact you."))
    if not data.get("data_consent"):
        problems.add(
            DomainError(
                _("To submit the application, consent to the processing of personal data."),
                code="consent_required",
                field="data_consent",
            )
        )
    try:
        cases.clean_applicant_data({**data, "kind": "person"})
    except DomainError as error:
        for found in error.all:
            problems.add(found)
    for document in version.documents.order_by("position"):
        field = f"doc_{document.position}"
        upload = files.get(field)
        if upload is not None:
            problems.check(check_upload, upload, field=field)
        elif field not in staged and not document.condition:
            # A conditional document is needed only in some cases: the applicant says whether theirs is one
            # by attaching it.
            problems.add(
                DomainError(
                    _("Attach a scan of the document «%(document)s».") % {"document": document.name},
                    code="file_missing",
                    field=field,
                )
            )
    first_per_field: dict = {}
    for error in problems.found:
        first_per_field.setdefault(error.field, error)
    return [e for e in problems.found if first_per_field[e.field] is e or e.field is None]


def _raise_all(found: list[DomainError]) -> None:
    if found:
        first = found[0]
        first.others = found[1:]
        raise first


def check_application(center: Center, service: Service, data: dict, files: dict, *, staged=None) -> None:
    """The checks of ``submit_application`` without registering anything: raises a DomainError carrying
    every problem found (the rest in ``others``)."""
    _service, version = online_service(center, service.code)
    _raise_all(_application_problems(version, data, files, staged or {}))


def submit_application(center: Center, service: Service, data: dict, files: dict, *, staged=None) -> Case:
    """Register an online application. ``files`` maps ``doc_<position>`` to an uploaded file, one per
    document of the ІК checklist; ``staged`` maps the same keys to the visitor's ``cases.StagedUpload``
    rows (from ``cases.staging.resolve``), used where no new file was sent; all of them are discarded once
    the case is registered. Everything is checked before anything is
    written, and every problem is reported at once."""
    staged = staged or {}
    _service, version = online_service(center, service.code)
    _raise_all(_application_problems(version, data, files, staged))
    documents = list(version.documents.order_by("position"))
    office = main_office(center)
    with transaction.atomic():
        applicant, created = cases.applicant_for_online_application(center, {**data, "kind": "person"}, actor=PORTAL)
        case = cases.register_case(
            office=office,
            service=service,
            applicant=applicant,
            actor=PORTAL,
            channel=Channel.ONLINE,
            documents=[
                {"position": d.position, "provided": f"doc_{d.position}" in files or f"doc_{d.position}" in staged}
                for d in documents
            ],
        )
        if not created:
            cases.note_submitted_details(case, data, actor=PORTAL)
        for document in documents:
            field = f"doc_{document.position}"
            if field in files:
                cases.add_document_file(case, document.position, files[field], actor=PORTAL)
            elif field in staged:
                staging.attach(case, document.position, staged[field], actor=PORTAL)
        staging.discard(staged.values())
        notify_applicant("online_submitted", case, actor=PORTAL)
    return case


def add_missing_document(case: Case, uploaded_file, *, name: str = ""):
    return add_applicant_document(case, uploaded_file, name=name, actor=PORTAL)


# --- e-consultation --------------------------------------------------------------------------


def _contact(data: dict) -> tuple[str, str]:
    email = (data.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                _("The email address «%(email)s» is not valid.") % {"email": email}, code="invalid_email", field="email"
            )
    phone = cases.normalise_phone(data.get("phone") or "")
    if not email and not phone:
        raise DomainError(
            _("Enter an email address or a phone number so that we can send the answer."),
            code="contact_required",
            field="email",
        )
    return email, phone


def _text(data: dict, field: str, message: str) -> str:
    text = (data.get(field) or "").strip()
    if not text:
        raise DomainError(message, code=f"{field}_required", field=field)
    if len(text) > TEXT_LIMIT:
        raise DomainError(
            _("The text is too long: up to %(limit)s characters.") % {"limit": TEXT_LIMIT}, code="too_long", field=field
        )
    return text


def ask_question(center: Center, data: dict) -> Question:
    name = _required(data, "name", _("Enter how we should address you."))[:200]
    email, phone = _contact(data)
    text = _text(data, "text", _("Write your question."))
    service = None
    code = (data.get("service") or "").strip()
    if code:
        service = listed_services(center).filter(code=code).first()
        if service is None:
            raise DomainError(_("Choose a service from the list."), code="unknown_service", field="service")
    topic = " ".join((data.get("topic") or "").split())[:300]
    with transaction.atomic():
        question = Question.objects.create(
            center=center,
            region_id=center.region_id,
            service=service,
            topic=topic,
            name=name,
            email=email,
            phone=phone,
            text=text,
            channel=Question.ReplyChannel.EMAIL if email else Question.ReplyChannel.SMS,
            created_at=timezone.now(),
        )
        record(PORTAL, "portal.question_asked", question, data={"service": code or None})
    return question


def question_queue(user) -> QuerySet:
    """Questions in the user's scope: unanswered first (oldest first), then the answered ones."""
    return (
        Question.objects.visible_to(user)
        .select_related("service", "center")
        .order_by(F("answered_at").desc(nulls_first=True), "created_at")
    )


def answer_question(question: Question, answer: str, *, actor: Actor) -> Question:
    """Save the answer, send it to the person and count an online consultation."""
    answer = _text({"answer": answer}, "answer", _("Write the answer."))
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",)).select_related("center", "service").get(pk=question.pk)
        )
        if question.answered_at:
            raise Conflict(_("This question has already been answered."), code="already_answered")
        office = main_office(question.center)
        consultation = cases.record_consultation(
            office=office,
            actor=actor,
            service=question.service,
            topic=question.topic or question.text[:300],
            channel="online",
        )
        question.answer = answer
        question.answered_at = timezone.now()
        question.answered_by_id = actor.user_id
        question.consultation_id = consultation.pk
        question.save(update_fields=["answer", "answered_at", "answered_by_id", "consultation_id"])
        center = question.center
        notify.enqueue(
            event="consultation_answer",
            context={
                "center_name": center.short_name or center.name,
                "center_phone": office.phone or center.phone,
                "answer": answer,
                "question": question.text,
                "name": question.name,
            },
            phone=question.phone,
            email=question.email,
            sms_allowed=question.channel == Question.ReplyChannel.SMS,
            email_allowed=question.channel == Question.ReplyChannel.EMAIL,
            center_id=center.pk,
            region_id=center.region_id,
            actor=actor,
        )
        record(actor, "portal.question_answered", question, data={"consultation": consultation.pk})
    return question


# --- complaints and the survey ---------------------------------------------------------------


def file_complaint(center: Center, data: dict) -> Complaint:
    name = _required(data, "name", _("Enter how we should address you."))[:200]
    contact = _required(data, "contact", _("Enter an email address or a phone number for the answer."))
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise DomainError(
                _("The email address «%(email)s» is not valid.") % {"email": contact},
                code="invalid_email",
                field="contact",
            )
    else:
        contact = cases.normalise_phone(contact, field="contact")
    text = _text(data, "text", _("Describe what the complaint is about."))
    now = timezone.now()
    with transaction.atomic():
        complaint = Complaint.objects.create(
            center=center,
            region_id=center.region_id,
            name=name,
            contact=contact[:254],
            text=text,
            created_at=now,
            due_at=now + timedelta(days=COMPLAINT_TERM_DAYS),
        )
        record(PORTAL, "portal.complaint_filed", complaint, data={"due_at": complaint.due_at})
    return complaint


def answer_complaint(complaint: Complaint, response: str, *, actor: Actor) -> Complaint:
    response = _text({"response": response}, "response", _("Write the answer to the complaint."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status == Complaint.State.ANSWERED:
            raise Conflict(_("This complaint has already been answered."), code="already_answered")
        complaint.response = response
        complaint.status = Complaint.State.ANSWERED
        complaint.answered_at = timezone.now()
        complaint.answered_by_id = actor.user_id
        complaint.save(update_fields=["response", "status", "answered_at", "answered_by_id"])
        record(
            actor,
            "portal.complaint_answered",
            complaint,
            data={"late": complaint.answered_at > complaint.due_at},
        )
    return complaint


def record_survey(center: Center, data: dict) -> Survey:
    try:
        score = int(data.get("score") or 0)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Rate the service from 1 to 5."), code="score_required", field="score")
    comment = (data.get("comment") or "").strip()
    if len(comment) > TEXT_LIMIT:
        raise DomainError(
            _("The comment is too long: up to %(limit)s characters.") % {"limit": TEXT_LIMIT},
            code="too_long",
            field="comment",
        )
    with transaction.atomic():
        survey = Survey.objects.create(
            center=center, region_id=center.region_id, score=score, comment=comment, created_at=timezone.now()
        )
        record(PORTAL, "portal.survey_recorded", survey, data={"score": score})
    return survey
