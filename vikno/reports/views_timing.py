"""The service-timing page (/staff/reports/timing/) and its exports; the figures come from timing.py."""

from __future__ import annotations

from functools import partial

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from vikno.core.errors import DomainError, NotFound
from vikno.core.staff import staff_required

from . import exports_timing, timing
from .views import _query, export_query, report_form

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports_timing.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports_timing.to_xlsx),
    "pdf": ("application/pdf", exports_timing.to_pdf),
}
LIST_SIZE = 50


@staff_required(*timing.TIMING_READERS)
def timing_page(request):
    data = _query(request)
    form = report_form(request, data)
    report, overdue, late, lists, status = None, None, None, None, 200
    if data is not None:
        if "center" in form.errors and str(data["center"]).isdigit():
            raise Http404  # a center outside the user's scope does not exist for them; "abc" is a 400
        if form.is_valid():
            center_id = data["center"]
            try:
                report = timing.service_timing(
                    request.user, center_id, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
                )
                if request.GET.get("format") in FORMATS:  # every row of both lists, not a page
                    now = timezone.now()
                    lists = exports_timing.Lists(
                        now,
                        timing.every_case(partial(timing.overdue_cases, request.user, center_id, now=now)),
                        timing.every_case(
                            partial(timing.late_cases, request.user, center_id, report.date_from, report.date_to)
                        ),
                    )
                else:
                    overdue = timing.overdue_cases(
                        request.user, center_id, limit=LIST_SIZE, offset=request.GET.get("overdue_offset")
                    )
                    late = timing.late_cases(
                        request.user,
                        center_id,
                        report.date_from,
                        report.date_to,
                        limit=LIST_SIZE,
                        offset=request.GET.get("late_offset"),
                    )
            except NotFound as error:
                raise Http404 from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                report, status = None, 400
        else:
            status = 400
    export = request.GET.get("format")
    if report is not None and export in FORMATS:
        content_type, render_file = FORMATS[export]
        response = HttpResponse(render_file(report, lists), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports_timing.filename(report, export)}"'
        return response
    query = export_query(report) if report is not None else ""
    context = {"form": form, "report": report, "overdue": overdue, "late": late, "query": query}
    return render(request, "reports/timing.html", context, status=status)
