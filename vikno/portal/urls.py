from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views, views_public
from .sitemaps import SITEMAPS

app_name = "portal"

urlpatterns = [
    path("", views_public.home, name="home"),
    path("status/", views.status, name="status"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("oblast/<str:katottg>/", views_public.oblast, name="oblast"),
    path("c/<slug:slug>/", views_public.center_home, name="center"),
    path("c/<slug:slug>/services/", views_public.center_services, name="services"),
    path("c/<slug:slug>/services/<str:code>/", views_public.service_detail, name="service"),
    path("c/<slug:slug>/life/<str:life_code>/", views_public.life_situation, name="life"),
    path("c/<slug:slug>/search/", views_public.search, name="search"),
    path("c/<slug:slug>/offices/<int:office_id>/", views_public.office_detail, name="office"),
]
