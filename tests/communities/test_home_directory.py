"""The home page's 社区名录: every street with its communities as links, after the other blocks,
in a fixed number of queries however large the district."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0  # each visit renders: the block's output and queries are the point


def home(client):
    cache.clear()  # the rendering's own queries, not figures kept by an earlier visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def directory(html):
    return html.split('aria-labelledby="home-communities"', 1)[1].split("</section>", 1)[0]


def test_every_street_and_community_is_a_link(client, places):
    empty = factories.street(name="新街口街道", slug="xinjiekou", sort_order=40)
    html, _count = home(client)
    block = directory(html)
    assert block.index("椿树街道") < block.index("什刹海街道") < block.index("新街口街道")  # the streets' order
    assert '<a href="/communities/chunshu/" lang="zh-Hans">椿树街道</a>' in block
    assert '<a href="/communities/chunshu/chunshuyuan/" lang="zh-Hans">椿树园社区</a>' in block
    assert '<a href="/communities/shichahai/xihai/" lang="zh-Hans">西海社区</a>' in block
    assert f'id="directory-{empty.slug}"' in block and "这个街道还没有录入社区。" in block
    assert '<a class="more-link" href="/communities/">' in block


def test_the_directory_comes_after_the_other_blocks(client, places):
    html, _count = home(client)
    assert html.index("本月办理情况") < html.index('id="home-communities"')


def test_no_street_no_block(client, db):
    html, _count = home(client)
    assert 'id="home-communities"' not in html


def test_query_count_does_not_grow_with_the_district(client, places):
    _html, before = home(client)
    for n in range(3):
        street = factories.street(name=f"新街道{n}", slug=f"new-street-{n}", sort_order=50 + n)
        for m in range(4):
            factories.community(street, name=f"新社区{n}{m}", slug=f"new-{n}-{m}")
    html, after = home(client)
    assert "新社区23" in directory(html)
    assert after == before
    # Pinned: the whole home page of this small district (the directory's own part is two queries:
    # the streets and their communities). A change here says which block grew.
    assert after == 9
