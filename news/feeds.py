"""RSS 2.0 and Atom feeds of published news: all, per column, per street."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from communities.models import Street
from core.controls import strip_controls
from news.models import Column, Story

ITEMS = 30


def _clean(value):
    if isinstance(value, (str, Promise)):
        return strip_controls(str(value))
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    return value


class _WithoutControls:
    """Every text of the feed and its items without control characters, which XML 1.0 cannot carry:
    one in an old row would otherwise make the whole feed answer 500 (see core.controls)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_clean, args), **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_clean, args), **{k: _clean(v) for k, v in kwargs.items()})


class RssFeed(_WithoutControls, Rss201rev2Feed):
    pass


class AtomFeed(_WithoutControls, Atom1Feed):
    pass


class NewsFeed(Feed):
    feed_type = RssFeed
    title = _("西城社区服务平台 · 社区新闻")
    description = _("西城区各社区的最新新闻和《走社区·看新貌》专栏。")

    def link(self):
        return "/news/"

    def stories(self):
        return Story.objects.published().select_related("column_issue__column").order_by("-published_at", "-pk")

    def items(self):
        return self.stories()[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead or item.subtitle or item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.source

    def item_categories(self, item):
        return [item.column_issue.column.name] if item.column_issue else []

    def item_guid(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    item_guid_is_permalink = True


class NewsAtomFeed(NewsFeed):
    feed_type = AtomFeed
    subtitle = NewsFeed.description


class ColumnFeed(NewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, obj):
        return f"{obj.name} - {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or obj.name

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.stories().filter(column_issue__column=obj)[:ITEMS]


class ColumnAtomFeed(ColumnFeed):
    feed_type = AtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class StreetFeed(NewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Street, slug=slug)

    def title(self, obj):
        return f"{obj.name}社区新闻 - {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or obj.name

    def link(self, obj):
        return f"/news/?street={obj.slug}"

    def items(self, obj):
        return self.stories().filter(pk__in=Story.objects.filter(communities__street=obj).values("pk"))[:ITEMS]


class StreetAtomFeed(StreetFeed):
    feed_type = AtomFeed

    def subtitle(self, obj):
        return self.description(obj)
