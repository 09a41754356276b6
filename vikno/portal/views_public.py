"""Public catalog pages of a center: its home, services by sphere and by life situation, a service's
information card (ІК), search within the center's approved list, and its offices.

Everything is server-rendered and read-only. What a center offers is its approved list in force today
(``catalog.services.service_list_in_force``); a service outside that list answers 404 on the center's
pages, like an unknown slug, code or office.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language

from vikno.catalog import fees
from vikno.catalog.models import LifeSituation, OfficeService, RequiredDocument, Service, Sphere
from vikno.catalog.search import search_services
from vikno.catalog.services import service_list_in_force, version_in_force
from vikno.core.errors import DomainError
from vikno.orgs.models import Center, Office, Region, ScheduleException
from vikno.queue.live import board_state

SEARCH_RESULTS = 30
EXCEPTION_DAYS = 60
LATE_HOUR = dt.time(18, 0)


def _english() -> bool:
    return (get_language() or "uk").startswith("en")


def _name(obj) -> str:
    """The English name when the page is in English and one exists, else the Ukrainian one."""
    if _english() and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name_uk


def active_centers():
    return Center.objects.filter(is_active=True).select_related("hromada", "region")


def _center(slug: str) -> Center:
    return get_object_or_404(active_centers(), slug=slug)


def center_service_ids(center: Center, today: dt.date) -> list[int]:
    """Ids of the services in the center's list in force today, in the list's order."""
    service_list = service_list_in_force(center, today)
    if service_list is None:
        return []
    return list(
        service_list.entries.filter(service__is_active=True).order_by("position").values_list("service_id", flat=True)
    )


def _services(ids) -> list[Service]:
    return list(Service.objects.filter(pk__in=ids).select_related("sphere", "current_version").order_by("code"))


def _service_row(service: Service) -> dict:
    version = service.current_version
    return {
        "code": service.code,
        "name": _name(version) if version else service.name_uk,
        "online": bool(version and version.online),
    }


def _offices(center: Center):
    return Office.objects.filter(center=center, is_active=True).order_by("kind", "name")


def _base_context(center: Center) -> dict:
    return {"center": center}


# --- site root and oblast --------------------------------------------------------------------


def home(request):
    """The oblasts and their centers; with a single center, straight to it."""
    centers = list(active_centers().order_by("region__name", "name"))
    if len(centers) == 1:
        return redirect("portal:center", slug=centers[0].slug)
    regions: dict[int, dict] = {}
    for center in centers:
        group = regions.setdefault(center.region_id, {"region": center.region, "centers": []})
        group["centers"].append(center)
    return render(request, "portal/home.html", {"regions": list(regions.values())})


def oblast(request, katottg: str):
    region = get_object_or_404(Region, katottg=katottg)
    centers = active_centers().filter(region=region).order_by("name")
    return render(request, "portal/oblast.html", {"region": region, "centers": centers})


# --- a center --------------------------------------------------------------------------------


def center_home(request, slug: str):
    center = _center(slug)
    ids = center_service_ids(center, timezone.localdate())
    spheres = Sphere.objects.filter(services__pk__in=ids).annotate(count=Count("services")).order_by("position", "code")
    situations = (
        LifeSituation.objects.filter(services__pk__in=ids)
        .annotate(count=Count("services"))
        .order_by("kind", "position", "name_uk")
    )
    context = _base_context(center)
    context.update(
        {
            "spheres": [{"code": s.code, "name": _name(s), "count": s.count} for s in spheres],
            "situations": [{"code": s.code, "name": _name(s), "count": s.count, "kind": s.kind} for s in situations],
            "offices": _offices(center),
            "has_list": bool(ids),
        }
    )
    return render(request, "portal/center.html", context)


def center_services(request, slug: str):
    center = _center(slug)
    groups: dict[str, dict] = {}
    for service in _services(center_service_ids(center, timezone.localdate())):
        group = groups.setdefault(
            service.sphere.code, {"code": service.sphere.code, "name": _name(service.sphere), "services": []}
        )
        group["sphere"] = service.sphere
        group["services"].append(_service_row(service))
    ordered = sorted(groups.values(), key=lambda g: (g["sphere"].position, g["code"]))
    context = _base_context(center)
    context["spheres"] = ordered
    return render(request, "portal/services.html", context)


def life_situation(request, slug: str, life_code: str):
    center = _center(slug)
    situation = get_object_or_404(LifeSituation, code=life_code)
    ids = set(center_service_ids(center, timezone.localdate()))
    services = [s for s in _services(ids) if s.pk in set(situation.services.values_list("pk", flat=True))]
    context = _base_context(center)
    context.update(
        {
            "situation": situation,
            "situation_name": _name(situation),
            "services": [_service_row(s) for s in services],
        }
    )
    return render(request, "portal/life_situation.html", context)


def _fee(version, today: dt.date) -> dict:
    try:
        quote = fees.fee_for(version, today)
    except DomainError:
        return {"text": "", "free": False, "unknown": True}
    return {"text": quote.text, "free": version.fee_kind == "free", "unknown": False}


def service_detail(request, slug: str, code: str):
    center = _center(slug)
    today = timezone.localdate()
    service = get_object_or_404(Service.objects.select_related("sphere"), code=code, is_active=True)
    if service.pk not in center_service_ids(center, today):
        raise Http404("The service is not in this center's list.")
    version = version_in_force(service, today)
    if version is None:
        raise Http404("No version of the service is in force today.")
    documents = RequiredDocument.objects.filter(version=version).order_by("position")
    offices = (
        Office.objects.filter(is_active=True, offered_services__service=service, center=center)
        .distinct()
        .order_by("kind", "name")
    )
    context = _base_context(center)
    context.update(
        {
            "service": service,
            "version": version,
            "service_name": _name(version),
            "sphere_name": _name(service.sphere),
            "documents": documents,
            "fee": _fee(version, today),
            "offices": offices,
            "situations": [{"code": s.code, "name": _name(s)} for s in service.life_situations.all()],
        }
    )
    return render(request, "portal/service.html", context)


def search(request, slug: str):
    center = _center(slug)
    query = (request.GET.get("q") or "").strip()[:200]
    context = _base_context(center)
    context.update({"query": query, "results": None, "error": ""})
    if query:
        allowed = set(center_service_ids(center, timezone.localdate()))
        try:
            hits = search_services(query, limit=200)
        except DomainError as error:
            context["error"] = error.message
        else:
            found = [h for h in hits if h.service_id in allowed][:SEARCH_RESULTS]
            rows = {s.pk: _service_row(s) for s in _services([h.service_id for h in found])}
            context["results"] = [rows[h.service_id] for h in found if h.service_id in rows]
    return render(request, "portal/search.html", context)


# --- an office -------------------------------------------------------------------------------


def _week(office: Office) -> list[dict]:
    days = [{"weekday": WEEKDAYS[i], "intervals": [], "late": False} for i in range(7)]
    for row in office.weekly_hours.order_by("weekday", "opens"):
        day = days[row.weekday]
        day["intervals"].append((row.opens, row.closes))
        day["late"] = day["late"] or row.closes > LATE_HOUR
    return days


def _map_url(office: Office) -> str:
    if office.latitude is not None and office.longitude is not None:
        lat, lon = office.latitude, office.longitude
        return f"https://www.openstreetmap.org/?{urlencode({'mlat': lat, 'mlon': lon})}#map=17/{lat}/{lon}"
    if office.address:
        return "https://www.openstreetmap.org/search?" + urlencode({"query": office.address})
    return ""


def office_detail(request, slug: str, office_id: int):
    center = _center(slug)
    office = get_object_or_404(Office, pk=office_id, center=center, is_active=True)
    today = timezone.localdate()
    exceptions = ScheduleException.objects.filter(
        office=office, date__gte=today, date__lte=today + dt.timedelta(days=EXCEPTION_DAYS)
    ).order_by("date")
    allowed = set(center_service_ids(center, today))
    offered = (
        OfficeService.objects.filter(office=office, service__is_active=True)
        .select_related("service__current_version")
        .order_by("service__code")
    )
    services = [_service_row(o.service) for o in offered if o.service_id in allowed]
    queues = board_state(office.pk)["queues"]
    context = _base_context(center)
    context.update(
        {
            "office": office,
            "week": _week(office),
            "exceptions": exceptions,
            "map_url": _map_url(office),
            "services": services,
            "queues": [{"name": q["name_en"] if _english() else q["name"], "waiting": q["waiting"]} for q in queues],
            "english": _english(),
        }
    )
    return render(request, "portal/office.html", context)
