from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.summary_page, name="summary"),
    path("indicators/", views.indicators_page, name="indicators"),
    path("centers/<int:center_id>/", views.center_history_page, name="center"),
    path("centers/<int:center_id>/fill/<str:period>/", views.fill_page, name="fill"),
    path("assessments/<int:pk>/", views.assessment_page, name="assessment"),
    path("assessments/<int:pk>/review/", views.review_action, name="review"),
]
