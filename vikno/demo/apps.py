from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo region loaded by `make run` (no models of its own)."""

    name = "vikno.demo"
    label = "demo"
    verbose_name = "demo"
