"""Rating pages, mounted at /queue/rate/: by the ticket's link (QR code, SMS) and the tablet at a window."""

from django.urls import path

from . import views_rating as views

app_name = "rating"

urlpatterns = [
    path("workplace/<int:workplace_id>/", views.tablet, name="tablet"),
    path("<str:token>/", views.rate_ticket, name="ticket"),
]
