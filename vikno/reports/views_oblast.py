"""The oblast dashboard page, a center's drill-down by access point, and their exports (CSV, XLSX, PDF).

The figures come from ``oblast.py``; without dates the page shows the current quarter up to today.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from vikno.core.errors import DomainError, NotFound
from vikno.core.staff import staff_required
from vikno.orgs.models import Center, Region

from . import exports_oblast, oblast

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports_oblast.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports_oblast.to_xlsx),
    "pdf": ("application/pdf", exports_oblast.to_pdf),
}


class PeriodForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Oblast"), queryset=Region.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["region"].queryset = oblast.visible_regions(user).order_by("name")


def quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _data(request) -> dict:
    """The GET parameters under the form's names (``from``/``to`` in the address); without both dates,
    the current quarter up to today."""
    get = request.GET
    data = {"region": get.get("region", ""), "date_from": get.get("from", ""), "date_to": get.get("to", "")}
    if "from" not in get and "to" not in get:
        today = timezone.localdate()
        data.update(date_from=quarter_start(today).isoformat(), date_to=today.isoformat())
    return data


def _respond(request, form, build, template: str, extra: dict):
    board, status = None, 200
    if form.is_valid():
        try:
            board = build(form.cleaned_data)
        except NotFound as error:
            raise Http404 from error
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 400
    elif "region" in form.errors and str(form.data.get("region", "")).isdigit():
        raise Http404  # an oblast outside the user's scope does not exist for them
    else:
        status = 400
    export = request.GET.get("format")
    if board is not None and export in FORMATS:
        content_type, render_file = FORMATS[export]
        response = HttpResponse(render_file(board), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports_oblast.filename(board, export)}"'
        return response
    context = {
        "form": form,
        "board": board,
        "sections": exports_oblast.sections(board) if board else [],
        "name_head": exports_oblast.name_head(board) if board else "",
        "query": _export_query(form) if board else "",
        **extra,
    }
    return render(request, template, context, status=status)


def _export_query(form) -> str:
    data = form.cleaned_data
    query = {"from": data["date_from"].isoformat(), "to": data["date_to"].isoformat()}
    if data.get("region"):
        query["region"] = data["region"].pk
    return urlencode(query)


@staff_required(*oblast.READERS)
def oblast_page(request):
    form = PeriodForm(_data(request), user=request.user)

    def build(data):
        region = data.get("region")
        return oblast.oblast_dashboard(request.user, region.pk if region else None, data["date_from"], data["date_to"])

    extra = {
        "show_regions": form.fields["region"].queryset.count() > 1,
        "groups": [(key, oblast.GROUP_LABELS[key], codes) for key, codes in oblast.BASIC_GROUPS.items()],
    }
    return _respond(request, form, build, "reports/oblast.html", extra)


@staff_required(*oblast.READERS)
def center_page(request, center_id: int):
    if not Center.objects.visible_to(request.user).filter(pk=center_id).exists():
        raise Http404  # checked before the dates: a center outside the scope is a 404 whatever is asked
    form = PeriodForm(_data(request), user=request.user)
    del form.fields["region"]

    def build(data):
        return oblast.center_drilldown(request.user, center_id, data["date_from"], data["date_to"])

    return _respond(request, form, build, "reports/oblast_center.html", {})
