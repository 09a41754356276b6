"""URL map: one include per room."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from vikno.api import api
from vikno.core import audit_views
from vikno.core import views as core_views
from vikno.workplace import views as workplace_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("vikno.accounts.urls")),
    path("staff/", workplace_views.home, name="staff-home"),
    path("staff/audit/", audit_views.audit_log, name="audit-log"),
    path("staff/people/", include("vikno.accounts.urls_people")),
    path("staff/orgs/", include("vikno.orgs.urls")),
    path("staff/catalog/", include("vikno.catalog.urls")),
    path("staff/cases/", include("vikno.cases.urls")),
    path("staff/portal/", include("vikno.portal.urls_staff")),
    path("staff/queue/kpi/", include("vikno.queue.urls_kpi")),
    path("staff/reports/", include("vikno.reports.urls")),
    path("staff/monitoring/", include("vikno.monitoring.urls")),
    path("open-data/", include("vikno.reports.urls_open_data")),
    path("booking/", include("vikno.queue.urls_booking")),
    path("queue/rate/", include("vikno.queue.urls_rating")),
    path("queue/", include("vikno.queue.urls")),
    path("notify/", include("vikno.notify.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("vikno.portal.urls_citizen")),
    path("", include("vikno.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
