"""Every audit action code the code base writes has a description for the audit log page.

``ACTION_CODES`` lists the codes by hand. The scan below reads vikno/**/*.py (not tests or
migrations) for calls of ``record``/``record_many`` of vikno.core.audit and checks that the list
and the code agree, so a new code, or a new way of building one, fails here until it is listed and
described in its room's ``AppConfig.ready`` (``describe_actions``) and translated.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from vikno.cases.workflow import ACTIONS as CASE_ACTIONS
from vikno.core.audit import action_label, object_type_choices, object_type_label
from vikno.monitoring.services import TRANSITIONS as ASSESSMENT_TRANSITIONS

SOURCE_ROOT = Path(settings.BASE_DIR) / "vikno"
SKIPPED_DIRS = {"tests", "migrations", "__pycache__", "locale", "static", "templates"}
AUDIT_MODULE = "vikno.core.audit"
WRITERS = {"record", "record_many"}

ACTION_CODES = {
    # accounts
    "login.password",
    "login.otp",
    "login.otp_failed",
    "login.failed",
    "login.locked_out",
    "logout",
    "logout.idle",
    "account.password_changed",
    "mfa.totp_enrolled",
    "mfa.backup_codes_issued",
    "staff.created",
    "staff.created_in_admin",
    "staff.changed_in_admin",
    "staff.deactivated",
    "staff.reactivated",
    "staff.second_factor_reset",
    "staff.unlocked",
    "api_token.issued",
    "api_token.revoked",
    "api_token.changed_in_admin",
    # cases
    *(f"case.{name}" for name in CASE_ACTIONS),
    "case.registered",
    "case.transferred",
    "case.document_uploaded",
    "case.applicant_document_added",
    "case.document_viewed",
    "case.result_attached",
    "case.result_viewed",
    "cases.overdue_escalated",
    "cases.collect_reminded",
    "applicant.created",
    "applicant.viewed",
    "applicant.listed",
    "representative.created",
    "consultation.recorded",
    # catalog
    "catalog.import",
    "catalog.service.create",
    "catalog.version.create",
    "catalog.service_list.create",
    "catalog.office_services.set",
    "catalog.provider_services.set",
    # monitoring
    "monitoring.indicators.computed",
    "monitoring.indicator_value.set",
    "monitoring.assessment.created",
    "monitoring.assessment.saved",
    *(f"monitoring.assessment.{name}" for name in ASSESSMENT_TRANSITIONS),
    # notify
    "notify.enqueued",
    "notify.sent",
    "notify.failed",
    "notify.cancelled",
    "notify.resent",
    "notify.opted_out",
    # orgs
    "orgs.katottg_imported",
    "orgs.center_created",
    "orgs.center_updated",
    "orgs.office_created",
    "orgs.office_updated",
    "orgs.weekly_hours_set",
    "orgs.schedule_exception_added",
    "orgs.schedule_exception_removed",
    "orgs.provider_created",
    # payments
    "payment.recorded",
    # portal
    "portal.question_asked",
    "portal.question_answered",
    "portal.complaint_filed",
    "portal.complaint_answered",
    "portal.survey_recorded",
    # queue
    "queue.queue_created",
    "queue.queue_updated",
    "queue.workplace_created",
    "queue.work_profile_set",
    "queue.session_opened",
    "queue.session_closed",
    "queue.ticket_issued",
    "queue.ticket_called",
    "queue.ticket_recalled",
    "queue.ticket_no_show",
    "queue.ticket_started",
    "queue.ticket_finished",
    "queue.ticket_parked",
    "queue.ticket_returned",
    "queue.ticket_transferred",
    "queue.case_linked",
    "queue.rating_given",
    "queue.booking_held",
    "queue.booking_confirmed",
    "queue.booking_cancelled",
    "queue.booking_rescheduled",
    "queue.booking_checked_in",
    "queue.booking_hold_expired",
    "queue.booking_no_show",
    "queue.booking_reminded",
}


def _sources() -> list[Path]:
    return sorted(p for p in SOURCE_ROOT.rglob("*.py") if not SKIPPED_DIRS & set(p.relative_to(SOURCE_ROOT).parts))


def _is_writer(call: ast.Call, imported: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in imported
    # ``audit.record(...)`` after ``from vikno.core import audit``; ``deltas.record`` is something else.
    return (
        isinstance(func, ast.Attribute) and func.attr in WRITERS and ast.unparse(func.value) in {"audit", AUDIT_MODULE}
    )


def _action_argument(call: ast.Call) -> ast.expr | None:
    if len(call.args) > 1:
        return call.args[1]
    return next((k.value for k in call.keywords if k.arg == "action"), None)


def _pattern(fstring: ast.JoinedStr) -> str:
    """The f-string as a regular expression: its literal parts, and ``[a-z_]+`` for each value."""
    parts = [re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in fstring.values]
    return "".join(parts)


def _changed_actions() -> set[str]:
    """The second argument of each ``_changed(...)`` call of vikno/queue/services.py, which writes
    ``f"queue.ticket_{action}"``."""
    tree = ast.parse((SOURCE_ROOT / "queue" / "services.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_changed":
            argument = node.args[1]
            assert isinstance(argument, ast.Constant), f"queue/services.py:{node.lineno}: not a literal action"
            found.add(argument.value)
    return found


# Each f-string that builds a code, where it is, and the values it can take.
DYNAMIC = {
    ("cases/workflow.py", r"case\.[a-z_]+"): {f"case.{name}" for name in CASE_ACTIONS},
    ("monitoring/services.py", r"monitoring\.assessment\.[a-z_]+"): {
        f"monitoring.assessment.{name}" for name in ASSESSMENT_TRANSITIONS
    },
    ("queue/services.py", r"queue\.ticket_[a-z_]+"): {f"queue.ticket_{action}" for action in _changed_actions()},
}


def scan() -> tuple[set[str], dict[tuple[str, str], int], list[str]]:
    """Literal codes, f-string templates (with the line of each) and calls the scan cannot read."""
    literals: set[str] = set()
    templates: dict[tuple[str, str], int] = {}
    unreadable: list[str] = []
    for path in _sources():
        relative = path.relative_to(SOURCE_ROOT).as_posix()
        if relative == "core/audit.py":
            continue  # the definitions of record and record_many
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        imported = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == AUDIT_MODULE
            for alias in node.names
            if alias.name in WRITERS
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_writer(node, imported)):
                continue
            argument = _action_argument(node)
            options = [argument.body, argument.orelse] if isinstance(argument, ast.IfExp) else [argument]
            for option in options:
                if isinstance(option, ast.Constant) and isinstance(option.value, str):
                    literals.add(option.value)
                elif isinstance(option, ast.JoinedStr):
                    templates[(relative, _pattern(option))] = node.lineno
                else:
                    unreadable.append(f"{relative}:{node.lineno}: {ast.unparse(option) if option else None}")
    return literals, templates, unreadable


def test_the_scan_finds_the_writers():
    literals, templates, _ = scan()
    assert {"login.password", "case.registered", "queue.ticket_issued", "notify.enqueued"} <= literals
    assert len(literals) > 60
    assert set(templates) == set(DYNAMIC)


def test_every_code_the_code_base_writes_is_listed():
    literals, templates, unreadable = scan()
    assert not unreadable, "Action codes the test cannot read; write a literal or extend DYNAMIC:\n" + "\n".join(
        unreadable
    )
    new_templates = {key: line for key, line in templates.items() if key not in DYNAMIC}
    assert not new_templates, f"Enumerate the values of these f-string codes in DYNAMIC: {new_templates}"
    for (where, pattern), codes in DYNAMIC.items():
        assert codes, f"{where}: no values found for {pattern}"
        assert all(re.fullmatch(pattern, code) for code in codes), (where, pattern, codes)
    written = literals | set().union(*DYNAMIC.values())
    assert not written - ACTION_CODES, f"Add to ACTION_CODES (and describe them): {sorted(written - ACTION_CODES)}"
    assert not ACTION_CODES - written, f"No longer written, remove from ACTION_CODES: {sorted(ACTION_CODES - written)}"


def test_every_action_code_has_a_description():
    literals, _, _ = scan()
    undescribed = sorted(code for code in ACTION_CODES | literals if not action_label(code))
    assert not undescribed, (
        "Describe these audit action codes with describe_actions in their room's AppConfig.ready: "
        + ", ".join(undescribed)
    )


def test_every_description_is_translated_into_ukrainian():
    with translation.override("en"):
        english = {code: action_label(code) for code in ACTION_CODES}
    with translation.override("uk"):
        ukrainian = {code: action_label(code) for code in ACTION_CODES}
    untranslated = sorted(f"{code}: {english[code]}" for code in ACTION_CODES if ukrainian[code] == english[code])
    assert not untranslated, "Translate in vikno/locale/uk/LC_MESSAGES/django.po:\n" + "\n".join(untranslated)


@pytest.mark.django_db
def test_the_object_label_is_stored_in_ukrainian_whatever_the_actors_language(world):
    from django.utils import translation

    from vikno.core.audit import SYSTEM, record
    from vikno.notify.models import Notification

    row = Notification.objects.create(event="accepted", channel="sms", recipient="+380501234567")
    with translation.override("en"):
        event = record(SYSTEM, "notify.enqueued", row)
    assert event.object_label == translation.override("uk")(str)(row)
    assert "SMS" in event.object_label and "accepted" not in event.object_label.lower()


# The style of the descriptions: what happened to the object, the object first and the past participle
# after it — "Case registered", "Payment recorded", "Ticket called to a window" — never the verb first
# ("Recorded a payment"). The Ukrainian matches with the impersonal -но/-то form ("Оплату зареєстровано",
# "Створено ЦНАП"). A new description that breaks the style fails here.
PARTICIPLES = {"set", "sent", "held", "taken", "given", "left", "made", "read", "withdrawn", "shown", "paid", "done"}
VERB_FIRST = {"set", "sent", "held", "took", "gave", "left", "made", "wrong", "failed", "issue", "send", "record"}
ADJECTIVES = {"approved"}  # words in -ed that open a noun phrase ("Approved list of services recorded")


def _english_style_problem(label: str) -> str:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", label)]
    if not words:
        return "no words"
    if (words[0].endswith("ed") and words[0] not in ADJECTIVES) or words[0] in VERB_FIRST:
        return "starts with a verb"
    if not any(w.endswith("ed") or w in PARTICIPLES for w in words[1:]):
        return "no past participle after the object"
    return ""


def test_the_style_check_tells_the_two_styles_apart():
    for good in ("Case registered", "Payment recorded", "Ticket set aside", "Booking hold released: not confirmed"):
        assert _english_style_problem(good) == "", good
    for bad in ("Recorded a payment", "Set the weekly schedule of an office", "Held a time", "Refusal", "Wrong code"):
        assert _english_style_problem(bad), bad


def test_every_description_has_one_style_in_both_languages():
    with translation.override("en"):
        english = {code: action_label(code) for code in ACTION_CODES}
    with translation.override("uk"):
        ukrainian = {code: action_label(code) for code in ACTION_CODES}
    off_style = sorted(
        f"{code}: {label!r} ({problem})"
        for code, label in english.items()
        if (problem := _english_style_problem(label))
    )
    assert not off_style, "Write these as «<object> <past participle>»:\n" + "\n".join(off_style)
    impersonal = re.compile(r"\w+(но|то)\b")
    no_form = sorted(f"{code}: {label!r}" for code, label in ukrainian.items() if not impersonal.search(label))
    assert not no_form, "Write these with the -но/-то form («Справу зареєстровано»):\n" + "\n".join(no_form)


# The object types the code base writes (model labels, and the few given by hand: ``catalog``,
# ``orgs.katottg``, ``notify.optout``, ``queue.booking``). The audit log's filter offers them by name;
# vikno/demo/tests/test_demo_region.py checks that every type the demo writes is among the named ones.
OBJECT_TYPES = {
    "accounts.user",
    "catalog",
    "catalog.service",
    "catalog.serviceversion",
    "catalog.servicelist",
    "cases.case",
    "cases.applicant",
    "cases.representative",
    "cases.consultation",
    "payments.payment",
    "monitoring.indicatorvalue",
    "monitoring.assessment",
    "notify.notification",
    "notify.optout",
    "orgs.katottg",
    "orgs.center",
    "orgs.office",
    "orgs.provider",
    "portal.question",
    "portal.complaint",
    "portal.survey",
    "queue.queue",
    "queue.workplace",
    "queue.ticket",
    "queue.booking",
    "queue.rating",
}


def test_every_object_type_has_a_name_in_both_languages():
    assert {code for code, _name in object_type_choices()} == OBJECT_TYPES
    with translation.override("en"):
        english = {code: object_type_label(code) for code in OBJECT_TYPES}
    with translation.override("uk"):
        ukrainian = {code: object_type_label(code) for code in OBJECT_TYPES}
    assert all(english.values()), english
    untranslated = sorted(f"{code}: {english[code]}" for code in OBJECT_TYPES if ukrainian[code] == english[code])
    assert not untranslated, "Translate in vikno/locale/uk/LC_MESSAGES/django.po:\n" + "\n".join(untranslated)
    assert len(set(ukrainian.values())) == len(OBJECT_TYPES), "two types with one name cannot be told apart"
