from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public citizen portal."""

    name = "vikno.portal"
    label = "portal"
    verbose_name = "portal"

    def ready(self):
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import describe_actions, describe_object_types

        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "portal.question": pgettext_lazy("audit object", "Question from the portal"),
                "portal.complaint": pgettext_lazy("audit object", "Complaint"),
                "portal.survey": pgettext_lazy("audit object", "Survey answer"),
            }
        )

        describe_actions(
            {
                "portal.question_asked": gettext_noop("Question received on the portal"),
                "portal.question_answered": gettext_noop("Question from the portal answered"),
                "portal.complaint_filed": gettext_noop("Complaint received on the portal"),
                "portal.complaint_answered": gettext_noop("Complaint answered"),
                "portal.survey_recorded": gettext_noop("Answer to the quality survey received"),
            }
        )
