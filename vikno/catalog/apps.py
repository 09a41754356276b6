from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The service catalog: spheres, life situations, versioned services with ІК and ТК, fees, approved lists, search."""

    name = "vikno.catalog"
    label = "catalog"
    verbose_name = "catalog"

    def ready(self) -> None:
        from . import intake  # noqa: F401 — connects the intake cache's invalidation to catalog saves
