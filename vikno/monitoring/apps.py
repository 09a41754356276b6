from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring indicators and the periodic self-assessment of centers."""

    name = "vikno.monitoring"
    label = "monitoring"
    verbose_name = "monitoring"
