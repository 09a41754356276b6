from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """The organisation network: oblasts, hromadas (КАТОТТГ), centers (ЦНАП), offices (ТП, ВРМ, mobile), schedules, providers (СНАП)."""

    name = "vikno.orgs"
    label = "orgs"
    verbose_name = "orgs"
