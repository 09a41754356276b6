"""The national dashboard page: every region in one table (system administrators; an oblast monitor
sees their own region). The figures come from national.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from vikno.core.errors import DomainError
from vikno.core.scoping import Role
from vikno.core.staff import staff_required

from .national import national_dashboard


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)


@staff_required(Role.OBLAST_MONITOR, Role.SYSADMIN)
def national_page(request):
    today = dt.date.today()
    data = {"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")}
    if not request.GET:
        data = {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()}
    form = PeriodForm(data)
    board, status = None, 200
    if form.is_valid():
        try:
            board = national_dashboard(request.user, form.cleaned_data["date_from"], form.cleaned_data["date_to"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 400
    else:
        status = 400
    return render(request, "reports/national.html", {"form": form, "board": board}, status=status)
