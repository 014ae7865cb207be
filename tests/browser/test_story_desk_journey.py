"""The story desk in a real browser: one page, preview before saving, published at once.

editor-chunshu writes a story with two community sections and one photo in each, previews the
unsaved story (phone width by default) and publishes it: at most 3 page loads and 12 actions
(clicks, fills, selects and uploads are counted as they happen; page loads are counted on every
tab's main frame). A resident then reads it without logging in.
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from news.models import Photo, Story
from tests.news import factories as nf

pytestmark = pytest.mark.browser


def log_in(page, user, live_server):
    """The session cookie of a logged-in editor: logging in is not part of the journey counted."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


class Counter:
    def __init__(self, page):
        self.actions = 0
        self.loads = []
        self.watch(page)
        page.context.on("page", self.watch)

    def watch(self, tab):
        tab.on("framenavigated", lambda frame: frame == tab.main_frame and self.loads.append(frame.url))

    def __call__(self, action, *args, **kwargs):
        self.actions += 1
        return action(*args, **kwargs)


def test_editor_previews_and_publishes_a_story_in_three_pages_and_twelve_actions(
    page, live_server, places, editor_chunshu, screenshot, tmp_path
):
    photos = []
    for name, colour in (("square.jpg", (200, 80, 60)), ("alley.jpg", (60, 120, 200))):
        path = tmp_path / name
        path.write_bytes(nf.jpeg_bytes(size=(1400, 900), colour=colour, gps=True))
        photos.append(str(path))
    log_in(page, editor_chunshu, live_server)
    count = Counter(page)

    page.goto("/admin/news/story/add/")
    count(page.fill, "#id_title", "椿树园社区便民服务日再相聚")
    count(page.select_option, "#id_sections-0-community", label="椿树园社区")
    count(page.fill, "#id_sections-0-heading", "健身广场上的服务台")
    count(page.set_input_files, "#id_sections-0-photos-0-image", photos[0])
    count(page.fill, "#id_sections-0-photos-0-alt_text", "医生为老人量血压")
    count(page.locator(".djn-add-handler.djn-model-news-storysection").click)
    count(page.select_option, "#id_sections-1-community", label="红线社区")
    count(page.fill, "#id_sections-1-heading", "红线社区的邻里互助")
    count(page.set_input_files, "#id_sections-1-photos-0-image", photos[1])
    count(page.fill, "#id_sections-1-photos-0-alt_text", "志愿者看望独居老人")

    screenshot(page, "story-desk-form")

    # Preview the unsaved story in a new tab, drawn by the real story template at phone width.
    with page.expect_popup() as popup:
        count(page.get_by_role("button", name="预览（不保存，在新标签页打开）").click)
    preview = popup.value
    frame = preview.frame_locator("iframe.story-preview-frame")
    expect(frame.get_by_role("heading", name="椿树园社区便民服务日再相聚")).to_be_visible()
    expect(frame.get_by_role("heading", name="健身广场上的服务台")).to_be_visible()
    expect(frame.get_by_role("heading", name="红线社区的邻里互助")).to_be_visible()
    expect(frame.get_by_role("img", name="志愿者看望独居老人")).to_be_attached()
    assert preview.locator("iframe.story-preview-frame").bounding_box()["width"] == pytest.approx(390, abs=4)
    screenshot(preview, "story-desk-preview-phone")
    assert not Story.objects.exists()  # nothing was saved by the preview

    count(page.get_by_role("button", name="保存并发布").click)
    expect(page.locator(".messagelist")).to_contain_text("已发布，居民现在就能看到")
    screenshot(page, "story-desk-published")

    assert count.actions <= 12, count.actions
    assert len(count.loads) <= 3, count.loads
    story = Story.objects.get()
    assert story.is_public and story.slug == "chun-shu-yuan-she-qu-bian-min-fu-wu-ri-zai-xiang-ju"
    assert Photo.objects.filter(section__story=story).count() == 2
    resident = Client().get(story.get_absolute_url())
    assert resident.status_code == 200
    html = resident.content.decode()
    for text in ("健身广场上的服务台", "红线社区的邻里互助", 'alt="医生为老人量血压"', 'alt="志愿者看望独居老人"'):
        assert text in html
