from django.apps import AppConfig


class QueueConfig(AppConfig):
    """Electronic queue and online booking: tickets, operator console, display board."""

    name = "vikno.queue"
    label = "queue"
    verbose_name = "queue"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
