from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("centers/", views.center_list, name="center-list"),
    path("centers/<int:pk>/", views.center_detail, name="center-detail"),
    path("offices/<int:pk>/schedule/", views.office_schedule, name="office-schedule"),
    path("offices/<int:pk>/exceptions/", views.office_exception_add, name="office-exception-add"),
    path("exceptions/<int:pk>/remove/", views.office_exception_remove, name="exception-remove"),
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
]
