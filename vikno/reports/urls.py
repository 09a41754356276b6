from django.urls import path

from . import views, views_national, views_oblast, views_timing

urlpatterns = [
    path("center/", views.center_report_page, name="reports-center"),
    path("timing/", views_timing.timing_page, name="reports-timing"),
    path("oblast/", views_oblast.oblast_page, name="reports-oblast"),
    path("national/", views_national.national_page, name="reports-national"),
    path("oblast/centers/<int:center_id>/", views_oblast.center_page, name="reports-oblast-center"),
]
