from django.urls import path

from . import views

urlpatterns = [
    path("center/", views.center_report_page, name="reports-center"),
]
