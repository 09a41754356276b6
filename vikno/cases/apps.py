from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Applications (звернення): intake, lifecycle, deadlines, СНАП back office, issuance."""

    name = "vikno.cases"
    label = "cases"
    verbose_name = "cases"

    def ready(self):
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        from .workflow import ACTIONS

        describe_actions({f"case.{name}": action.event_label for name, action in ACTIONS.items()})
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
                "cases.overdue_escalated": gettext_noop("Notified the heads of the center of an overdue case"),
                "cases.collect_reminded": gettext_noop("Reminded the applicant to collect the result"),
            }
        )
