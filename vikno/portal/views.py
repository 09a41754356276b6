"""Public pages for citizens and business.

The status page answers a case number with its access code (typed in, or from the receipt's QR code).
A wrong code and an unknown number get the same neutral answer, compared in constant time, so the page
does not tell whether a number exists; and each IP address has a small budget of failed tries.
"""

from __future__ import annotations

import hmac

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vikno.cases.deadlines import is_overdue
from vikno.cases.models import Case, CaseEvent, Status
from vikno.cases.pdf import collection_point
from vikno.cases.portal_uploads import documents_sent
from vikno.core import ratelimit
from vikno.core.net import client_ip

STATUS_TRIES = getattr(settings, "STATUS_LOOKUP_TRIES", 10)
STATUS_WINDOW_SECONDS = getattr(settings, "STATUS_LOOKUP_WINDOW_SECONDS", 600)
_DUMMY_CODE = "0" * 12


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_("Application number"),
        max_length=32,
        help_text=_("As printed on your receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Access code"),
        max_length=12,
        help_text=_("The secret code from the receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _client_ip(request) -> str:
    return client_ip(request) or "unknown"


def _tries_key(request) -> str:
    return f"portal:status-fails:{_client_ip(request)}"


def _too_many(request) -> bool:
    return ratelimit.count(_tries_key(request)) >= STATUS_TRIES


def _count_failure(request) -> None:
    ratelimit.hit(_tries_key(request), STATUS_WINDOW_SECONDS)


def _find(number: str, code: str) -> Case | None:
    """The case when both match; the code is compared in constant time even for an unknown number."""
    case = (
        Case.objects.select_related("service_version", "current_office", "center").filter(number=number.strip()).first()
    )
    expected = case.access_code if case is not None else _DUMMY_CODE
    matches = hmac.compare_digest(expected.strip().upper().encode(), code.strip().upper().encode())
    return case if case is not None and matches else None


def _status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return ""


def status(request):
    """Public status of a case: GET with ``number`` and ``code`` (the QR link) or the empty form."""
    asked = "number" in request.GET or "code" in request.GET
    form = StatusForm(request.GET if asked else None)
    context = {"form": form, "case": None, "not_found": False}
    if not asked:
        return render(request, "portal/status.html", context)
    if _too_many(request):
        return render(request, "portal/status_limited.html", {"minutes": STATUS_WINDOW_SECONDS // 60}, status=429)
    if not form.is_valid():
        return render(request, "portal/status.html", context, status=400)
    case = _find(form.cleaned_data["number"], form.cleaned_data["code"])
    if case is None:
        _count_failure(request)
        context["not_found"] = True
        return render(request, "portal/status.html", context, status=404)
    events = [
        {"at": event.at, "status": _status_label(event.to_status), "comment": event.comment}
        for event in CaseEvent.objects.filter(case=case, visible_to_applicant=True).exclude(to_status="")
    ]
    # What the applicant sent from this page shows in the history too, so they see it arrived.
    received = documents_sent(case)
    events += [{"at": sent["at"], "status": _("Document received: %(name)s") % sent} for sent in received]
    events.sort(key=lambda event: event["at"])
    clarification, sent_for_request = "", []
    if case.status == Status.NEEDS_CLARIFICATION:
        last = (
            CaseEvent.objects.filter(case=case, to_status=Status.NEEDS_CLARIFICATION, visible_to_applicant=True)
            .order_by("-at", "-id")
            .first()
        )
        clarification = last.comment if last else ""
        sent_for_request = [sent for sent in received if last is None or sent["at"] >= last.at]
    collection = collection_point(case.current_office)
    context.update(
        {
            "case": case,
            "events": events,
            "clarification": clarification,
            "sent_for_request": sent_for_request,
            "collection": collection,
            "ready": case.status in (Status.RESULT_READY, Status.REFUSED),
            "overdue": is_overdue(case, timezone.now()),
            "center_phone": case.center.phone or collection.phone,
        }
    )
    response = render(request, "portal/status.html", context)
    response["Cache-Control"] = "no-store"
    # Not "no-referrer": browsers then send "Origin: null" and the upload form's CSRF check fails.
    response["Referrer-Policy"] = "same-origin"
    return response
