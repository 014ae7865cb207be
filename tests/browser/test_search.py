"""Search on a phone (390 px): highlighted words are marks, never tag text; one character finds results."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.events import factories as ef
from tests.news import factories as nf

pytestmark = pytest.mark.browser


@pytest.fixture
def haircut(places):
    nf.story([places["chunshuyuan"]], title="银发义剪进社区", lead="志愿者每月上门。", published_at=timezone.now())
    day = ef.day(places["chunshuyuan"], title="椿树园便民服务日")
    ef.offering(day, service_type=ef.service_type("义剪"))
    ef.team(places["chunshuyuan"], name="李双军志愿服务队", specialty="义剪")


def test_search_shows_marks_and_no_tag_text_at_390px(phone_page, haircut, screenshot):
    phone_page.goto("/search/?q=义剪")
    results = phone_page.locator(".search-result")
    expect(results).to_have_count(3)
    expect(phone_page.locator(".search-result mark").first).to_have_text("义剪")
    assert phone_page.locator(".search-result mark").count() >= 3
    expect(phone_page.locator(".search-results")).not_to_contain_text("<mark>")
    expect(phone_page.locator(".search-kind")).to_have_text(["新闻", "便民服务日", "志愿服务队"], ignore_case=False)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "search-phone")


def test_one_character_search_finds_results_at_390px(phone_page, haircut):
    phone_page.goto("/search/")
    phone_page.fill("#search-q", "剪")
    phone_page.locator(".search-page-form button[type=submit]").click()
    expect(phone_page.locator(".search-result")).to_have_count(3)
    expect(phone_page.locator(".search-result mark").first).to_have_text("剪")
    expect(phone_page.get_by_role("status")).to_contain_text("找到 3 条结果")


def test_search_in_english_and_elder_mode_at_390px(phone_page, live_server, haircut):
    phone_page.context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in (("elder", "1"), ("django_language", "en"))
        ]
    )
    phone_page.goto("/search/?q=义剪")
    expect(phone_page.locator(".search-kind")).to_have_text(["News", "Service day", "Volunteer team"])
    expect(phone_page.locator(".search-result mark").first).to_have_text("义剪")
    expect(phone_page.locator(".search-results")).not_to_contain_text("<mark>")
    assert "mode-elder" in phone_page.evaluate("document.documentElement.className")
