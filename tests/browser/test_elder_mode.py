import pytest

from tests import factories

pytestmark = pytest.mark.browser


def body_font_size(page):
    return float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)"))


def test_elder_mode_makes_text_larger_and_survives_a_reload(page, screenshot, db):
    street = factories.street(name="椿树街道", slug="chunshu")
    factories.community(street, name="椿树园社区", slug="chunshuyuan", brand="红色领航·椿满园")
    page.goto("/")
    normal = body_font_size(page)
    screenshot(page, "home-normal-1280")

    page.get_by_role("button", name="长辈模式").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="长辈模式").get_attribute("aria-pressed") == "true"
    larger = body_font_size(page)
    assert larger >= 18
    assert larger > normal

    page.reload()
    assert body_font_size(page) == larger
    assert "mode-elder" in page.evaluate("document.documentElement.className")
    screenshot(page, "home-elder-1280")

    page.goto("/communities/")
    assert body_font_size(page) == larger
    assert page.get_by_role("link", name="椿树园社区").is_visible()
