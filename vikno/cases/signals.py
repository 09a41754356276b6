"""Signals the cases room sends to the rooms above it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the registering transaction when a case is registered from a called queue ticket.
# Arguments: case, ticket_id, actor. The queue room records the case on the visit.
case_registered_in_visit = Signal()

# Sent after ``Case.refresh_from_db`` has replaced an instance's values with the stored ones.
# Arguments: instance, fields (the fields refreshed; None: all of them, as in a full refresh; a few,
# when a deferred field is loaded). The reports room renews what it remembers of the loaded case.
case_refreshed = Signal()
