"""Open data pages: the description of the data sets and the files themselves (public, no login).

The files are anonymous aggregates (see open_data.py); they may be cached by anyone for an hour and
fetched from other sites (``Access-Control-Allow-Origin: *``). A bad filter is a 400 with the reason.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from vikno.core.errors import DomainError
from vikno.orgs.models import Region

from . import open_data

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@require_safe
def index(request):
    regions = Region.objects.filter(centers__is_active=True).distinct().order_by("name")
    datasets = [
        {"name": name, "title": d["title"], "description": d["description"], "fields": d["fields"]}
        for name, d in open_data.DATASETS.items()
    ]
    context = {
        "datasets": datasets,
        "licence": open_data.LICENCE,
        "regions": regions,
        "max_age_minutes": open_data.MAX_AGE // 60,
    }
    return render(request, "reports/open_data.html", context)


def _file(request, name: str, fmt: str, rows: list[dict], filters=None) -> HttpResponse:
    if fmt == "json":
        content = open_data.to_json(name, rows, filters=filters, url=request.build_absolute_uri())
    else:
        content = open_data.to_csv(name, rows)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    if fmt == "csv":
        response["Content-Disposition"] = f'attachment; filename="vikno-{name}.csv"'
    response["Cache-Control"] = f"public, max-age={open_data.MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_request(fmt: str, error: DomainError) -> HttpResponse:
    # A JSON client gets the API's error shape, a CSV client the reason as plain text.
    body = json.dumps(error.as_dict(), ensure_ascii=False) if fmt == "json" else error.message
    content_type = CONTENT_TYPES["json"] if fmt == "json" else "text/plain; charset=utf-8"
    response = HttpResponse(body, content_type=content_type, status=400)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def centers(request, fmt: str):
    return _file(request, "centers", fmt, open_data.centers())


@require_safe
def statistics(request, fmt: str):
    try:
        filters = open_data.parse_filters(request.GET)
    except DomainError as error:
        return _bad_request(fmt, error)
    return _file(request, "statistics", fmt, open_data.statistics(filters), filters)
