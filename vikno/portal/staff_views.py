"""Staff pages of the portal: the queue of questions to answer and the complaints to the center head."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError
from vikno.core.scoping import Role
from vikno.core.staff import staff_required

from . import services
from .forms_citizen import AnswerForm
from .models import Complaint, Question
from .views_apply import _show_error

QUESTION_ROLES = (Role.ADMINISTRATOR, Role.CENTER_HEAD, Role.SYSADMIN)
COMPLAINT_ROLES = (Role.CENTER_HEAD, Role.SYSADMIN)
PAGE = 100


@staff_required(*QUESTION_ROLES)
def questions(request):
    rows = list(services.question_queue(request.user)[:PAGE])
    return render(request, "portal/staff_questions.html", {"rows": rows})


@staff_required(*QUESTION_ROLES)
def question_detail(request, pk):
    question = get_object_or_404(Question.objects.visible_to(request.user).select_related("service", "center"), pk=pk)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not question.answered_at:
        if form.is_valid():
            try:
                services.answer_question(question, form.cleaned_data["answer"], actor=actor_from_request(request))
            except DomainError as exc:
                _show_error(form, exc)
            else:
                return redirect(reverse("portal_staff:questions"))
        status = 400
    return render(request, "portal/staff_question.html", {"question": question, "form": form}, status=status)


@staff_required(*COMPLAINT_ROLES)
def complaints(request):
    now = timezone.now()
    rows = list(Complaint.objects.visible_to(request.user).select_related("center").order_by("status", "due_at")[:PAGE])
    return render(
        request,
        "portal/staff_complaints.html",
        {"rows": [(row, row.status == Complaint.State.OPEN and row.due_at < now) for row in rows]},
    )


@staff_required(*COMPLAINT_ROLES)
def complaint_detail(request, pk):
    complaint = get_object_or_404(Complaint.objects.visible_to(request.user).select_related("center"), pk=pk)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and complaint.status == Complaint.State.OPEN:
        if form.is_valid():
            try:
                services.answer_complaint(complaint, form.cleaned_data["answer"], actor=actor_from_request(request))
            except DomainError as exc:
                _show_error(form, exc)
            else:
                return redirect(reverse("portal_staff:complaints"))
        status = 400
    overdue = complaint.status == Complaint.State.OPEN and complaint.due_at < timezone.now()
    return render(
        request,
        "portal/staff_complaint.html",
        {"complaint": complaint, "form": form, "overdue": overdue},
        status=status,
    )
