"""Display preferences chosen on one page hold on the next page and after a reload, with and
without JavaScript: 字号 大/中/小 on story pages, 长辈模式 and 高对比度 everywhere."""

import time

import pytest

from tests.news import factories as nf

pytestmark = pytest.mark.browser


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def prefs_page(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        java_script_enabled=request.param,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page, "js" if request.param else "nojs"
    context.close()


def classes(page):
    return page.evaluate("document.documentElement.className").split()


def size(page, selector):
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")


def click_and_wait(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_preferences_follow_the_reader_from_page_to_page(prefs_page, places, screenshot):
    page, js = prefs_page
    community = places["chunshuyuan"]
    first = nf.story([community], title="第一篇", body="<p>正文一。</p>")
    second = nf.story([community], title="第二篇", body="<p>正文二。</p>")

    page.goto(first.get_absolute_url())
    assert "fs-m" in classes(page)
    medium = size(page, ".article-body")
    sizes = {}
    for label, value in (("小", "s"), ("大", "l")):
        click_and_wait(page, label)
        assert page.url.endswith(first.get_absolute_url())  # back on the page it was chosen on
        assert f"fs-{value}" in classes(page)
        assert page.get_by_role("button", name=label, exact=True).get_attribute("aria-pressed") == "true"
        sizes[value] = size(page, ".article-body")
    assert sizes["s"] < medium < sizes["l"]

    click_and_wait(page, "长辈模式")
    click_and_wait(page, "高对比度")
    expected = {"fs-l", "mode-elder", "contrast-high"}
    assert expected <= set(classes(page))
    elder_size = size(page, "main")
    assert elder_size >= 18

    # The next story, another section of the site, and a reload: all keep every choice.
    page.goto(second.get_absolute_url())
    assert expected <= set(classes(page))
    assert size(page, ".article-body") >= sizes["l"]
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
    page.goto("/communities/")
    assert expected <= set(classes(page))
    assert size(page, "main") == elder_size
    page.reload()
    assert expected <= set(classes(page))
    assert page.get_by_role("button", name="长辈模式").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    screenshot(page, f"preferences-communities-{js}")

    # Stored as cookies for a year, so they also hold in a new visit.
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert (cookies["fontsize"]["value"], cookies["elder"]["value"], cookies["contrast"]["value"]) == ("l", "1", "high")
    assert all(cookies[name]["expires"] > time.time() + 300 * 24 * 3600 for name in ("fontsize", "elder", "contrast"))

    # And they can be switched off again.
    click_and_wait(page, "长辈模式")
    click_and_wait(page, "高对比度")
    assert not {"mode-elder", "contrast-high"} & set(classes(page))
    page.reload()
    assert not {"mode-elder", "contrast-high"} & set(classes(page))
