"""The KPI page for center heads, oblast monitors and system administrators, mounted at /staff/queue/kpi/."""

from django.urls import path

from . import views_kpi as views

app_name = "queue-kpi"

urlpatterns = [
    path("", views.kpi_page, name="page"),
]
