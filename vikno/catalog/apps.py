from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The service catalog: spheres, life situations, versioned services with ІК and ТК, fees, approved lists, search."""

    name = "vikno.catalog"
    label = "catalog"
    verbose_name = "catalog"

    def ready(self) -> None:
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import describe_actions, describe_object_types

        from . import intake  # noqa: F401 — connects the intake cache's invalidation to catalog saves

        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "catalog": pgettext_lazy("audit object", "Service catalog"),
                "catalog.service": pgettext_lazy("audit object", "Service"),
                "catalog.serviceversion": pgettext_lazy("audit object", "Service version"),
                "catalog.servicelist": pgettext_lazy("audit object", "Approved list of services"),
            }
        )

        describe_actions(
            {
                "catalog.import": gettext_noop("Services imported into the catalog"),
                "catalog.service.create": gettext_noop("Service created"),
                "catalog.version.create": gettext_noop("New version of a service created"),
                "catalog.service_list.create": gettext_noop("Approved list of services recorded"),
                "catalog.office_services.set": gettext_noop("Services of an office set"),
                "catalog.provider_services.set": gettext_noop("Services of a provider set"),
            }
        )
