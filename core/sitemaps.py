"""/sitemap.xml: the portal's own pages plus every app's ``<app>.sitemaps.SITEMAPS`` dict."""

from importlib import import_module

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap

SITEMAP_APPS = ["communities", "news", "events", "volunteers", "feedback"]


class PortalPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["/", "/news/", "/communities/", "/accessibility/"]

    def location(self, item):
        return item


def collect():
    sitemaps = {"pages": PortalPagesSitemap}
    for app in SITEMAP_APPS:
        path = f"{app}.sitemaps"
        try:
            module = import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name == path:
                continue
            raise
        sitemaps.update(getattr(module, "SITEMAPS", {}))
    return sitemaps


def sitemap_view(request):
    return sitemap(request, sitemaps=collect())
