"""/search/: Chinese segmentation, two-character words, ranking, highlighting; same on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import search as site_search
from news import search as news_search
from news.models import Story
from tests.news import factories as nf


@pytest.fixture
def stories(places):
    now = timezone.now()
    barber = nf.story(
        [places["chunshuyuan"]],
        title="银色理发店开门了",
        lead="志愿者为老人义剪。",
        published_at=now - timedelta(days=5),
        slug="barber",
    )
    clinic = nf.story(
        [places["sihuan"]],
        title="义诊进院落",
        lead="卫生服务站的医生来到四环社区。",
        body="<p>顺便也有理发服务。</p>",
        published_at=now - timedelta(days=1),
        slug="clinic",
    )
    draft = nf.story([places["sihuan"]], title="草稿里的理发", status=Story.Status.DRAFT, published_at=None)
    return barber, clinic, draft


@pytest.mark.parametrize("word", ["社区", "理发"])
def test_two_character_words_match(client, stories, word):
    html = client.get("/search/", {"q": word}).content.decode()
    assert "找到" in html
    assert f"<mark>{word}</mark>" in html


def test_ranking_is_relevance_then_date_and_drafts_never_show(client, stories):
    barber, clinic, draft = stories
    results = news_search.search(["理发"], 10)
    assert [r["url"] for r in results] == [barber.get_absolute_url(), clinic.get_absolute_url()]
    html = client.get("/search/", {"q": "理发"}).content.decode()
    assert html.index("银色") < html.index("义诊进院落")
    assert "草稿里的理发" not in html


def test_section_text_is_searchable_and_kept_up_to_date(client, places):
    story = nf.story([places["sihuan"]], title="院落新貌", slug="yard")
    section = nf.section(story, places["sihuan"], body="<p>房管所到现场商量修缮方案。</p>")
    assert "院落新貌" in client.get("/search/", {"q": "修缮"}).content.decode()
    section.body = "<p>地面铺好了。</p>"
    section.save()
    assert "院落新貌" not in client.get("/search/", {"q": "修缮"}).content.decode()
    story.title = "胡同里的新鲜事"
    story.save()
    assert "<mark>胡同</mark>里的新鲜事" in client.get("/search/", {"q": "胡同"}).content.decode()


def test_search_text_holds_whole_tokens(places):
    story = nf.story([places["sihuan"]], title="四环社区理发")
    assert " 社区 " in story.search_text and " 理发 " in story.search_text


def test_long_and_hostile_queries_are_capped_and_escaped(client, stories):
    response = client.get("/search/", {"q": "理发" * 200})
    assert response.status_code == 200
    assert "只按前 100 个字搜索" in response.content.decode()
    html = client.get("/search/", {"q": "<script>alert(1)</script>理发"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_empty_and_no_result_queries(client, stories):
    assert client.get("/search/").status_code == 200
    assert "没有找到" in client.get("/search/", {"q": "月球基地"}).content.decode()


def test_providers_are_collected_by_module(stories):
    providers = site_search.providers()
    assert news_search.search in providers
    results = site_search.run(["理发"])
    assert {"kind", "title", "url", "snippet", "date", "score"} <= set(results[0])


def test_search_query_count_is_fixed(client, places, django_assert_num_queries):
    for n in range(3):
        nf.story([places["sihuan"]], title=f"社区新闻{n}")
    # one query per provider: news, service days, teams
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "社区"})
    for n in range(20):
        nf.story([places["sihuan"]], title=f"更多社区新闻{n}")
    # one query per provider: news, service days, teams
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "社区"})


def test_deleting_a_section_updates_the_search_text(client, places):
    story = nf.story([places["sihuan"]], title="院落", slug="yard2")
    section = nf.section(story, places["sihuan"], body="<p>排水沟疏通。</p>")
    assert "排水" in Story.objects.get(pk=story.pk).search_text
    section.delete()
    assert "排水" not in Story.objects.get(pk=story.pk).search_text


def test_snippet_comes_from_the_first_text_holding_a_word():
    from core.textsearch import snippet

    assert snippet(["没有那个词", "这里有修缮"], ["修缮"]) == "这里有修缮"
    assert snippet(["", None, "开头"], ["不在"]) == "开头"
    assert snippet([], ["修缮"]) == ""
    long = "前" * 100 + "修缮" + "后" * 100
    piece = snippet([long], ["修缮"], width=30, before=5)
    assert piece == "…" + "前" * 5 + "修缮" + "后" * 23 + "…"


def test_highlight_escapes_first_and_marks_only_the_terms():
    from core.textsearch import highlight

    assert highlight("<b>理发</b> & 义剪", ["理发"]) == "&lt;b&gt;<mark>理发</mark>&lt;/b&gt; &amp; 义剪"
    assert highlight("a<mark>b", ["mark"]) == "a&lt;<mark>mark</mark>&gt;b"
    # a term never matches inside the entities escaping makes
    assert highlight("Tom & Jerry's", ["amp", "x27"]) == "Tom &amp; Jerry&#x27;s"
    assert highlight("A&B", ["a&b"]) == "<mark>A&amp;B</mark>"


def test_one_chinese_character_is_a_character_query_and_nothing_else_is():
    from core.textsearch import is_character_query, query_terms

    assert is_character_query(query_terms(" 理 "))
    assert not is_character_query(query_terms("理发"))
    assert not is_character_query(query_terms("a"))
    assert not is_character_query(query_terms("理 剪"))


def test_a_story_found_by_a_single_character_in_its_sections(places):
    story = nf.story([places["sihuan"]], title="院落", lead="", slug="yard3")
    nf.section(story, places["sihuan"], body="<p>地面修缮。</p>")
    results = news_search.search(["缮"], 10)
    assert [r["snippet"] for r in results] == ["地面修缮。"]
