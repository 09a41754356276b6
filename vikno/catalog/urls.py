from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.service_list, name="service-list"),
    path("lists/", views.list_index, name="list-index"),
    path("lists/new/", views.list_create, name="list-create"),
    path("lists/<int:pk>/", views.list_detail, name="list-detail"),
    path("<str:code>/", views.service_detail, name="service-detail"),
    path("<str:code>/edit/", views.service_edit, name="service-edit"),
    path("<str:code>/ik/", views.service_ik, name="service-ik"),
    path("<str:code>/tk/", views.service_tk, name="service-tk"),
    path("<str:code>/ik.pdf", views.service_ik_pdf, name="service-ik-pdf"),
    path("<str:code>/tk.pdf", views.service_tk_pdf, name="service-tk-pdf"),
]
