from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from volunteers.models import Team


class TeamSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Team.objects.order_by("name")


class VolunteerPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["volunteers:index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"teams": TeamSitemap, "volunteers-pages": VolunteerPagesSitemap}
