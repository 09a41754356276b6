"""Ratings of a visit (owner: queue-booking). Contract:

- ``rate(ticket, *, stars, recommend=None, comment="", channel="qr", now=None, actor=None) -> Rating``: 1–5 stars
  and the 0–10 answer to «would you recommend the center?», with an optional comment; once per ticket, only for
  a finished visit, within ``RATING_DAYS`` days; linked to the ticket's office, window and service.
- ``ticket_for_rating(token) -> Ticket``: the ticket of a «rate your visit» link (QR code or SMS).
- ``last_finished_at(workplace, now) -> Ticket | None``: what the tablet beside a window offers to rate.
- ``loyalty_index(ratings) -> float | None``: share of 9–10 minus share of 0–6, ×100 (−100…100).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vikno.core import audit
from vikno.core.errors import Conflict, DomainError, NotFound

from .models import Rating, Ticket, Workplace

RATING_DAYS = 7
TABLET_MINUTES = 15
COMMENT_MAX = 2000


def ticket_for_rating(token: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("office", "workplace", "service", "queue").filter(token=token[:32]).first()
        if token
        else None
    )
    if ticket is None:
        raise NotFound(_("Ticket not found. Check the link."), code="ticket_not_found")
    return ticket


def last_finished_at(workplace: Workplace, now: datetime | None = None) -> Ticket | None:
    """The visit just finished at ``workplace`` (within ``TABLET_MINUTES``) and not rated yet."""
    now = now or timezone.now()
    ticket = (
        Ticket.objects.select_related("office", "service", "queue")
        .filter(
            workplace=workplace, status=Ticket.Status.DONE, finished_at__gte=now - timedelta(minutes=TABLET_MINUTES)
        )
        .order_by("-finished_at", "-id")
        .first()
    )
    if ticket is None or Rating.objects.filter(ticket=ticket).exists():
        return None
    return ticket


def _score(value, *, field: str, low: int, high: int, required: str | None) -> int | None:
    """The score as a number from ``low`` to ``high``; ``required`` is the refusal when it is missing (``None``:
    it may be left out)."""
    if value in (None, ""):
        if required:
            raise DomainError(required, code="required", field=field)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise DomainError(
            _("The score must be from %(low)s to %(high)s.") % {"low": low, "high": high},
            code="out_of_range",
            field=field,
        )
    return number


def rate(
    ticket: Ticket,
    *,
    stars,
    recommend=None,
    comment: str = "",
    channel: str = Rating.Channel.QR,
    now: datetime | None = None,
    actor: audit.Actor | None = None,
) -> Rating:
    now = now or timezone.now()
    stars = _score(stars, field="stars", low=1, high=5, required=_("Choose the number of stars (from 1 to 5)."))
    recommend = _score(recommend, field="recommend", low=0, high=10, required=None)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            _("The comment is too long: at most %(max)s characters.") % {"max": COMMENT_MAX},
            code="too_long",
            field="comment",
        )
    if channel not in Rating.Channel.values:
        raise DomainError(_("Unknown way of rating."), code="invalid_channel", field="channel")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status != Ticket.Status.DONE or ticket.finished_at is None:
            raise Conflict(_("You can rate the visit when the service is finished."), code="not_finished")
        if ticket.finished_at < now - timedelta(days=RATING_DAYS):
            raise Conflict(
                ngettext(
                    "You can rate a visit within %(days)s day after it.",
                    "You can rate a visit within %(days)s days after it.",
                    RATING_DAYS,
                )
                % {"days": RATING_DAYS},
                code="too_late",
            )
        if Rating.objects.filter(ticket=ticket).exists():
            raise Conflict(_("This visit has already been rated. Thank you!"), code="already_rated")
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    ticket=ticket,
                    center_id=ticket.center_id,
                    region_id=ticket.region_id,
                    office_id=ticket.office_id,
                    workplace_id=ticket.workplace_id,
                    service_id=ticket.service_id,
                    stars=stars,
                    recommend=recommend,
                    comment=comment,
                    channel=channel,
                    created_at=now,
                )
        except IntegrityError:
            raise Conflict(_("This visit has already been rated. Thank you!"), code="already_rated") from None
        audit.record(
            actor, "queue.rating_given", rating, data={"ticket_id": ticket.pk, "stars": stars, "recommend": recommend}
        )
    return rating


def loyalty_index(ratings: QuerySet | list) -> float | None:
    """Share of promoters (9–10) minus share of detractors (0–6), ×100, among ratings with an answer."""
    if isinstance(ratings, QuerySet):
        counts = ratings.filter(recommend__isnull=False).aggregate(
            n=Count("id"),
            promoters=Count("id", filter=Q(recommend__gte=9)),
            detractors=Count("id", filter=Q(recommend__lte=6)),
        )
        n, promoters, detractors = counts["n"], counts["promoters"], counts["detractors"]
    else:
        answers = [r for r in ratings if r is not None]
        n = len(answers)
        promoters = sum(1 for r in answers if r >= 9)
        detractors = sum(1 for r in answers if r <= 6)
    if not n:
        return None
    return round((promoters - detractors) * 100 / n, 1)


def summary(ratings: QuerySet) -> dict:
    """Count, average stars and loyalty index of ``ratings``."""
    data = ratings.aggregate(n=Count("id"), stars=Avg("stars"))
    return {
        "count": data["n"],
        "average_stars": round(float(data["stars"]), 2) if data["stars"] is not None else None,
        "loyalty_index": loyalty_index(ratings),
    }
