from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Applications (звернення): intake, lifecycle, deadlines, СНАП back office, issuance."""

    name = "vikno.cases"
    label = "cases"
    verbose_name = "cases"

    def ready(self):
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import add_object_finder, add_object_linker, describe_actions, describe_object_types
        from vikno.notify.services import set_applicant_contacts

        from .audit_refs import CASE_TYPE, case_links, find_case
        from .workflow import ACTIONS, applicant_contacts

        # A message of a case sent again goes where its applicant is reached now (the notify room sits
        # below this one and does not read applicants).
        set_applicant_contacts(applicant_contacts)
        # The audit log finds a case by its number and links a case's rows to its page.
        add_object_finder(find_case)
        add_object_linker(CASE_TYPE, case_links)

        # The audit log names each workflow step as done to its object ("Case sent to the provider"), in
        # the style of every audit label; the case history keeps the shorter ``event_label`` of the step.
        # A step missing here falls back to its ``event_label`` (tests/test_audit_labels.py checks the style).
        workflow_labels = {
            "accept": pgettext_lazy("audit action", "Application accepted"),
            "send_to_provider": pgettext_lazy("audit action", "Case sent to the provider"),
            "take_into_work": pgettext_lazy("audit action", "Case taken into work"),
            "request_clarification": pgettext_lazy("audit action", "Clarification requested, term suspended"),
            "resume": pgettext_lazy("audit action", "Consideration resumed"),
            "mark_result_ready": pgettext_lazy("audit action", "Result marked ready"),
            "refuse": pgettext_lazy("audit action", "Service refused"),
            "issue": pgettext_lazy("audit action", "Result issued"),
            "return_to_center": pgettext_lazy("audit action", "Case returned to the center without a decision"),
            "issue_refusal": pgettext_lazy("audit action", "Refusal decision issued"),
            "withdraw": pgettext_lazy("audit action", "Application withdrawn by the applicant"),
            "dismiss": pgettext_lazy("audit action", "Application left without consideration"),
        }
        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "cases.case": pgettext_lazy("audit object", "Case"),
                "cases.applicant": pgettext_lazy("audit object", "Applicant"),
                "cases.representative": pgettext_lazy("audit object", "Representative"),
                "cases.consultation": pgettext_lazy("audit object", "Consultation"),
                "payments.payment": pgettext_lazy("audit object", "Payment"),
            }
        )
        describe_actions(
            {f"case.{name}": workflow_labels.get(name, action.event_label) for name, action in ACTIONS.items()}
        )
        describe_actions(
            {
                "case.registered": gettext_noop("Case registered"),
                "case.transferred": gettext_noop("Case transferred to another office"),
                "case.document_uploaded": gettext_noop("Scan of a document added"),
                "case.applicant_document_added": gettext_noop("Document added by the applicant online"),
                "case.document_viewed": gettext_noop("Scan of a document opened"),
                "case.result_attached": gettext_noop("Result document attached"),
                "case.result_viewed": gettext_noop("Result document opened"),
                "applicant.created": gettext_noop("Applicant card created"),
                "applicant.viewed": gettext_noop("Applicant's personal data viewed"),
                "applicant.listed": gettext_noop("List with applicants' names viewed"),
                "representative.created": gettext_noop("Representative recorded"),
                "payment.recorded": gettext_noop("Payment recorded"),
                "consultation.recorded": gettext_noop("Consultation recorded"),
                "cases.overdue_escalated": gettext_noop("Heads of the center notified of an overdue case"),
                "cases.collect_reminded": gettext_noop("Applicant reminded to collect the result"),
            }
        )
