from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Notifications: outbox, SMS and email delivery."""

    name = "vikno.notify"
    label = "notify"
    verbose_name = "notify"
