from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public citizen portal."""

    name = "vikno.portal"
    label = "portal"
    verbose_name = "portal"
