"""Staff pages of the service catalog."""

from django.shortcuts import render

from vikno.core.staff import staff_required


@staff_required()
def service_list(request):
    return render(request, "catalog/service_list.html", {})
