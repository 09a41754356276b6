from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing: settings helpers, the embedded database, errors, scoping, audit, health check."""

    name = "vikno.core"
    label = "core"
    verbose_name = "core"
