from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The service catalog: spheres, life situations, versioned services with ІК and ТК, fees, approved lists, search."""

    name = "vikno.catalog"
    label = "catalog"
    verbose_name = "catalog"

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        from . import intake  # noqa: F401 — connects the intake cache's invalidation to catalog saves

        describe_actions(
            {
                "catalog.import": gettext_noop("Imported services into the catalog"),
                "catalog.service.create": gettext_noop("Created a service"),
                "catalog.version.create": gettext_noop("Created a new version of a service"),
                "catalog.service_list.create": gettext_noop("Recorded an approved list of services"),
                "catalog.office_services.set": gettext_noop("Set the services of an office"),
                "catalog.provider_services.set": gettext_noop("Set the services a provider decides on"),
            }
        )
