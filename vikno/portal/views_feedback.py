"""E-consultation, complaints and the quality survey: the citizen's side."""

from __future__ import annotations

from django.shortcuts import render

from vikno.core.errors import DomainError

from . import services
from .forms_citizen import ComplaintForm, QuestionForm, SurveyForm
from .views_apply import _show_error, public_center


def _submit(request, form, action, template: str, done_template: str, context: dict):
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = action(form.cleaned_data)
            except DomainError as exc:
                _show_error(form, exc)
            else:
                return render(request, done_template, {**context, "result": result})
        status = 400
    return render(request, template, {**context, "form": form}, status=status)


def ask(request, slug):
    center = public_center(slug)
    form = QuestionForm(request.POST if request.method == "POST" else None, services=services.listed_services(center))
    return _submit(
        request,
        form,
        lambda data: services.ask_question(center, data),
        "portal/question.html",
        "portal/question_done.html",
        {"center": center},
    )


def complaint(request, slug):
    center = public_center(slug)
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    return _submit(
        request,
        form,
        lambda data: services.file_complaint(center, data),
        "portal/complaint.html",
        "portal/complaint_done.html",
        {"center": center},
    )


def survey(request, slug):
    center = public_center(slug)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    return _submit(
        request,
        form,
        lambda data: services.record_survey(center, data),
        "portal/survey.html",
        "portal/survey_done.html",
        {"center": center},
    )
