"""/search/ as a resident reads it: real marks (never tag text), Chinese kind labels, a snippet
from wherever the words are, one-character queries, and a bounded number of queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from core import search as site_search
from tests.events import factories as ef
from tests.news import factories as nf


def results_html(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<ol class="search-results">') :] if "search-results" in html else ""


@pytest.fixture
def haircut(places):
    """The demo's shape: a story, a service day offering 义剪 and a team whose specialty is 义剪."""
    story = nf.story([places["chunshuyuan"]], title="银发义剪进社区", lead="志愿者每月上门。", slug="yijian")
    day = ef.day(places["chunshuyuan"], title="椿树园便民服务日", description="欢迎居民参加。")
    ef.offering(day, service_type=ef.service_type("义剪"), note="请自带毛巾 & 梳子")
    team = ef.team(
        places["chunshuyuan"], name="李双军志愿服务队", specialty="义剪", description="<b>每周</b>为老人理发"
    )
    return story, day, team


def test_marks_are_elements_and_never_escaped_text(client, haircut):
    html = results_html(client, "义剪")
    assert html.count("<mark>义剪</mark>") >= 3  # story title, service line, team specialty
    assert "&lt;mark&gt;" not in html and "&amp;lt;" not in html


def test_text_staff_wrote_is_escaped_and_only_the_marks_are_html(client, haircut):
    html = results_html(client, "每周")
    assert "&lt;b&gt;<mark>每周</mark>&lt;/b&gt;为老人理发" in html
    assert "<b>" not in html


def test_kind_labels_are_words_residents_read(client, haircut):
    html = results_html(client, "义剪")
    kinds = re.findall(r'<p class="search-kind">([^<]*)</p>', html)
    assert set(kinds) == {"新闻", "便民服务日", "志愿服务队"}
    assert "serviceday" not in html and ">team<" not in html


def test_english_kind_labels(client, haircut):
    client.cookies["django_language"] = "en"
    with translation.override(translation.get_language()):  # the request leaves English active
        html = client.get("/search/", {"q": "义剪"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert set(re.findall(r'<p class="search-kind">([^<]*)</p>', html)) == {"News", "Service day", "Volunteer team"}


def test_a_service_found_by_its_service_shows_that_service(client, haircut):
    _story, day, _team = haircut
    html = results_html(client, "毛巾")
    assert day.get_absolute_url() in html
    assert "义剪 请自带<mark>毛巾</mark>" in html
    assert "&amp; 梳子" in html  # escaped once, not twice


def test_a_word_only_in_a_section_gives_a_snippet_from_that_section(client, places):
    story = nf.story([places["sihuan"]], title="院落新貌", lead="胡同里的变化。", slug="yard")
    nf.section(story, places["sihuan"], heading="四环社区", body="<p>房管所到现场商量<strong>修缮</strong>方案。</p>")
    html = results_html(client, "修缮")
    assert story.get_absolute_url() in html
    assert "商量<mark>修缮</mark>方案" in html


def test_a_long_body_gives_the_piece_around_the_word(client, places):
    story = nf.story(
        [places["sihuan"]], title="长文", lead="", body="<p>" + "前面的话。" * 40 + "最后说到了磨刀。</p>", slug="long"
    )
    html = results_html(client, "磨刀")
    assert story.get_absolute_url() in html
    assert "…" in html and "最后说到了<mark>磨刀</mark>。" in html


@pytest.mark.parametrize("character", ["理", "剪", "义"])
def test_one_character_finds_what_contains_it(client, haircut, character):
    html = results_html(client, character)
    assert f"<mark>{character}</mark>" in html
    assert "没有找到" not in client.get("/search/", {"q": character}).content.decode()


def test_one_character_lists_title_matches_first_then_newest(places):
    now = timezone.now()
    older_title = nf.story([places["sihuan"]], title="理发", published_at=now - timedelta(days=9), slug="a")
    newer_body = nf.story([places["sihuan"]], title="新闻", lead="说理", published_at=now - timedelta(days=1), slug="b")
    newest_title = nf.story([places["sihuan"]], title="道理", published_at=now - timedelta(hours=1), slug="c")
    urls = [r["url"] for r in site_search.run(["理"])]
    assert urls == [s.get_absolute_url() for s in (newest_title, older_title, newer_body)]


def test_one_character_results_are_capped(places):
    for n in range(site_search.CHARACTER_LIMIT + 5):
        nf.story([places["sihuan"]], title=f"理发{n}")
    assert len(site_search.run(["理"])) == site_search.CHARACTER_LIMIT


def test_one_latin_letter_is_not_matched_inside_words(places):
    nf.story([places["sihuan"]], title="Barber day")
    assert site_search.run(["a"]) == []


def test_longer_queries_keep_matching_whole_words(client, places):
    nf.story([places["sihuan"]], title="理发")
    assert "没有找到" in client.get("/search/", {"q": "发理"}).content.decode()


def test_the_search_is_bounded_with_snippets_from_sections_and_services(client, places, django_assert_num_queries):
    for n in range(12):
        story = nf.story([places["sihuan"]], title=f"院落{n}", slug=f"yard-{n}")
        nf.section(story, places["sihuan"], body="<p>修缮方案。</p>")
        day = ef.day(places["sihuan"], title=f"服务日{n}")
        ef.offering(day, note="修缮咨询")
        ef.team(places["sihuan"], description="修缮小组")
    # one query per provider (news, service days, teams), one for the stories' sections and one
    # for the days' services: the same for twelve results of each as for one
    with django_assert_num_queries(5):
        html = results_html(client, "修缮")
    assert html.count("<mark>修缮</mark>") == 10


def test_a_service_type_renamed_is_found_under_its_new_name(places):
    from events.search import search

    day = ef.day(places["sihuan"])
    service = ef.service_type("量血压")
    ef.offering(day, service_type=service)
    assert [r["url"] for r in search(["血压"], 5)] == [day.get_absolute_url()]
    service.name = "测血糖"
    service.save()
    assert search(["血压"], 5) == [] and len(search(["血糖"], 5)) == 1
    day.offerings.get().delete()
    assert search(["血糖"], 5) == []


def test_a_one_character_search_says_how_it_was_read(client, haircut):
    html = client.get("/search/", {"q": "剪"}).content.decode()
    assert "只输入了一个字" in html and "最多 50 条" in html
    assert "只输入了一个字" not in client.get("/search/", {"q": "义剪"}).content.decode()


def test_renaming_a_service_type_reindexes_its_days_in_a_fixed_number_of_queries(places, django_assert_num_queries):
    from events.search import search

    service = ef.service_type("量血压")
    for n in range(6):
        ef.offering(ef.day(places["sihuan"], days_ahead=n + 1), service_type=service)
    service.name = "测血糖"
    with django_assert_num_queries(4):  # the update, the days, their services, one bulk update
        service.save()
    assert len(search(["血糖"], 10)) == 6 and search(["血压"], 10) == []
