"""The center report page and its exports (CSV, XLSX, PDF); the figures come from services.py."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from vikno.core.errors import DomainError, NotFound
from vikno.core.scoping import Role
from vikno.core.staff import staff_required
from vikno.orgs.models import Center

from . import exports, services

READERS = (Role.ADMINISTRATOR, Role.CENTER_HEAD, Role.OBLAST_MONITOR, Role.SYSADMIN)

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    "pdf": ("application/pdf", exports.to_pdf),
}


class ReportForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, user, initial=None):
        super().__init__(data, prefix=None, initial=initial)
        self.fields["center"].queryset = Center.objects.visible_to(user).order_by("name")


def own_center(user) -> str:
    """The id of the user's own center (an administrator's or a center head's), ``""`` for the others."""
    center_id = getattr(user, "center_id", None)
    if center_id and Center.objects.visible_to(user).filter(pk=center_id).exists():
        return str(center_id)
    return ""


def _defaults(user) -> dict:
    """Without a center, the user's own; without dates, the current month up to today."""
    today = timezone.localdate()
    return {"center": own_center(user), "date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}


def _query(request) -> dict | None:
    """The GET parameters under the names the form uses (``from``/``to`` in the address), the center and
    the period defaulted (see ``_defaults``; dates sent empty stay empty and are refused). ``None`` when
    nothing is asked and there is no center to default to: the form waits for a choice."""
    get = request.GET
    defaults = _defaults(request.user)
    data = {"center": get.get("center", ""), "date_from": get.get("from", ""), "date_to": get.get("to", "")}
    if not data["center"]:
        data["center"] = defaults["center"]
    if "from" not in get and "to" not in get:
        data.update(date_from=defaults["date_from"], date_to=defaults["date_to"])
    if not get and not data["center"]:
        return None
    return data


def report_form(request, data: dict | None) -> ReportForm:
    """The form of the center and timing pages; unbound, it shows the default period."""
    initial = None if data is not None else _defaults(request.user)
    return ReportForm(data, user=request.user, initial=initial)


def export_query(report) -> str:
    """The query of the report shown (center and period), for its download and page links."""
    return urlencode(
        {"center": report.center.pk, "from": report.date_from.isoformat(), "to": report.date_to.isoformat()}
    )


@staff_required(*READERS)
def center_report_page(request):
    data = _query(request)
    form = report_form(request, data)
    report, status = None, 200
    if data is not None:
        if "center" in form.errors and str(data["center"]).isdigit():
            raise Http404  # a center outside the user's scope does not exist for them; "abc" is a 400
        if form.is_valid():
            try:
                report = services.center_report(
                    request.user,
                    data["center"],
                    form.cleaned_data["date_from"],
                    form.cleaned_data["date_to"],
                )
            except NotFound as error:
                raise Http404 from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 400
        else:
            status = 400
    export = request.GET.get("format")
    if report is not None and export in FORMATS:
        content_type, render_file = FORMATS[export]
        response = HttpResponse(render_file(report), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, export)}"'
        return response
    query = export_query(report) if report is not None else ""
    return render(
        request, "reports/center_report.html", {"form": form, "report": report, "query": query}, status=status
    )
