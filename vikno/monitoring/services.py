"""Monitoring: computed indicators, the self-assessment (scoring, state machine), history and the
oblast summary.

Periods are written as keys: ``2026-Q1`` (quarter), ``2026-H1`` (half-year), ``2026`` (year).

Scoring of an assessment (all figures exact decimals, rounded to 0.01 where stored):

- a question earns points out of its ``max_points``: yes/no — all for «yes», none for «no»; a number —
  the share of the way from ``scale_zero`` (0 points) to ``scale_full`` (all points), clamped to 0…1,
  so a scale may run either way; a single choice — the points of the chosen option;
- a section: points = Σ question points × question weight, maximum = Σ max_points × question weight
  (an unanswered optional question counts as 0 points), percent = points / maximum × 100;
- the total: Σ section points × section weight over Σ section maximum × section weight.

The assessment state machine (``TRANSITIONS``)::

    draft ─submit→ submitted ─accept→ reviewed
                   submitted ─return→ returned ─submit→ submitted

Answers can be saved while the assessment is a draft or returned. Submitting needs every required
question answered; returning needs a comment. Center staff (administrators, the head) fill in and
submit; oblast monitors and system administrators review. Every change is audited.

An indicator's score (0–100) is 100 at its target or better, 0 at its threshold or worse, linear in between.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from vikno.catalog.models import Service
from vikno.catalog.services import service_list_in_force
from vikno.core.audit import Actor, record
from vikno.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from vikno.core.scoping import Role
from vikno.orgs.models import Center, Office, Region
from vikno.reports.models import DailyRollup

from .models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Choice,
    Indicator,
    IndicatorValue,
    PeriodKind,
    Question,
    Questionnaire,
    Section,
)

FILL_ROLES = (Role.ADMINISTRATOR, Role.CENTER_HEAD)
REVIEW_ROLES = (Role.OBLAST_MONITOR, Role.SYSADMIN)
READ_ROLES = (Role.ADMINISTRATOR, Role.CENTER_HEAD, Role.OBLAST_MONITOR, Role.SYSADMIN)
INDICATOR_EDIT_ROLES = (Role.CENTER_HEAD, Role.OBLAST_MONITOR, Role.SYSADMIN)
EDITABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
DONE = (AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def q2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- periods -----------------------------------------------------------------------------------

PERIOD_RE = re.compile(r"^(\d{4})(?:-([QH])([1-4]))?$")


@dataclass(frozen=True)
class Period:
    key: str
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        year, _sep, part = self.key.partition("-")
        if not part:
            return _("the year %(year)s") % {"year": year}
        if part[0] == "Q":
            return _("quarter %(number)s of %(year)s") % {"number": part[1], "year": year}
        return _("half-year %(number)s of %(year)s") % {"number": part[1], "year": year}


def parse_period(key: str | None, kind: str | None = None) -> Period:
    """The period of ``key``; with ``kind``, the key must be of that kind."""
    match = PERIOD_RE.match((key or "").strip().upper())
    if not match:
        raise DomainError(
            _("Write the period as 2026-Q1 (quarter), 2026-H1 (half-year) or 2026 (year)."), code="period_invalid",
            field="period",
        )  # fmt: skip
    year, letter, number = int(match[1]), match[2], int(match[3] or 0)
    if letter == "Q":
        found_kind, first_month, months = PeriodKind.QUARTER, 3 * (number - 1) + 1, 3
    elif letter == "H":
        if number > 2:
            raise DomainError(_("A year has only two half-years: H1 or H2."), code="period_invalid", field="period")
        found_kind, first_month, months = PeriodKind.HALF_YEAR, 6 * (number - 1) + 1, 6
    else:
        found_kind, first_month, months = PeriodKind.YEAR, 1, 12
    if year < 2000 or year > 2100:
        raise DomainError(_("The year of the period is outside 2000–2100."), code="period_invalid", field="period")
    if kind and found_kind != kind:
        raise DomainError(
            _("This questionnaire is filled in per «%(kind)s»: the period %(key)s does not fit it.")
            % {"kind": str(PeriodKind(kind).label).lower(), "key": key},
            code="period_kind",
            field="period",
        )
    start = dt.date(year, first_month, 1)
    end_month = first_month + months
    end = (dt.date(year + 1, 1, 1) if end_month > 12 else dt.date(year, end_month, 1)) - dt.timedelta(days=1)
    normalised = str(year) if found_kind == PeriodKind.YEAR else f"{year}-{letter}{number}"
    return Period(normalised, found_kind, start, end)


def period_containing(kind: str, day: dt.date) -> Period:
    if kind == PeriodKind.QUARTER:
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if kind == PeriodKind.HALF_YEAR:
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    return parse_period(str(day.year))


def previous_period(period: Period) -> Period:
    return period_containing(period.kind, period.start - dt.timedelta(days=1))


def today() -> dt.date:
    return timezone.localdate()


# --- indicators --------------------------------------------------------------------------------


@dataclass
class IndicatorContext:
    """What a computed indicator gets: the center, the period, and the period's roll-up totals."""

    center: Center
    start: dt.date
    end: dt.date

    @cached_property
    def totals(self) -> dict[str, Decimal]:
        rows = DailyRollup.objects.filter(center_id=self.center.pk, day__gte=self.start, day__lte=self.end)
        return {r["metric"]: r["total"] for r in rows.values("metric").annotate(total=Sum("value"))}

    def total(self, metric: str) -> Decimal:
        return self.totals.get(metric) or ZERO


@dataclass(frozen=True)
class ComputedIndicator:
    name: str
    label: str  # lazy: the reader's language
    function: Callable[[IndicatorContext], Decimal | None]


REGISTRY: dict[str, ComputedIndicator] = {}


def register(name: str, label):
    """Register a function ``(IndicatorContext) -> Decimal | None`` under ``name`` (``None``: no data)."""

    def decorator(function):
        REGISTRY[name] = ComputedIndicator(name, label, function)
        return function

    return decorator


def registry_choices() -> list[tuple[str, str]]:
    return [(item.name, item.label) for item in REGISTRY.values()]


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return q2(part * HUNDRED / whole) if whole else None


@register("refused_share", gettext_lazy("Share of refusals, % of registered applications"))
def refused_share(ctx: IndicatorContext) -> Decimal | None:
    return _share(ctx.total("refused"), ctx.total("cases_registered"))


@register("visitors_per_day", gettext_lazy("Visitors per day with intake on average"))
def visitors_per_day(ctx: IndicatorContext) -> Decimal | None:
    days = ctx.total("working_days")
    return q2(ctx.total("tickets") / days) if days else None


@register("satisfied_share", gettext_lazy("Satisfied visitors (4–5 stars), %"))
def satisfied_share(ctx: IndicatorContext) -> Decimal | None:
    return _share(ctx.total("ratings_satisfied"), ctx.total("ratings_count"))


@register("loyalty_index", gettext_lazy("Loyalty index (NPS), −100…100"))
def loyalty_index(ctx: IndicatorContext) -> Decimal | None:
    answered = ctx.total("ratings_recommend")
    if not answered:
        return None
    return q2((ctx.total("ratings_promoters") - ctx.total("ratings_detractors")) * HUNDRED / answered)


@register("service_list_share", gettext_lazy("Share of catalog services in the approved service list, %"))
def service_list_share(ctx: IndicatorContext) -> Decimal | None:
    catalog = Service.objects.filter(is_active=True).count()
    service_list = service_list_in_force(ctx.center, ctx.end)
    if service_list is None:
        return ZERO if catalog else None
    listed = service_list.services.filter(is_active=True).count()
    return _share(Decimal(listed), Decimal(catalog))


@register("access_points", gettext_lazy("Number of access points (offices, branches, remote workplaces, mobile)"))
def access_points(ctx: IndicatorContext) -> Decimal | None:
    return Decimal(Office.objects.filter(center=ctx.center, is_active=True).count())


@register("cases_per_1000", gettext_lazy("Applications per 1,000 residents of the hromada"))
def cases_per_1000(ctx: IndicatorContext) -> Decimal | None:
    population = ctx.center.hromada.population
    if not population:
        return None
    return q2(ctx.total("cases_registered") * 1000 / Decimal(population))


def indicator_score(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    value, target, threshold = Decimal(value), Decimal(indicator.target), Decimal(indicator.threshold)
    if indicator.direction == Indicator.Direction.HIGHER:
        if value >= target:
            return q2(HUNDRED)
        if value <= threshold:
            return q2(ZERO)
        return q2((value - threshold) * HUNDRED / (target - threshold))
    if value <= target:
        return q2(HUNDRED)
    if value >= threshold:
        return q2(ZERO)
    return q2((threshold - value) * HUNDRED / (threshold - target))


def _check_period_started(period: Period) -> None:
    if period.start > today():
        raise DomainError(
            _("The period %(period)s has not started yet.") % {"period": period.key},
            code="period_future",
            field="period",
        )


def compute_indicators(center: Center, period: str | Period, *, actor: Actor | None = None) -> list[IndicatorValue]:
    """Compute every active computed indicator for ``center`` and ``period`` and store the values
    with their scores (replacing earlier computed values of that period). One audit event."""
    period = period if isinstance(period, Period) else parse_period(period)
    _check_period_started(period)
    ctx = IndicatorContext(center, period.start, period.end)
    stored = []
    now = timezone.now()
    with transaction.atomic():
        for indicator in Indicator.objects.filter(is_active=True, method=Indicator.Method.COMPUTED):
            computed = REGISTRY.get(indicator.function)
            if computed is None:
                continue
            value = computed.function(ctx)
            stored.append(_store_value(indicator, center, period, value, IndicatorValue.Source.COMPUTED, None, now))
        record(
            actor,
            "monitoring.indicators.computed",
            center,
            object_id=center.pk,
            data={"period": period.key, "values": {row.indicator.code: row.value for row in stored}},
        )
    return stored


def _store_value(indicator: Indicator, center: Center, period: Period, value, source, user, at) -> IndicatorValue:
    """The center's value of the indicator for the period, with its score, created or replaced."""
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        center=center,
        period_start=period.start,
        period_end=period.end,
        defaults={
            "region_id": center.region_id,
            "value": value,
            "score": indicator_score(indicator, value),
            "source": source,
            "entered_by": user,
            "at": at,
        },
    )
    return row


def set_manual_value(
    indicator: Indicator, center: Center, period: str | Period, raw, *, actor: Actor
) -> IndicatorValue:
    """Store a value entered by hand for a manual indicator (checked against its allowed range)."""
    user = actor.user
    if getattr(user, "role", None) not in INDICATOR_EDIT_ROLES:
        raise PermissionDenied(_("Indicator values are entered by the head of the center and the oblast monitoring."))
    if not Center.objects.visible_to(user).filter(pk=center.pk).exists():
        raise NotFound(_("Center not found."), field="center")
    if indicator.method != Indicator.Method.MANUAL or not indicator.is_active:
        raise DomainError(_("The value of this indicator is computed by the system."), code="not_manual", field="value")
    period = period if isinstance(period, Period) else parse_period(period)
    _check_period_started(period)
    value = _number(raw, indicator.min_value, indicator.max_value, field="value")
    if value is None:
        raise DomainError(_("Enter the value of the indicator."), code="required", field="value")
    with transaction.atomic():
        row = _store_value(indicator, center, period, value, IndicatorValue.Source.MANUAL, user, timezone.now())
        record(
            actor,
            "monitoring.indicator_value.set",
            row,
            data={"indicator": indicator.code, "period": period.key, "value": value, "score": row.score},
        )
    return row


def indicator_total(values: list[IndicatorValue]) -> Decimal | None:
    """Weighted mean of the scores that exist."""
    scored = [(v.score, v.indicator.weight) for v in values if v.score is not None]
    weights = sum((w for _, w in scored), ZERO)
    return q2(sum((s * w for s, w in scored), ZERO) / weights) if weights else None


# --- answers and scoring -----------------------------------------------------------------------


class AnswerErrors(DomainError):
    """Some answers are not acceptable; ``errors`` maps each form field (``q<id>``) to its message."""

    code = "invalid_answers"

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        count = ngettext("Check the answers: %(count)d error.", "Check the answers: %(count)d errors.", len(errors))
        super().__init__(count % {"count": len(errors)} + " " + " ".join(errors.values()))

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}


@dataclass
class Parsed:
    value_bool: bool | None = None
    value_number: Decimal | None = None
    choice: Choice | None = None
    points: Decimal = ZERO


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _number(raw, low, high, *, field: str) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(_("«%(raw)s» is not a number.") % {"raw": raw}, code="not_a_number", field=field) from None
    if not value.is_finite():
        raise DomainError(_("«%(raw)s» is not a number.") % {"raw": raw}, code="not_a_number", field=field)
    if low is not None and value < low:
        raise DomainError(
            _("The value %(value)s is less than allowed (%(low)s).") % {"value": value, "low": as_text(low)},
            code="out_of_range",
            field=field,
        )
    if high is not None and value > high:
        raise DomainError(
            _("The value %(value)s is more than allowed (%(high)s).") % {"value": value, "high": as_text(high)},
            code="out_of_range",
            field=field,
        )
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise DomainError(_("No more than two decimal places."), code="too_precise", field=field)
    return value


def as_text(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.normalize())


def number_points(question: Question, value: Decimal) -> Decimal:
    zero, full = Decimal(question.scale_zero), Decimal(question.scale_full)
    share = (value - zero) / (full - zero)
    share = min(Decimal(1), max(ZERO, share))
    return q2(Decimal(question.max_points) * share)


def parse_answer(question: Question, raw) -> Parsed | None:
    """One raw form value → the parsed answer with its points; ``None`` when left empty."""
    name = field_name(question)
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if question.kind == Question.Kind.YES_NO:
        if text not in ("yes", "no"):
            raise DomainError(_("Choose «yes» or «no»."), code="invalid_choice", field=name)
        yes = text == "yes"
        return Parsed(value_bool=yes, points=q2(question.max_points) if yes else q2(ZERO))
    if question.kind == Question.Kind.NUMBER:
        value = _number(text, question.min_value, question.max_value, field=name)
        return Parsed(value_number=value, points=number_points(question, value))
    choice = next((c for c in question.choices.all() if str(c.pk) == text), None)
    if choice is None:
        raise DomainError(_("Choose one of the options offered."), code="invalid_choice", field=name)
    return Parsed(choice=choice, points=q2(min(choice.points, question.max_points)))


def questions_of(questionnaire: Questionnaire) -> list[Section]:
    """The sections with their questions and choices prefetched, in order."""
    return list(
        Section.objects.filter(questionnaire=questionnaire)
        .prefetch_related("questions__choices")
        .order_by("position", "pk")
    )


def parse_answers(sections: list[Section], raw: Mapping[str, str]) -> dict[int, Parsed]:
    """Parse every question's raw value (form field ``q<id>``); raise :class:`AnswerErrors` listing all bad ones."""
    parsed, errors = {}, {}
    for section in sections:
        for question in section.questions.all():
            name = field_name(question)
            try:
                answer = parse_answer(question, raw.get(name))
            except DomainError as error:
                errors[name] = f"{question.text}: {error.message}"
                continue
            if answer is not None:
                parsed[question.pk] = answer
    if errors:
        raise AnswerErrors(errors)
    return parsed


@dataclass
class SectionScore:
    section_id: int
    kind: str
    title: str
    weight: Decimal
    points: Decimal
    max: Decimal

    @property
    def percent(self) -> Decimal:
        return q2(self.points * HUNDRED / self.max) if self.max else q2(ZERO)

    def as_dict(self) -> dict:
        return {
            "section": self.section_id,
            "kind": self.kind,
            "title": self.title,
            "weight": str(self.weight),
            "points": str(q2(self.points)),
            "max": str(q2(self.max)),
            "percent": str(self.percent),
        }


@dataclass
class Scores:
    sections: list[SectionScore] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return q2(sum((s.points * s.weight for s in self.sections), ZERO))

    @property
    def max(self) -> Decimal:
        return q2(sum((s.max * s.weight for s in self.sections), ZERO))

    @property
    def percent(self) -> Decimal:
        top = sum((s.max * s.weight for s in self.sections), ZERO)
        return q2(sum((s.points * s.weight for s in self.sections), ZERO) * HUNDRED / top) if top else q2(ZERO)


def score(sections: list[Section], points: Mapping[int, Decimal]) -> Scores:
    """Scores from the points earned per question id (missing questions earn nothing)."""
    result = Scores()
    for section in sections:
        earned = top = ZERO
        for question in section.questions.all():
            earned += points.get(question.pk, ZERO) * question.weight
            top += question.max_points * question.weight
        result.sections.append(SectionScore(section.pk, section.kind, section.title, section.weight, earned, top))
    return result


def missing_required(sections: list[Section], answered: set[int]) -> list[Question]:
    return [q for s in sections for q in s.questions.all() if q.required and q.pk not in answered]


# --- assessments -------------------------------------------------------------------------------


def active_questionnaire(code: str | None = None) -> Questionnaire | None:
    """The newest active version (of ``code``, when given)."""
    found = Questionnaire.objects.filter(is_active=True)
    if code:
        found = found.filter(code=code)
    return found.order_by("-version", "pk").first()


def visible_center(user, center_id) -> Center:
    try:
        center_id = int(center_id)
    except (TypeError, ValueError):
        raise NotFound(_("Center not found."), field="center") from None
    center = Center.objects.visible_to(user).filter(pk=center_id).first()
    if center is None:
        raise NotFound(_("Center not found."), field="center")
    return center


def _require_filler(user, center: Center) -> None:
    if getattr(user, "role", None) not in FILL_ROLES:
        raise PermissionDenied(_("The self-assessment is filled in by the administrators and the head of the center."))
    if not Center.objects.visible_to(user).filter(pk=center.pk).exists():
        raise NotFound(_("Center not found."), field="center")


def find_assessment(center: Center, questionnaire: Questionnaire, period: Period) -> Assessment | None:
    return Assessment.objects.filter(center=center, questionnaire=questionnaire, period=period.key).first()


def _store_scores(assessment: Assessment, scores: Scores) -> None:
    assessment.total_score = scores.total
    assessment.max_score = scores.max
    assessment.percent = scores.percent
    assessment.section_scores = [s.as_dict() for s in scores.sections]


def save_answers(
    center: Center,
    questionnaire: Questionnaire,
    period: str | Period,
    raw: Mapping[str, str],
    *,
    actor: Actor,
    submit: bool = False,
) -> Assessment:
    """Save the answers as a draft (creating the assessment on first save); with ``submit``, submit it
    too, all in one transaction: a refused submission leaves nothing changed."""
    user = actor.user
    _require_filler(user, center)
    if not questionnaire.is_active:
        raise DomainError(_("This questionnaire is no longer filled in."), code="questionnaire_inactive")
    period = period if isinstance(period, Period) else parse_period(period, questionnaire.period_kind)
    if period.kind != questionnaire.period_kind:
        parse_period(period.key, questionnaire.period_kind)
    _check_period_started(period)
    sections = questions_of(questionnaire)
    parsed = parse_answers(sections, raw)
    with transaction.atomic():
        assessment, created = Assessment.objects.select_for_update().get_or_create(
            center=center,
            questionnaire=questionnaire,
            period=period.key,
            defaults={
                "region_id": center.region_id,
                "period_start": period.start,
                "period_end": period.end,
                "created_by": user,
            },
        )
        if assessment.status not in EDITABLE:
            raise Conflict(
                _(
                    "The self-assessment for %(period)s already has the status «%(status)s»: the answers cannot be changed."
                )
                % {"period": period.label, "status": AssessmentStatus(assessment.status).label},
                code="not_editable",
            )
        Answer.objects.filter(assessment=assessment).exclude(question_id__in=parsed.keys()).delete()
        for question_id, answer in parsed.items():
            Answer.objects.update_or_create(
                assessment=assessment,
                question_id=question_id,
                defaults={
                    "center": center,
                    "region_id": center.region_id,
                    "value_bool": answer.value_bool,
                    "value_number": answer.value_number,
                    "choice": answer.choice,
                    "points": answer.points,
                },
            )
        scores = score(sections, {pk: a.points for pk, a in parsed.items()})
        _store_scores(assessment, scores)
        assessment.save()
        record(
            actor,
            "monitoring.assessment.created" if created else "monitoring.assessment.saved",
            assessment,
            data={"period": period.key, "answers": len(parsed), "percent": assessment.percent},
        )
        if submit:
            assessment = transition(assessment, "submit", actor=actor)
    return assessment


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # lazy infinitive for messages: «Cannot <label>…»
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit", gettext_lazy("submit the self-assessment"), EDITABLE, AssessmentStatus.SUBMITTED, FILL_ROLES
        ),
        Transition(
            "accept", gettext_lazy("accept the self-assessment"), (AssessmentStatus.SUBMITTED,), AssessmentStatus.REVIEWED, REVIEW_ROLES
        ),
        Transition(
            "return", gettext_lazy("return the self-assessment"), (AssessmentStatus.SUBMITTED,), AssessmentStatus.RETURNED, REVIEW_ROLES
        ),
    ]
}  # fmt: skip


def transition(assessment: Assessment, name: str, *, actor: Actor, comment: str = "") -> Assessment:
    """Move an assessment by one action of ``TRANSITIONS``; refuses (4xx, nothing changed) an unknown
    action, an assessment outside the actor's scope (404), a wrong role (403), an action not allowed
    from the current status (409), returning without a comment or submitting with unanswered required
    questions (400)."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise DomainError(_("Unknown action."), code="unknown_action", field="action")
    user = actor.user
    comment = (comment or "").strip()
    with transaction.atomic():
        current = Assessment.objects.visible_to(user).select_for_update().filter(pk=assessment.pk).first()
        if current is None:
            raise NotFound(_("Self-assessment not found."))
        if getattr(user, "role", None) not in step.roles:
            raise PermissionDenied(_("Your role does not allow you to %(action)s.") % {"action": step.label})
        if current.status not in step.sources:
            raise Conflict(
                _("Cannot %(action)s: it has the status «%(status)s».")
                % {"action": step.label, "status": AssessmentStatus(current.status).label},
                code="illegal_transition",
            )
        if name == "return" and not comment:
            raise DomainError(_("Write what needs to be corrected."), code="comment_required", field="comment")
        if len(comment) > 4000:
            raise DomainError(
                _("The comment is too long: no more than 4000 characters."), code="comment_too_long", field="comment"
            )
        if name == "submit":
            sections = questions_of(current.questionnaire)
            answered = set(Answer.objects.filter(assessment=current).values_list("question_id", flat=True))
            missing = missing_required(sections, answered)
            if missing:
                shown = "; ".join(q.text for q in missing[:10])
                raise DomainError(
                    _("Cannot submit: required questions are not answered (%(count)s): %(questions)s.")
                    % {"count": len(missing), "questions": shown},
                    code="incomplete",
                )
        before = current.status
        now = timezone.now()
        current.status = step.target
        if name == "submit":
            current.submitted_by, current.submitted_at = user, now
            current.reviewed_by, current.reviewed_at = None, None
        else:
            current.reviewed_by, current.reviewed_at, current.reviewer_comment = user, now, comment
        current.save()
        record(
            actor,
            f"monitoring.assessment.{name}",
            current,
            data={"from": before, "to": current.status, "comment": comment, "percent": current.percent},
        )
    return current


def assessment_for(user, pk) -> Assessment:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(_("Self-assessment not found.")) from None
    found = (
        Assessment.objects.visible_to(user).select_related("center", "questionnaire", "submitted_by", "reviewed_by")
    ).filter(pk=pk)
    assessment = found.first()
    if assessment is None:
        raise NotFound(_("Self-assessment not found."))
    return assessment


def raw_answers(assessment: Assessment | None) -> dict[str, str]:
    """Stored answers as form values (``q<id>`` → text)."""
    if assessment is None:
        return {}
    values = {}
    for answer in Answer.objects.filter(assessment=assessment):
        if answer.value_bool is not None:
            text = "yes" if answer.value_bool else "no"
        elif answer.value_number is not None:
            text = as_text(answer.value_number)
        elif answer.choice_id:
            text = str(answer.choice_id)
        else:
            continue
        values[f"q{answer.question_id}"] = text
    return values


# --- history and the oblast summary ------------------------------------------------------------


@dataclass
class History:
    center: Center
    assessments: list[Assessment]
    indicator_periods: list[tuple[dt.date, dt.date, list[IndicatorValue]]]


def center_history(user, center_id) -> History:
    center = visible_center(user, center_id)
    assessments = list(
        Assessment.objects.visible_to(user)
        .filter(center=center)
        .select_related("questionnaire")
        .order_by("-period_start", "-questionnaire__version")
    )
    grouped: dict[tuple[dt.date, dt.date], list[IndicatorValue]] = {}
    values = (
        IndicatorValue.objects.visible_to(user)
        .filter(center=center)
        .select_related("indicator")
        .order_by("-period_start", "period_end", "indicator__position", "indicator__code")
    )
    for value in values:
        grouped.setdefault((value.period_start, value.period_end), []).append(value)
    return History(center, assessments, [(a, b, rows) for (a, b), rows in grouped.items()])


@dataclass
class SummaryRow:
    center: Center
    current: Assessment | None  # the assessment of the selected period, in any status
    latest: Assessment | None  # the newest submitted or reviewed one up to the selected period
    previous: Assessment | None  # the submitted/reviewed one of the period just before ``latest``
    indicator_values: dict[str, IndicatorValue]
    indicator_score: Decimal | None
    section_cells: list[Decimal | None] = field(default_factory=list)  # per ``Summary.section_kinds``
    indicator_cells: list[IndicatorValue | None] = field(default_factory=list)  # per ``Summary.indicators``

    @property
    def change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return q2(self.latest.percent - self.previous.percent)

    @property
    def submitted(self) -> bool:
        return self.current is not None and self.current.status in DONE

    def section_percent(self, kind: str) -> Decimal | None:
        return self.latest.section_percent(kind) if self.latest else None


@dataclass
class Summary:
    questionnaire: Questionnaire | None
    period: Period
    region: Region | None
    section_kinds: list[tuple[str, str]]
    indicators: list[Indicator]
    rows: list[SummaryRow]

    @property
    def not_submitted(self) -> list[Center]:
        return [row.center for row in self.rows if not row.submitted]

    @property
    def average_percent(self) -> Decimal | None:
        scores = [row.latest.percent for row in self.rows if row.latest]
        return q2(sum(scores, ZERO) / len(scores)) if scores else None


def oblast_summary(
    user, *, period: str | None = None, questionnaire_code: str | None = None, region_id=None
) -> Summary:
    """Every visible active center (of ``region_id``, when given): its assessment for the period, the
    newest submitted score with per-section scores and the change against the previous period, the
    indicator scores of the period, and whether it has submitted for the period."""
    questionnaire = active_questionnaire(questionnaire_code)
    if questionnaire_code and questionnaire is None:
        raise NotFound(_("Questionnaire not found."), field="questionnaire")
    kind = questionnaire.period_kind if questionnaire else PeriodKind.QUARTER
    selected = parse_period(period, kind) if period else period_containing(kind, today())
    centers = Center.objects.visible_to(user).filter(is_active=True).select_related("hromada")
    region = None
    if region_id not in (None, ""):
        try:
            region = Region.objects.visible_to(user).get(pk=int(region_id))
        except (ValueError, TypeError, Region.DoesNotExist):
            raise NotFound(_("Oblast not found."), field="region") from None
        centers = centers.filter(region=region)
    elif getattr(user, "region_id", None):
        region = user.region  # an oblast monitor sees their oblast: the summary (and its files) name it
    centers = list(centers.order_by("name"))
    ids = [c.pk for c in centers]

    by_center: dict[int, list[Assessment]] = {}
    if questionnaire is not None:
        assessments = (
            Assessment.objects.visible_to(user)
            .filter(center_id__in=ids, questionnaire__code=questionnaire.code, period_start__lte=selected.start)
            .filter(period_start__gte=selected.start - dt.timedelta(days=366 * 3))
            .select_related("questionnaire")
            .order_by("-period_start", "-questionnaire__version")
        )
        for assessment in assessments:
            by_center.setdefault(assessment.center_id, []).append(assessment)

    indicators = list(Indicator.objects.filter(is_active=True))
    values: dict[int, dict[str, IndicatorValue]] = {}
    for value in (
        IndicatorValue.objects.visible_to(user)
        .filter(center_id__in=ids, period_start=selected.start, period_end=selected.end, indicator__is_active=True)
        .select_related("indicator")
    ):
        values.setdefault(value.center_id, {})[value.indicator.code] = value

    rows = []
    for center in centers:
        own = by_center.get(center.pk, [])
        current = next((a for a in own if a.period == selected.key), None)
        done = [a for a in own if a.status in DONE]
        latest = done[0] if done else None
        previous = None
        if latest is not None:
            before = previous_period(parse_period(latest.period)).key
            previous = next((a for a in done if a.period == before), None)
        center_values = values.get(center.pk, {})
        rows.append(
            SummaryRow(center, current, latest, previous, center_values, indicator_total(list(center_values.values())))
        )
    kinds_used = []
    if questionnaire is not None:
        kinds_used = list(
            dict.fromkeys(Section.objects.filter(questionnaire=questionnaire).values_list("kind", flat=True))
        )
    section_kinds = [(k, label) for k, label in Section.Kind.choices if k in kinds_used]
    for row in rows:
        row.section_cells = [row.section_percent(k) for k, _ in section_kinds]
        row.indicator_cells = [row.indicator_values.get(i.code) for i in indicators]
    return Summary(questionnaire, selected, region, section_kinds, indicators, rows)
