"""Every public page on a 390 px phone, in normal mode, 长辈模式 and English + 长辈模式.

No page scrolls sideways; the 吹哨报到 board shows a case and /events/ the next service day
within the first two screens; no navigation label breaks inside a word; tables turn into
stacked cards. The demo district is loaded once and each mode gets one browser context.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TWO_SCREENS = 2 * PHONE["height"]
MODES = {
    "normal": {},
    "elder": {"elder": "1"},
    "english-elder": {"elder": "1", "django_language": "en"},
}
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

PAGES = [
    "/",
    "/news/",
    "/news/zou-shequ-28/",
    "/news/columns/zou-shequ/28/",
    "/events/",
    "/volunteers/",
    "/volunteers/teams/lishuangjun/",
    "/accounts/login/",
    "/accounts/register/",
    "/feedback/",
    "/feedback/new/",
    "/communities/",
    "/communities/chunshu/chunshuyuan/",
    "/search/?q=义剪",
    "/my/",
]

# Open every fold first: a table folded away cannot push the page wider, an open one might.
WIDTH_JS = """
() => {
  document.querySelectorAll('main details').forEach((d) => { d.open = true; });
  const wide = [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.visually-hidden'))
    .slice(-3)
    .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`);
  return { width: document.documentElement.scrollWidth, wide };
}
"""

# A label broken inside a word puts its text on two lines: count the lines its words occupy.
BROKEN_LABELS_JS = """
() => [...document.querySelectorAll('.nav-list a, .display-controls .pref-btn, .nav-menu-button')]
  .filter((el) => {
    const lines = new Set();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) lines.add(Math.round(r.top));
    }
    return lines.size !== 1;
  })
  .map((el) => el.textContent.trim())
"""


@pytest.fixture
def demo(settings, transactional_db):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False  # the friendly error pages, not Django's debug pages


def demo_pages():
    """Pages whose address depends on the demo rows."""
    from events.models import ServiceDay
    from feedback.models import Case

    case = Case.objects.published().filter(tasks__isnull=False).order_by("-resolved_at").first()
    return [ServiceDay.objects.upcoming().first().get_absolute_url(), case.get_absolute_url()]


def phone_context(browser, live_server, mode):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": k, "value": v, "url": live_server.url} for k, v in MODES[mode].items()])
    return context


def top_on_page(locator):
    return locator.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY")


def test_every_public_page_fits_a_phone_in_every_mode(browser, live_server, demo):
    from events.models import ServiceDay

    pages = PAGES + demo_pages()
    next_day = ServiceDay.objects.upcoming().first()
    problems = []
    for mode in MODES:
        context = phone_context(browser, live_server, mode)
        page = context.new_page()
        for url in pages:
            page.goto(url)
            where = f"{url} [{mode}]"
            layout = page.evaluate(WIDTH_JS)
            if layout["width"] > PHONE["width"]:
                problems.append(f"{where}: {layout['width']} px wide, widest: {layout['wide']}")

        # The navigation: behind the 菜单 button on a phone, and no label breaks inside a word.
        page.goto("/news/")
        links = page.locator(".nav-list a")
        expect(links.first).to_be_hidden()
        page.get_by_text("菜单" if mode != "english-elder" else "Menu", exact=True).click()
        expect(links.first).to_be_visible()
        assert links.count() >= 6  # 首页 … 吹哨报到, and any section added to includes/nav_links.html
        broken = page.evaluate(BROKEN_LABELS_JS)
        problems += [f"nav [{mode}]: “{label}” breaks over lines" for label in broken]
        menu_bottom = page.locator(".site-topbar").bounding_box()
        if menu_bottom["height"] > 0.3 * PHONE["height"]:
            problems.append(f"header [{mode}]: {menu_bottom['height']:.0f} px tall")

        # The board: a case within the first two screens.
        page.goto("/feedback/")
        first_case = page.locator(".fb-case h3 a").first
        expect(first_case).to_be_visible()
        if top_on_page(first_case) >= TWO_SCREENS:
            problems.append(f"/feedback/ [{mode}]: the first case starts at {top_on_page(first_case):.0f} px")

        # Service days: the next one within the first two screens, the month as a list.
        page.goto("/events/")
        first_day = page.locator(".day-agenda .day-card a").first
        expect(first_day).to_have_attribute("href", next_day.get_absolute_url())
        if top_on_page(first_day) >= TWO_SCREENS:
            problems.append(f"/events/ [{mode}]: the next service day starts at {top_on_page(first_day):.0f} px")
        expect(page.locator(".month-list")).to_be_visible()
        expect(page.locator(".month-calendar")).to_be_hidden()
        context.close()
    assert not problems, "\n".join(problems)


def test_menu_opens_from_the_keyboard_and_escape_closes_it(phone_page, db):
    phone_page.goto("/volunteers/")
    button = phone_page.locator(".nav-menu-button")
    links = phone_page.get_by_role("navigation", name="主导航").get_by_role("link")
    expect(links.first).to_be_hidden()
    button.focus()
    phone_page.keyboard.press("Enter")
    expect(links.first).to_be_visible()
    current = phone_page.get_by_role("link", name="志愿服务", exact=True)
    expect(current).to_have_attribute("aria-current", "page")
    assert current.bounding_box()["height"] >= 44  # a big tap target
    phone_page.keyboard.press("Escape")
    expect(links.first).to_be_hidden()
    expect(button).to_be_focused()


def test_month_links_point_the_right_way_and_tables_stack_into_cards(phone_page, live_server, demo):
    phone_page.goto("/events/")
    arrows = phone_page.evaluate(
        """() => [getComputedStyle(document.querySelector('.month-prev'), '::before').content,
                  getComputedStyle(document.querySelector('.month-next'), '::after').content]"""
    )
    assert "←" in arrows[0] and "→" in arrows[1]
    expect(phone_page.locator(".month-prev")).to_have_text("上个月")
    expect(phone_page.locator(".month-next")).to_have_text("下个月")

    # Each figures row is a card: its cells stacked, each led by its column's name.
    phone_page.goto("/feedback/")
    phone_page.get_by_text("各街道办得怎么样", exact=True).click()
    table = phone_page.locator("table.stack-table").filter(has_text="按街道")
    expect(table).to_be_visible()
    expect(table).to_have_attribute("role", "table")
    cell = table.locator("td[data-label]").first
    label = cell.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert "收到的问题" in label
    first_row, second_row = (
        table.locator("tbody tr").nth(0).bounding_box(),
        table.locator("tbody tr").nth(1).bounding_box(),
    )
    assert second_row["y"] >= first_row["y"] + first_row["height"]  # stacked, not side by side
    assert first_row["width"] <= PHONE["width"]

    # Charts write their words at 16 px or more, however narrow the phone.
    sizes = phone_page.evaluate(
        """() => [...document.querySelectorAll('details[open] .fb-chart text')]
                 .map((t) => t.getBoundingClientRect().height && parseFloat(getComputedStyle(t).fontSize))"""
    )
    assert sizes and min(sizes) >= 16


def test_readme_screenshots_of_the_board_and_service_days(browser, live_server, demo):
    """One phone screen each, from the first section of the page (the live server serves no
    photos, so shots of pages with photos near the top come from `make run` instead).
    UPDATE_DOCS_SCREENSHOTS=1 copies them into docs/screenshots/."""
    context = phone_context(browser, live_server, "normal")
    page = context.new_page()
    shots = {}
    for name, url, start in (
        ("board-phone", "/feedback/", "#fb-figures"),
        ("service-days-phone", "/events/", "#upcoming"),
    ):
        page.goto(url)
        heading = page.locator(start)
        heading.evaluate("(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12)")
        expect(heading).to_be_in_viewport()
        path = Path(__file__).resolve().parents[2] / "var" / "screenshots" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))
        assert path.stat().st_size < 300_000
        shots[name] = path
    context.close()
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        for name, path in shots.items():
            shutil.copyfile(path, DOCS_SCREENSHOTS / f"{name}.png")
