from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Statistics, roll-ups, the oblast dashboard and exports."""

    name = "vikno.reports"
    label = "reports"
    verbose_name = "reports"

    def ready(self):
        from . import receivers

        receivers.connect()
