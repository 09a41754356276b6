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
                "monitoring.indicators.computed": gettext_noop("Computed the monitoring indicators"),
                "monitoring.indicator_value.set": gettext_noop("Entered the value of an indicator"),
                "monitoring.assessment.created": gettext_noop("Started a self-assessment"),
                "monitoring.assessment.saved": gettext_noop("Saved the answers of a self-assessment"),
                # f"monitoring.assessment.{name}" for each name of services.TRANSITIONS
                "monitoring.assessment.submit": gettext_noop("Submitted the self-assessment"),
                "monitoring.assessment.accept": gettext_noop("Accepted the self-assessment"),
                "monitoring.assessment.return": gettext_noop("Returned the self-assessment for correction"),
            }
        )
