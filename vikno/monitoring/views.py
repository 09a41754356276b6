"""Monitoring pages: the oblast summary (with CSV/XLSX), a center's history, the self-assessment form,
an assessment with its review, and the indicators with their values. Domain logic is in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError, NotFound
from vikno.core.scoping import Role
from vikno.core.staff import staff_required
from vikno.orgs.models import Center, Region

from . import exports, services
from .models import Answer, Indicator, IndicatorValue
from .services import FILL_ROLES, INDICATOR_EDIT_ROLES, READ_ROLES, REVIEW_ROLES

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


def _status(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 else 400


# --- oblast summary ----------------------------------------------------------------------------


@staff_required(*READ_ROLES)
def summary_page(request):
    period = request.GET.get("period", "").strip() or None
    region_id = request.GET.get("region", "").strip() or None
    error, summary, status = None, None, 200
    try:
        try:
            summary = services.oblast_summary(request.user, period=period, region_id=region_id)
        except NotFound:
            raise
        except DomainError as exc:  # a period that makes no sense: the current one, with the message
            error, status = exc.message, _status(exc)
            summary = services.oblast_summary(request.user, region_id=region_id)
    except NotFound as exc:  # also when the region is wrong too
        raise Http404 from exc
    export = request.GET.get("format")
    if export in FORMATS and error is None:
        content_type, render_file = FORMATS[export]
        response = HttpResponse(render_file(summary), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(summary, export)}"'
        return response
    regions = Region.objects.visible_to(request.user) if request.user.role == Role.SYSADMIN else Region.objects.none()
    context = {
        "summary": summary,
        "error": error,
        "period_value": period or summary.period.key,
        "regions": regions.order_by("name"),
        "region_value": region_id or "",
        "export_urls": _export_urls(request.GET, summary.period.key if error else None),
        "can_review": request.user.role in REVIEW_ROLES,
    }
    return render(request, "monitoring/summary.html", context, status=status)


def _export_urls(params, period: str | None) -> dict[str, str]:
    """The address of each export: the filters of the page plus ``format`` (``?format=csv`` without
    filters, never ``?&format=csv``); ``period`` replaces a period the page refused by the one it shows."""
    urls = {}
    for kind in FORMATS:
        query = params.copy()
        if period is not None:
            query["period"] = period
        query["format"] = kind
        urls[kind] = f"?{query.urlencode()}"
    return urls


# --- a center's history ------------------------------------------------------------------------


@staff_required(*READ_ROLES)
def center_history_page(request, center_id: int):
    try:
        history = services.center_history(request.user, center_id)
    except NotFound as exc:
        raise Http404 from exc
    questionnaire = services.active_questionnaire()
    periods = []
    if questionnaire is not None and request.user.role in FILL_ROLES:
        current = services.period_containing(questionnaire.period_kind, services.today())
        # Only the periods still to be filled in (none yet, a draft, or returned): a submitted or reviewed
        # self-assessment cannot be filled in again, and its link would only lead back to it.
        periods = [
            period
            for period in (services.previous_period(current), current)
            if (found := services.find_assessment(history.center, questionnaire, period)) is None
            or found.status in services.EDITABLE
        ]
    context = {
        "history": history,
        "center": history.center,
        "questionnaire": questionnaire,
        "fill_periods": periods,
    }
    return render(request, "monitoring/center_history.html", context)


# --- the self-assessment form ------------------------------------------------------------------


def _form_sections(sections, values: dict, errors: dict) -> list[dict]:
    result = []
    for section in sections:
        items = []
        for question in section.questions.all():
            name = services.field_name(question)
            items.append(
                {
                    "question": question,
                    "name": name,
                    "value": values.get(name, ""),
                    "error": errors.get(name, ""),
                    "choices": list(question.choices.all()),
                }
            )
        result.append({"section": section, "items": items})
    return result


@staff_required(*FILL_ROLES)
def fill_page(request, center_id: int, period: str):
    try:
        center = services.visible_center(request.user, center_id)
    except NotFound as exc:
        raise Http404 from exc
    questionnaire = services.active_questionnaire()
    if questionnaire is None:
        raise Http404
    try:
        found_period = services.parse_period(period, questionnaire.period_kind)
    except DomainError:
        raise Http404 from None
    assessment = services.find_assessment(center, questionnaire, found_period)
    if assessment is not None and assessment.status not in services.EDITABLE and request.method != "POST":
        return redirect("monitoring:assessment", pk=assessment.pk)
    sections = services.questions_of(questionnaire)
    values, errors, error, status = services.raw_answers(assessment), {}, None, 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        values = {k: v for k, v in request.POST.items() if k.startswith("q")}
        try:
            assessment = services.save_answers(
                center,
                questionnaire,
                found_period,
                request.POST,
                actor=actor_from_request(request),
                submit=action == "submit",
            )
        except services.AnswerErrors as exc:
            errors, error, status = exc.errors, _("Some answers need correcting."), 400
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            error, status = exc.message, _status(exc)
        else:
            if action == "submit":
                messages.success(request, _("The self-assessment has been submitted for review."))
                return redirect("monitoring:assessment", pk=assessment.pk)
            messages.success(request, _("Draft saved."))
            return redirect("monitoring:fill", center_id=center.pk, period=found_period.key)
    context = {
        "center": center,
        "questionnaire": questionnaire,
        "period": found_period,
        "assessment": assessment,
        "sections": _form_sections(sections, values, errors),
        "errors": errors,
        "error": error,
    }
    return render(request, "monitoring/fill.html", context, status=status)


# --- an assessment and its review --------------------------------------------------------------


def _assessment_context(request, assessment, *, error=None, comment="") -> dict:
    answers = {
        a.question_id: a for a in Answer.objects.filter(assessment=assessment).select_related("choice", "question")
    }
    sections = []
    scores = {s["section"]: s for s in assessment.section_scores or []}
    for section in services.questions_of(assessment.questionnaire):
        rows = [(q, answers.get(q.pk)) for q in section.questions.all()]
        sections.append({"section": section, "rows": rows, "score": scores.get(section.pk)})
    user = request.user
    return {
        "assessment": assessment,
        "center": assessment.center,
        "sections": sections,
        "can_review": user.role in REVIEW_ROLES and assessment.status == assessment.Status.SUBMITTED,
        "can_edit": user.role in FILL_ROLES and assessment.status in services.EDITABLE,
        "error": error,
        "comment": comment,
    }


@staff_required(*READ_ROLES)
def assessment_page(request, pk: int):
    try:
        assessment = services.assessment_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "monitoring/assessment.html", _assessment_context(request, assessment))


@staff_required(*REVIEW_ROLES)
@require_POST
def review_action(request, pk: int):
    try:
        assessment = services.assessment_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")
    if decision not in ("accept", "return"):
        context = _assessment_context(request, assessment, error=_("Choose to accept or to return."), comment=comment)
        return render(request, "monitoring/assessment.html", context, status=400)
    try:
        assessment = services.transition(assessment, decision, actor=actor_from_request(request), comment=comment)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        context = _assessment_context(request, assessment, error=exc.message, comment=comment)
        return render(request, "monitoring/assessment.html", context, status=_status(exc))
    if decision == "accept":
        messages.success(request, _("The self-assessment has been accepted."))
    else:
        messages.success(request, _("The self-assessment has been returned for correction."))
    return redirect("monitoring:assessment", pk=assessment.pk)


# --- indicators --------------------------------------------------------------------------------


@staff_required(*READ_ROLES)
def indicators_page(request):
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    centers = Center.objects.visible_to(user).filter(is_active=True).order_by("name")
    center_value = source.get("center", "").strip()
    if not center_value and user.center_id:
        center_value = str(user.center_id)
    center = None
    if center_value:
        try:
            center = services.visible_center(user, center_value)
        except NotFound as exc:
            raise Http404 from exc
    questionnaire = services.active_questionnaire()
    kind = questionnaire.period_kind if questionnaire else "quarter"
    period_value = source.get("period", "").strip()
    error, status = None, 200
    try:
        period = (
            services.parse_period(period_value) if period_value else services.period_containing(kind, services.today())
        )
    except DomainError as exc:
        error, status = exc.message, 400
        period = services.period_containing(kind, services.today())
    can_edit = user.role in INDICATOR_EDIT_ROLES
    if request.method == "POST" and error is None:
        if not can_edit:
            raise Http404
        if center is None:
            error, status = _("Choose a center."), 400
        else:
            actor = actor_from_request(request)
            try:
                if request.POST.get("action") == "compute":
                    services.compute_indicators(center, period, actor=actor)
                    messages.success(request, _("Indicators computed."))
                else:
                    indicator = Indicator.objects.filter(pk=request.POST.get("indicator") or 0).first()
                    if indicator is None:
                        raise DomainError(_("Choose an indicator."), field="indicator")
                    services.set_manual_value(indicator, center, period, request.POST.get("value"), actor=actor)
                    messages.success(request, _("Value saved."))
            except NotFound as exc:
                raise Http404 from exc
            except DomainError as exc:
                error, status = exc.message, _status(exc)
            else:
                url = reverse("monitoring:indicators")
                return redirect(f"{url}?center={center.pk}&period={period.key}")
    values = {}
    if center is not None:
        rows = IndicatorValue.objects.visible_to(user).filter(
            center=center, period_start=period.start, period_end=period.end
        )
        values = {v.indicator_id: v for v in rows.select_related("entered_by")}
    indicators = [(i, values.get(i.pk)) for i in Indicator.objects.filter(is_active=True)]
    context = {
        "centers": centers,
        "center": center,
        "period": period,
        "period_value": period_value or period.key,
        "indicators": indicators,
        "can_edit": can_edit and center is not None,
        "error": error,
        "posted_value": request.POST.get("value", "") if request.method == "POST" else "",
        "posted_indicator": request.POST.get("indicator", "") if request.method == "POST" else "",
    }
    return render(request, "monitoring/indicators.html", context, status=status)
