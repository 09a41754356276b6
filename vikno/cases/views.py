"""Staff pages of cases: intake, the case page with its actions, the lists and inbox, consultations and
the printed inventory and receipt. Views parse input and call ``services``/``workflow``; a refusal of
the domain layer is shown beside the field (or above the form) and what the user typed is kept.

Every page that shows an applicant's personal data writes an audit event (``applicant.viewed`` for one
applicant, ``applicant.listed`` for a list page).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django.views.decorators.http import require_POST

from vikno.catalog import services as catalog
from vikno.catalog.models import Service, TechStep
from vikno.catalog.search import search_services
from vikno.core.audit import actor_from_request, record
from vikno.core.errors import DomainError, NotFound
from vikno.core.pagination import _decode, _encode
from vikno.core.scoping import Role
from vikno.core.staff import staff_required
from vikno.notify import services as notify_services
from vikno.orgs.models import Office
from vikno.payments import services as payments
from vikno.payments.models import Payment

from . import deadlines, printing, staging, workflow
from . import services as cases
from .forms import (
    ApplicantFindForm,
    ApplicantForm,
    CaseSearchForm,
    ConsultationFilterForm,
    ConsultationForm,
    DocumentFileForm,
    DocumentFormSet,
    IntakeForm,
    IssueForm,
    PaymentForm,
    RepresentativeForm,
    ResultForm,
    ServiceSearchForm,
    TransferForm,
    TransitionForm,
)
from .models import Applicant, Case, CaseTask, Consultation, Status
from .signals import case_registered_in_visit

FRONT_ROLES = (Role.ADMINISTRATOR, Role.CENTER_HEAD)
INTAKE_ROLES = (Role.ADMINISTRATOR, Role.CENTER_HEAD)
PAGE_SIZE = 50
SERVICE_HITS = 15

# Buttons of the case page: the style of each action (danger actions are set apart).
DANGER_ACTIONS = {"refuse", "withdraw", "dismiss"}
ACTIONS_WITH_REASON = {"refuse", "dismiss"}


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _add_error(form, error: DomainError, aliases: dict | None = None) -> None:
    """Show a domain refusal (and the others found with it) beside the field it names, else above the form."""
    for each in error.all:
        field = (aliases or {}).get(each.field, each.field)
        form.add_error(field if field and field in form.fields else None, each.message)


def _error_status(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 else 400


def _audit_listed(request, applicant_ids, view: str) -> None:
    """One audit event for a page that lists applicants' names."""
    ids = sorted({i for i in applicant_ids if i})
    if not ids:
        return
    user = request.user
    record(
        actor_from_request(request),
        "applicant.listed",
        object_type="cases.applicant",
        data={"view": view, "applicant_ids": ids},
        center_id=user.center_id,
        provider_id=user.provider_id,
        region_id=user.region_id,
    )


def _audit_viewed(request, applicant: Applicant, view: str, case: Case | None = None) -> None:
    data = {"view": view}
    if case is not None:
        data["case"] = case.number
    record(actor_from_request(request), "applicant.viewed", applicant, data=data)


# --- Intake ------------------------------------------------------------------------------------------


def _service_hits(query: str):
    if not query:
        return None, ""
    try:
        return search_services(query, limit=SERVICE_HITS), ""
    except DomainError as error:
        return [], error.message


def _chosen_service(request):
    code = (request.POST.get("service") or request.GET.get("service") or "").strip()
    if not code:
        return None
    return Service.objects.filter(code=code, is_active=True).select_related("current_version").first()


def _document_initial(required) -> list[dict]:
    return [
        # a document needed only sometimes («за наявності», «у разі…») starts unticked
        {
            "provided": not doc.condition,
            "original": doc.original and not doc.condition,
            "copy": doc.copy and not doc.condition,
            "pages": doc.pages,
        }
        for doc in required
    ]


def _intake_context(request, service, today) -> dict:
    """What the intake page shows for the chosen service: its version, checklist and fee."""
    context = {"service": service, "version": None, "required": [], "fee": None, "fee_error": ""}
    if service is None:
        return context
    version = catalog.version_in_force(service, today)
    context["version"] = version
    if version is None:
        context["fee_error"] = _("This service has no version in force today: it cannot be registered.")
        return context
    context["required"] = list(version.documents.all())
    try:
        context["fee"] = catalog.fee_for(version, today)
    except DomainError as error:
        context["fee_error"] = error.message
    return context


def _applicant_lookup(request, find_form) -> tuple[list, dict]:
    """Applicants matching the «find» box (the service audits each view of personal data)."""
    if not find_form.is_valid():
        return [], {}
    criteria = find_form.criteria()
    if not criteria:
        return [], {}
    try:
        found = cases.find_applicants(request.user, actor=actor_from_request(request), **criteria)
        if not found and criteria.get("rnokpp", "").startswith("0"):
            # Ten digits from 0 are also a phone number written the national way (067 123 45 67).
            found = cases.find_applicants(request.user, actor=actor_from_request(request), phone=criteria["rnokpp"])
    except DomainError as error:
        find_form.add_error("find", error.message)
        return [], criteria
    if not found and "rnokpp" in criteria:
        # Ten digits that are no РНОКПП (a wrong check digit, and no phone either): say so now, beside the
        # search box, rather than offer them to the new applicant's form to be refused at registration.
        try:
            cases.validate_rnokpp(criteria["rnokpp"])
        except DomainError as error:
            find_form.add_error("find", error.message)
            return [], {}
    return list(found), criteria


def _new_applicant_initial(criteria: dict) -> dict:
    if "rnokpp" in criteria:
        return {"rnokpp": criteria["rnokpp"]}
    if "phone" in criteria:
        return {"phone": criteria["phone"]}
    if "name" in criteria:
        parts = criteria["name"].split()
        keys = ["last_name", "first_name", "patronymic"]
        return dict(zip(keys, parts, strict=False))
    return {}


@staff_required(*INTAKE_ROLES)
def intake(request):
    """Register a case: service → applicant → documents → fee → Register. Works with GET steps without JS."""
    user = request.user
    today = timezone.localdate()
    offices = cases.front_offices(user)
    service = _chosen_service(request)
    search_form = ServiceSearchForm(request.GET or None, initial={"q": ""})
    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    hits, search_error = (None, "") if service is not None else _service_hits(query)
    context = {
        "search_form": search_form,
        "query": query,
        "hits": hits,
        "search_error": search_error,
        **_intake_context(request, service, today),
        "visit_ticket": _visit_ticket(request),
    }
    if _is_htmx(request) and service is None:
        return render(request, "cases/_service_hits.html", context)

    chosen_applicant = None
    applicant_id = (request.POST.get("applicant") or request.GET.get("applicant") or "").strip()
    if service is not None and applicant_id.isdigit():
        chosen_applicant = Applicant.objects.visible_to(user).filter(pk=int(applicant_id)).first()
        if chosen_applicant is None:
            raise Http404
    find_form = ApplicantFindForm(request.GET if "find" in request.GET else None)
    found, criteria = ([], {})
    if service is not None and chosen_applicant is None and request.method == "GET":
        found, criteria = _applicant_lookup(request, find_form)
    context.update(
        {
            "find_form": find_form,
            "found": found,
            "searched": bool(criteria),
            "chosen_applicant": chosen_applicant,
            "duplicates": [],
            "register_error": "",
        }
    )
    if service is None or context["version"] is None:
        return render(request, "cases/intake.html", context)

    required = context["required"]
    fee = context["fee"]
    if request.method == "POST":
        intake_form = IntakeForm(request.POST, offices=offices)
        applicant_form = ApplicantForm(request.POST)
        documents = DocumentFormSet(request.POST, request.FILES, prefix="doc", initial=_document_initial(required))
        payment_form = PaymentForm(request.POST)
        representative_form = RepresentativeForm(request.POST)
        kept = _kept_scans(request, documents)
        forms_ok = all(
            [
                intake_form.is_valid(),
                applicant_form.is_valid(),
                representative_form.is_valid(),
                documents.is_valid(),
                payment_form.is_valid(),
            ]
        )
        if forms_ok and len(documents.forms) != len(required):
            forms_ok = False
            context["register_error"] = _("The document checklist changed; check it and register again.")
        if forms_ok:
            response = _register(
                request,
                context,
                intake_form,
                applicant_form,
                representative_form,
                documents,
                payment_form,
                required,
                kept,
            )
            if response is not None:
                return response
        else:
            _people_valid(context["chosen_applicant"], applicant_form, representative_form)
        kept = _stage_scans(request, documents, kept)
        for index, (form, staged) in enumerate(zip(documents.forms, kept, strict=False)):
            if staged is not None:  # the file input tells what it holds already
                form.fields["file"].widget.attrs["aria-describedby"] = f"doc-staged-{index}"
        status = 400
    else:
        status = 200
        intake_form = IntakeForm(
            offices=offices,
            initial={
                "service": service.code,
                "office": request.session.get("office_id")
                if offices.filter(pk=request.session.get("office_id") or 0).exists()
                else offices.first(),
                "idempotency_key": uuid.uuid4().hex,
                "identity_document": cases.identity_of(chosen_applicant) if chosen_applicant else "",
            },
        )
        applicant_form = ApplicantForm(initial=_new_applicant_initial(criteria))
        representative_form = RepresentativeForm()
        documents = DocumentFormSet(prefix="doc", initial=_document_initial(required))
        kept = [None] * len(documents.forms)
        payment_form = PaymentForm(initial={"amount": fee.amount if fee and fee.amount else None, "paid_on": today})
        if chosen_applicant is not None:
            _audit_viewed(request, chosen_applicant, "intake")
            if documents.forms:  # the next step after choosing the applicant: the checklist
                documents.forms[0].fields["provided"].widget.attrs["autofocus"] = True
    context.update(
        {
            "intake_form": intake_form,
            "applicant_form": applicant_form,
            "representative_form": representative_form,
            "documents": list(zip(required, documents.forms, kept, strict=False)),
            "documents_management": documents.management_form,
            "documents_errors": documents.non_form_errors(),
            "documents_have_errors": bool(documents.non_form_errors()) or any(f.errors for f in documents.forms),
            "payment_form": payment_form,
            "searched_nothing": bool(criteria) and not found,
        }
    )
    return render(request, "cases/intake.html", context, status=status)


APPLICANT_FIELDS = set(ApplicantForm.Meta.fields)
PAYMENT_FIELDS = {"method", "amount", "receipt_number", "paid_on", "exemption_ground"}


def _visit_ticket(request) -> int | None:
    """The queue ticket of the visit this intake belongs to (from the operator console's link)."""
    raw = (request.POST.get("ticket") or request.GET.get("ticket") or "").strip()
    return int(raw) if raw.isdigit() else None


def _people_valid(applicant, applicant_form, representative_form) -> bool:
    """Check the new applicant's details and the representative's before anything is written (the scans
    are checked by the document forms), so that the administrator sees every problem of one submit at
    once, each beside its field. A form with its own errors is left to show those."""
    valid = True
    checks = []
    if applicant is None and applicant_form.is_valid():
        checks.append((applicant_form, cases.clean_applicant_data, applicant_form.data_for_service()))
    if representative_form.is_valid() and representative_form.representative():
        checks.append((representative_form, cases.clean_representative_data, representative_form.representative()))
    for form, clean, data in checks:
        try:
            clean(data)
        except DomainError as error:
            _add_error(form, error)
            valid = False
    return valid


def _kept_scans(request, documents) -> list:
    """Per checklist row, the scan an earlier submit of this form staged (``staging``) for this session,
    unless the administrator ticked «do not add this file» (it is discarded then)."""
    tokens = {form.prefix: form["staged"].value() or "" for form in documents.forms}
    staged = staging.resolve(request, tokens)
    dropped = [
        staged.pop(form.prefix) for form in documents.forms if form.prefix in staged and form["drop_staged"].value()
    ]
    staging.discard(dropped)
    return [staged.get(form.prefix) for form in documents.forms]


def _stage_scans(request, documents, kept) -> list:
    """The form comes back with errors: keep each scan accepted in this submit (a browser cannot refill a
    file input), replacing the row's earlier one; a row without a new valid scan keeps what it had."""
    accepted = {}
    for form in documents.forms:
        cleaned = getattr(form, "cleaned_data", None) or {}
        upload = cleaned.get("file") if "file" not in form.errors else None
        if upload:
            accepted[form.prefix] = upload
    earlier = {form.prefix: row for form, row in zip(documents.forms, kept, strict=False) if row is not None}
    new = staging.stage(request, accepted, replacing=earlier)
    return [new.get(form.prefix, row) for form, row in zip(documents.forms, kept, strict=False)]


def _register(
    request, context, intake_form, applicant_form, representative_form, documents, payment_form, required, kept
):
    """Create the applicant (if new), the representative (if one files) and the case with its
    documents, scans (uploaded now or kept from an earlier submit, ``kept``) and payment in one
    transaction; None (with the errors on the forms) when the domain layer refuses."""
    user = request.user
    actor = actor_from_request(request)
    data = intake_form.cleaned_data
    office = data["office"]
    request.session["office_id"] = office.pk
    actor.office_id = office.pk
    applicant = context["chosen_applicant"]
    if not _people_valid(applicant, applicant_form, representative_form):
        return None
    if applicant is None:
        applicant_data = applicant_form.data_for_service()
        if not applicant_form.cleaned_data.get("confirm_new"):
            try:
                duplicates = list(cases.probable_duplicates(user.center, applicant_data, actor=actor))
            except DomainError as error:
                _add_error(applicant_form, error)
                return None
            if duplicates:
                context["duplicates"] = duplicates
                return None
    document_rows = []
    for position, (doc, form) in enumerate(zip(required, documents.forms, strict=True), start=1):
        row = form.cleaned_data
        document_rows.append(
            {
                "position": doc.position or position,
                "name": doc.name,
                "original": bool(row.get("original")),
                "copy": bool(row.get("copy")),
                "pages": row.get("pages"),
                "provided": bool(row.get("provided")),
            }
        )
    document_rows += intake_form.other_documents_rows()
    representative_data = representative_form.representative()
    representative_failed = False
    try:
        with transaction.atomic():
            # a repeated submit (same key) reuses the cards the first one wrote
            earlier = cases.case_of_earlier_intake(office.center_id, data.get("idempotency_key") or "")
            if applicant is None:
                applicant = (
                    earlier.applicant if earlier else cases.create_applicant(user.center, applicant_data, actor=actor)
                )
            representative = None
            if earlier is not None:
                representative = earlier.representative
            elif representative_data:
                try:
                    representative = cases.create_representative(user.center, representative_data, actor=actor)
                except DomainError as error:
                    _add_error(representative_form, error)
                    representative_failed = True
                    raise
            case = cases.register_case(
                office=office,
                service=context["service"],
                applicant=applicant,
                representative=representative,
                actor=actor,
                channel=office.kind,
                documents=document_rows,
                payment=payment_form.payment(),
                idempotency_key=data.get("idempotency_key") or "",
                issuance={
                    "identity_document": data.get("identity_document") or "",
                    "to_representative": representative is not None,
                },
            )
            ticket_id = _visit_ticket(request)
            if ticket_id:
                case_registered_in_visit.send(sender=Case, case=case, ticket_id=ticket_id, actor=actor)
            for row, form, staged in zip(document_rows, documents.forms, kept, strict=False):  # the ІК rows
                upload = form.cleaned_data.get("file")
                if not upload and staged is None:
                    continue
                try:
                    if upload:
                        cases.add_document_file(case, row["position"], upload, actor=actor)
                    else:
                        staging.attach(case, row["position"], staged, actor=actor)
                except DomainError as error:
                    form.add_error("file", error.message)
                    raise
    except DomainError as error:
        if representative_failed:
            pass  # already beside the representative's field
        elif error.field == "identity_document":
            _add_error(intake_form, error)
        elif error.field == "documents" and intake_form.cleaned_data.get("other_documents"):
            _add_error(intake_form, error, aliases={"documents": "other_documents"})
        elif error.field in APPLICANT_FIELDS:
            _add_error(applicant_form, error)
        elif error.field in PAYMENT_FIELDS:
            _add_error(payment_form, error)
        elif error.field in ("file",):
            pass  # already beside the file
        else:
            context["register_error"] = error.message
        if applicant is not None and context["chosen_applicant"] is None:
            applicant = None  # rolled back with the case
        return None
    staging.discard(kept)  # attached to the case (or replaced by a new upload): the staged copies go
    messages.success(
        request,
        _("Case %(number)s registered. Access code: %(code)s.") % {"number": case.number, "code": case.access_code},
    )
    return redirect("cases:detail", number=case.number)


# --- One case ------------------------------------------------------------------------------------------


def _case_or_404(request, number: str) -> Case:
    queryset = Case.objects.visible_to(request.user).select_related(
        "applicant",
        "representative",
        "service",
        "service_version",
        "center",
        "office",
        "current_office",
        "provider",
    )
    return get_object_or_404(queryset, number=number)


def _due_state(case: Case, now, soon_limit: dt.date | None = None) -> str:
    """``overdue``, ``soon`` (due by the end of the second working day from today) or ``""``; only while
    the term runs (a decided case — result ready, refused — is past its term's concern). A result or a
    refusal waiting at the center for ``UNCOLLECTED_REMINDER_DAYS`` days or more is ``uncollected``."""
    if case.status in deadlines.WAITING_TO_BE_COLLECTED:
        return "uncollected" if deadlines.is_uncollected(case, now) else ""
    if case.due_at is None or case.status not in deadlines.TERM_RUNNING_STATUSES or case.suspended_since:
        return ""
    if case.due_at < now:
        return "overdue"
    if soon_limit is None:
        soon_limit = _soon_limit(now)
    return "soon" if timezone.localdate(case.due_at) <= soon_limit else ""


def _soon_limit(now) -> dt.date:
    return deadlines.calendar().add_working_days(timezone.localdate(now), cases.SOON_WORKING_DAYS)


def _action_forms(request, case: Case, bound: dict) -> list[dict]:
    """The status changes the user may make now, each with its form (the bound one after an error)."""
    user = request.user
    names = workflow.allowed_actions(case, user)
    providers = None
    if "send_to_provider" in names:
        providers = workflow.covering_providers(case)
    result = []
    for name in names:
        if name in ("issue", "issue_refusal"):
            continue  # handed out with the issuance form below
        spec = workflow.ACTIONS[name]
        form = bound.get(name) or _transition_form(name, providers=providers)
        result.append(
            {
                "name": name,
                "label": spec.event_label if name == "accept" else spec.label,
                "form": form,
                "danger": name in DANGER_ACTIONS,
                "needs_reason": name in ACTIONS_WITH_REASON,
                "needs_legal_ground": name == "refuse",
                "needs_provider": name == "send_to_provider",
            }
        )
    return result


def _transition_form(name: str, data=None, *, providers=None) -> TransitionForm:
    form = TransitionForm(data, initial={"action": name}, providers=providers, prefix=name)
    if name == "withdraw":
        form.fields["comment"].label = _("The applicant's statement")
        form.fields["comment"].help_text = _(
            "The date and number of the applicant's written statement of withdrawal, or what it says."
        )
    return form


def _status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return value


def _event_rows(case: Case) -> list[dict]:
    """The history, each event with ``who``: the staff member who acted (shown by name and role, the
    login as a tooltip), or None for the system and for an account no longer there (its label then)."""
    events = list(case.events.select_related("office").all())
    people = _staff_by_id(event.actor_id for event in events)
    rows = []
    for event in events:
        spec = workflow.ACTIONS.get(event.action)
        what = spec.event_label if spec else EVENT_LABELS.get(event.action, event.action)
        status = _status_label(event.to_status) if event.to_status else ""
        # "Передано до СНАП → Передано до СНАП": the status is shown only when it says more.
        comment = event.comment
        if event.action == "payment_recorded" and event.data.get("method") in Payment.Method.values:
            comment = Payment.Method(event.data["method"]).label  # the comment keeps it in Ukrainian
        rows.append(
            {
                "event": event,
                "what": what,
                "status": "" if str(status) == str(what) else status,
                "comment": comment,
                "who": people.get(event.actor_id),
            }
        )
    return rows


EVENT_LABELS = {
    "registered": pgettext_lazy("case event", "Application registered"),
    "transferred": pgettext_lazy("case event", "Case transferred to another office"),
    "payment_recorded": pgettext_lazy("case event", "Payment recorded"),
    "result_attached": pgettext_lazy("case event", "Result document attached"),
    "document_uploaded": pgettext_lazy("case event", "Document scan added"),
    "overdue_escalated": pgettext_lazy("case event", "Term overdue: the head of the center notified"),
    "collect_reminded": pgettext_lazy("case event", "Applicant reminded to collect the result"),
    "online_details": pgettext_lazy(
        "case event", "Submitted online for an existing card: compare the details with the card before accepting"
    ),
}
ROLE_LABELS = dict(TechStep.Role.choices)


def _notifications(case: Case, *, resendable: bool) -> list:
    """The case's notifications, newest first. With ``resendable`` each carries ``resend_to``: the address a
    copy would go to now (the applicant's current one), or "" when it cannot be sent again."""
    notes = list(notify_services.notifications_for_case(case.pk))
    targets = notify_services.resend_targets(notes) if resendable else {}
    for note in notes:
        note.resend_to = targets.get(note.pk, "")
    return notes


def _case_context(request, case: Case, *, bound: dict | None = None, error: str = "") -> dict:
    user = request.user
    now = timezone.now()
    bound = bound or {}
    front = workflow.is_front(user, case)
    back = workflow.is_back(user, case)
    tasks = list(case.tasks.all())
    current_task = next((t for t in tasks if t.state == CaseTask.State.ACTIVE), None)
    case_payments = list(Payment.objects.filter(case=case).order_by("paid_on", "id"))
    paid = payments.paid_total(case)
    fully_paid = payments.is_paid(case)
    allowed = workflow.allowed_actions(case, user)
    issue_action = next((a for a in ("issue", "issue_refusal") if a in allowed), None)
    issuance = getattr(case, "issuance", None) if hasattr(case, "issuance") else None
    return {
        "case": case,
        "applicant": case.applicant,
        "events": _event_rows(case),
        "tasks": [(task, ROLE_LABELS.get(task.role, task.role)) for task in tasks],
        "current_task": current_task,
        "documents": list(case.documents.all()),
        "results": list(case.results.all()),
        "payments": case_payments,
        "paid_total": paid,
        "is_paid": fully_paid,
        "issuance": issuance,
        # nothing to tell the applicant again once the case is closed
        "notifications": _notifications(case, resendable=front and not case.is_closed),
        "due_state": _due_state(case, now),
        "action_forms": _action_forms(request, case, bound),
        "issue_action": issue_action,
        "issue_form": bound.get("issue") or IssueForm(prefix="issue", case=case),
        # a fee that depends on the case is never "covered": its payments can always be recorded
        "can_pay": front and not case.is_closed and (case.fee_amount is None or not fully_paid),
        "exempt": any(p.method == Payment.Method.EXEMPTION for p in case_payments),
        "payment_form": bound.get("payment")
        or PaymentForm(required=True, initial={"amount": case.fee_amount or None, "paid_on": timezone.localdate()}),
        # the refusal decision is attached after the refusal too, until it is handed out
        "can_attach_result": back and case.status in cases.RESULT_STATUSES,
        "result_form": bound.get("result")
        or ResultForm(prefix="result", initial={"is_refusal": case.status == Status.REFUSED}),
        "can_transfer": front and not case.is_closed,
        "transfer_form": bound.get("transfer")
        or TransferForm(
            offices=Office.objects.filter(center=case.center, is_active=True).exclude(pk=case.current_office_id)
        ),
        "can_upload": front and not case.is_closed,
        "upload_form": bound.get("upload") or DocumentFileForm(prefix="upload"),
        "upload_position": bound.get("upload_position"),
        "printouts": printing.available(user, case),
        "action_error": error,
    }


def _render_case(request, case: Case, *, bound=None, error: str = "", status: int = 200):
    _audit_viewed(request, case.applicant, "case", case)
    return render(
        request, "cases/case_detail.html", _case_context(request, case, bound=bound, error=error), status=status
    )


def _render_confirm(request, case: Case, action: str, form, *, checked=None, error: str = "", status: int = 200):
    """The step before an action that cannot be undone: what it will do (the case, the applicant, the new
    status; for an issuance the recipient), the fields typed so far, and the buttons to do it or to go back
    to the case page with them. It is a plain form: no script is needed."""
    _audit_viewed(request, case.applicant, "case.confirm", case)
    spec = workflow.ACTIONS[action]
    issuing = action in ("issue", "issue_refusal")
    context = {
        "case": case,
        "applicant": case.applicant,
        "action": action,
        "label": spec.label,
        "target": Status(spec.target).label,
        "consequence": workflow.IRREVERSIBLE[action],
        "form": form,
        "issuing": issuing,
        "checked": checked or {},
        "post_to": reverse("cases:issue" if issuing else "cases:action", args=[case.number]),
        "danger": action in DANGER_ACTIONS,
        "needs_reason": action in ACTIONS_WITH_REASON,
        "needs_legal_ground": action == "refuse",
        "action_error": error,
    }
    return render(request, "cases/case_confirm.html", context, status=status)


def _back_to_the_page(request) -> bool:
    """«Back» on the confirmation step: the case page again, with what was typed."""
    return bool(request.POST.get("back"))


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def _on_the_confirmation(error: DomainError) -> bool:
    """A refusal met when confirming that the confirmation page can show beside its fields (a case
    changed meanwhile, or out of the user's reach, goes back to the case page)."""
    return error.code != "illegal_transition" and error.status not in (403, 404)


@staff_required()
def case_detail(request, number: str):
    case = _case_or_404(request, number)
    return _render_case(request, case)


def _done(request, case: Case, message: str):
    messages.success(request, message)
    return redirect("cases:detail", number=case.number)


def _repeated(request, case: Case, actions: tuple[str, ...]) -> bool:
    """A refused transition that the same user has just made: the button was pressed twice, or the page
    was sent again. The case is read again, since the first request may have changed it meanwhile."""
    case.refresh_from_db(fields=["status", "current_office"])
    return workflow.done_by(case, actions, request.user)


def _already_done(request, case: Case):
    messages.info(
        request, _("This has already been done: the case is «%(status)s».") % {"status": case.get_status_display()}
    )
    return redirect("cases:detail", number=case.number)


def _returned_by_user(request, number: str) -> Case | None:
    """The case, if the user has just returned it to the center (and so no longer sees it)."""
    if request.user.role != Role.OFFICER:
        return None
    case = Case.objects.filter(number=number, status=Status.ACCEPTED).first()
    return case if case is not None and workflow.done_by(case, ("return_to_center",), request.user) else None


def _returned_message(request, case: Case) -> None:
    messages.success(request, _("Case %(number)s was returned to the center.") % {"number": case.number})


@staff_required()
@require_POST
def case_action(request, number: str):
    name = request.POST.get("action", "")
    for key in request.POST:
        if key.endswith("-action"):
            name = request.POST[key]
            break
    if name not in workflow.ACTIONS:
        raise Http404
    if name == "return_to_center" and not Case.objects.visible_to(request.user).filter(number=number).exists():
        returned = _returned_by_user(request, number)
        if returned is not None:  # «Return» pressed twice: the first press returned it
            _returned_message(request, returned)
            return redirect("cases:inbox")
    case = _case_or_404(request, number)
    providers = workflow.covering_providers(case) if name == "send_to_provider" else None
    form = _transition_form(name, request.POST, providers=providers)
    asks = name in workflow.IRREVERSIBLE
    confirming = asks and _confirmed(request)
    if asks and _back_to_the_page(request):
        return _render_case(request, case, bound={name: form})
    if not form.is_valid():
        if confirming:
            return _render_confirm(request, case, name, form, status=400)
        return _render_case(request, case, bound={name: form}, status=400)
    actor = actor_from_request(request)
    comment = form.cleaned_data["comment"]
    try:
        if asks and not confirming:
            checked = workflow.check(case, name, actor=actor, comment=comment, **form.details())
            return _render_confirm(request, case, name, form, checked=checked)
        if name == "withdraw" and not comment:
            # the record of a withdrawal names the applicant's statement: it cannot be undone
            form.add_error("comment", _("Give the applicant's written statement of withdrawal (its date and number)."))
            return _render_confirm(request, case, name, form, status=400)
        case = cases.transition(case, name, actor=actor, comment=comment, **form.details())
    except DomainError as error:
        if error.code == "illegal_transition" and _repeated(request, case, (name,)):
            return _already_done(request, case)
        if name == "return_to_center" and (returned := _returned_by_user(request, number)) is not None:
            _returned_message(request, returned)  # pressed twice at once: the other press returned it
            return redirect("cases:inbox")
        _add_error(form, error)
        if confirming and _on_the_confirmation(error):
            return _render_confirm(request, case, name, form, error=error.message, status=_error_status(error))
        return _render_case(request, case, bound={name: form}, error=error.message, status=_error_status(error))
    if not Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
        # returned to the center: the СНАП no longer sees it
        _returned_message(request, case)
        return redirect("cases:inbox")
    return _done(request, case, _("The case is now «%(status)s».") % {"status": case.get_status_display()})


def _require(condition: bool) -> None:
    if not condition:
        raise Http404


@staff_required()
@require_POST
def case_payment(request, number: str):
    case = _case_or_404(request, number)
    _require(workflow.is_front(request.user, case))
    form = PaymentForm(request.POST, required=True)
    if not form.is_valid():
        return _render_case(request, case, bound={"payment": form}, status=400)
    try:
        cases.record_payment(case, actor=actor_from_request(request), **form.payment())
    except DomainError as error:
        _add_error(form, error)
        return _render_case(request, case, bound={"payment": form}, error=error.message, status=_error_status(error))
    return _done(request, case, _("Payment recorded."))


@staff_required()
@require_POST
def case_result(request, number: str):
    case = _case_or_404(request, number)
    _require(workflow.is_back(request.user, case))
    form = ResultForm(request.POST, request.FILES, prefix="result")
    if not form.is_valid():
        return _render_case(request, case, bound={"result": form}, status=400)
    data = form.cleaned_data
    try:
        cases.attach_result(
            case, data["file"], name=data["name"], is_refusal=data["is_refusal"], actor=actor_from_request(request)
        )
    except DomainError as error:
        _add_error(form, error)
        return _render_case(request, case, bound={"result": form}, error=error.message, status=_error_status(error))
    return _done(request, case, _("Result document attached."))


@staff_required()
@require_POST
def case_issue(request, number: str):
    case = _case_or_404(request, number)
    _require(workflow.is_front(request.user, case))
    form = IssueForm(request.POST, prefix="issue", case=case)
    if _back_to_the_page(request):
        return _render_case(request, case, bound={"issue": form})
    if not form.is_valid():
        return _render_case(request, case, bound={"issue": form}, status=400)
    actor = actor_from_request(request)
    office_id = actor.office_id or workflow.event_office_id(actor, case) or case.current_office_id
    office = Office.objects.filter(center=case.center, pk=office_id).first() or case.current_office
    details = dict(form.cleaned_data)
    try:
        if not _confirmed(request):
            action = cases.issue_action(case)
            checked = workflow.check(case, action, actor=actor, office=office, **details)
            checked["office_name"] = office.name
            return _render_confirm(request, case, action, form, checked=checked)
        case = cases.issue(case, actor=actor, office=office, **details)
    except DomainError as error:
        if error.code == "illegal_transition" and _repeated(request, case, ("issue", "issue_refusal")):
            return _already_done(request, case)
        _add_error(form, error)
        return _render_case(request, case, bound={"issue": form}, error=error.message, status=_error_status(error))
    return _done(request, case, _("The case is now «%(status)s».") % {"status": case.get_status_display()})


@staff_required()
@require_POST
def case_transfer(request, number: str):
    case = _case_or_404(request, number)
    _require(workflow.is_front(request.user, case))
    offices = Office.objects.filter(center=case.center, is_active=True).exclude(pk=case.current_office_id)
    form = TransferForm(request.POST, offices=offices)
    if not form.is_valid():
        if cases.transferred_by(case, form["to_office"].value(), request.user):
            return _transferred(request, case)  # «Transfer» pressed twice: the case is there already
        return _render_case(request, case, bound={"transfer": form}, status=400)
    try:
        case = cases.transfer(
            case,
            to_office=form.cleaned_data["to_office"],
            actor=actor_from_request(request),
            comment=form.cleaned_data["comment"],
        )
    except DomainError as error:
        if error.code == "same_office" and cases.transferred_by(case, form["to_office"].value(), request.user):
            return _transferred(request, case)
        _add_error(form, error)
        return _render_case(request, case, bound={"transfer": form}, error=error.message, status=_error_status(error))
    return _transferred(request, case)


def _transferred(request, case: Case):
    case.refresh_from_db(fields=["current_office"])
    return _done(request, case, _("Case transferred to %(office)s.") % {"office": case.current_office})


@staff_required()
@require_POST
def case_notification_resend(request, number: str, pk: int):
    """Send a notification of this case again (e.g. the applicant lost the SMS)."""
    case = _case_or_404(request, number)
    _require(workflow.is_front(request.user, case))
    note = get_object_or_404(notify_services.notifications_for_case(case.pk), pk=pk)
    try:
        copy = notify_services.resend(note, actor=actor_from_request(request))
    except DomainError as error:
        if error.code == "resend_pending":  # a second press: the first one's copy is on its way
            messages.info(request, error.message)
            return redirect("cases:detail", number=case.number)
        return _render_case(request, case, error=error.message, status=_error_status(error))
    if copy.recipient != note.recipient:
        return _done(
            request,
            case,
            _(
                "The applicant's contact has changed: the notification will be sent again to %(address)s, not to %(old)s."
            )
            % {"address": copy.recipient, "old": note.recipient},
        )
    return _done(request, case, _("The notification will be sent again to %(address)s.") % {"address": copy.recipient})


@staff_required()
@require_POST
def case_document_file(request, number: str, position: int):
    case = _case_or_404(request, number)
    _require(workflow.is_front(request.user, case))
    get_object_or_404(case.documents, position=position)
    form = DocumentFileForm(request.POST, request.FILES, prefix="upload")
    bound = {"upload": form, "upload_position": position}
    if not form.is_valid():
        return _render_case(request, case, bound=bound, status=400)
    try:
        cases.add_document_file(case, position, form.cleaned_data["file"], actor=actor_from_request(request))
    except DomainError as error:
        _add_error(form, error)
        return _render_case(request, case, bound=bound, error=error.message, status=_error_status(error))
    return _done(request, case, _("Scan uploaded."))


def _file_response(stored, content_type: str, filename: str):
    from django.http import FileResponse

    return FileResponse(stored.open("rb"), content_type=content_type, as_attachment=False, filename=filename)


@staff_required()
def case_document_download(request, number: str, position: int):
    case = _case_or_404(request, number)
    document = get_object_or_404(case.documents, position=position)
    if not document.file:
        raise Http404
    record(actor_from_request(request), "case.document_viewed", case, data={"position": position})
    return _file_response(document.file, document.content_type, document.file.name.rsplit("/", 1)[-1])


@staff_required()
def case_result_download(request, number: str, pk: int):
    case = _case_or_404(request, number)
    result = get_object_or_404(case.results, pk=pk)
    record(actor_from_request(request), "case.result_viewed", case, data={"result": pk})
    return _file_response(result.file, result.content_type, result.file.name.rsplit("/", 1)[-1])


# --- Printed documents ---------------------------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required()
def printout(request, number: str, kind: str):
    """A printed document of the case (``printing.KINDS``), inline as a PDF."""
    try:
        content, filename = printing.printout(request.user, number, kind, actor=actor_from_request(request))
    except NotFound as error:
        raise Http404(error.message) from None
    return _pdf_response(content, filename)


# --- Lists ---------------------------------------------------------------------------------------------

TABS = [
    ("today", gettext_noop("Due today")),
    ("soon", gettext_noop("Due within 2 working days")),
    ("overdue", gettext_noop("Overdue")),
    ("all", gettext_noop("All")),
]


def _due_queryset(tab: str, queryset, now):
    if tab == "today":
        return deadlines.due_today(queryset, now)
    if tab == "soon":
        return deadlines.due_within(queryset, now, working_days=cases.SOON_WORKING_DAYS)
    return deadlines.overdue(queryset, now)


def _keyset(queryset, *, newest_first: bool, cursor: str | None):
    """One page by (filed_at desc, id desc) or (due_at, id); returns rows and the next cursor."""
    if newest_first:
        queryset = queryset.order_by("-filed_at", "-id")
        field = "filed_at"
    else:
        queryset = queryset.order_by("due_at", "id")
        field = "due_at"
    if cursor:
        values = _decode(cursor)
        try:
            at, last_id = dt.datetime.fromisoformat(values[0]), int(values[1])
        except (IndexError, TypeError, ValueError):
            raise DomainError(_("Invalid page cursor."), code="invalid_cursor", field="cursor") from None
        if newest_first:
            queryset = queryset.filter(Q(filed_at__lt=at) | Q(filed_at=at, id__lt=last_id))
        else:
            queryset = queryset.filter(Q(due_at__gt=at) | Q(due_at=at, id__gt=last_id))
    rows = list(queryset[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode([getattr(last, field).isoformat(), last.id])
    return rows, next_cursor


def _list_rows(request, queryset, *, newest_first: bool):
    try:
        return _keyset(queryset, newest_first=newest_first, cursor=request.GET.get("cursor") or None)
    except DomainError:
        raise Http404 from None


def _next_query(request, cursor):
    if not cursor:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return query.urlencode()


def _with_relations(queryset):
    return queryset.select_related("applicant", "service", "current_office", "provider")


@staff_required()
def case_list(request):
    user = request.user
    now = timezone.now()
    tab = request.GET.get("tab") or "today"
    if tab not in dict(TABS):
        tab = "today"
    search_form = CaseSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    search_error = ""
    base = Case.objects.visible_to(user)
    if query:
        try:
            base = cases.search_cases(user, query)
        except DomainError as error:
            search_error = error.message
            base = base.none()
        tab = "all"
    queryset = base if tab == "all" else _due_queryset(tab, base, now)
    rows, next_cursor = _list_rows(request, _with_relations(queryset), newest_first=(tab == "all"))
    _audit_listed(request, [row.applicant_id for row in rows], f"case_list.{tab}")
    soon = _soon_limit(now)
    front = user.role in FRONT_ROLES
    offices = cases.front_offices(user) if front else Office.objects.none()
    context = {
        "tabs": [(key, _(label)) for key, label in TABS],
        "tab": tab,
        "search_form": search_form,
        "query": query,
        "search_error": search_error,
        "rows": [(row, _due_state(row, now, soon)) for row in rows],
        "next_query": _next_query(request, next_cursor),
        "can_register": user.role in INTAKE_ROLES,
        "consultation_form": ConsultationForm.for_page(request) if front and offices.exists() else None,
    }
    return render(request, "cases/case_list.html", context)


@staff_required()
def inbox(request):
    """Cases awaiting work: for a СНАП officer, those sent to the provider; for the front office, the
    online applications to accept and the results to hand out."""
    user = request.user
    now = timezone.now()
    officer = user.role == Role.OFFICER
    # The workplace's counts link here narrowed: ?status=… (repeatable) and, at the front desk, ?uncollected=1.
    uncollected = not officer and request.GET.get("uncollected") == "1"
    queryset, shown = cases.work_inbox(user, statuses=request.GET.getlist("status"), uncollected=uncollected, now=now)
    with_due = queryset.filter(due_at__isnull=False)
    rows, next_cursor = _list_rows(request, _with_relations(with_due), newest_first=False)
    without_due = []
    if not request.GET.get("cursor"):
        without_due = list(_with_relations(queryset.filter(due_at__isnull=True)).order_by("filed_at", "id")[:PAGE_SIZE])
    all_rows = rows + without_due
    _audit_listed(request, [row.applicant_id for row in all_rows], "inbox")
    soon = _soon_limit(now)
    return render(
        request,
        "cases/inbox.html",
        {
            "rows": [(row, _due_state(row, now, soon)) for row in all_rows],
            "next_query": _next_query(request, next_cursor),
            "officer": officer,
            "narrowed_to": [_status_label(value) for value in shown],
            "uncollected": uncollected,
        },
    )


@staff_required(*FRONT_ROLES)
@require_POST
def consultation(request):
    user = request.user
    form = ConsultationForm(request.POST)
    offices = cases.front_offices(user)
    office_id = request.session.get("office_id")
    office = offices.filter(pk=office_id).first() if office_id else None
    office = office or offices.first()
    if office is None:
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        try:
            cases.record_consultation(
                office=office,
                actor=actor_from_request(request),
                service=data["service"],
                topic=(data["topic"] or "").strip(),
                channel=data["channel"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            ConsultationForm.keep_rejected(request)
        else:
            messages.success(request, _("Consultation recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        ConsultationForm.keep_rejected(request)
    target = request.POST.get("next") or ""
    if not target.startswith("/staff/"):
        target = reverse("cases:list")
    return redirect(target)


@staff_required()
def consultation_list(request):
    """The consultations of one day (today by default) with the count per channel, and the form to
    record one more (front office)."""
    user = request.user
    today = timezone.localdate()
    filter_form = ConsultationFilterForm(request.GET or None)
    day = (filter_form.cleaned_data.get("day") if filter_form.is_valid() else None) or today
    rows = list(cases.consultations_on(user, day)[:CONSULTATIONS_SHOWN])
    counts = dict.fromkeys(Consultation.Channel.values, 0)
    for channel, number in cases.consultations_on(user, day).order_by().values_list("channel").annotate(n=Count("id")):
        counts[channel] = number
    staff = _staff_names({row.by_id for row in rows})
    front = user.role in FRONT_ROLES and cases.front_offices(user).exists()
    context = {
        "filter_form": filter_form,
        "day": day,
        "is_today": day == today,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < today else None,
        "rows": [(row, staff.get(row.by_id, "")) for row in rows],
        "total": sum(counts.values()),
        "counts": [(label, counts[value]) for value, label in Consultation.Channel.choices],
        "more": sum(counts.values()) > len(rows),
        "shown": len(rows),
        "consultation_form": ConsultationForm.for_page(request) if front and day == today else None,
    }
    return render(request, "cases/consultation_list.html", context)


CONSULTATIONS_SHOWN = 500


def _staff_by_id(user_ids) -> dict:
    from django.contrib.auth import get_user_model

    ids = {i for i in user_ids if i}
    return get_user_model().objects.in_bulk(ids) if ids else {}


def _staff_names(user_ids) -> dict:
    from django.contrib.auth import get_user_model

    ids = [i for i in user_ids if i]
    return {user.pk: user.full_name() for user in get_user_model().objects.filter(pk__in=ids)} if ids else {}
