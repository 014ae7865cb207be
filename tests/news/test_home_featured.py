"""The home page's featured stories: those with a cover fill the grid, one without a cover spans the
row below them as a text card, so the grid never shows an empty slot (the issue-28 story)."""

import pytest

from tests.news import factories as news

pytestmark = pytest.mark.django_db


def featured(html):
    return html.split('<ul class="featured-list">', 1)[1].split("</ul>", 1)[0]


def test_a_featured_story_without_a_cover_comes_last_across_the_row(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    bare = news.story(title="没有封面的专栏稿", is_featured=True, lead="导语")  # the newest
    first = news.story(title="有封面的第一篇", is_featured=True, cover=news.upload())
    second = news.story(title="有封面的第二篇", is_featured=True, cover=news.upload(name="b.jpg"))
    html = featured(client.get("/").content.decode())
    assert html.index(first.title) < html.index(bare.title) and html.index(second.title) < html.index(bare.title)
    text_card = html.split('class="featured-story featured-story-text"', 1)[1]
    assert bare.title in text_card and "<picture" not in text_card and "<img" not in text_card
    assert html.count('class="featured-story"') == 2  # the two with a cover, each with its picture
