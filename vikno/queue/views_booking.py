"""Public booking pages (/booking/…): office → queue → day → free time and phone (hold) → name, email and
consents (confirm) → confirmation with the code; the manage page cancels or moves a booking.

Plain HTML forms, no JavaScript needed; errors are shown beside their fields with what was typed kept.
The operations are ``vikno.queue.booking``."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vikno.catalog.models import Service
from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError
from vikno.core.net import client_ip
from vikno.notify.addresses import normalise_phone
from vikno.orgs.models import Office

from . import booking as booking_service
from .models import Booking, Queue

OFFICES_SHOWN = 50
POST_LIMIT = 30  # form submissions per address per window
POST_WINDOW_SECONDS = 600

STATUS_LABELS = {
    Booking.Status.HELD: _("Time held, not confirmed yet"),
    Booking.Status.CONFIRMED: _("Confirmed"),
    Booking.Status.CANCELLED: _("Cancelled"),
    Booking.Status.CHECKED_IN: _("Checked in"),
    Booking.Status.NO_SHOW: _("Missed"),
    Booking.Status.EXPIRED: _("Hold expired"),
}


class SlotField(forms.ChoiceField):
    """A time from the list; a time taken meanwhile is refused by the service with a clear message."""

    widget = forms.RadioSelect

    def valid_value(self, value) -> bool:
        return True

    def clean(self, value):
        value = super().clean(value)
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose a time from the list.")) from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class HoldForm(forms.Form):
    starts_at = SlotField(label=_("Free time"), error_messages={"required": _("Choose a time from the list.")})
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("For example 050 123 45 67. We send the booking code to it."),
        error_messages={"required": _("Enter your mobile phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = [
            (slot.starts_at.isoformat(), timezone.localtime(slot.starts_at).strftime("%H:%M")) for slot in slots
        ]


class DetailsForm(forms.Form):
    full_name = forms.CharField(
        label=_("Surname and name"),
        max_length=300,
        error_messages={"required": _("Enter your surname and name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Email (optional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    sms_allowed = forms.BooleanField(label=_("Send me the code and a reminder by SMS"), required=False, initial=True)
    email_allowed = forms.BooleanField(label=_("Send me the code and a reminder by email"), required=False)
    personal_data_consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data for this booking"), required=False
    )


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), input_formats=["%Y-%m-%d"])


def _add_error(form, error: DomainError) -> None:
    field = {"day": "starts_at"}.get(error.field, error.field)
    form.add_error(field if field and field in form.fields else None, error.message)


def _client_ip(request) -> str:
    return client_ip(request) or ""


def _too_many_posts(request) -> bool:
    return not booking_service.allow_request(
        _client_ip(request), "booking-form", limit=POST_LIMIT, window=POST_WINDOW_SECONDS
    )


HOLDS_KEY = "booking_holds"  # the tokens of the holds this browser session made, newest first
HOLDS_KEPT = 5


def _remember_hold(request, token: str) -> None:
    tokens = [token] + [t for t in request.session.get(HOLDS_KEY, []) if t != token]
    request.session[HOLDS_KEY] = tokens[:HOLDS_KEPT]


def _own_hold(request, phone: str):
    """The live hold of this phone made in this browser session, if any."""
    tokens = request.session.get(HOLDS_KEY, []) if hasattr(request, "session") else []
    try:
        return booking_service.held_by_phone(tokens, normalise_phone(phone))
    except DomainError:
        return None


def _limited(request):
    return render(request, "queue/booking_limited.html", {"minutes": POST_WINDOW_SECONDS // 60}, status=429)


def _no_store(response):
    # The pages carry the booking's secret in the address: never cache them. (The site-wide
    # Referrer-Policy "same-origin" already keeps the address from other sites; "no-referrer" here
    # would make browsers send "Origin: null" with the forms, which the CSRF check refuses.)
    response["Cache-Control"] = "no-store"
    return response


def _bookable_queues(office) -> list[Queue]:
    return [
        q
        for q in Queue.objects.filter(office=office, is_active=True).order_by("position", "name")
        if booking_service.is_bookable(q)
    ]


def _office(office_id: int) -> Office:
    return get_object_or_404(Office.objects.select_related("center"), pk=office_id, is_active=True)


def _chosen_service(request):
    """The service asked for in ``?service=<code>`` (a link from a service card), or None."""
    code = (request.GET.get("service") or "").strip()[:40]
    return Service.objects.filter(code=code, is_active=True).first() if code else None


def _service_query(service) -> str:
    return f"service={quote(service.code)}" if service is not None else ""


def offices(request):
    """Step 1: choose an office (searchable by name, center or address). ``?center=<slug>`` and
    ``?service=<code>`` (from a service card) keep to that center and to offices that book that service."""
    q = (request.GET.get("q") or "").strip()[:100]
    service = _chosen_service(request)
    center_slug = (request.GET.get("center") or "").strip()[:100]
    found = Office.objects.filter(is_active=True, center__is_active=True)
    if service is not None:
        found = found.filter(pk__in=Queue.objects.filter(booking_service.books_service(service)).values("office_id"))
    else:
        found = found.filter(queues__is_active=True, queues__bookable_workplaces__gt=0)
    found = found.select_related("center").distinct().order_by("center__name", "kind", "name")
    if center_slug:
        found = found.filter(center__slug=center_slug)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(center__name__icontains=q) | Q(address__icontains=q))
    rows = list(found[: OFFICES_SHOWN + 1])
    context = {
        "offices": rows[:OFFICES_SHOWN],
        "more": len(rows) > OFFICES_SHOWN,
        "q": q,
        "service": service,
        "center_slug": center_slug,
        "service_query": _service_query(service),
    }
    return render(request, "queue/booking_offices.html", context)


def queues(request, office_id: int):
    """Step 2: choose the queue (the kind of service); with ``?service=`` only the queues that book it."""
    office = _office(office_id)
    service = _chosen_service(request)
    shown = _bookable_queues(office)
    if service is not None:
        serving = set(
            Queue.objects.filter(booking_service.books_service(service), office=office).values_list("pk", flat=True)
        )
        shown = [queue for queue in shown if queue.pk in serving] or shown
    context = {"office": office, "queues": shown, "service": service, "service_query": _service_query(service)}
    return render(request, "queue/booking_queues.html", context)


def _days(office, now) -> list[dict]:
    first, last = booking_service.booking_window(now)
    hours = booking_service.hours_by_day(office, first, last)
    return [{"day": day, "hours": intervals} for day, intervals in hours.items() if intervals]


def _chosen_day(request, office, now) -> tuple[date | None, str]:
    """The day asked for in ``?day=``, and the message when it cannot be booked."""
    if "day" not in request.GET:
        return None, ""
    form = DayForm(request.GET)
    if not form.is_valid():
        return None, str(_("Enter the date as YYYY-MM-DD or choose a day from the list."))
    day = form.cleaned_data["day"]
    try:
        booking_service.check_day(office, day, now=now)
    except DomainError as error:
        return None, error.message
    return day, ""


def slots(request, office_id: int, queue_id: int):
    """Steps 3–4: choose a day, then a free time; the phone number holds it."""
    office = _office(office_id)
    queue = get_object_or_404(Queue, pk=queue_id, office=office, is_active=True)
    if not booking_service.is_bookable(queue):
        raise Http404
    now = timezone.now()
    service = _chosen_service(request)
    if service is not None and not queue.services.filter(pk=service.pk).exists():
        service = None
    day, day_error = _chosen_day(request, office, now)
    free = booking_service.free_slots(office, queue, day, now=now) if day else []
    form = HoldForm(slots=free)
    held_before = None
    status = 200 if not day_error else 400
    if request.method == "POST":
        if _too_many_posts(request):
            return _limited(request)
        form = HoldForm(request.POST, slots=free)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            # "Release it and hold this time": only a hold this browser session made is given up.
            own = _own_hold(request, phone) if request.POST.get("replace") == "1" else None
            try:
                booking_service.check_human(request.POST.get("stamp", ""), request.POST.get("website", ""))
                held = booking_service.hold(
                    queue,
                    form.cleaned_data["starts_at"],
                    phone=phone,
                    service=service,
                    client_ip=_client_ip(request) or None,
                    release_token=own.manage_token if own else None,
                    actor=actor_from_request(request),
                )
            except DomainError as error:
                _add_error(form, error)
                if error.code == "hold_exists":
                    held_before = _own_hold(request, phone)
            else:
                _remember_hold(request, held.manage_token)
                return redirect("booking:details", token=held.manage_token)
        status = 400
    context = {
        "office": office,
        "queue": queue,
        "days": _days(office, now),
        "day": day,
        "day_error": day_error,
        "slots": free,
        "form": form,
        "stamp": booking_service.form_stamp(),
        "booking_days": settings.QUEUE_BOOKING_DAYS,
        "hold_minutes": settings.QUEUE_HOLD_MINUTES,
        "held_before": held_before,
        "service": service,
        "service_query": _service_query(service),
    }
    return _no_store(render(request, "queue/booking_slots.html", context, status=status))


def details(request, token: str):
    """Step 5: name, email and consents; confirming makes the booking."""
    try:
        held = booking_service.by_token(token)
    except DomainError:
        raise Http404 from None
    if held.status in (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW):
        return redirect("booking:done", token=token)
    expired = held.status != Booking.Status.HELD or (held.hold_expires_at and held.hold_expires_at <= timezone.now())
    form = DetailsForm()
    status = 200
    if request.method == "POST" and not expired:
        if _too_many_posts(request):
            return _limited(request)
        if request.POST.get("action") == "release":
            with contextlib.suppress(DomainError):  # already expired or cancelled: nothing to release
                booking_service.cancel(token, actor=actor_from_request(request))
            return redirect("booking:slots", office_id=held.office_id, queue_id=held.queue_id)
        form = DetailsForm(request.POST)
        if form.is_valid():
            try:
                booking_service.check_human(request.POST.get("stamp", ""), request.POST.get("website", ""))
                booking_service.confirm(held, **form.cleaned_data, actor=actor_from_request(request))
            except DomainError as error:
                _add_error(form, error)
                if error.code == "hold_expired":
                    expired = True
            else:
                return redirect("booking:done", token=token)
        status = 400
    context = {
        "booking": held,
        "form": form,
        "expired": expired,
        "cancelled": held.status == Booking.Status.CANCELLED,
        "stamp": booking_service.form_stamp(),
        "slots_url": reverse("booking:slots", args=[held.office_id, held.queue_id]),
    }
    return _no_store(render(request, "queue/booking_details.html", context, status=status))


def done(request, token: str):
    """Step 6: the confirmation with the code and the manage link."""
    try:
        made = booking_service.by_token(token)
    except DomainError:
        raise Http404 from None
    if made.status == Booking.Status.HELD:
        return redirect("booking:details", token=token)
    context = {
        "booking": made,
        "manage_url": booking_service.manage_url(made),
        "status_label": STATUS_LABELS.get(made.status),
        "early": settings.QUEUE_CHECKIN_EARLY_MINUTES,
        "late": settings.QUEUE_CHECKIN_LATE_MINUTES,
    }
    return _no_store(render(request, "queue/booking_done.html", context))


def manage(request, token: str):
    """Cancel or move a booking, by the secret link from the SMS or email."""
    try:
        made = booking_service.by_token(token)
    except DomainError:
        raise Http404 from None
    now = timezone.now()
    changeable = made.status == Booking.Status.CONFIRMED and made.starts_at > now
    day, day_error = _chosen_day(request, made.office, now) if changeable else (None, "")
    free = booking_service.free_slots(made.office, made.queue, day, now=now) if day else []
    free = [slot for slot in free if slot.starts_at != made.starts_at]
    form = HoldForm(slots=free)
    form.fields.pop("phone")
    status = 200 if not day_error else 400
    notice = ""
    confirm_cancel = False
    if request.method == "POST":
        if _too_many_posts(request):
            return _limited(request)
        action = request.POST.get("action")
        actor = actor_from_request(request)
        if action == "cancel":  # the first press only asks to confirm (no script needed)
            confirm_cancel = True
        elif action == "cancel_confirmed":
            try:
                booking_service.cancel(token, actor=actor)
            except DomainError as error:
                notice = error.message
                status = error.status if 400 <= error.status < 500 else 400
            else:
                return redirect("booking:manage", token=token)
        elif action == "reschedule":
            form = HoldForm(request.POST, slots=free)
            form.fields.pop("phone")
            if form.is_valid():
                try:
                    booking_service.reschedule(token, form.cleaned_data["starts_at"], actor=actor)
                except DomainError as error:
                    _add_error(form, error)
                else:
                    return redirect("booking:done", token=token)
            status = 400
    made.refresh_from_db()
    context = {
        "booking": made,
        "status_label": STATUS_LABELS.get(made.status),
        "changeable": made.status == Booking.Status.CONFIRMED and made.starts_at > now,
        "days": _days(made.office, now) if changeable else [],
        "day": day,
        "day_error": day_error,
        "slots": free,
        "form": form,
        "notice": notice,
        "confirm_cancel": confirm_cancel and changeable,
    }
    return _no_store(render(request, "queue/booking_manage.html", context, status=status))
