"""The «Staff» pages: accounts managed by system administrators and center heads."""

from django.urls import path

from . import views_people as views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("new/", views.people_create, name="create"),
    path("<int:pk>/", views.people_detail, name="detail"),
    path("<int:pk>/deactivate/", views.people_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.people_reactivate, name="reactivate"),
    path("<int:pk>/reset-second-factor/", views.people_reset_second_factor, name="reset-second-factor"),
    path("<int:pk>/unlock/", views.people_unlock, name="unlock"),
    path("<int:pk>/tokens/", views.token_issue, name="token-issue"),
    path("<int:pk>/tokens/<int:token_pk>/revoke/", views.token_revoke, name="token-revoke"),
]
