"""The home page's 社区名录 on a phone: one card per street, every community a large tap target,
nothing wider than the screen; in English the note about Chinese content shows once."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def district():
    for n, (street_name, names) in enumerate(
        [
            ("椿树街道", ["椿树园社区", "琉璃厂西街社区", "红线社区"]),
            ("什刹海街道", ["四环社区", "西海社区", "柳荫街社区"]),
        ]
    ):
        street = factories.street(name=street_name, slug=f"street-{n}", sort_order=n)
        for m, name in enumerate(names):
            factories.community(street, name=name, slug=f"c-{n}-{m}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_directory_is_readable_at_390(phone_page, live_server, screenshot, db, language):
    district()
    phone_page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    phone_page.goto("/")
    directory = phone_page.locator(".home-directory")
    expect(directory.get_by_role("link", name="柳荫街社区")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    for link in directory.locator(".directory-communities a").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    font = float(
        directory.locator(".directory-communities a").first.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")
    )
    assert font >= 16
    expect(phone_page.locator(".language-note")).to_have_count(1 if language == "en" else 0)
    screenshot(phone_page, f"home-directory-390-{language}")
