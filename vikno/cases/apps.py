from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Applications (звернення): intake, lifecycle, deadlines, СНАП back office, issuance."""

    name = "vikno.cases"
    label = "cases"
    verbose_name = "cases"
