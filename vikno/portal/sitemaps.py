"""sitemap.xml: the public pages of every active center (its home, catalog, services, life
situations and offices) and the oblast pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from vikno.catalog.models import LifeSituation, Service
from vikno.orgs.models import Office, Region

from .views_public import active_centers, center_service_ids


class PortalSitemap(Sitemap):
    """Items are (url name, kwargs) pairs, so one class lists pages of every kind."""

    changefreq = "weekly"

    def items(self):
        today = timezone.localdate()
        pages: list[tuple[str, dict]] = [("portal:home", {})]
        for region in Region.objects.filter(centers__is_active=True).distinct().order_by("katottg"):
            pages.append(("portal:oblast", {"katottg": region.katottg}))
        for center in active_centers().order_by("slug"):
            slug = {"slug": center.slug}
            pages += [("portal:center", slug), ("portal:services", slug)]
            ids = center_service_ids(center, today)
            codes = LifeSituation.objects.filter(services__pk__in=ids).distinct().order_by("code")
            pages += [("portal:life", {**slug, "life_code": c}) for c in codes.values_list("code", flat=True)]
            services = Service.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True)
            pages += [("portal:service", {**slug, "code": code}) for code in services]
            offices = Office.objects.filter(center=center, is_active=True).order_by("pk").values_list("pk", flat=True)
            pages += [("portal:office", {**slug, "office_id": pk}) for pk in offices]
        return pages

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)


SITEMAPS = {"portal": PortalSitemap}
