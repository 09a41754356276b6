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
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(
        label=_("Object: case number or id"),
        required=False,
        max_length=64,
        help_text=_("For example: 1-26-000101"),
    )
    actor = forms.CharField(label=_("Who (login)"), required=False, max_length=200)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Human names in the reader's language, built per request (the language is known only now).
        self.fields["object_type"].choices = [("", _("Any")), *audit.object_type_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def _describe(user, events) -> None:
    """Give each event what the page shows instead of codes: the action and the object type by name,
    the actor's full name, the chain's owner, and the page of the object when ``user`` may open it."""
    names = audit.actor_names(events)
    links = audit.object_links(user, events)
    chains = audit.chain_names(events)
    for event in events:
        event.label = audit.action_label(event.action)
        event.type_label = audit.object_type_label(event.object_type)
        event.actor_name = names.get(event.actor_id) or _actor_word(event.actor_label)
        event.url = links.get((event.object_type, event.object_id), "")
        event.chain_name = chains.get(event.chain, event.chain)


def _actor_word(label: str) -> str:
    """What stands for a machine actor: «system» (background work) in the reader's language."""
    return str(_("System")) if label == "system" else label


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
        _describe(request.user, page.items)
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
