"""Feeds and the sitemap are well-formed XML with exactly the published items."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from news.models import Story
from tests.news import factories as nf

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def news(places):
    zs = nf.column(name="走社区·看新貌", slug="zou-shequ")
    issue = nf.issue(zs, number=28)
    in_column = nf.story([places["chunshuyuan"]], title="专栏稿件", slug="in-column", column_issue=issue)
    shichahai = nf.story([places["sihuan"]], title="什刹海稿件", slug="sihuan-story")
    nf.story([places["sihuan"]], title="草稿", slug="draft", status=Story.Status.DRAFT, published_at=None)
    nf.story([places["sihuan"]], title="定时", slug="later", published_at=timezone.now() + timedelta(days=1))
    return in_column, shichahai


def rss_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss"
    return [item.findtext("title") for item in root.iter("item")], root


def atom_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_all_news_feeds(client, news):
    titles, root = rss_titles(client, "/feeds/news/")
    assert sorted(titles) == ["专栏稿件", "什刹海稿件"]
    links = [item.findtext("link") for item in root.iter("item")]
    assert all(link.startswith("http") and "/news/" in link for link in links)
    assert sorted(atom_titles(client, "/feeds/news/atom/")) == ["专栏稿件", "什刹海稿件"]


def test_column_and_street_feeds(client, news):
    assert rss_titles(client, "/feeds/news/columns/zou-shequ/")[0] == ["专栏稿件"]
    assert atom_titles(client, "/feeds/news/columns/zou-shequ/atom/") == ["专栏稿件"]
    assert rss_titles(client, "/feeds/news/streets/shichahai/")[0] == ["什刹海稿件"]
    assert atom_titles(client, "/feeds/news/streets/chunshu/atom/") == ["专栏稿件"]
    assert client.get("/feeds/news/columns/nope/").status_code == 404
    assert client.get("/feeds/news/streets/nope/").status_code == 404


def test_sitemap_lists_published_stories_columns_and_pages(client, news):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    paths = {loc.split("testserver", 1)[1] for loc in locations}
    assert {
        "/",
        "/news/",
        "/news/in-column/",
        "/news/sihuan-story/",
        "/news/columns/zou-shequ/",
        "/news/columns/zou-shequ/28/",
    } <= paths
    assert "/news/draft/" not in paths and "/news/later/" not in paths


def test_robots_points_at_the_sitemap(client, db):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_feed_and_sitemap_query_counts_are_fixed(client, places, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            nf.story([places["sihuan"]])

    grow(2)
    with django_assert_num_queries(1):
        client.get("/feeds/news/")
    with django_assert_num_queries(2):
        client.get("/feeds/news/streets/shichahai/")
    # + the events and volunteers sitemaps
    with django_assert_num_queries(7):
        client.get("/sitemap.xml")
    grow(25)
    with django_assert_num_queries(1):
        client.get("/feeds/news/")
    with django_assert_num_queries(2):
        client.get("/feeds/news/streets/shichahai/")
    # + the events and volunteers sitemaps
    with django_assert_num_queries(7):
        client.get("/sitemap.xml")
