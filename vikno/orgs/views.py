"""Staff pages of the organisation network."""

from django.shortcuts import render

from vikno.core.staff import staff_required

from .models import Center, Provider


@staff_required()
def center_list(request):
    centers = Center.objects.visible_to(request.user).select_related("hromada", "region")
    return render(request, "orgs/center_list.html", {"centers": centers})


@staff_required()
def provider_list(request):
    providers = Provider.objects.visible_to(request.user).select_related("region")
    return render(request, "orgs/provider_list.html", {"providers": providers})
