from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public citizen portal."""

    name = "vikno.portal"
    label = "portal"
    verbose_name = "portal"

    def ready(self):
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        describe_actions(
            {
                "portal.question_asked": gettext_noop("Received a question on the portal"),
                "portal.question_answered": gettext_noop("Answered a question from the portal"),
                "portal.complaint_filed": gettext_noop("Received a complaint on the portal"),
                "portal.complaint_answered": gettext_noop("Answered a complaint"),
                "portal.survey_recorded": gettext_noop("Received an answer to the quality survey"),
            }
        )
