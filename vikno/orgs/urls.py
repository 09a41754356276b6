from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("centers/", views.center_list, name="center-list"),
    path("providers/", views.provider_list, name="provider-list"),
]
