"""Monitoring of centers: configurable indicators with their values per period, and the periodic
self-assessment questionnaire (sections, questions, choices) with the centers' assessments and answers.

Indicators and questionnaires are data, configured in the Django admin. Every center-scoped table
carries ``center_id`` and ``region_id`` (denormalised in ``save()``), so ``visible_to(user)`` is one
indexed predicate. Scoring and state changes live in ``services.py``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vikno.core.scoping import ScopedManager
from vikno.orgs.models import Center


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")


class CenterScoped(models.Model):
    """Abstract base: a row of one center, with the center's region copied for oblast-wide lists."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)

    objects = ScopedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.center_id and not self.region_id:
            self.region_id = Center.objects.values_list("region_id", flat=True).get(pk=self.center_id)
        super().save(*args, **kwargs)


class Indicator(models.Model):
    """A monitoring indicator: computed by a registered function (``services.REGISTRY``) or entered by hand.

    The score (0–100) of a value is 100 at the target or better, 0 at the threshold or worse, and linear
    in between; ``direction`` tells which side is better."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Method(models.TextChoices):
        COMPUTED = "computed", _("Computed by the system")
        MANUAL = "manual", _("Entered manually")

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=30, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    target = models.DecimalField(max_digits=12, decimal_places=2, help_text="Full score at this value or better.")
    threshold = models.DecimalField(max_digits=12, decimal_places=2, help_text="Zero score at this value or worse.")
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.COMPUTED)
    function = models.CharField(
        max_length=60, blank=True, help_text="Name of the registered function (computed indicators only)."
    )
    min_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Lowest value accepted by hand."
    )
    max_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Highest value accepted by hand."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=models.Q(direction="higher", target__gt=models.F("threshold"))
                | models.Q(direction="lower", target__lt=models.F("threshold")),
                name="indicator_target_beyond_threshold",
            ),
        ]

    def clean(self):
        if self.target is not None and self.threshold is not None:
            if self.direction == self.Direction.HIGHER and self.target <= self.threshold:
                raise ValidationError({"target": _("When higher is better, the target must be above the threshold.")})
            if self.direction == self.Direction.LOWER and self.target >= self.threshold:
                raise ValidationError({"target": _("When lower is better, the target must be below the threshold.")})
        if self.method == self.Method.COMPUTED and not self.function:
            raise ValidationError({"function": _("Choose the function of an indicator computed by the system.")})

    def __str__(self) -> str:
        return self.name


class IndicatorValue(CenterScoped):
    """The value of one indicator for one center and period, with its score."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        MANUAL = "manual", _("Entered by hand")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    objects = ScopedManager()

    class Meta:
        ordering = ["center", "-period_start", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "center", "period_start", "period_end"], name="indicator_value_key"
            )
        ]
        indexes = [
            models.Index(fields=["center", "-period_start"], name="indicator_value_center"),
            models.Index(fields=["region", "period_start"], name="indicator_value_region"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.center_id} {self.period_start}: {self.value}"


class Questionnaire(models.Model):
    """A self-assessment questionnaire. ``code`` is stable across versions, so scores of different
    versions can be compared; only active versions can be filled in."""

    code = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_code_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Accessibility (checklist)")
        REGISTERS = "registers", _("Access to registers")
        STAFF = "staff", pgettext_lazy("assessment section", "Staff")
        SERVICE_LIST = "service_list", _("Completeness of the service list")
        OTHER = "other", _("Other")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gt=0), name="section_weight_positive")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question. Points: yes/no gives ``max_points`` for «yes»; a number gives a share of
    ``max_points`` on the scale from ``scale_zero`` (0 points) to ``scale_full`` (all points); a single
    choice gives the points of the chosen option."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        NUMBER = "number", _("Number on a scale")
        CHOICE = "choice", _("One option with points")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=60)
    text = models.CharField(max_length=500)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    max_points = models.DecimalField(max_digits=8, decimal_places=2, default=1)
    min_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Numbers: lowest accepted value."
    )
    max_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Numbers: highest accepted value."
    )
    scale_zero = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Numbers: the value that earns 0 points."
    )
    scale_full = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Numbers: the value that earns all points."
    )
    unit = models.CharField(max_length=30, blank=True)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="question_weight_positive"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="question_max_points_positive"),
        ]

    def clean(self):
        if self.kind == self.Kind.NUMBER:
            if self.scale_zero is None or self.scale_full is None or self.scale_zero == self.scale_full:
                raise ValidationError(
                    {"scale_full": _("For a number question, set two different points of the scale.")}
                )
            if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
                raise ValidationError({"max_value": _("The largest value must not be less than the smallest.")})

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=300)
    points = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("assessment status", "Submitted")
    REVIEWED = "reviewed", pgettext_lazy("assessment status", "Accepted")
    RETURNED = "returned", _("Returned for revision")


class Assessment(CenterScoped):
    """A center's self-assessment for one period: draft → submitted → reviewed (or returned → submitted)."""

    Status = AssessmentStatus

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="assessments")
    period = models.CharField(max_length=10, help_text="2026-Q1, 2026-H1 or 2026.")
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer_comment = models.TextField(blank=True)
    total_score = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    max_score = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    section_scores = models.JSONField(
        default=list, blank=True, help_text="[{section, kind, title, points, max, percent}] in section order."
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["center", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["center", "questionnaire", "period"], name="assessment_one_per_period")
        ]
        indexes = [
            models.Index(fields=["center", "-period_start"], name="assessment_center"),
            models.Index(fields=["region", "period_start"], name="assessment_region"),
        ]

    def __str__(self) -> str:
        return f"{self.center} — {self.period}"

    def section_percent(self, kind: str):
        """Percent of the section(s) of ``kind``: the points of all of them over their maximum."""
        rows = [s for s in self.section_scores or [] if s.get("kind") == kind]
        points = sum((Decimal(s["points"]) * Decimal(s["weight"]) for s in rows), Decimal(0))
        top = sum((Decimal(s["max"]) * Decimal(s["weight"]) for s in rows), Decimal(0))
        return (points * 100 / top).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if top else None


class Answer(CenterScoped):
    """The answer to one question in one assessment, with the points it earned (unweighted)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value_bool = models.BooleanField(null=True, blank=True)
    value_number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    points = models.DecimalField(max_digits=8, decimal_places=2, default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["assessment", "question"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="answer_one_per_question")]
        indexes = [models.Index(fields=["center"], name="answer_center")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.question_id}"
