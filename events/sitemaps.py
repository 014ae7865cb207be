from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import ServiceDay


class ServiceDaySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ServiceDay.objects.visible().order_by("-date")[:2000]

    def lastmod(self, day):
        return day.updated_at


class EventPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["events:list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"servicedays": ServiceDaySitemap, "events-pages": EventPagesSitemap}
