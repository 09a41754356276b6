from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The service catalog: spheres, life situations, versioned services with ІК and ТК, fees, approved lists, search."""

    name = "vikno.catalog"
    label = "catalog"
    verbose_name = "catalog"
