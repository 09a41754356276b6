from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring indicators and the periodic self-assessment of centers."""

    name = "vikno.monitoring"
    label = "monitoring"
    verbose_name = "monitoring"

    def ready(self):
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        describe_actions(
            {
                "monitoring.indicators.computed": gettext_noop("Monitoring indicators computed"),
                "monitoring.indicator_value.set": gettext_noop("Value of an indicator entered"),
                "monitoring.assessment.created": gettext_noop("Self-assessment started"),
                "monitoring.assessment.saved": gettext_noop("Answers of a self-assessment saved"),
                # f"monitoring.assessment.{name}" for each name of services.TRANSITIONS
                "monitoring.assessment.submit": gettext_noop("Self-assessment submitted"),
                "monitoring.assessment.accept": gettext_noop("Self-assessment accepted"),
                "monitoring.assessment.return": gettext_noop("Self-assessment returned for correction"),
            }
        )
