from django.apps import AppConfig


class WorkplaceConfig(AppConfig):
    """The staff start page: what waits today for the user's center, provider or region."""

    name = "vikno.workplace"
    label = "workplace"
    verbose_name = "workplace"
