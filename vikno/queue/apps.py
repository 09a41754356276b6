from django.apps import AppConfig


class QueueConfig(AppConfig):
    """Electronic queue and online booking: tickets, operator console, display board."""

    name = "vikno.queue"
    label = "queue"
    verbose_name = "queue"

    def ready(self) -> None:
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import describe_actions, describe_object_types

        from . import receivers  # noqa: F401 - connects the signal receivers

        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "queue.queue": pgettext_lazy("audit object", "Queue"),
                "queue.workplace": pgettext_lazy("audit object", "Workplace (window)"),
                "queue.ticket": pgettext_lazy("audit object", "Queue ticket"),
                "queue.booking": pgettext_lazy("audit object", "Booking"),
                "queue.rating": pgettext_lazy("audit object", "Service rating"),
            }
        )

        describe_actions(
            {
                "queue.queue_created": gettext_noop("Queue created"),
                "queue.queue_updated": gettext_noop("Queue changed"),
                "queue.workplace_created": gettext_noop("Window created"),
                "queue.work_profile_set": gettext_noop("Queues of a window set"),
                "queue.session_opened": gettext_noop("Work at a window started"),
                "queue.session_closed": gettext_noop("Work at a window finished"),
                "queue.ticket_issued": gettext_noop("Ticket issued"),
                "queue.ticket_called": gettext_noop("Ticket called to a window"),
                "queue.ticket_recalled": gettext_noop("Ticket called again"),
                # f"queue.ticket_{action}" of services._changed
                "queue.ticket_no_show": gettext_noop("Ticket marked as a no-show"),
                "queue.ticket_started": gettext_noop("Service of a visitor started"),
                "queue.ticket_finished": gettext_noop("Service of a visitor finished"),
                "queue.ticket_parked": gettext_noop("Ticket set aside"),
                "queue.ticket_returned": gettext_noop("Ticket returned to the queue"),
                "queue.ticket_transferred": gettext_noop("Ticket transferred"),
                "queue.case_linked": gettext_noop("Case linked to a visit"),
                "queue.rating_given": gettext_noop("Rating of a visit received"),
                "queue.booking_held": gettext_noop("Time held for a booking"),
                "queue.booking_confirmed": gettext_noop("Booking confirmed"),
                "queue.booking_cancelled": gettext_noop("Booking cancelled"),
                "queue.booking_rescheduled": gettext_noop("Booking moved to another time"),
                "queue.booking_checked_in": gettext_noop("Ticket issued for a booking"),
                "queue.booking_hold_expired": gettext_noop("Booking hold released: not confirmed"),
                "queue.booking_no_show": gettext_noop("Booking marked as a no-show"),
                "queue.booking_reminded": gettext_noop("Booking reminder sent"),
            }
        )
