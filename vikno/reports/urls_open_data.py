"""Open data, public: /open-data/ and its files."""

from django.urls import path

from . import views_open_data as views

app_name = "open_data"

urlpatterns = [
    path("", views.index, name="index"),
    path("centers.json", views.centers, {"fmt": "json"}, name="centers-json"),
    path("centers.csv", views.centers, {"fmt": "csv"}, name="centers-csv"),
    path("statistics.json", views.statistics, {"fmt": "json"}, name="statistics-json"),
    path("statistics.csv", views.statistics, {"fmt": "csv"}, name="statistics-csv"),
]
