"""Electronic queue and online booking.

An office has queues (sectors: name, colour, letter prefix, the services they serve) and workplaces
(windows) with a work profile — the queues each serves, in order. A visitor takes a ``Ticket`` (from
the kiosk, from staff, or by checking in a ``Booking``); an operator with an open ``OperatorSession``
calls the next ticket. Every step of a visit is an immutable ``VisitEvent`` (UTC), from which the KPIs
are computed. The operations live in ``vikno/queue/services.py``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vikno.core.db.atomic import SavedWithItsSignals
from vikno.core.scoping import ScopedManager


class PriorityCategory(models.TextChoices):
    NONE = "", _("No priority")
    DISABILITY = "disability", _("Person with a disability")
    VETERAN = "veteran", _("Veteran or defender")
    PREGNANT = "pregnant", _("Pregnant woman")
    INFANT = "infant", _("Parent with a child under 3")


class Queue(models.Model):
    """A sector of an office, e.g. «Реєстрація» (orange, prefix Р)."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    office = models.ForeignKey("orgs.Office", on_delete=models.CASCADE, related_name="queues")
    center = models.ForeignKey("orgs.Center", on_delete=models.CASCADE, related_name="+", editable=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    color = models.CharField(max_length=7, default="#0b4f9c", help_text="#rrggbb")
    prefix = models.CharField(max_length=2)
    position = models.PositiveSmallIntegerField(default=0)
    services = models.ManyToManyField("catalog.Service", blank=True, related_name="queues")
    service_minutes = models.PositiveSmallIntegerField(default=15, help_text="Typical service time, for slots.")
    target_wait_minutes = models.PositiveSmallIntegerField(default=15, help_text="Service-level threshold.")
    target_share = models.DecimalField(max_digits=4, decimal_places=2, default=0.80, help_text="e.g. 0.80")
    bookable_workplaces = models.PositiveSmallIntegerField(
        default=1, help_text="How many of the queue's workplaces take bookings at the same time."
    )
    is_active = models.BooleanField(default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["office", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "prefix"], name="queue_office_prefix")]
        indexes = [models.Index(fields=["center"], name="queue_center")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"

    @property
    def shown_name(self) -> str:
        """The name in the reader's language: the English one on English pages when it is set."""
        return self.name_en if self.name_en and get_language() == "en" else self.name


class Workplace(models.Model):
    """A window (вікно) or desk."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    office = models.ForeignKey("orgs.Office", on_delete=models.CASCADE, related_name="workplaces")
    center = models.ForeignKey("orgs.Center", on_delete=models.CASCADE, related_name="+", editable=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(max_length=60, help_text="As shown on the display, e.g. «Вікно 5».")
    queues = models.ManyToManyField(Queue, through="WorkplaceQueue", related_name="workplaces")
    is_active = models.BooleanField(default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["office", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="workplace_office_name")]

    def __str__(self) -> str:
        return self.name


class WorkplaceQueue(models.Model):
    """The work profile: a workplace serves these queues, lower ``order`` first."""

    workplace = models.ForeignKey(Workplace, on_delete=models.CASCADE, related_name="profile")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["workplace", "order"]
        constraints = [models.UniqueConstraint(fields=["workplace", "queue"], name="workplace_queue_unique")]

    def __str__(self) -> str:
        return f"{self.workplace_id}:{self.queue_id}#{self.order}"


class OperatorSession(models.Model):
    """An operator working at a workplace; at most one open session per workplace and per operator."""

    workplace = models.ForeignKey(Workplace, on_delete=models.PROTECT, related_name="sessions")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="queue_sessions")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workplace"],
                condition=Q(closed_at__isnull=True),
                name="operator_session_one_open_per_workplace",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(closed_at__isnull=True), name="operator_session_one_open_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.workplace_id}"


class TicketCounter(models.Model):
    """The last ticket number of a queue on a day (numbers restart every day)."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue", "day"], name="ticket_counter_queue_day")]

    def __str__(self) -> str:
        return f"{self.queue_id}/{self.day}: {self.last_value}"


class Ticket(SavedWithItsSignals):
    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("ticket status", "Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        DONE = "done", _("Served")
        NO_SHOW = "no_show", _("No-show")
        PARKED = "parked", pgettext_lazy("ticket status", "Parked")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        KIOSK = "kiosk", pgettext_lazy("ticket source", "Kiosk")
        STAFF = "staff", pgettext_lazy("ticket source", "Administrator")
        BOOKING = "booking", _("Advance booking")
        ONLINE = "online", pgettext_lazy("channel", "Online")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets")
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="tickets", db_index=False)
    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(help_text="Local (Europe/Kyiv) date of issue.")
    number = models.PositiveIntegerField()
    code = models.CharField(max_length=8, help_text="Shown to people, e.g. «Р-012».")
    token = models.CharField(max_length=32, unique=True, help_text="Secret part of the «my ticket» link.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.KIOSK)
    priority = models.CharField(max_length=12, choices=PriorityCategory.choices, blank=True, default="")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    issued_at = models.DateTimeField()
    order_at = models.DateTimeField(help_text="Position in the line: issue time, or the booked time for a booking.")
    called_at = models.DateTimeField(null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    workplace = models.ForeignKey(Workplace, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    operator = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    target_workplace = models.ForeignKey(
        Workplace,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set by a transfer to a particular window.",
    )
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="visits")
    language = models.CharField(max_length=5, default="uk")

    objects = ScopedManager()

    class Meta:
        # A transfer moves a ticket to another queue of the office but keeps its number and code (the
        # visitor holds a paper ticket), so codes, not (queue, number), are what is unique in a day.
        constraints = [models.UniqueConstraint(fields=["office", "day", "code"], name="ticket_office_day_code")]
        indexes = [
            models.Index(
                fields=["queue", "status", "order_at"], name="ticket_queue_waiting", condition=Q(status="waiting")
            ),
            models.Index(fields=["office", "day"], name="ticket_office_day"),
            models.Index(
                fields=["workplace"], name="ticket_workplace_active", condition=Q(status__in=["called", "serving"])
            ),
            models.Index(fields=["center", "day"], name="ticket_center_day"),
        ]

    def __str__(self) -> str:
        return self.code


class VisitEvent(SavedWithItsSignals):
    """An immutable step of a visit (UTC). KPIs are computed from these rows only."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Ticket issued")
        CALLED = "called", _("Called")
        RECALLED = "recalled", _("Called again")
        NO_SHOW = "no_show", _("No-show")
        STARTED = "started", _("Service started")
        FINISHED = "finished", _("Finished")
        TRANSFERRED = "transferred", _("Transferred")
        PARKED = "parked", pgettext_lazy("ticket status", "Parked")
        RETURNED = "returned", _("Returned to the queue")
        CANCELLED = "cancelled", _("Cancelled")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events", db_index=False)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    workplace = models.ForeignKey(Workplace, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["center", "at"], name="visit_event_center_at"),
            models.Index(fields=["ticket", "at"], name="visit_event_ticket_at"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%H:%M:%S}"


class Booking(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_IN = "checked_in", pgettext_lazy("booking status", "Checked in")
        NO_SHOW = "no_show", _("No-show")
        EXPIRED = "expired", _("Hold expired")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="bookings", db_index=False)
    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="bookings", db_index=False)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    full_name = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    email = models.EmailField(blank=True)
    code = models.CharField(max_length=8, help_text="Check-in code for the kiosk.")
    manage_token = models.CharField(max_length=40, unique=True, help_text="Secret of the cancel/reschedule link.")
    ticket = models.OneToOneField(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="booking")
    created_at = models.DateTimeField(auto_now_add=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "code", "starts_at"], name="booking_code_unique")]
        indexes = [
            models.Index(fields=["queue", "starts_at"], name="booking_queue_starts"),
            models.Index(fields=["phone", "status"], name="booking_phone_status"),
            models.Index(fields=["office", "code"], name="booking_office_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"  # Kyiv time, as booked


class Rating(SavedWithItsSignals):
    """1–5 stars and the 0–10 recommendation (loyalty index), with an optional comment."""

    class Channel(models.TextChoices):
        QR = "qr", _("Ticket QR code")
        SMS = "sms", _("Link in SMS")
        TABLET = "tablet", _("Tablet at the window")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="rating")
    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="+")
    workplace = models.ForeignKey(Workplace, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stars = models.PositiveSmallIntegerField()
    recommend = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.QR)
    created_at = models.DateTimeField()

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_range"),
            models.CheckConstraint(
                condition=Q(recommend__isnull=True) | Q(recommend__lte=10), name="rating_recommend_range"
            ),
        ]
        indexes = [models.Index(fields=["center", "created_at"], name="rating_center_created")]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.recommend}"
