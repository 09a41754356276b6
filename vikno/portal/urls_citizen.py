from django.urls import path

from . import views_apply, views_feedback

app_name = "citizen"

urlpatterns = [
    path("c/<slug:slug>/apply/", views_apply.apply_index, name="apply-index"),
    path("c/<slug:slug>/apply/done/", views_apply.apply_done, name="apply-done"),
    path("c/<slug:slug>/apply/<str:code>/", views_apply.apply, name="apply"),
    path("c/<slug:slug>/ask/", views_feedback.ask, name="ask"),
    path("c/<slug:slug>/complaint/", views_feedback.complaint, name="complaint"),
    path("c/<slug:slug>/survey/", views_feedback.survey, name="survey"),
    path("status/documents/", views_apply.add_document, name="add-document"),
]
