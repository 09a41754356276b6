from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """The organisation network: oblasts, hromadas (КАТОТТГ), centers (ЦНАП), offices (ТП, ВРМ, mobile), schedules, providers (СНАП)."""

    name = "vikno.orgs"
    label = "orgs"
    verbose_name = "orgs"

    def ready(self):
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import describe_actions, describe_object_types

        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "orgs.katottg": pgettext_lazy("audit object", "KATOTTG codifier"),
                "orgs.center": pgettext_lazy("audit object", "Center"),
                "orgs.office": pgettext_lazy("audit object", "Office"),
                "orgs.provider": pgettext_lazy("audit object", "Provider"),
            }
        )

        describe_actions(
            {
                "orgs.katottg_imported": gettext_noop("Territorial units imported from KATOTTG"),
                "orgs.center_created": gettext_noop("Center created"),
                "orgs.center_updated": gettext_noop("Details of a center changed"),
                "orgs.office_created": gettext_noop("Office created"),
                "orgs.office_updated": gettext_noop("Details of an office changed"),
                "orgs.weekly_hours_set": gettext_noop("Weekly schedule of an office set"),
                "orgs.schedule_exception_added": gettext_noop("Change to the schedule added"),
                "orgs.schedule_exception_removed": gettext_noop("Change to the schedule removed"),
                "orgs.provider_created": gettext_noop("Provider registered"),
            }
        )
