"""/sitemap.xml: the portal's own pages plus the ``SITEMAPS`` dict of every app with the ``sitemaps`` hook."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap

from core import registry


class PortalPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["/", "/news/", "/communities/", "/accessibility/"]

    def location(self, item):
        return item


def collect():
    sitemaps = {"pages": PortalPagesSitemap}
    for module in registry.modules("sitemaps"):
        sitemaps.update(module.SITEMAPS)
    return sitemaps


def sitemap_view(request):
    return sitemap(request, sitemaps=collect())
