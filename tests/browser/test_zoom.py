"""200% zoom (WCAG 1.4.4 resize text, 1.4.10 reflow).

A 1280 px wide window zoomed to 200% lays pages out in 640 CSS pixels at two device pixels
each, which is what this test opens. Against the same page at 100%, every key page keeps all
of its text, scrolls only vertically, clips nothing, and keeps the navigation and the display
controls on screen and reachable by Tab.
"""

import re

import pytest
from django.core.management import call_command

from tests.browser import keyboard

pytestmark = pytest.mark.browser

KEY_PAGES = [
    "/",
    "/news/",
    "/news/zou-shequ-28/",
    "/communities/chunshu/chunshuyuan/",
    "/events/",
    "/volunteers/",
    "/feedback/",
    "/feedback/new/",
    "/accessibility/",
    "/accounts/login/",
]

LAYOUT_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const scrollable = (el) => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const o = getComputedStyle(n).overflowX;
      if ((o === 'auto' || o === 'scroll') && n !== document.documentElement && n !== document.body) return true;
    }
    return false;
  };
  const hidden = (el) => el.closest('.visually-hidden, .fb-hp, .skip-link, [hidden], [aria-hidden="true"]');
  const problems = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (hidden(el)) continue;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const text = (el.innerText || el.alt || '').trim().replace(/\\s+/g, ' ').slice(0, 30);
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '';
    const name = `<${el.tagName.toLowerCase()}${cls}> “${text}”`;
    if ((r.right > vw + 1 || r.left < -1) && !scrollable(el))
      problems.push(`${name} sticks out of the window (${Math.round(r.left)}–${Math.round(r.right)} of ${vw}px)`);
    if ((s.overflowX === 'hidden' || s.overflowX === 'clip' || s.overflowY === 'hidden') && text
        && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
      problems.push(`${name} clips its content: ${el.scrollWidth}x${el.scrollHeight} `
                    + `in ${el.clientWidth}x${el.clientHeight}`);
  }
  return {
    overflow: document.documentElement.scrollWidth - vw,
    problems: problems.slice(0, 10),
    text: document.querySelector('main').innerText,
    nav: [...document.querySelectorAll('.nav-list a, .display-controls .pref-btn, #site-search')].map((el) => {
      const r = el.getBoundingClientRect();
      return { name: el.innerText || el.id, visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= vw + 1 };
    }),
  };
}
"""


def words(text):
    return re.sub(r"\s+", "", text)


@pytest.fixture
def demo(settings, transactional_db):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False


def test_key_pages_at_200_percent_zoom_keep_all_content(browser, live_server, demo, screenshot):
    from events.models import ServiceDay

    pages = KEY_PAGES + [ServiceDay.objects.order_by("-date").first().get_absolute_url()]
    normal = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    zoomed = browser.new_context(
        base_url=live_server.url, viewport={"width": 640, "height": 450}, device_scale_factor=2, locale="zh-CN"
    )
    keyboard.install(zoomed)
    normal_page, zoomed_page = normal.new_page(), zoomed.new_page()
    problems = []
    for url in pages:
        normal_page.goto(url)
        zoomed_page.goto(url)
        assert zoomed_page.evaluate("window.innerWidth") == 640
        at_100, at_200 = normal_page.evaluate(LAYOUT_JS), zoomed_page.evaluate(LAYOUT_JS)
        if at_200["overflow"] > 1:
            problems.append(f"{url}: scrolls sideways by {at_200['overflow']}px at 200%")
        problems += [f"{url}: {p}" for p in at_200["problems"]]
        if words(at_200["text"]) != words(at_100["text"]):
            missing = set(at_100["text"].split("\n")) - set(at_200["text"].split("\n"))
            problems.append(f"{url}: main text differs at 200%; lines missing: {sorted(missing)[:5]}")
        problems += [f"{url}: {n['name']} not on screen at 200%" for n in at_200["nav"] if not n["visible"]]
    zoomed_page.goto("/")
    screenshot(zoomed_page, "zoom-200-home")

    # Every navigation link is reached by Tab at 200%, each one on screen with its focus ring.
    zoomed_page.goto("/news/zou-shequ-28/")
    screenshot(zoomed_page, "zoom-200-story")
    for name in ("首页", "新闻资讯", "社区", "便民服务日", "志愿服务", "吹哨报到"):
        problems += keyboard.tab_to(zoomed_page, keyboard.by_label(name))
    normal.close()
    zoomed.close()
    assert not problems, "\n".join(problems)
