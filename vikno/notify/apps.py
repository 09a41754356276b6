from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Notifications: outbox, SMS and email delivery."""

    name = "vikno.notify"
    label = "notify"
    verbose_name = "notify"

    def ready(self):
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import describe_actions, describe_object_types

        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "notify.notification": pgettext_lazy("audit object", "Message to an applicant"),
                "notify.optout": pgettext_lazy("audit object", "Opt-out from messages"),
            }
        )

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
