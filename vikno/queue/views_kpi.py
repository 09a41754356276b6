"""The queue KPI page for center heads, oblast monitors and system administrators (their own scope)."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from vikno.core.errors import DomainError
from vikno.core.staff import staff_required
from vikno.orgs.models import Office

from . import kpi


class KpiForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False, empty_label=_("All offices")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = (
            Office.objects.visible_to(user).select_related("center").order_by("center__name", "name")
        )


@staff_required(*kpi.KPI_READERS)
def kpi_page(request):
    form = KpiForm(request.GET or None, user=request.user)
    result = None
    status = 200
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        office = data.get("office")
        try:
            kpi.check_parameters(request.GET.keys(), list(form.fields))
            result = kpi.report(
                request.user,
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                office_id=office.pk if office else None,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 400
    else:
        status = 400
    return render(request, "queue/kpi.html", {"form": form, "report": result}, status=status)
