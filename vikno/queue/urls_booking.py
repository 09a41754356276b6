"""Public booking pages, mounted at /booking/."""

from django.urls import path

from . import views_booking as views

app_name = "booking"

urlpatterns = [
    path("", views.offices, name="offices"),
    path("<int:office_id>/", views.queues, name="queues"),
    path("<int:office_id>/<int:queue_id>/", views.slots, name="slots"),
    path("details/<str:token>/", views.details, name="details"),
    path("done/<str:token>/", views.done, name="done"),
    path("manage/<str:token>/", views.manage, name="manage"),
]
