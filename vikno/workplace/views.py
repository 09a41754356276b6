"""The staff start page (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vikno.cases import services as cases
from vikno.cases.forms import ConsultationForm
from vikno.cases.models import Status
from vikno.cases.workflow import FRONT_ROLES
from vikno.core.scoping import Role
from vikno.core.staff import staff_required
from vikno.queue import services as queue
from vikno.queue.models import OperatorSession

REGION_ROLES = (Role.OBLAST_MONITOR, Role.SYSADMIN)
CENTERS_SHOWN = 15
INBOX = "cases:inbox"


@dataclass(frozen=True)
class Counter:
    """One count with the list that holds it; ``alert`` marks a count that needs action when above 0."""

    count: int
    label: str
    url: str
    alert: bool = False


def _link(name: str, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def _terms(counts: dict, *, head: bool) -> list[Counter]:
    rows = [
        Counter(counts["due_today"], _("Due today"), _link("cases:list", tab="today")),
        Counter(counts["due_soon"], _("Due within 2 working days"), _link("cases:list", tab="soon")),
        Counter(counts["overdue"], _("Overdue"), _link("cases:list", tab="overdue"), alert=True),
    ]
    if head:
        rows.append(
            Counter(
                counts["escalated"],
                _("Overdue and escalated to the center head"),
                _link("cases:list", tab="overdue"),
                alert=True,
            )
        )
    return rows


def _to_hand_out(counts: dict) -> list[Counter]:
    """Results and refusals waiting at the desk, and those of them not collected in time."""
    waiting = [Status.RESULT_READY, Status.REFUSED]
    days = settings.UNCOLLECTED_REMINDER_DAYS
    late = ngettext("Not collected for %(days)s day or more", "Not collected for %(days)s days or more", days)
    return [
        Counter(counts["to_hand_out"], _("Results and refusals to hand out"), _link(INBOX, status=waiting)),
        Counter(counts["uncollected"], late % {"days": days}, _link(INBOX, uncollected=1), alert=True),
    ]


def _front_desk(counts: dict) -> list[Counter]:
    return [
        Counter(
            counts["online_to_accept"],
            _("Online applications to accept"),
            _link(INBOX, status=Status.SUBMITTED_ONLINE),
        ),
        Counter(counts["to_send"], _("Registered, not yet sent to the provider"), _link(INBOX, status=Status.ACCEPTED)),
        Counter(
            counts["clarification"],
            _("Waiting for the applicant's clarification"),
            _link(INBOX, status=Status.NEEDS_CLARIFICATION),
        ),
        *_to_hand_out(counts),
    ]


def _provider_inbox(counts: dict) -> list[Counter]:
    return [
        Counter(
            counts["with_provider"], _("Sent to us, to take into work"), _link(INBOX, status=Status.SENT_TO_PROVIDER)
        ),
        Counter(counts["in_progress"], _("In work"), _link(INBOX, status=Status.IN_PROGRESS)),
        Counter(
            counts["clarification"],
            _("Waiting for the applicant's clarification"),
            _link(INBOX, status=Status.NEEDS_CLARIFICATION),
        ),
    ]


def _queue_state(user) -> dict:
    """The user's open window, if any, and the visitors waiting in each of the user's offices."""
    session = (
        OperatorSession.objects.filter(user=user, closed_at__isnull=True).select_related("workplace__office").first()
    )
    offices = list(cases.front_offices(user).order_by("name"))
    waiting = queue.waiting_by_office([office.pk for office in offices])
    return {
        "session": session,
        "offices": [(office, waiting.get(office.pk, 0)) for office in offices],
    }


@staff_required()
def home(request):
    user = request.user
    now = timezone.now()
    counts = cases.workload(user, now)
    context = {"counts": counts, "roles": Role, "groups": []}
    if user.role in FRONT_ROLES:
        context["groups"] = [
            (_("At the front desk"), _front_desk(counts)),
            (_("Legal terms"), _terms(counts, head=user.role == Role.CENTER_HEAD)),
        ]
        context["queue"] = _queue_state(user)
        context["front"] = True
        if context["queue"]["offices"]:  # a consultation is recorded at one of the user's offices
            context["consultation_form"] = ConsultationForm.for_page(request)
    elif user.role == Role.OFFICER:
        context["groups"] = [
            (_("Inbox of the service provider"), _provider_inbox(counts)),
            (_("Legal terms"), _terms(counts, head=False)),
        ]
    else:
        context["groups"] = [
            (_("Legal terms"), _terms(counts, head=True)),
            (_("At the front desks"), _to_hand_out(counts)),
        ]
    if user.role in REGION_ROLES:
        context["centers"] = cases.workload_by_center(user, now)[:CENTERS_SHOWN]
    return render(request, "workplace/home.html", context)
