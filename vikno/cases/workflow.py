"""The case state machine: which action moves a case from which status to which, who may do it, and
what happens on the way (events, audit, ТК tasks, the legal term, notifications).

Front-office actions belong to the administrators and heads of the case's center; back-office
actions to the officers of the case's provider (СНАП), set when the case is sent there. Staff who
cannot see the case get 404; staff who see it but have the other role get 403; an action not
allowed from the current status gets 409 ``illegal_transition``.

    submitted_online ─accept→ accepted ─send_to_provider→ sent_to_provider ─take_into_work→ in_progress
    in_progress ─request_clarification→ needs_clarification ─resume→ in_progress
    in_progress ─mark_result_ready→ result_ready ─issue→ issued
    in_progress ─refuse→ refused ─issue_refusal→ refusal_issued
    sent_to_provider | in_progress ─return_to_center→ accepted (not this СНАП's case, or the package is
        incomplete: the front office fixes it and sends the case again, maybe to another СНАП)
    any open status ─withdraw→ withdrawn (the front office, on the applicant's statement)
    any open status ─dismiss→ dismissed (the front office or the СНАП)

Refusing, issuing and closing an application cannot be undone: the staff pages ask to confirm them
(``IRREVERSIBLE``) and ``check`` tells beforehand whether ``transition`` would refuse; the API does them
when called.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from vikno.catalog.fees import format_money
from vikno.catalog.models import ProviderService
from vikno.catalog.services import provider_links_for
from vikno.core import audit
from vikno.core.audit import Actor, record
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.i18n import in_ukrainian
from vikno.core.scoping import Role
from vikno.notify import services as notify_services
from vikno.orgs.models import Provider

from . import deadlines
from .models import CLOSED_STATUSES, Case, CaseEvent, CaseTask, Issuance, ResultDocument, Status

log = logging.getLogger(__name__)

FRONT, BACK, EITHER = "front", "back", "either"
FRONT_ROLES = (Role.ADMINISTRATOR, Role.CENTER_HEAD)
PROVIDER_TASK_ROLES = ("officer", "provider_head")
# Before the decision (the statuses in which the legal term runs): an application can be withdrawn or
# left without consideration only while no result or refusal exists.
UNDECIDED_STATUSES = deadlines.TERM_RUNNING_STATUSES
_CLOSED_FOR_GOOD = gettext_lazy("The case is closed and its open tasks are dropped; the applicant has to apply again.")
# Actions that cannot be undone, with what they do besides the new status: the staff pages ask to confirm them first.
IRREVERSIBLE = {
    "refuse": gettext_lazy(
        "The applicant is told of the refusal at once; the case then waits for its refusal decision."
    ),
    "issue": gettext_lazy("The case is closed: the result is recorded as handed over to the recipient below."),
    "issue_refusal": gettext_lazy(
        "The case is closed: the refusal decision is recorded as handed over to the recipient below."
    ),
    "withdraw": _CLOSED_FOR_GOOD,
    "dismiss": _CLOSED_FOR_GOOD,
}


@dataclass(frozen=True)
class Action:
    """``label`` names the action in the infinitive, lower case (a button reads it capitalised; messages
    say «Cannot <label>…»); ``event_label`` names it done, in the case's history. Both are lazy
    translations: English msgids, Ukrainian in the catalog."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    side: str
    event_label: str


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "accept",
            gettext_lazy("accept the online application"),
            (Status.SUBMITTED_ONLINE,),
            Status.ACCEPTED,
            FRONT,
            pgettext_lazy("case event", "Application accepted"),
        ),
        Action(
            "send_to_provider",
            gettext_lazy("send the case to the provider"),
            (Status.ACCEPTED,),
            Status.SENT_TO_PROVIDER,
            FRONT,
            pgettext_lazy("case event", "Sent to the provider"),
        ),
        Action(
            "take_into_work",
            gettext_lazy("take the case into work"),
            (Status.SENT_TO_PROVIDER,),
            Status.IN_PROGRESS,
            BACK,
            pgettext_lazy("case event", "Taken into work"),
        ),
        Action(
            "request_clarification",
            gettext_lazy("request clarification"),
            (Status.IN_PROGRESS,),
            Status.NEEDS_CLARIFICATION,
            BACK,
            pgettext_lazy("case event", "Clarification needed, term suspended"),
        ),
        Action(
            "resume",
            gettext_lazy("resume consideration"),
            (Status.NEEDS_CLARIFICATION,),
            Status.IN_PROGRESS,
            BACK,
            pgettext_lazy("case event", "Consideration resumed"),
        ),
        Action(
            "mark_result_ready",
            gettext_lazy("mark the result ready"),
            (Status.IN_PROGRESS,),
            Status.RESULT_READY,
            BACK,
            pgettext_lazy("case event", "Result ready"),
        ),
        Action(
            "refuse",
            gettext_lazy("refuse the service"),
            (Status.IN_PROGRESS,),
            Status.REFUSED,
            BACK,
            pgettext_lazy("case event", "Refusal"),
        ),
        Action(
            "issue",
            gettext_lazy("issue the result"),
            (Status.RESULT_READY,),
            Status.ISSUED,
            FRONT,
            pgettext_lazy("case event", "Result issued"),
        ),
        Action(
            "return_to_center",
            gettext_lazy("return the case to the center without a decision"),
            (Status.SENT_TO_PROVIDER, Status.IN_PROGRESS),
            Status.ACCEPTED,
            BACK,
            pgettext_lazy("case event", "Returned to the center without a decision"),
        ),
        Action(
            "issue_refusal",
            gettext_lazy("issue the refusal decision"),
            (Status.REFUSED,),
            Status.REFUSAL_ISSUED,
            FRONT,
            pgettext_lazy("case event", "Refusal decision issued"),
        ),
        Action(
            "withdraw",
            gettext_lazy("withdraw the application"),
            UNDECIDED_STATUSES,
            Status.WITHDRAWN,
            FRONT,  # the applicant's act: their written statement is filed at the center, not at the СНАП
            pgettext_lazy("case event", "Application withdrawn by the applicant"),
        ),
        Action(
            "dismiss",
            gettext_lazy("leave the application without consideration"),
            UNDECIDED_STATUSES,
            Status.DISMISSED,
            EITHER,
            pgettext_lazy("case event", "Left without consideration"),
        ),
    ]
}


# --- deadlines and notifications --------------------------------------------------------------


def compute_due(start, term_value, term_unit, *, office=None):
    if not term_value or not term_unit:
        return None
    return deadlines.compute_due(start, term_value, term_unit, office=office)


DEADLINE_FIELDS = ("due_at", "suspended_since", "suspended_days", "extended_days")


def _deadline_call(name: str, case: Case, **kwargs) -> None:
    """suspend/resume the legal term; keeps the instance in step whether the function saves or not."""
    before = {f: getattr(case, f) for f in DEADLINE_FIELDS}
    getattr(deadlines, name)(case, **kwargs)
    changed = [f for f in DEADLINE_FIELDS if getattr(case, f) != before[f]]
    if changed:
        case.save(update_fields=changed)
    else:
        case.refresh_from_db(fields=list(DEADLINE_FIELDS))


def notify(event: str, case: Case, *, actor: Actor | None, **extra) -> None:
    """Queue a message to the applicant (the notify room sends it once the transaction commits)."""
    applicant = case.applicant
    center = case.center
    context = {
        "case_number": case.number,
        "service_name": case.service_version.name_uk,
        "center_name": center.short_name or center.name,
        "center_phone": case.current_office.phone or center.phone,
        "office_name": case.current_office.name,
        "office_address": case.current_office.address,
        "status": in_ukrainian(Status(case.status).label),  # the messages are Ukrainian
        "due_date": f"{timezone.localtime(case.due_at):%d.%m.%Y}" if case.due_at else "",
        "provider_name": str(case.provider) if case.provider_id else "",
        **extra,
    }
    notify_services.enqueue(
        event=event,
        context=context,
        phone=applicant.phone,
        email=applicant.email,
        sms_allowed=applicant.sms_consent,
        email_allowed=applicant.email_consent,
        case_id=case.pk,
        center_id=case.center_id,
        region_id=case.region_id,
        actor=actor,
    )


def applicant_contacts(case_id: int) -> dict[str, notify_services.Contact]:
    """Where the applicant of a case is reached now, and whether they agree to be, per channel (the notify
    room asks when staff send a message again: it goes to the current address, and not without consent)."""
    card = (
        Case.objects.filter(pk=case_id)
        .values("applicant__phone", "applicant__email", "applicant__sms_consent", "applicant__email_consent")
        .first()
    )
    if card is None:
        return {}
    return {
        notify_services.Channel.SMS: notify_services.Contact(
            consents=card["applicant__sms_consent"], address=card["applicant__phone"]
        ),
        notify_services.Channel.EMAIL: notify_services.Contact(
            consents=card["applicant__email_consent"], address=card["applicant__email"]
        ),
    }


# --- who may act -------------------------------------------------------------------------------


def _is_system(actor: Actor | None) -> bool:
    return actor is not None and actor.user is None and bool(actor.label)


def is_front(user, case: Case) -> bool:
    return user.role == Role.SYSADMIN or (user.role in FRONT_ROLES and user.center_id == case.center_id)


def is_back(user, case: Case) -> bool:
    return user.role == Role.SYSADMIN or (
        user.role == Role.OFFICER and case.provider_id is not None and user.provider_id == case.provider_id
    )


def require_visible(case: Case, actor: Actor | None) -> None:
    """404 unless the actor's user may see the case (system actors see everything)."""
    if _is_system(actor):
        return
    user = actor.user if actor else None
    if user is None or not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise NotFound(_("Case not found."))


def require_side(case: Case, actor: Actor | None, side: str, what: str) -> None:
    require_visible(case, actor)
    if _is_system(actor):
        return
    user = actor.user
    if side == FRONT and not is_front(user, case):
        raise PermissionDenied(
            _("The action «%(action)s» is for an administrator of the center where the application was filed.")
            % {"action": what}
        )
    if side == BACK and not is_back(user, case):
        raise PermissionDenied(
            _("The action «%(action)s» is for an officer of the provider the case was sent to.") % {"action": what}
        )
    if side == EITHER and not (is_front(user, case) or is_back(user, case)):
        raise PermissionDenied(
            _("The action «%(action)s» is for an administrator of the center or an officer of the provider.")
            % {"action": what}
        )


def event_office_id(actor: Actor | None, case: Case) -> int | None:
    """The office the actor works from: the session's office, else their office in the case's center."""
    if actor is None:
        return None
    if actor.office_id:
        return actor.office_id
    user = actor.user
    if user is not None and user.role in FRONT_ROLES and user.center_id == case.center_id:
        office_id = user.offices.filter(center_id=case.center_id).values_list("id", flat=True).first()
        return office_id or case.current_office_id
    return None


def add_event(
    case: Case,
    action: str,
    *,
    actor: Actor | None,
    at=None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    visible_to_applicant: bool = True,
    data: dict | None = None,
    office_id: int | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor_id=actor.user_id if actor else None,
        actor_label=(actor.describe() if actor else "system")[:200],
        office_id=office_id if office_id is not None else event_office_id(actor, case),
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        visible_to_applicant=visible_to_applicant,
        data=data or {},
    )


# --- ТК tasks ----------------------------------------------------------------------------------


def _activate(task: CaseTask, case: Case, now) -> None:
    task.state = CaseTask.State.ACTIVE
    task.started_at = now
    task.due_at = compute_due(now, task.term_value, task.term_unit, office=case.current_office)
    task.save(update_fields=["state", "started_at", "due_at"])


def advance_tasks(case: Case, phase: str, *, actor: Actor | None, now=None) -> None:
    """Close the ТК steps of a finished phase and start the next one.

    Phases: ``intake`` (steps before the first СНАП step), ``provider`` (from the first to the last
    СНАП step) and ``issue`` (the rest). ``close`` marks every open step skipped (withdrawal)."""
    now = now or timezone.now()
    tasks = list(case.tasks.order_by("position"))
    if not tasks:
        return
    open_states = (CaseTask.State.PENDING, CaseTask.State.ACTIVE)
    if phase == "close":
        for task in tasks:
            if task.state in open_states:
                task.state = CaseTask.State.SKIPPED
                task.save(update_fields=["state"])
        return
    provider_idx = [i for i, t in enumerate(tasks) if t.role in PROVIDER_TASK_ROLES]
    first = provider_idx[0] if provider_idx else len(tasks)
    last = provider_idx[-1] if provider_idx else len(tasks) - 1
    end = {"intake": first, "provider": last + 1, "issue": len(tasks)}[phase]
    user_id = actor.user_id if actor else None
    for task in tasks[:end]:
        if task.state in open_states:
            task.state = CaseTask.State.DONE
            task.started_at = task.started_at or now
            task.done_at = now
            task.done_by_id = user_id
            task.save(update_fields=["state", "started_at", "done_at", "done_by_id"])
    if end < len(tasks) and tasks[end].state == CaseTask.State.PENDING:
        _activate(tasks[end], case, now)


def rewind_to_intake(case: Case, now) -> None:
    """The case went back to the front office: the СНАП steps wait again and the last front-office
    step before them is the current one (sending the case again closes it, as the first time)."""
    tasks = list(case.tasks.order_by("position"))
    provider_idx = [i for i, t in enumerate(tasks) if t.role in PROVIDER_TASK_ROLES]
    if not provider_idx:
        return
    first = provider_idx[0]
    for task in tasks[first:]:
        if task.state in (CaseTask.State.ACTIVE, CaseTask.State.DONE):
            task.state = CaseTask.State.PENDING
            task.started_at = task.due_at = task.done_at = task.done_by_id = None
            task.save(update_fields=["state", "started_at", "due_at", "done_at", "done_by_id"])
    if first > 0:
        task = tasks[first - 1]
        task.state = CaseTask.State.ACTIVE
        task.started_at = now
        task.done_at = task.done_by_id = None
        task.due_at = compute_due(now, task.term_value, task.term_unit, office=case.current_office)
        task.save(update_fields=["state", "started_at", "due_at", "done_at", "done_by_id"])


def start_tasks(case: Case, now) -> None:
    first = case.tasks.order_by("position").first()
    if first is not None:
        _activate(first, case, now)


# --- providers ---------------------------------------------------------------------------------


def covering_providers(case: Case):
    """Providers deciding on the case's service for the center's hromada (or its whole region)."""
    links = provider_links_for(case.center).filter(service_id=case.service_id)
    return Provider.objects.filter(pk__in=links.values("provider_id")).order_by("pk")


def pick_provider(case: Case, chosen=None) -> Provider:
    candidates = list(covering_providers(case))
    if chosen is not None:
        provider_id = getattr(chosen, "pk", chosen)
        provider = Provider.objects.filter(pk=provider_id, is_active=True).first()
        if provider is None:
            raise DomainError(
                _("The chosen provider was not found or is not active."), code="invalid_provider", field="provider"
            )
        if provider in candidates or provider.region_id == case.region_id:
            return provider
        raise DomainError(
            _("The provider «%(provider)s» does not provide this service for the center's hromada.")
            % {"provider": provider},
            code="provider_not_covering",
            field="provider",
        )
    if not candidates:
        raise DomainError(
            _("No provider provides this service for the center's hromada: choose the provider."),
            code="provider_unknown",
            field="provider",
        )
    # A provider named for the hromada is preferred to one serving the whole region.
    specific = [
        p
        for p in candidates
        if ProviderService.objects.filter(
            provider=p, service_id=case.service_id, hromadas=case.center.hromada_id
        ).exists()
    ]
    pool = specific or candidates
    if len(pool) > 1:
        names = ", ".join(f"«{p}»" for p in pool)
        raise DomainError(
            _("Several providers provide this service (%(names)s): choose whom to send the case to.")
            % {"names": names},
            code="provider_ambiguous",
            field="provider",
        )
    return pool[0]


# --- the transition ------------------------------------------------------------------------------


def lock_center_chain(center_id: int) -> None:
    """Take the center's audit-chain lock now (vikno.core.audit.record takes the same one later).

    Registration and transitions lock a row (the number counter, the case) and then write audit
    records; a caller may already hold the audit lock from an earlier write in its transaction (e.g.
    a new applicant). Taking the audit lock first keeps one lock order everywhere, so two such
    transactions queue instead of deadlocking. The lock is re-entrant within a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [chain_lock_key(center_id)])


def chain_lock_key(center_id: int) -> str:
    """The advisory-lock key of the center's audit chain (as vikno.core.audit.record builds it)."""
    return audit.chain_lock_key(audit.center_chain(center_id))


def illegal(case: Case, action: Action) -> Conflict:
    return Conflict(
        _("Cannot %(action)s: case No. %(number)s has the status «%(status)s».")
        % {"action": action.label, "number": case.number, "status": case.get_status_display()},
        code="illegal_transition",
    )


def _spec(action: str) -> Action:
    spec = ACTIONS.get(action)
    if spec is None:
        known = ", ".join(ACTIONS)
        raise DomainError(
            _("Unknown action «%(action)s». Possible actions: %(known)s.") % {"action": action, "known": known},
            code="unknown_action",
            field="action",
        )
    return spec


def check(case: Case, action: str, *, actor: Actor | None, comment: str = "", **details) -> dict:
    """Refuse as ``transition`` would, without changing anything (for a step that asks to confirm an
    action: it should not ask to confirm what will be refused). Returns the details as they would be
    recorded (e.g. the recipient's name an issuance would record)."""
    spec = _spec(action)
    require_side(case, actor, spec.side, spec.label)
    if case.status not in spec.sources:
        raise illegal(case, spec)
    checker = CHECK.get(action)
    return checker(case, actor=actor, comment=(comment or "").strip(), **details) if checker else {}


def transition(case: Case, action: str, *, actor: Actor | None, comment: str = "", **details) -> Case:
    """Apply ``action`` to ``case`` (see ``ACTIONS``); returns the case as saved."""
    spec = _spec(action)
    comment = (comment or "").strip()
    with transaction.atomic():
        lock_center_chain(case.center_id)
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("applicant", "service_version", "center", "current_office")
            .get(pk=case.pk)
        )
        require_side(case, actor, spec.side, spec.label)
        if case.status not in spec.sources:
            raise illegal(case, spec)
        now = details.pop("at", None) or timezone.now()
        from_status = case.status
        data = APPLY[action](case, spec, actor=actor, comment=comment, now=now, **details) or {}
        case.status = spec.target
        case.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if spec.target in CLOSED_STATUSES:
            case.closed_at = now
            fields.append("closed_at")
        case.save(update_fields=fields + data.pop("_fields", []))
        event_data = {k: v for k, v in data.items() if not k.startswith("_")}
        add_event(
            case,
            action,
            actor=actor,
            at=now,
            from_status=from_status,
            to_status=spec.target,
            comment=comment,
            data=event_data,
        )
        record(
            actor,
            f"case.{action}",
            case,
            data={"from": from_status, "to": spec.target, "comment": comment, **event_data},
        )
        AFTER.get(action, lambda *a, **k: None)(case, actor=actor, comment=comment)
    return case


# Each ``_apply_*`` checks the details of one action and changes the case (not its status). It returns
# the data for the event; ``_fields`` lists extra case columns to save.


def _apply_accept(case, spec, *, actor, comment, now, **details):
    return {}


def _apply_send(case, spec, *, actor, comment, now, provider=None, **details):
    from vikno.payments.services import is_paid

    if not case.pay_later_allowed and not is_paid(case):
        fee = format_money(case.fee_amount) if case.fee_amount else _("the administrative fee")
        raise Conflict(
            _(
                "Cannot send case No. %(number)s to the provider: the fee (%(fee)s) is not paid, and this service "
                "does not allow paying later. Record the payment or the exemption from payment."
            )
            % {"number": case.number, "fee": fee},
            code="fee_unpaid",
        )
    chosen = pick_provider(case, provider)
    case.provider = chosen
    advance_tasks(case, "intake", actor=actor, now=now)
    return {"provider": chosen.pk, "provider_name": str(chosen), "_fields": ["provider"]}


def _apply_take(case, spec, *, actor, comment, now, **details):
    return {}


def _apply_clarify(case, spec, *, actor, comment, now, **details):
    if not comment:
        raise DomainError(
            _("Describe what clarifications or documents are needed from the applicant."),
            code="comment_required",
            field="comment",
        )
    _deadline_call("suspend", case, at=now)
    return {}


def _apply_return(case, spec, *, actor, comment, now, **details):
    if not comment:
        raise DomainError(
            _(
                "Explain why the case goes back to the center (e.g. the service is not this provider's, or "
                "the package of documents is incomplete)."
            ),
            code="comment_required",
            field="comment",
        )
    provider = case.provider
    case.provider = None
    rewind_to_intake(case, now)
    return {
        "provider": provider.pk if provider else None,
        "provider_name": str(provider or ""),
        "_fields": ["provider"],
    }


def _apply_resume(case, spec, *, actor, comment, now, **details):
    _deadline_call("resume", case, at=now)
    return {}


def _apply_ready(case, spec, *, actor, comment, now, **details):
    if not ResultDocument.objects.filter(case=case, is_refusal=False).exists():
        raise DomainError(
            _("First attach the document that is the result of the service, then mark the result ready."),
            code="result_missing",
            field="file",
        )
    case.result_ready_at = now
    advance_tasks(case, "provider", actor=actor, now=now)
    return {"_fields": ["result_ready_at"]}


def _check_refuse(case, *, actor, comment, reason="", legal_ground="", **details):
    reason = (reason or details.get("refusal_reason") or "").strip()
    legal_ground = (legal_ground or details.get("refusal_ground") or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the refusal."), code="reason_required", field="reason")
    if not legal_ground:
        raise DomainError(
            _("Give the legal ground for the refusal (a provision of law or an item of the information card)."),
            code="legal_ground_required",
            field="legal_ground",
        )
    return {"reason": reason, "legal_ground": legal_ground}


def _apply_refuse(case, spec, *, actor, comment, now, **details):
    checked = _check_refuse(case, actor=actor, comment=comment, **details)
    case.refusal_reason = checked["reason"]
    case.refusal_ground = checked["legal_ground"][:500]
    case.result_ready_at = now
    advance_tasks(case, "provider", actor=actor, now=now)
    return {**checked, "_fields": ["refusal_reason", "refusal_ground", "result_ready_at"]}


def same_name(one: str, other: str) -> bool:
    """Two spellings of a person's name that differ only in spaces and letter case."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def _recipient(case, recipient_name: str, to_representative: bool) -> str:
    """The name an issuance records. It follows the choice (the applicant or the representative) when
    the name is left empty; a typed name that names the other person is refused, never replaced."""
    representative = case.representative
    if to_representative:
        if representative is None:
            raise DomainError(
                _("The case has no representative: issue the result to the applicant."),
                code="no_representative",
                field="to_representative",
            )
        valid_until = representative.authority_valid_until
        if valid_until is not None and valid_until < timezone.localdate():
            raise DomainError(
                _("The representative's power of attorney was valid until %(date)s: it cannot be used to issue.")
                % {"date": f"{valid_until:%d.%m.%Y}"},
                code="authority_expired",
                field="to_representative",
            )
        if recipient_name and not same_name(recipient_name, representative.full_name):
            raise DomainError(
                _(
                    "It is issued to the representative %(representative)s, but the recipient is named «%(name)s». "
                    "Give the representative's name (or leave the name empty), or issue to the applicant."
                )
                % {"representative": representative.full_name, "name": recipient_name},
                code="recipient_mismatch",
                field="recipient_name",
            )
        return representative.full_name
    if representative is not None and recipient_name and same_name(recipient_name, representative.full_name):
        raise DomainError(
            _(
                "%(name)s is the applicant's representative: choose to issue to the representative, so that the "
                "power of attorney is checked."
            )
            % {"name": representative.full_name},
            code="recipient_is_representative",
            field="to_representative",
        )
    return recipient_name or case.applicant.display_name


def _check_issue(
    case,
    *,
    actor,
    comment,
    recipient_name="",
    identity_document="",
    to_representative=False,
    office=None,
    note="",
    **details,
):
    recipient_name = _recipient(case, (recipient_name or "").strip(), bool(to_representative))
    identity_document = (identity_document or "").strip()
    if not identity_document:
        raise DomainError(
            _("Give the identity document of the recipient (type and number)."),
            code="identity_document_required",
            field="identity_document",
        )
    office_id = getattr(office, "pk", office) or event_office_id(actor, case) or case.current_office_id
    if not case.center.offices.filter(pk=office_id).exists():
        raise DomainError(
            _("It can only be issued at an office of the center that handles the case."),
            code="invalid_office",
            field="office",
        )
    return {
        "recipient_name": recipient_name,
        "identity_document": identity_document,
        "to_representative": bool(to_representative),
        "office": office_id,
        "note": (note or "").strip(),
    }


def _apply_issue(case, spec, *, actor, comment, now, **details):
    checked = _check_issue(case, actor=actor, comment=comment, **details)
    Issuance.objects.create(
        case=case,
        issued_at=now,
        issued_by_id=actor.user_id if actor else None,
        office_id=checked["office"],
        to_representative=checked["to_representative"],
        recipient_name=checked["recipient_name"][:300],
        identity_document=checked["identity_document"][:200],
        note=checked["note"],
    )
    advance_tasks(case, "issue", actor=actor, now=now)
    return {k: checked[k] for k in ("recipient_name", "to_representative", "office")}


def _apply_withdraw(case, spec, *, actor, comment, now, **details):
    advance_tasks(case, "close", actor=actor, now=now)
    return {}


def _check_dismiss(case, *, actor, comment, reason="", **details):
    reason = (reason or comment or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason why the application is left without consideration."),
            code="reason_required",
            field="reason",
        )
    return {"reason": reason}


def _apply_dismiss(case, spec, *, actor, comment, now, **details):
    checked = _check_dismiss(case, actor=actor, comment=comment, **details)
    advance_tasks(case, "close", actor=actor, now=now)
    return checked


APPLY = {
    "accept": _apply_accept,
    "send_to_provider": _apply_send,
    "take_into_work": _apply_take,
    "request_clarification": _apply_clarify,
    "resume": _apply_resume,
    "mark_result_ready": _apply_ready,
    "refuse": _apply_refuse,
    "return_to_center": _apply_return,
    "issue": _apply_issue,
    "issue_refusal": _apply_issue,
    "withdraw": _apply_withdraw,
    "dismiss": _apply_dismiss,
}

# What ``check`` asks of the actions with details to check before they are done.
CHECK = {
    "refuse": _check_refuse,
    "issue": _check_issue,
    "issue_refusal": _check_issue,
    "dismiss": _check_dismiss,
}

AFTER = {
    "accept": lambda case, *, actor, comment: notify("accepted", case, actor=actor),
    "request_clarification": lambda case, *, actor, comment: notify(
        "clarification_needed", case, actor=actor, comment=comment
    ),
    "mark_result_ready": lambda case, *, actor, comment: notify("result_ready", case, actor=actor),
    "refuse": lambda case, *, actor, comment: notify(
        "refused", case, actor=actor, refusal_reason=case.refusal_reason, legal_ground=case.refusal_ground
    ),
}


def done_by(case: Case, actions: tuple[str, ...], user) -> bool:
    """Whether the case's last status change was one of ``actions``, made by ``user`` — so that a
    button pressed twice (or a page sent again) is answered as done, not as an illegal transition."""
    if user is None or not getattr(user, "pk", None):
        return False
    last = case.events.exclude(to_status="").order_by("-at", "-id").values("action", "actor_id", "to_status").first()
    return (
        last is not None
        and last["action"] in actions
        and last["actor_id"] == user.pk
        and last["to_status"] == case.status
    )


def allowed_actions(case: Case, user) -> list[str]:
    """The actions ``user`` may take on ``case`` now (for buttons in the UI and the API)."""
    result = []
    for spec in ACTIONS.values():
        if case.status not in spec.sources:
            continue
        front, back = is_front(user, case), is_back(user, case)
        if (spec.side == FRONT and front) or (spec.side == BACK and back) or (spec.side == EITHER and (front or back)):
            result.append(spec.name)
    return result
