"""The newsroom end to end in a real browser: an editor writes and publishes, a resident reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Photo, Story
from tests import factories
from tests.news import factories as nf

pytestmark = pytest.mark.browser


def login(page, username):
    page.goto("/admin/login/?next=/admin/news/story/add/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/news/story/add/")


def type_in_editor(page, index, text):
    editor = page.locator(".ProseMirror:visible").nth(index)
    editor.click()
    page.keyboard.type(text)


def pick_community(page, name):
    page.locator(".field-communities .select2-selection").click()
    page.keyboard.type(name[:3])
    page.locator(".select2-results__option", has_text=name).click()


def test_editor_publishes_a_story_with_sections_and_a_photo_and_a_resident_reads_it(
    page, browser, live_server, places, editor_chunshu, screenshot, tmp_path
):
    login(page, "editor-chunshu")
    page.fill("#id_title", "椿树园社区便民服务日再相聚")
    page.fill("#id_lead", "十多家辖区单位来到健身广场，义诊、理发、法律咨询都排起了队。")
    type_in_editor(page, 0, "这个月的便民服务日如期举行。")
    page.select_option("#id_sections-0-community", label="椿树园社区")
    page.fill("#id_sections-0-heading", "健身广场上的服务台")
    type_in_editor(page, 1, "卫生服务站为居民量血压。")
    # The photo goes in with its section, on the same page, before anything is saved.
    photo_file = tmp_path / "clinic.jpg"
    photo_file.write_bytes(nf.jpeg_bytes(size=(1400, 900), gps=True))
    page.set_input_files("#id_sections-0-photos-0-image", str(photo_file))
    page.fill("#id_sections-0-photos-0-caption", "居民在服务台前量血压")
    page.fill("#id_sections-0-photos-0-alt_text", "医生为老人量血压")
    page.locator(".djn-add-handler.djn-model-news-storysection").click()
    page.select_option("#id_sections-1-community", label="红线社区")
    page.fill("#id_sections-1-heading", "红线社区的邻里互助")
    type_in_editor(page, 2, "志愿者上门看望独居老人。")
    page.select_option("#id_status", "published")
    page.click("button[name=_continue]")
    page.wait_for_selector(".messagelist, .errornote")
    assert page.locator(".errornote").count() == 0, page.content()[:3000]
    story = Story.objects.get(title="椿树园社区便民服务日再相聚")
    assert story.status == Story.Status.PUBLISHED
    assert story.sections.count() == 2
    assert Photo.objects.filter(section__story=story).count() == 1
    screenshot(page, "news-admin-story-saved")

    resident = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    resident.goto("/")
    resident.get_by_role("link", name="椿树园社区便民服务日再相聚").first.click()
    resident.wait_for_url(f"**/news/{story.slug}/")
    assert resident.get_by_role("heading", name="健身广场上的服务台").is_visible()
    assert resident.get_by_role("heading", name="红线社区的邻里互助").is_visible()
    assert resident.get_by_text("居民在服务台前量血压").is_visible()
    image = resident.get_by_role("img", name="医生为老人量血压")
    image.scroll_into_view_if_needed()
    assert image.get_attribute("srcset")
    # 字号 大 works without JavaScript: a form post and a reload.
    resident.get_by_role("button", name="大", exact=True).click()
    resident.wait_for_load_state()
    assert "fs-l" in resident.evaluate("document.documentElement.className")
    screenshot(resident, "news-story-resident")
    resident.context.close()


def test_scheduled_story_stays_hidden(page, places):
    nf.story(
        [places["chunshuyuan"]],
        title="明天才发布的新闻",
        slug="tomorrow",
        published_at=timezone.now() + timedelta(days=1),
    )
    page.goto("/")
    assert page.get_by_text("明天才发布的新闻").count() == 0
    page.goto("/news/")
    assert page.get_by_text("明天才发布的新闻").count() == 0
    response = page.goto("/news/tomorrow/")
    assert response.status == 404


def test_community_worker_cannot_publish_or_see_another_streets_drafts(page, places, worker_sihuan):
    nf.story([places["chunshuyuan"]], title="椿树园的内部草稿", status=Story.Status.DRAFT, published_at=None)
    login(page, "worker-sihuan")
    options = page.locator("#id_status option").all_inner_texts()
    assert "已发布" not in options and "待审核" in options
    # Even a forged option is refused on the server.
    page.fill("#id_title", "四环社区想直接发布")
    pick_community(page, "四环社区")
    page.evaluate(
        "() => { const s = document.querySelector('#id_status');"
        " const o = new Option('已发布', 'published'); s.add(o); s.value = 'published'; }"
    )
    with page.expect_navigation():  # the refusal is a new page: wait for it before looking
        page.click("button[name=_save]")
    page.locator(".errornote").wait_for()
    assert page.locator(".errornote").is_visible()
    assert not Story.objects.filter(title="四环社区想直接发布").exists()
    page.goto("/admin/news/story/")
    assert page.get_by_text("椿树园的内部草稿").count() == 0


def test_read_aloud_shows_only_where_the_browser_can_speak(page, browser, live_server, places):
    nf.story([places["chunshuyuan"]], title="朗读测试", slug="speak", body="<p>这是一段可以朗读的正文。</p>")
    page.add_init_script(
        "window.__spoken = []; Object.defineProperty(window, 'speechSynthesis', { configurable: true,"
        " value: { speaking: false, pending: false, speak(u) { window.__spoken.push(u.text); }, cancel() {} } });"
        " window.SpeechSynthesisUtterance = function (text) { this.text = text; };"
    )
    page.goto("/news/speak/")
    button = page.get_by_role("button", name="朗读")
    assert button.is_visible()
    assert page.get_by_role("button", name="打印").is_visible()
    button.click()
    assert "可以朗读的正文" in "".join(page.evaluate("window.__spoken"))
    assert page.get_by_role("button", name="停止朗读").get_attribute("aria-pressed") == "true"

    mute = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    mute.add_init_script(
        "delete window.speechSynthesis; delete Window.prototype.speechSynthesis;"
        " delete window.SpeechSynthesisUtterance;"
    )
    mute.goto("/news/speak/")
    assert mute.locator("[data-read-aloud]").is_hidden()
    mute.context.close()
