from django.apps import AppConfig


class QueueConfig(AppConfig):
    """Electronic queue and online booking: tickets, operator console, display board."""

    name = "vikno.queue"
    label = "queue"
    verbose_name = "queue"

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        from . import receivers  # noqa: F401 - connects the signal receivers

        describe_actions(
            {
                "queue.queue_created": gettext_noop("Created a queue"),
                "queue.queue_updated": gettext_noop("Changed a queue"),
                "queue.workplace_created": gettext_noop("Created a window"),
                "queue.work_profile_set": gettext_noop("Set the queues a window serves"),
                "queue.session_opened": gettext_noop("Started work at a window"),
                "queue.session_closed": gettext_noop("Finished work at a window"),
                "queue.ticket_issued": gettext_noop("Issued a ticket"),
                "queue.ticket_called": gettext_noop("Called a ticket to a window"),
                "queue.ticket_recalled": gettext_noop("Called a ticket again"),
                # f"queue.ticket_{action}" of services._changed
                "queue.ticket_no_show": gettext_noop("Marked a ticket as a no-show"),
                "queue.ticket_started": gettext_noop("Started serving a visitor"),
                "queue.ticket_finished": gettext_noop("Finished serving a visitor"),
                "queue.ticket_parked": gettext_noop("Set a ticket aside"),
                "queue.ticket_returned": gettext_noop("Returned a ticket to the queue"),
                "queue.ticket_transferred": gettext_noop("Transferred a ticket"),
                "queue.case_linked": gettext_noop("Linked a case to a visit"),
                "queue.rating_given": gettext_noop("Received a rating of a visit"),
                "queue.booking_held": gettext_noop("Held a time for a booking"),
                "queue.booking_confirmed": gettext_noop("Confirmed a booking"),
                "queue.booking_cancelled": gettext_noop("Cancelled a booking"),
                "queue.booking_rescheduled": gettext_noop("Moved a booking to another time"),
                "queue.booking_checked_in": gettext_noop("Issued a ticket for a booking"),
                "queue.booking_hold_expired": gettext_noop("Released a held time that was not confirmed"),
                "queue.booking_no_show": gettext_noop("Marked a booking as a no-show"),
                "queue.booking_reminded": gettext_noop("Reminded of a booking"),
            }
        )
