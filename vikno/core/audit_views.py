"""Staff page of the audit log: center heads, oblast monitors and system administrators read the
events of their scope, filtered by object, actor and dates, newest first."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import audit
from .errors import DomainError
from .staff import staff_required

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    object_type = forms.CharField(
        label=_("Object type"), required=False, max_length=80, help_text=_("For example: accounts.user")
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Who (login)"), required=False, max_length=200)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


@staff_required(*audit.AUDIT_READERS)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    page, error = None, None
    if form.is_bound and not form.is_valid():
        events = None
    else:
        filters = form.cleaned_data if form.is_bound else {}
        events = audit.search(request.user, **filters)
        try:
            page = audit.newest_first(events, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
        except DomainError as exc:
            error = exc.message
    if page is not None:
        for event in page.items:
            event.label = audit.action_label(event.action)
    next_query = None
    if page is not None and page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_query = query.urlencode()
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "error": error, "next_query": next_query},
    )
