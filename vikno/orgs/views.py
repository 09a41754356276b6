"""Staff pages of the organisation network. Every object is fetched through ``visible_to``, so one
outside the user's scope answers 404; changes go through ``services``."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError, NotFound
from vikno.core.errors import PermissionDenied as DomainPermissionDenied
from vikno.core.pagination import paginate
from vikno.core.scoping import Role
from vikno.core.staff import staff_required

from . import services
from .forms import WEEKDAYS, ScheduleExceptionForm, WeeklyHoursForm
from .models import Center, Office, Provider, ScheduleException

UPCOMING_DAYS = 60
SCHEDULE_ROLES = (Role.SYSADMIN, Role.CENTER_HEAD, Role.ADMINISTRATOR)


def _refuse(error: DomainError) -> None:
    """A scope refusal answers 404 and a missing right 403; other errors go beside the fields."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, DomainPermissionDenied):
        raise PermissionDenied(error.message)


def _week_rows(office: Office) -> list[tuple[str, list]]:
    week: dict[int, list] = {}
    for row in office.weekly_hours.all():
        week.setdefault(row.weekday, []).append(row)
    return [(WEEKDAYS[d], week.get(d, [])) for d in range(7)]


@staff_required()
def center_list(request):
    centers = Center.objects.visible_to(request.user).select_related("hromada", "region")
    query = request.GET.get("q", "").strip()
    if query:
        centers = centers.filter(name__icontains=query)
    try:
        page = paginate(centers, key=("name", "id"), cursor=request.GET.get("cursor") or None, limit=50)
    except DomainError:
        raise Http404 from None
    return render(request, "orgs/center_list.html", {"page": page, "centers": page.items, "q": query})


@staff_required()
def center_detail(request, pk: int):
    center = get_object_or_404(Center.objects.visible_to(request.user).select_related("hromada", "region"), pk=pk)
    today = timezone.localdate()
    upcoming = ScheduleException.objects.filter(date__gte=today, date__lt=today + timedelta(days=UPCOMING_DAYS))
    offices = (
        Office.objects.visible_to(request.user)
        .filter(center=center)
        .select_related("settlement")
        .prefetch_related("weekly_hours", Prefetch("schedule_exceptions", queryset=upcoming, to_attr="upcoming"))
        .order_by("name")
    )
    by_kind = {kind: [] for kind in Office.Kind.values}
    for office in offices:
        office.week = _week_rows(office)
        office.today = services.opening_hours(office, today)
        by_kind[office.kind].append(office)
    groups = [(label, by_kind[value]) for value, label in Office.Kind.choices if by_kind[value]]
    return render(
        request,
        "orgs/center_detail.html",
        {
            "center": center,
            "groups": groups,
            "can_edit_schedule": request.user.role in SCHEDULE_ROLES,
        },
    )


def _scoped_office(request, pk: int) -> Office:
    return get_object_or_404(Office.objects.visible_to(request.user).select_related("center"), pk=pk)


def _schedule_page(request, office, *, week_form=None, exception_form=None, status=200):
    today = timezone.localdate()
    can_edit_week = request.user.role in services.CENTER_MANAGERS
    if week_form is None and can_edit_week:
        initial, slots = WeeklyHoursForm.initial_from(services.weekly_hours(office))
        week_form = WeeklyHoursForm(initial=initial, slots=slots)
    context = {
        "office": office,
        "center": office.center,
        "week": _week_rows(office),
        "week_form": week_form if can_edit_week else None,
        "exception_form": exception_form or ScheduleExceptionForm(),
        "exceptions": office.schedule_exceptions.filter(date__gte=today).order_by("date")[:50],
    }
    return render(request, "orgs/office_schedule.html", context, status=status)


@staff_required(*SCHEDULE_ROLES)
def office_schedule(request, pk: int):
    office = _scoped_office(request, pk)
    if request.method != "POST":
        return _schedule_page(request, office)
    posted_slots = request.POST.get("slots", "")
    slots = (
        int(posted_slots) if posted_slots.isdigit() else WeeklyHoursForm.initial_from(services.weekly_hours(office))[1]
    )
    form = WeeklyHoursForm(request.POST, slots=min(max(slots, 1), 6))
    if form.is_valid():
        try:
            services.set_weekly_hours(office, form.hours(), actor=actor_from_request(request))
        except DomainError as error:
            _refuse(error)
            form.apply_error(error)
        else:
            messages.success(request, _("The weekly schedule is saved."))
            return redirect("orgs:office-schedule", pk=office.pk)
    return _schedule_page(request, office, week_form=form, status=400)


@require_POST
@staff_required(*SCHEDULE_ROLES)
def office_exception_add(request, pk: int):
    office = _scoped_office(request, pk)
    form = ScheduleExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_schedule_exception(
                office,
                date=data["date"],
                kind=data["kind"],
                opens=data["opens"],
                closes=data["closes"],
                note=data["note"],
                actor=actor_from_request(request),
            )
        except DomainError as error:
            _refuse(error)
            form.apply_error(error)
        else:
            messages.success(request, _("The exception is added."))
            return redirect("orgs:office-schedule", pk=office.pk)
    return _schedule_page(request, office, exception_form=form, status=400)


@require_POST
@staff_required(*SCHEDULE_ROLES)
def office_exception_remove(request, pk: int):
    exception = get_object_or_404(
        ScheduleException.objects.visible_to(request.user).select_related("office__center"), pk=pk
    )
    office = exception.office
    try:
        services.remove_schedule_exception(exception, actor=actor_from_request(request))
    except DomainError as error:
        _refuse(error)
        raise
    messages.success(request, _("The exception is removed."))
    return redirect("orgs:office-schedule", pk=office.pk)


@staff_required()
def provider_list(request):
    providers = Provider.objects.visible_to(request.user).select_related("region")
    try:
        page = paginate(providers, key=("name", "id"), cursor=request.GET.get("cursor") or None, limit=50)
    except DomainError:
        raise Http404 from None
    return render(request, "orgs/provider_list.html", {"page": page, "providers": page.items})


@staff_required()
def provider_detail(request, pk: int):
    provider = get_object_or_404(Provider.objects.visible_to(request.user).select_related("region", "hromada"), pk=pk)
    return render(request, "orgs/provider_detail.html", {"provider": provider})
