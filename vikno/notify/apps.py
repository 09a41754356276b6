from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Notifications: outbox, SMS and email delivery."""

    name = "vikno.notify"
    label = "notify"
    verbose_name = "notify"

    def ready(self):
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        describe_actions(
            {
                "notify.enqueued": gettext_noop("Queued a notification"),
                "notify.sent": gettext_noop("Sent a notification"),
                "notify.failed": gettext_noop("Failed to send a notification"),
                "notify.cancelled": gettext_noop("Cancelled a notification: the recipient unsubscribed"),
                "notify.resent": gettext_noop("Sent a notification again"),
                "notify.opted_out": gettext_noop("Recipient unsubscribed from notifications"),
            }
        )
