"""The center report page and its exports (CSV, XLSX, PDF); the figures come from services.py."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
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

    def __init__(self, data, *, user):
        super().__init__(data, prefix=None)
        self.fields["center"].queryset = Center.objects.visible_to(user).order_by("name")


def _query(request) -> dict | None:
    """The GET parameters under the names the form uses (``from``/``to`` in the address)."""
    if not request.GET:
        return None
    get = request.GET
    return {"center": get.get("center", ""), "date_from": get.get("from", ""), "date_to": get.get("to", "")}


@staff_required(*READERS)
def center_report_page(request):
    data = _query(request)
    form = ReportForm(data, user=request.user)
    report, status = None, 200
    if data is not None:
        if "center" in form.errors and data["center"]:
            raise Http404  # a center outside the user's scope does not exist for them
        if form.is_valid():
            try:
                report = services.center_report(
                    request.user,
                    request.GET.get("center"),
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
    query = request.GET.urlencode() if report is not None else ""
    return render(
        request, "reports/center_report.html", {"form": form, "report": report, "query": query}, status=status
    )
