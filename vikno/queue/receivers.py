"""The queue room's answers to signals of the rooms below it."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from vikno.cases.signals import case_registered_in_visit
from vikno.core.errors import DomainError

from . import services
from .models import Ticket

log = logging.getLogger(__name__)


@receiver(case_registered_in_visit)
def link_case_to_visit(sender, *, case, ticket_id: int, actor, **kwargs) -> None:
    """Record on the visit's ticket the case registered from it. A ticket that cannot take it (another
    center, already closed long ago) never blocks the registration itself."""
    ticket = Ticket.objects.filter(pk=ticket_id, center_id=case.center_id).first()
    if ticket is None:
        return
    try:
        services.link_case(ticket, case, actor=actor)
    except DomainError as exc:
        log.info("case %s not linked to ticket %s: %s", case.number, ticket_id, exc.message)
