from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """The organisation network: oblasts, hromadas (КАТОТТГ), centers (ЦНАП), offices (ТП, ВРМ, mobile), schedules, providers (СНАП)."""

    name = "vikno.orgs"
    label = "orgs"
    verbose_name = "orgs"

    def ready(self):
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        describe_actions(
            {
                "orgs.katottg_imported": gettext_noop("Imported territorial units from KATOTTG"),
                "orgs.center_created": gettext_noop("Created a center"),
                "orgs.center_updated": gettext_noop("Changed the details of a center"),
                "orgs.office_created": gettext_noop("Created an office"),
                "orgs.office_updated": gettext_noop("Changed the details of an office"),
                "orgs.weekly_hours_set": gettext_noop("Set the weekly schedule of an office"),
                "orgs.schedule_exception_added": gettext_noop("Added a change to the schedule"),
                "orgs.schedule_exception_removed": gettext_noop("Removed a change to the schedule"),
                "orgs.provider_created": gettext_noop("Registered a provider"),
            }
        )
