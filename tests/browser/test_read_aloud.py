"""朗读 on a story page: it speaks the title and the body through the Web Speech API, pauses,
resumes and stops by keyboard, and where the browser has no speech it says so instead."""

import pytest

from tests.browser import keyboard
from tests.browser.keyboard import by_label, tab_to
from tests.news import factories as nf

pytestmark = pytest.mark.browser

# A speechSynthesis that records what it is asked to do, so the test can read it back.
FAKE_SPEECH_JS = """
window.__speech = { spoken: [], calls: [] };
const fake = {
  speaking: false, pending: false, paused: false,
  speak(u) { window.__speech.spoken.push({ text: u.text, lang: u.lang }); window.__speech.calls.push('speak');
             this.speaking = true; this.current = u; },
  pause() { window.__speech.calls.push('pause'); this.paused = true; },
  resume() { window.__speech.calls.push('resume'); this.paused = false; },
  cancel() { window.__speech.calls.push('cancel'); this.speaking = false; this.paused = false; },
  getVoices() { return []; },
};
Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.onend = null; };
"""

NO_SPEECH_JS = """
Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
window.SpeechSynthesisUtterance = undefined;
"""


@pytest.fixture
def story(places):
    item = nf.story(
        [places["chunshuyuan"]],
        title="椿树园社区便民服务日再相聚",
        lead="十多家辖区单位来到健身广场。",
        body="<p>义诊、理发、法律咨询都排起了队。</p>",
    )
    nf.section(item, places["chunshuyuan"], heading="健身广场上的服务台", body="<p>卫生服务站为居民量血压。</p>")
    return item


def open_story(browser, live_server, story, script):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    keyboard.install(context)
    context.add_init_script(script)
    page = context.new_page()
    page.goto(story.get_absolute_url())
    return page


def speech(page):
    return page.evaluate("window.__speech")


def test_read_aloud_speaks_title_and_body_and_pauses_and_stops_by_keyboard(browser, live_server, story, screenshot):
    page, problems = open_story(browser, live_server, story, FAKE_SPEECH_JS), []
    pause = page.locator("[data-read-pause]")
    assert pause.is_hidden()

    problems += tab_to(page, by_label("朗读"))
    page.keyboard.press("Enter")
    spoken = " ".join(u["text"] for u in speech(page)["spoken"])
    assert spoken.startswith("椿树园社区便民服务日再相聚。")
    body = (
        "十多家辖区单位来到健身广场。",
        "义诊、理发、法律咨询都排起了队。",
        "健身广场上的服务台",
        "卫生服务站为居民量血压。",
    )
    assert [text for text in body if text not in spoken] == []
    assert "跳到正文" not in spoken and "上一篇" not in spoken  # the page around the story is not read
    assert {u["lang"] for u in speech(page)["spoken"]} == {"zh-CN"}
    read = page.locator("[data-read-aloud]")
    assert read.inner_text() == "停止朗读" and read.get_attribute("aria-pressed") == "true"

    # 暂停朗读 appears right after the button, pauses with Space and becomes 继续朗读.
    problems += tab_to(page, by_label("暂停朗读"), limit=1)
    page.keyboard.press("Space")
    assert speech(page)["calls"][-1] == "pause"
    assert pause.inner_text() == "继续朗读" and pause.get_attribute("aria-pressed") == "true"
    screenshot(page, "read-aloud-paused")
    page.keyboard.press("Enter")
    assert speech(page)["calls"][-1] == "resume"
    assert pause.inner_text() == "暂停朗读"

    # Back to 停止朗读 with Shift+Tab: it cancels, and 暂停 goes away.
    problems += tab_to(page, by_label("停止朗读"), backwards=True, limit=1)
    page.keyboard.press("Enter")
    assert speech(page)["calls"][-1] == "cancel"
    assert read.inner_text() == "朗读" and read.get_attribute("aria-pressed") == "false"
    assert pause.is_hidden()
    assert not problems, "\n".join(problems)
    page.context.close()


def test_without_speech_the_page_says_how_to_listen_instead(browser, live_server, story, screenshot):
    page = open_story(browser, live_server, story, NO_SPEECH_JS)
    assert page.locator("[data-read-aloud]").is_hidden()
    note = page.locator("[data-read-aloud-missing]")
    assert note.is_visible()
    assert "这个浏览器不能朗读" in note.inner_text()
    screenshot(page, "read-aloud-unavailable")
    page.context.close()
