from django.urls import path

from . import staff_views

app_name = "portal_staff"

urlpatterns = [
    path("questions/", staff_views.questions, name="questions"),
    path("questions/<int:pk>/", staff_views.question_detail, name="question"),
    path("complaints/", staff_views.complaints, name="complaints"),
    path("complaints/<int:pk>/", staff_views.complaint_detail, name="complaint"),
]
