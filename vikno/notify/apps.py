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
                "notify.enqueued": gettext_noop("Notification queued"),
                "notify.sent": gettext_noop("Notification sent"),
                "notify.failed": gettext_noop("Notification not sent: delivery failed"),
                "notify.cancelled": gettext_noop("Notification cancelled: the recipient unsubscribed"),
                "notify.resent": gettext_noop("Notification sent again"),
                "notify.opted_out": gettext_noop("Notifications turned off by the recipient"),
            }
        )
