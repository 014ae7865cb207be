from django.contrib.sitemaps import Sitemap

from news.models import Column, ColumnIssue, Story, Tag


class StorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Story.objects.published().only("slug", "updated_at", "published_at").order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Column.objects.all()


class IssueSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return ColumnIssue.objects.select_related("column").order_by("column__slug", "-number")


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return Tag.objects.all()


SITEMAPS = {"news": StorySitemap, "news-columns": ColumnSitemap, "news-issues": IssueSitemap, "news-tags": TagSitemap}
