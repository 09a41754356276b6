from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring indicators and the periodic self-assessment of centers."""

    name = "vikno.monitoring"
    label = "monitoring"
    verbose_name = "monitoring"

    def ready(self):
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import describe_actions, describe_object_types

        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "monitoring.indicatorvalue": pgettext_lazy("audit object", "Monitoring indicator value"),
                "monitoring.assessment": pgettext_lazy("audit object", "Self-assessment"),
            }
        )

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
