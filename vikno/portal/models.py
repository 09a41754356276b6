"""What citizens send through the portal besides applications: questions (e-consultation), complaints
and answers to the quality survey. Every row belongs to a center (and its region) for staff scoping.

Complaint deadline: 30 calendar days from receipt — the law on citizens' appeals («Про звернення
громадян», art. 20) gives «не більше одного місяця»; calendar days are used (not working days) so
the term does not depend on the office calendar and never exceeds the statutory month.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vikno.core.scoping import ScopedManager

COMPLAINT_TERM_DAYS = 30


class Question(models.Model):
    """A question asked online; the answer is sent back and counted as an online consultation."""

    class ReplyChannel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", "SMS"

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    topic = models.CharField(max_length=300, blank=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True, help_text="E.164.")
    text = models.TextField()
    channel = models.CharField(max_length=5, choices=ReplyChannel.choices, default=ReplyChannel.EMAIL)
    created_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by_id = models.BigIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    consultation_id = models.BigIntegerField(null=True, blank=True, help_text="cases.Consultation counted.")

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["center", "answered_at", "created_at"], name="question_center_queue"),
            models.Index(fields=["region", "created_at"], name="question_region"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.name}"


class Complaint(models.Model):
    """A complaint about the center's work, routed to the center head."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=254, help_text="Email address or phone number for the response.")
    text = models.TextField()
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="created_at + 30 calendar days.")
    status = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    response = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by_id = models.BigIntegerField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["center", "status", "due_at"], name="complaint_center_due"),
            models.Index(fields=["region", "created_at"], name="complaint_region"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.name}"


class Survey(models.Model):
    """One answer to the quality survey: a score from 1 to 5 and an optional comment."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["center", "created_at"], name="survey_center_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="survey_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.score}"
