"""Queue pages: public kiosk, ticket, «my ticket» and display board (with its event stream); the staff console."""

from django.urls import path

from . import views

app_name = "queue"

urlpatterns = [
    path("kiosk/<int:office_id>/", views.kiosk, name="kiosk"),
    path("kiosk/<int:office_id>/check-in/", views.kiosk_checkin, name="kiosk-checkin"),
    path("ticket/<str:token>/", views.ticket, name="ticket"),
    path("my/<str:token>/", views.my_ticket, name="my-ticket"),
    path("my/<str:token>/status.json", views.my_ticket_status, name="my-ticket-status"),
    path("display/<int:office_id>/", views.display, name="display"),
    path("display/<int:office_id>/state.json", views.display_state, name="display-state"),
    path("display/<int:office_id>/events", views.display_events, name="display-events"),
    path("console/", views.console_home, name="console-home"),
    path("console/<int:workplace_id>/", views.console, name="console"),
    path("console/<int:workplace_id>/action/", views.console_action, name="console-action"),
]
