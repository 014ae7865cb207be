"""Keyboard-only journeys: only Tab, Shift+Tab, Enter, Space, arrows and typing into the focused field.

Every element focus stops on is checked on the way (on screen, uncovered, a visible focus
indicator with enough contrast: see tests/browser/keyboard.py); the problems of a whole
journey are reported together at the end.
"""

import re

import pytest

from feedback.models import Case, Category
from tests import factories
from tests.browser import keyboard
from tests.browser.keyboard import by_id, by_label, label_starts, tab_to
from tests.events import factories as ef
from tests.news import factories as nf
from volunteers.models import Signup

pytestmark = pytest.mark.browser

# The story tools call window.print and the clipboard; record the calls instead.
STUBS_JS = """
window.__printed = 0;
window.print = () => { window.__printed += 1; };
window.__copied = [];
delete Navigator.prototype.share;
Object.defineProperty(navigator, 'clipboard', {
  value: { writeText: (text) => { window.__copied.push(text); return Promise.resolve(); } },
});
"""


@pytest.fixture
def kb_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    keyboard.install(context)
    context.add_init_script(STUBS_JS)
    tab = context.new_page()
    yield tab
    context.close()


def press(page, key):
    """Press a key that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)


def skip_to_main(page, problems):
    """From the top of a freshly loaded page: the first Tab reaches the skip link, Enter uses it."""
    page.keyboard.press("Tab")
    state = keyboard.focused(page)
    assert state["label"] == "跳到正文", state
    problems += keyboard.focus_problems(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def html_font_class(page):
    return re.search(r"fs-[lms]", page.evaluate("document.documentElement.className")).group(0)


@pytest.fixture
def stories(places):
    community = places["chunshuyuan"]
    older = nf.story([community], title="红线社区的邻里互助", lead="志愿者上门看望独居老人。")
    story = nf.story([community], title="椿树园社区便民服务日再相聚", lead="十多家辖区单位来到健身广场。")
    newer = nf.story([community], title="琉璃厂西街的胡同花园", lead="居民一起种下月季。")
    nf.section(story, community, heading="健身广场上的服务台", body="<p>卫生服务站为居民量血压。</p>")
    # nf.story staggers publication times by creation order: the first one is the newest.
    return {"story": story, "previous": newer, "next": older}


def test_story_page_by_keyboard(kb_page, stories, screenshot):
    page, story, problems = kb_page, stories["story"], []
    page.goto(story.get_absolute_url())

    # Skip link, then the first Tab after it lands in the content (the breadcrumb), not the header.
    skip_to_main(page, problems)
    problems += tab_to(page, lambda s: True)
    assert page.evaluate("document.activeElement.closest('main') !== null")
    screenshot(page, "keyboard-story-skip-link")

    # 字号 大: a form button; the page comes back with larger text, 大 marked as pressed.
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article-body')).fontSize)")
    problems += tab_to(page, by_label("大"))
    press(page, "Enter")
    assert html_font_class(page) == "fs-l"
    larger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article-body')).fontSize)")
    assert larger > before
    assert page.get_by_role("button", name="大").get_attribute("aria-pressed") == "true"
    screenshot(page, "keyboard-story-font-large")

    # After the reload a keyboard user starts at the top again: skip link, then on to 小 with Space.
    skip_to_main(page, problems)
    problems += tab_to(page, by_label("小"))
    press(page, "Space")
    assert html_font_class(page) == "fs-s"
    skip_to_main(page, problems)
    problems += tab_to(page, by_label("中"))
    press(page, "Enter")
    assert html_font_class(page) == "fs-m"

    # 打印 and 分享 are buttons that work with Enter and Space.
    skip_to_main(page, problems)
    problems += tab_to(page, by_label("打印"))
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1
    problems += tab_to(page, by_label("分享"))
    page.keyboard.press("Space")
    page.get_by_text("链接已复制").wait_for()
    copied = page.evaluate("window.__copied")
    assert len(copied) == 1 and copied[0].endswith(story.get_absolute_url())  # the story's canonical address

    # 朗读 is reachable (what it reads is tested in test_read_aloud.py).
    problems += tab_to(page, label_starts("朗读"))
    screenshot(page, "keyboard-story-tools")

    # 下一篇 leads on, 上一篇 on that page leads back.
    problems += tab_to(page, label_starts("下一篇"))
    press(page, "Enter")
    assert page.url.endswith(stories["next"].get_absolute_url())
    skip_to_main(page, problems)
    problems += tab_to(page, label_starts("上一篇"))
    screenshot(page, "keyboard-story-previous")
    press(page, "Enter")
    assert page.url.endswith(story.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == story.title

    # Shift+Tab walks back through the page to the skip link as well.
    problems += tab_to(page, by_label("跳到正文"), backwards=True, limit=200)
    assert not problems, "\n".join(problems)


def test_volunteer_signs_up_by_keyboard(kb_page, places, settings, screenshot):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page, problems = kb_page, []
    day = ef.day(places["chunshuyuan"], days_ahead=10, title="椿树园社区便民服务日", place="椿树园小区健身广场")
    role = ef.role(day, title="引导", places=2)
    volunteer = ef.volunteer("xiaoli", real_name="李小丽")

    page.goto(day.get_absolute_url())
    skip_to_main(page, problems)
    problems += tab_to(page, label_starts("登录后报名"))
    screenshot(page, "keyboard-signup-day")
    press(page, "Enter")
    assert "/accounts/login/" in page.url

    # The login page puts focus straight into the username field.
    assert keyboard.focused(page)["id"] == "id_username"
    problems += keyboard.focus_problems(page)
    page.keyboard.type("xiaoli")
    problems += tab_to(page, by_id("id_password"))
    page.keyboard.type(factories.PASSWORD)
    screenshot(page, "keyboard-signup-login")
    press(page, "Enter")
    # Back at the role's card, where Tab starts: the next stop is the role's own button.
    assert page.url.endswith(f"{day.get_absolute_url()}#role-{role.pk}")
    problems += tab_to(page, label_starts("报名这个岗位"), limit=1)
    screenshot(page, "keyboard-signup-role")
    press(page, "Enter")
    assert page.url.endswith("/volunteers/me/")
    assert page.get_by_text("报名成功").is_visible()
    assert page.locator(".signup-item").filter(has_text="引导").get_by_text("已确认").is_visible()
    assert Signup.objects.get(volunteer=volunteer).status == Signup.Status.CONFIRMED
    screenshot(page, "keyboard-signup-done")
    assert not problems, "\n".join(problems)


@pytest.fixture
def categories(places):
    Category.objects.create(name="路面破损", slug="road", onsite_days=3, resolve_days=20)
    Category.objects.create(name="无障碍", slug="access", onsite_days=3, resolve_days=20)


def choose(page, text):
    """Pick an option of the focused <select> with the arrow keys, as on a keyboard."""
    selected = lambda: page.evaluate("document.activeElement.selectedOptions[0].textContent.trim()")  # noqa: E731
    for _ in range(30):
        if selected() == text:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {text} not reached with ArrowDown; stuck at {selected()}")


def test_feedback_report_by_keyboard(kb_page, places, categories, screenshot):
    page, problems = kb_page, []
    page.goto("/feedback/new/")
    skip_to_main(page, problems)
    problems += tab_to(page, by_id("id_community"))
    choose(page, "四环社区")
    problems += tab_to(page, by_id("id_place"))
    page.keyboard.type("四环胡同28号院")
    problems += tab_to(page, by_id("id_category"))
    choose(page, "路面破损")
    problems += tab_to(page, by_id("id_description"))
    page.keyboard.type("院子地面起皮剥落、坑洼不平，院里老人多，出门很不方便。")
    problems += tab_to(page, by_id("id_contact_name"))
    page.keyboard.type("王阿姨")
    problems += tab_to(page, by_id("id_consent"))
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    problems += tab_to(page, by_label("提交"))
    screenshot(page, "keyboard-feedback-filled")
    press(page, "Enter")

    code = page.get_by_test_id("case-code").inner_text().strip()
    assert re.fullmatch(r"SH-\d{4}-\d{6}", code)
    case = Case.objects.get(code=code)
    assert case.place == "四环胡同28号院"
    assert case.category.name == "路面破损"
    assert case.contact_name == "王阿姨"
    screenshot(page, "keyboard-feedback-code")
    assert not problems, "\n".join(problems)


def test_empty_feedback_report_by_keyboard_lands_on_the_error_summary(kb_page, places, categories, screenshot):
    page, problems = kb_page, []
    page.goto("/feedback/new/")
    skip_to_main(page, problems)
    problems += tab_to(page, by_label("提交"))
    press(page, "Enter")

    # Focus is on the summary at the top, which names every missing field with a link to it.
    summary = page.locator("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.is_visible()
    assert page.evaluate("document.getElementById('error-summary').getBoundingClientRect().top") < 400
    links = summary.get_by_role("link")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["#id_community", "#id_place", "#id_category", "#id_description"]
    screenshot(page, "keyboard-feedback-errors")

    # Tab reaches the first link; Enter on it moves focus to that field, which says what is wrong.
    problems += tab_to(page, by_label("问题类别（必填）：这一项必须填写。"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_category"
    described = page.evaluate(
        "document.activeElement.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).innerText.trim())"
    )
    assert "这一项必须填写。" in described
    problems += keyboard.focus_problems(page)
    assert Case.objects.count() == 0
    assert not problems, "\n".join(problems)
