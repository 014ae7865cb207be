"""Public news pages: the furniture residents expect, filters, and SQL query counts pinned at two sizes."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from news.models import Photo
from tests.news import factories as nf


@pytest.fixture
def issue28(places):
    column = nf.column(name="走社区·看新貌", slug="zou-shequ")
    nf.issue(column, number=27, headline="上一期主题")
    issue = nf.issue(column, number=28, headline="红色领航")
    nf.issue(column, number=29, headline="下一期主题")
    tag = nf.tag("便民服务", "bianmin")
    story = nf.story(
        [places["chunshuyuan"], places["sihuan"]],
        title="走社区·看新貌（第二十八期）",
        slug="zs-28",
        lead="三个社区的新做法。",
        source="北京市西城区委宣传部(区文明办)",
        column_issue=issue,
        tags=[tag],
        published_at=timezone.now() - timedelta(days=2),
    )
    first = nf.section(story, places["chunshuyuan"], heading="椿树园社区：红色领航·椿满园", order=0)
    nf.photo(first, caption="居民排队量血压", alt_text="义诊台")
    nf.photo(first, caption="旧照", alt_text="资料照", is_file_photo=True)
    third = nf.section(story, places["sihuan"], heading="四环社区：吹哨报到", order=1)
    nf.photo(third, caption="修缮前", alt_text="破损地面", role=Photo.Role.BEFORE)
    nf.photo(third, caption="修缮后", alt_text="平整地面", role=Photo.Role.AFTER)
    return story


def grow(places, n, with_photos_on=None):
    """More stories (and photos) so a page's query count can be compared at another size."""
    tag = nf.tag()
    for _ in range(n):
        nf.story([places["chunshuyuan"], places["hongxian"]], tags=[tag])
    if with_photos_on is not None:
        extra = nf.section(with_photos_on, places["hongxian"], heading="更多照片", order=5)
        for i in range(4):
            nf.photo(extra, caption=f"照片{i}", image=nf.upload(nf.jpeg_bytes(size=(500, 400))))
        with_photos_on.tags.add(tag)


def test_story_page_has_the_portal_furniture(client, places, issue28):
    older = nf.story([places["sihuan"]], title="更早的新闻", published_at=timezone.now() - timedelta(days=5))
    newer = nf.story([places["sihuan"]], title="更新的新闻", published_at=timezone.now() - timedelta(days=1))
    issue28.corrections.create(note="第二段中的单位名称有误，已更正。")
    html = client.get("/news/zs-28/").content.decode()
    assert "更正" in html and "第二段中的单位名称有误" in html
    # breadcrumb 首页 > 栏目 > 正文
    assert re.search(r"首页</a>.*走社区·看新貌</a>.*正文</li>", html, re.S)
    assert "来源：北京市西城区委宣传部(区文明办)" in html
    assert "第二十八期" in html
    for meta in [
        "ArticleTitle",
        "PubDate",
        "ContentSource",
        "ColumnName",
        'property="og:title"',
        'property="og:image"',
    ]:
        assert meta in html
    assert '<meta name="ColumnName" content="走社区·看新貌">' in html
    # 字号 大/中/小 as no-JS forms posting to /display/
    assert html.count('name="value" value="l"') == 1 and 'name="name" value="fontsize"' in html
    assert "data-print hidden" in html and "data-read-aloud" in html and "js/news-story.js" in html
    assert "椿树园社区：红色领航·椿满园" in html and "四环社区：吹哨报到" in html
    assert "资料图片" in html and "before-after" in html
    assert 'srcset="' in html and 'loading="lazy"' in html and 'width="' in html
    assert "<svg" in html and 'class="qr-code"' in html
    assert "上一篇" in html and older.title in html and newer.title in html
    assert "最新新闻" in html and "相关新闻" in html
    assert 'href="#top"' in html
    assert "<script>" not in html  # no inline scripts
    assert 'style="' not in html.split("<main", 1)[1]  # no inline styles in the page body


def test_font_size_cookie_changes_the_article_class(client, issue28):
    response = client.post("/display/", {"name": "fontsize", "value": "l", "next": "/news/zs-28/"})
    assert response.status_code == 302 and response["Location"] == "/news/zs-28/"
    html = client.get("/news/zs-28/").content.decode()
    assert 'class="fs-l"' in html
    assert re.search(r'aria-pressed="true">大<', html)


def test_story_page_query_count_is_fixed(client, places, issue28, django_assert_num_queries):
    with django_assert_num_queries(10):
        client.get("/news/zs-28/")
    grow(places, 15, with_photos_on=issue28)
    with django_assert_num_queries(10):
        response = client.get("/news/zs-28/")
    assert response.content.decode().count("<figure") >= 8


def test_list_filters_and_pagination(client, places, issue28):
    grow(places, 12)
    nf.story([places["xihai"]], title="西海的新闻")
    first = client.get("/news/").content.decode()
    assert "第 1 页，共 2 页" in first
    assert "西海的新闻" in client.get("/news/", {"street": "shichahai"}).content.decode()
    chunshu = client.get("/news/", {"street": "chunshu"}).content.decode()
    assert "西海的新闻" not in chunshu
    by_community = client.get("/news/", {"community": places["xihai"].pk}).content.decode()
    assert "西海的新闻" in by_community and "第二十八期" not in by_community
    by_column = client.get("/news/", {"column": "zou-shequ"}).content.decode()
    assert "第二十八期" in by_column and "西海的新闻" not in by_column
    assert "第二十八期" in client.get("/news/", {"tag": "bianmin"}).content.decode()
    assert client.get("/news/", {"page": "999", "community": "x'; drop"}).status_code == 200


def test_column_issue_and_tag_pages(client, issue28):
    column = client.get("/news/columns/zou-shequ/").content.decode()
    assert "第二十八期" in column and issue28.title in column
    issue = client.get("/news/columns/zou-shequ/28/").content.decode()
    assert "上一期" in issue and "/news/columns/zou-shequ/27/" in issue and "/news/columns/zou-shequ/29/" in issue
    assert issue28.title in issue
    assert issue28.title in client.get("/news/tags/bianmin/").content.decode()
    assert client.get("/news/columns/nope/").status_code == 404
    assert client.get("/news/columns/zou-shequ/99/").status_code == 404
    assert client.get("/news/tags/nope/").status_code == 404


def test_news_blocks_on_home_and_place_pages(client, places, issue28):
    home = client.get("/").content.decode()
    assert issue28.title in home and "专栏最新一期" in home
    assert issue28.title in client.get("/communities/chunshu/").content.decode()
    assert issue28.title in client.get("/communities/shichahai/sihuan/").content.decode()
    assert issue28.title not in client.get("/communities/shichahai/xihai/").content.decode()


PAGES = [
    ("/news/", 7),
    ("/news/?street=chunshu&tag=bianmin", 7),
    ("/news/columns/zou-shequ/", 4),
    ("/news/columns/zou-shequ/28/", 5),
    ("/news/tags/bianmin/", 4),
    ("/", 11),  # + the events, volunteers and feedback home blocks, and the directory (streets, communities)
    ("/communities/chunshu/", 4),
    ("/communities/chunshu/chunshuyuan/", 7),  # + the events, volunteers and feedback blocks
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_public_pages_query_counts_are_fixed(client, places, issue28, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    grow(places, 25, with_photos_on=issue28)
    for story in list(issue28.column_issue.stories.all()):
        story.tags.add(*issue28.tags.all())
    cache.clear()  # the same work again, not the feedback figures kept by the first visit
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
