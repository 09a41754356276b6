"""Staff pages of the service catalog: the browser, a service's ІК and ТК (on screen, print and PDF),
new versions (system administrators), and the approved lists (переліки) of centers.

Views stay thin: the domain operations live in ``services`` and ranking in ``search``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError
from vikno.core.scoping import Role
from vikno.core.staff import staff_required
from vikno.orgs.models import Center

from . import pdf, search
from . import services as catalog
from .forms import ServiceFilterForm, ServiceListForm, ServiceVersionForm
from .models import OfficeService, Service, ServiceList, ServiceListEntry, ServiceVersion

PAGE_SIZE = 50
SEARCH_LIMIT = 200
LIST_CENTERS_PER_PAGE = 20


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


FIELD_ALIASES = {"service_codes": "services"}


def _add_domain_error(form, error: DomainError) -> None:
    """Show a refusal of the domain layer beside the field it names (or above the form)."""
    field = FIELD_ALIASES.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


# --- Browser -----------------------------------------------------------------------------------------


def _ranked_ids(query: str) -> list[int] | None:
    """Service ids best first, or None while the search module is not there yet."""
    try:
        return [hit.service_id for hit in search.search_services(query, limit=SEARCH_LIMIT)]
    except NotImplementedError:
        return None


@staff_required()
@vary_on_headers("HX-Request")
def service_list(request):
    form = ServiceFilterForm(request.GET)
    services = Service.objects.filter(is_active=True).select_related("sphere", "current_version")
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        if data["sphere"]:
            services = services.filter(sphere=data["sphere"])
        if data["life_situation"]:
            services = services.filter(life_situations=data["life_situation"])
        if data["online"]:
            services = services.filter(current_version__online=True)
        if data["instant"]:
            services = services.filter(current_version__instant=True)
    rows = services.order_by("code")
    if query:
        ranked = _ranked_ids(query)
        if ranked is None:  # fallback until catalog search exists: a plain substring match
            rows = rows.filter(Q(name_uk__icontains=query) | Q(code__icontains=query))
        else:
            order = {service_id: i for i, service_id in enumerate(ranked)}
            rows = sorted(rows.filter(id__in=ranked), key=lambda s: order[s.id])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    htmx = _is_htmx(request)
    context = {"form": form, "page": page, "query": query, "htmx": htmx}
    template = "catalog/_service_results.html" if htmx else "catalog/service_list.html"
    return render(request, template, context)


# --- One service ---------------------------------------------------------------------------------------


def _service_or_404(code: str) -> Service:
    return get_object_or_404(Service.objects.select_related("sphere"), code=code)


def _chosen_version(request, service: Service, on_date) -> ServiceVersion | None:
    """The version asked for by ``?version=N``, else the one in force on ``on_date``."""
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        return get_object_or_404(service.versions.select_related("fee_rule"), number=int(number))
    return catalog.version_in_force(service, on_date)


def _card_context(request, code: str) -> dict:
    service = _service_or_404(code)
    today = timezone.localdate()
    version = _chosen_version(request, service, today)
    context = {
        "service": service,
        "version": version,
        "today": today,
        "life_situations": list(service.life_situations.all()),
        "center_name": str(request.user.center) if getattr(request.user, "center_id", None) else "",
        "documents": [],
        "steps": [],
        "fee": None,
        "offices": OfficeService.objects.visible_to(request.user)
        .filter(service=service)
        .select_related("office")
        .order_by("office__name")[:50],
    }
    if version is not None:
        context["documents"] = list(version.documents.all())
        context["steps"] = list(version.tech_steps.all())
        try:
            context["fee"] = catalog.fee_for(version, today)
        except DomainError as error:  # e.g. no ПМ recorded for this year: show the card anyway
            context["fee_error"] = error.message
        context["info"] = version.info_card or {}
        context["is_current"] = version.valid_from <= today and (version.valid_to is None or version.valid_to >= today)
    return context


def _fee_text(context: dict) -> str:
    """The fee section of the printed ІК: Ukrainian whatever the page's language."""
    with translation.override("uk"):
        return _fee_text_uk(context)


def _fee_error_uk(version, today) -> str:
    """Why the fee cannot be computed, in Ukrainian (the page's ``fee_error`` is in the page's language)."""
    try:
        catalog.fee_for(version, today)
    except DomainError as error:
        return error.message
    return ""


def _fee_text_uk(context: dict) -> str:
    version, fee = context["version"], context["fee"]
    if fee is None:
        parts = [version.get_fee_kind_display(), _fee_error_uk(version, context["today"])]
    else:
        parts = [f"На {context['today']:%d.%m.%Y}: {fee.text_uk}"]
    info_text = (version.info_card or {}).get("fee_text_uk", "")
    budget_code = (fee.budget_code if fee else "") or version.fee_budget_code
    parts += [info_text, f"КБК {budget_code}" if budget_code else ""]
    return "\n".join(p for p in parts if p)


@staff_required()
def service_detail(request, code):
    context = _card_context(request, code)
    context["history"] = context["service"].versions.order_by("-number")
    context["can_edit"] = request.user.role == Role.SYSADMIN
    return render(request, "catalog/service_detail.html", context)


@staff_required()
def service_ik(request, code):
    context = _card_context(request, code)
    if context["version"] is None:
        raise Http404
    return render(request, "catalog/print_ik.html", context)


@staff_required()
def service_tk(request, code):
    context = _card_context(request, code)
    if context["version"] is None:
        raise Http404
    return render(request, "catalog/print_tk.html", context)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@staff_required()
def service_ik_pdf(request, code):
    context = _card_context(request, code)
    version = context["version"]
    if version is None:
        raise Http404
    content = pdf.information_card_pdf(
        version,
        center_name=context["center_name"],
        on_date=context["today"],
        fee_text=_fee_text(context),
        life_situations=context["life_situations"],
    )
    return _pdf_response(content, f"ik-{version.service.code}-v{version.number}.pdf")


@staff_required()
def service_tk_pdf(request, code):
    context = _card_context(request, code)
    version = context["version"]
    if version is None:
        raise Http404
    content = pdf.tech_card_pdf(version, center_name=context["center_name"], on_date=context["today"])
    return _pdf_response(content, f"tk-{version.service.code}-v{version.number}.pdf")


@staff_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def service_edit(request, code):
    service = _service_or_404(code)
    base = catalog.version_in_force(service, timezone.localdate()) or service.versions.order_by("-number").first()
    if request.method == "POST":
        form = ServiceVersionForm(request.POST)
        if form.is_valid():
            try:
                version = catalog.create_version(
                    service,
                    form.version_data(),
                    valid_from=form.cleaned_data["valid_from"],
                    actor=actor_from_request(request),
                    change_note=form.cleaned_data["change_note"],
                )
            except DomainError as error:
                _add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Version %(number)s saved; it is in force from %(date)s.")
                    % {"number": version.number, "date": version.valid_from.strftime("%d.%m.%Y")},
                )
                return redirect("catalog:service-detail", code=service.code)
    else:
        form = ServiceVersionForm(initial=ServiceVersionForm.initial_from(base))
    return render(request, "catalog/service_edit.html", {"service": service, "base": base, "form": form})


# --- Approved lists (переліки) --------------------------------------------------------------------------


def _can_create_list(user) -> bool:
    return user.role in (Role.CENTER_HEAD, Role.SYSADMIN)


@staff_required()
def list_index(request):
    centers = Center.objects.visible_to(request.user).order_by("name")
    page = Paginator(centers, LIST_CENTERS_PER_PAGE).get_page(request.GET.get("page"))
    center_ids = [c.id for c in page.object_list]
    lists = (
        ServiceList.objects.visible_to(request.user)
        .filter(center_id__in=center_ids)
        .annotate(service_count=Count("entries"))
        .order_by("center_id", "-valid_from")
    )
    by_center: dict[int, list] = {}
    for service_list in lists:
        by_center.setdefault(service_list.center_id, []).append(service_list)
    today = timezone.localdate()
    groups = []
    for center in page.object_list:
        center_lists = by_center.get(center.id, [])
        in_force = next((sl for sl in center_lists if sl.valid_from <= today), None)
        counts = sorted(catalog.service_counts_by_year(center).items()) if center_lists else []
        groups.append({"center": center, "lists": center_lists, "in_force": in_force, "counts": counts})
    return render(
        request,
        "catalog/list_index.html",
        {"page": page, "groups": groups, "can_create": _can_create_list(request.user)},
    )


@staff_required()
def list_detail(request, pk):
    service_list = get_object_or_404(ServiceList.objects.visible_to(request.user).select_related("center"), pk=pk)
    entries = (
        ServiceListEntry.objects.filter(service_list=service_list)
        .select_related("service__sphere", "service__current_version")
        .order_by("position", "service__code")
    )
    return render(request, "catalog/list_detail.html", {"service_list": service_list, "entries": entries})


@staff_required(Role.CENTER_HEAD, Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def list_create(request):
    centers = Center.objects.visible_to(request.user).filter(is_active=True).order_by("name")
    if request.method == "POST":
        form = ServiceListForm(request.POST, centers=centers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service_list = catalog.create_service_list(
                    data["center"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    valid_from=data["valid_from"],
                    service_codes=[s.code for s in data["services"]],
                    actor=actor_from_request(request),
                )
            except DomainError as error:
                _add_domain_error(form, error)
            else:
                messages.success(request, _("The list has been saved."))
                return redirect("catalog:list-detail", pk=service_list.pk)
    else:
        center = None
        wanted = request.GET.get("center", "")
        if wanted.isdigit():
            center = get_object_or_404(centers, pk=int(wanted))
        elif request.user.center_id:
            center = centers.filter(pk=request.user.center_id).first()
        initial = {"center": center}
        if center is not None:
            current = catalog.service_list_in_force(center, timezone.localdate())
            if current is not None:
                initial["services"] = list(current.services.values_list("code", flat=True))
        form = ServiceListForm(initial=initial, centers=centers)
    return render(request, "catalog/list_form.html", {"form": form})
