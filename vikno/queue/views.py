"""Queue screens: the kiosk, the ticket and «my ticket» pages, the display board with its event stream and
polling fallback, and the operator console. Thin: the operations are ``vikno.queue.services``, the live
part is ``vikno.queue.live``."""

from __future__ import annotations

import segno
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError
from vikno.core.staff import staff_required
from vikno.orgs.models import Office

from . import live, services
from .models import OperatorSession, PriorityCategory, Queue, Ticket, Workplace

ACTIVE = (Ticket.Status.CALLED, Ticket.Status.SERVING)

# The models carry Ukrainian labels; the screens show these, translated into the visitor's language.
PRIORITY_LABELS = [
    ("", gettext_lazy("No priority")),
    (PriorityCategory.DISABILITY, gettext_lazy("Person with a disability")),
    (PriorityCategory.VETERAN, gettext_lazy("Veteran or defender")),
    (PriorityCategory.PREGNANT, gettext_lazy("Pregnant woman")),
    (PriorityCategory.INFANT, gettext_lazy("Parent with a child under 3")),
]
STATUS_LABELS = {
    Ticket.Status.WAITING: gettext_lazy("Waiting in line"),
    Ticket.Status.CALLED: gettext_lazy("Called"),
    Ticket.Status.SERVING: gettext_lazy("Being served"),
    Ticket.Status.DONE: gettext_lazy("Served"),
    Ticket.Status.NO_SHOW: gettext_lazy("Did not come"),
    Ticket.Status.PARKED: gettext_lazy("Set aside"),
    Ticket.Status.CANCELLED: gettext_lazy("Cancelled"),
}


def _office(office_id: int) -> Office:
    return get_object_or_404(Office, pk=office_id, is_active=True)


def _queues(office) -> list[Queue]:
    return list(Queue.objects.filter(office=office, is_active=True).order_by("position", "name"))


def _ticket_by_token(token: str) -> Ticket:
    return get_object_or_404(Ticket.objects.select_related("queue", "office", "workplace"), token=token)


def _position(ticket: Ticket) -> tuple[int, int] | None:
    if ticket.status != Ticket.Status.WAITING:
        return None
    return services.position_of(ticket)


def _high_contrast(request) -> bool:
    return request.GET.get("contrast", request.POST.get("contrast", "")) == "high"


# --- Kiosk ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def kiosk(request, office_id: int):
    """Choose a queue (and, optionally, a priority category) and take a ticket. A plain form: works without JS."""
    office = _office(office_id)
    queues = _queues(office)
    error = None
    priority = request.POST.get("priority", "")
    if request.method == "POST":
        queue = next((q for q in queues if str(q.pk) == request.POST.get("queue", "")), None)
        if priority not in PriorityCategory.values:
            error = _("Choose a priority category from the list.")
        elif queue is None:
            error = _("Choose a queue.")
        else:
            try:
                ticket = services.issue_ticket(
                    queue,
                    source=Ticket.Source.KIOSK,
                    priority=priority,
                    language=get_language() or "uk",
                    actor=actor_from_request(request),
                )
            except DomainError as exc:
                error = exc.message
            else:
                url = reverse("queue:ticket", args=[ticket.token])
                return redirect(url + ("?contrast=high" if _high_contrast(request) else ""))
    return _kiosk_page(request, office, queues, priority=priority, error=error)


def _kiosk_page(request, office, queues, *, priority="", error=None, checkin_error=None, code=""):
    return render(
        request,
        "queue/kiosk.html",
        {
            "office": office,
            "checkin_error": checkin_error,
            "code": code,
            "queues": queues,
            "priorities": PRIORITY_LABELS,
            "priority": priority,
            "error": error,
            "is_open": services.is_open(office),
            "high_contrast": _high_contrast(request),
        },
        status=400 if (error or checkin_error) else 200,
    )


@require_http_methods(["POST"])
def kiosk_checkin(request, office_id: int):
    """A booked visitor types the code from the SMS or email and gets a ticket placed at the booked time."""
    from .booking import check_in

    office = _office(office_id)
    code = request.POST.get("code", "")
    try:
        ticket = check_in(office, code, actor=actor_from_request(request))
    except DomainError as exc:
        return _kiosk_page(request, office, _queues(office), checkin_error=exc.message, code=code)
    url = reverse("queue:ticket", args=[ticket.token])
    return redirect(url + ("?contrast=high" if _high_contrast(request) else ""))


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=False)


@require_GET
def ticket(request, token: str):
    """The printable ticket shown right after it is taken: number, queue, time, people ahead, wait, QR code."""
    t = _ticket_by_token(token)
    my_url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("queue:my-ticket", args=[t.token])
    return render(
        request,
        "queue/ticket.html",
        {
            "ticket": t,
            "priority_label": dict(PRIORITY_LABELS).get(t.priority, ""),
            "position": _position(t),
            "my_url": my_url,
            "qr_svg": _qr_svg(my_url),
            "high_contrast": _high_contrast(request),
        },
    )


def _ticket_status(t: Ticket) -> dict:
    position = _position(t)
    return {
        "ticket": t.code,
        "status": t.status,
        "status_label": str(STATUS_LABELS.get(t.status, t.status)),
        "queue": t.queue.name,
        "people_ahead": position[0] if position else None,
        "wait_minutes": position[1] if position else None,
        "workplace": t.workplace.name if t.workplace and t.status in ACTIVE else "",
    }


@require_GET
def my_ticket(request, token: str):
    """The public «my ticket» page (QR code on the ticket): the live position; a Refresh link without JS."""
    t = _ticket_by_token(token)
    return render(request, "queue/my_ticket.html", {"ticket": t, "status": _ticket_status(t)})


@require_GET
def my_ticket_status(request, token: str):
    return JsonResponse(_ticket_status(_ticket_by_token(token)), headers={"Cache-Control": "no-store"})


# --- Display board -------------------------------------------------------------------------------


@require_GET
def display(request, office_id: int):
    office = _office(office_id)
    return render(request, "queue/display.html", {"office": office, "state": live.board_state(office.pk)})


@require_GET
def display_state(request, office_id: int):
    """Polling fallback of the display, the console and «my ticket»: the board state as JSON."""
    office = _office(office_id)
    return JsonResponse(live.board_state(office.pk), headers={"Cache-Control": "no-store"})


async def display_events(request, office_id: int):
    """Server-Sent Events of an office. Under ASGI the stream is async (one LISTEN connection per client on
    the event loop); under WSGI a synchronous stream holds the worker thread (see ``vikno.queue.live``)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    office = await sync_to_async(_office)(office_id)
    last_event_id = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or None
    if isinstance(request, ASGIRequest):
        content = live.stream(office.pk, last_event_id)
    else:
        content = live.stream_sync(office.pk, last_event_id)
    return StreamingHttpResponse(
        content,
        content_type="text/event-stream; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


# --- Operator console ----------------------------------------------------------------------------


@staff_required()
def console_home(request):
    """Pick a workplace; an operator with an open session goes straight to it."""
    session = OperatorSession.objects.filter(user=request.user, closed_at__isnull=True).first()
    if session is not None and Workplace.objects.visible_to(request.user).filter(pk=session.workplace_id).exists():
        return redirect("queue:console", workplace_id=session.workplace_id)
    workplaces = (
        Workplace.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("office")
        .order_by("office__name", "name")
    )
    return render(request, "queue/console_home.html", {"workplaces": workplaces})


def _workplace(request, workplace_id: int, *, closing: bool = False) -> Workplace:
    """The window, active — or switched off while a work session is still open there: its operator (or a
    supervisor) must be able to finish with the visitor and close that session (a 404 would trap them).
    ``closing``: a close request, answered even after the session is gone (a stale page)."""
    found = get_object_or_404(Workplace.objects.visible_to(request.user).select_related("office"), pk=workplace_id)
    if not (found.is_active or closing) and services.current_session(found) is None:
        raise Http404
    return found


def _current_ticket(workplace: Workplace) -> Ticket | None:
    return (
        Ticket.objects.filter(workplace=workplace, status__in=ACTIVE, day=timezone.localdate())
        .select_related("queue", "service")
        .order_by("-called_at")
        .first()
    )


def _case_link(t: Ticket | None) -> str:
    if t is None:
        return ""
    url = reverse("cases:intake")
    service = t.service.code if t.service_id else ""
    if not service:
        first = t.queue.services.order_by("code").values_list("code", flat=True).first()
        service = first or ""
    query = f"?ticket={t.pk}" if not service else f"?service={service}&ticket={t.pk}"
    return url + query


@staff_required()
def console(request, workplace_id: int):
    workplace = _workplace(request, workplace_id)
    session = OperatorSession.objects.filter(workplace=workplace, closed_at__isnull=True).select_related("user").first()
    current = _current_ticket(workplace)
    office_queues = _queues(workplace.office)
    profile_ids = list(workplace.profile.values_list("queue_id", flat=True))
    parked = (
        Ticket.objects.filter(office=workplace.office, status=Ticket.Status.PARKED, day=timezone.localdate())
        .filter(workplace=workplace)
        .select_related("queue")
        .order_by("order_at")
    )
    state = live.board_state(workplace.office_id)
    counts = {q["id"]: q["waiting"] for q in state["queues"]}
    return render(
        request,
        "queue/console.html",
        {
            "workplace": workplace,
            "session": session,
            "mine": session is not None and session.user_id == request.user.pk,
            "inactive": not workplace.is_active,
            "supervisor": request.user.role in services.SUPERVISORS,
            "current": current,
            "case_link": _case_link(current),
            "profile_queues": [
                {"queue": q, "waiting": counts.get(q.pk, 0)} for q in office_queues if q.pk in profile_ids
            ],
            "office_queues": office_queues,
            "other_workplaces": Workplace.objects.filter(office=workplace.office, is_active=True).exclude(
                pk=workplace.pk
            ),
            "parked": parked,
            "priorities": PRIORITY_LABELS,
        },
    )


TICKET_ACTIONS = {"recall", "no_show", "start", "finish", "park", "transfer"}
# At a window switched off with a session still open: only what lets the operator leave it.
INACTIVE_ACTIONS = TICKET_ACTIONS | {"close"}


class Info(str):
    """A console message that reports no change (shown as information, not as a success)."""


def _posted_id(request, name: str) -> int | None:
    """A posted id, or None when it is missing or not a number (a 500 otherwise, from the database)."""
    value = request.POST.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _ticket_at(request, workplace: Workplace, statuses) -> Ticket:
    """The posted ticket, at this window: a console acts only on its own visitor (a page left open after
    the ticket went to another window must not finish that window's visit)."""
    pk = _posted_id(request, "ticket")
    if pk is None:
        raise DomainError(_("The ticket is not given."), code="ticket_required", field="ticket")
    found = (
        Ticket.objects.visible_to(request.user)
        .filter(pk=pk, office=workplace.office, workplace=workplace, status__in=statuses)
        .first()
    )
    if found is None:
        raise DomainError(
            _("This ticket is no longer in the right state: refresh the page."), code="ticket_state", field="ticket"
        )
    return found


def _run_action(request, workplace: Workplace, action: str) -> str | None:
    """Carry out one console button; returns the message to show on success."""
    actor = actor_from_request(request)
    if action == "open":
        services.open_session(workplace, actor=actor)
        return _("Session opened.")
    if not workplace.is_active and action not in INACTIVE_ACTIONS:
        raise DomainError(
            _("The window «%(window)s» is switched off in the settings: only closing the session is possible.")
            % {"window": workplace.name},
            code="workplace_inactive",
        )
    if action == "close":
        if services.close_session(workplace, actor=actor) is None:
            return Info(_("The session was already closed."))
        return _("Session closed.")
    if action == "call":
        called = services.call_next(workplace, actor=actor)
        if called is None:
            return Info(_("Nobody is waiting."))
        return _("Called %(ticket)s.") % {"ticket": called.code}
    if action == "issue":
        queue_id = _posted_id(request, "queue")
        queue = Queue.objects.filter(office=workplace.office, is_active=True, pk=queue_id).first() if queue_id else None
        if queue is None:
            raise DomainError(_("Choose a queue."), code="queue_required", field="queue")
        priority = request.POST.get("priority", "")
        if priority not in PriorityCategory.values:
            raise DomainError(
                pgettext("queue console", "Choose a priority category from the list."),
                code="priority_invalid",
                field="priority",
            )
        issued = services.issue_ticket(queue, source=Ticket.Source.STAFF, priority=priority, actor=actor)
        return _("Issued ticket %(ticket)s.") % {"ticket": issued.code}
    if action == "return":
        t = _ticket_at(request, workplace, [Ticket.Status.PARKED])
        services.return_parked(t, actor=actor)
        return _("%(ticket)s is back in the queue.") % {"ticket": t.code}
    if action not in TICKET_ACTIONS:
        raise DomainError(_("Unknown action."), code="unknown_action")
    t = _ticket_at(request, workplace, ACTIVE)
    if action == "recall":
        services.recall(t, actor=actor)
        return _("Called %(ticket)s again.") % {"ticket": t.code}
    if action == "no_show":
        services.mark_no_show(t, actor=actor)
        return _("%(ticket)s did not come.") % {"ticket": t.code}
    if action == "start":
        services.start_service(t, actor=actor)
        return _("Serving %(ticket)s.") % {"ticket": t.code}
    if action == "finish":
        services.finish_service(t, actor=actor)
        return _("%(ticket)s is done.") % {"ticket": t.code}
    if action == "park":
        services.park(t, actor=actor)
        return _("%(ticket)s is parked.") % {"ticket": t.code}
    if action == "transfer":
        target = request.POST.get("target", "")
        kind, _sep, pk = target.partition(":")
        to_queue = (
            Queue.objects.filter(office=workplace.office, pk=pk).first() if kind == "queue" and pk.isdigit() else None
        )
        to_workplace = (
            Workplace.objects.filter(office=workplace.office, pk=pk).first()
            if kind == "workplace" and pk.isdigit()
            else None
        )
        if to_queue is None and to_workplace is None:
            raise DomainError(
                _("Choose the queue or the window to transfer the ticket to."), code="transfer_target", field="target"
            )
        services.transfer(t, to_queue=to_queue, to_workplace=to_workplace, actor=actor)
        return _("%(ticket)s is transferred.") % {"ticket": t.code}
    raise DomainError(_("Unknown action."), code="unknown_action")


@staff_required()
@require_POST
def console_action(request, workplace_id: int):
    action = request.POST.get("action", "")
    workplace = _workplace(request, workplace_id, closing=action == "close")
    try:
        with transaction.atomic():
            done = _run_action(request, workplace, action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if isinstance(done, Info):
            messages.info(request, done)
        elif done:
            messages.success(request, done)
    if not workplace.is_active and services.current_session(workplace) is None:
        return redirect("queue:console-home")  # the switched-off window has no console once its session is closed
    return redirect("queue:console", workplace_id=workplace.pk)
