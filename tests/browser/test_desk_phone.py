"""The staff desk on a phone (390 px): a community worker accepts and dispatches a case, a department
officer reports on site with a photo taken on the phone; every form fits the screen and every move is
stored. Also the desk's first page and a list at 1280 and 390 px, as the README's screenshots."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from communities.models import StaffScope
from feedback.intake import submit_case
from feedback.models import Case, CasePhoto, Category, DispatchTask
from tests import factories
from tests.browser.staff import log_in, photo_file
from tests.news import factories as nf

pytestmark = pytest.mark.browser
Role = StaffScope.Role
# The README's pictures are written to docs/screenshots when DESK_SCREENSHOTS=1 (a deliberate refresh),
# otherwise to var/screenshots like every other browser test's.
DOCS = Path(django_settings.BASE_DIR) / ("docs" if os.environ.get("DESK_SCREENSHOTS") == "1" else "var") / "screenshots"


def fits(page):
    """Nothing wider than the phone: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


@pytest.fixture
def district(transactional_db):
    shichahai = factories.street(name="什刹海街道", slug="shichahai")
    sihuan = factories.community(shichahai, name="四环社区", slug="sihuan")
    category = Category.objects.create(name="路面破损", slug="road", onsite_days=3, resolve_days=20)
    fangguan = factories.department("什刹海街道房管所", shichahai, kind="housing")
    factories.staff(Role.COMMUNITY_WORKER, "worker-sihuan", community=sihuan)
    factories.staff(Role.DEPARTMENT_OFFICER, "officer-fangguan", department=fangguan)
    case, _ = submit_case(
        community=sihuan,
        category=category,
        place="四环胡同28号院",
        description="院内地面起皮破损，坑洼不平，老人出门不便。",
    )
    return {"case": case, "sihuan": sihuan, "fangguan": fangguan}


def test_case_moves_on_a_phone_with_a_photo(phone_page, district, tmp_path):
    page = phone_page
    case = district["case"]

    # The community worker, out in the hutong: 受理 then 吹哨, each one form on one screen.
    log_in(page, "worker-sihuan")
    fits(page)
    expect(page.get_by_role("link", name=re.compile(case.code))).to_be_visible()  # on the 工作台's to-do list
    page.get_by_role("link", name=re.compile(case.code)).first.click()
    page.get_by_role("button", name="受理", exact=True).wait_for()
    fits(page)
    page.locator("#id_accept-note").fill("已到现场看过，尽快协调房管所。")
    page.locator("#id_accept-photos").set_input_files(photo_file(tmp_path, "spot.jpg", (150, 140, 128)))
    expect(page.locator(".desk-photo-name").first).to_have_text("spot.jpg")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_text("已受理。")).to_be_visible()
    fits(page)
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACCEPTED
    assert CasePhoto.objects.filter(case=case, task=None).count() == 1  # the worker's, taken on the spot

    page.get_by_label("主办部门").select_option(label="什刹海街道房管所")
    page.get_by_role("button", name="吹哨派单").click()
    expect(page.get_by_text("已吹哨派单。")).to_be_visible()
    fits(page)
    assert Case.objects.get(pk=case.pk).status == Case.Status.DISPATCHED

    # The 房管所 officer: the task is on the 工作台; 报到 with a photo from the phone's camera.
    log_in(page, "officer-fangguan")
    task = DispatchTask.objects.get(case=case)
    page.get_by_role("link", name=re.compile(case.code)).first.click()
    page.get_by_label("到场人员").wait_for()
    fits(page)
    camera = page.locator("input[name='onsite-photos'][capture='environment']")
    expect(camera).to_have_attribute("accept", "image/*")
    expect(page.locator(".desk-photo-camera").first).to_be_visible()  # a touch screen offers 拍照
    page.get_by_label("到场人员").fill("房管所 2 人")
    camera.set_input_files(photo_file(tmp_path, "onsite.jpg", (90, 120, 160)))
    expect(page.locator(".desk-photo-name").first).to_have_text("onsite.jpg")
    page.get_by_role("button", name="到场报到").click()
    expect(page.get_by_text("已到场报到。")).to_be_visible()
    fits(page)
    task.refresh_from_db()
    assert task.status == DispatchTask.Status.ON_SITE and task.onsite_people == "房管所 2 人"
    stored = CasePhoto.objects.get(task=task)
    assert stored.role == CasePhoto.Role.BEFORE and stored.image.storage.exists(stored.image.name)
    expect(page.locator("img.desk-thumb").first).to_be_visible()  # the photo shows as a picture


def test_the_menu_hides_behind_its_button_and_lists_are_cards(phone_page, district):
    page = phone_page
    log_in(page, "worker-sihuan")
    expect(page.locator("#nav-sidebar")).to_be_hidden()
    page.goto("/admin/feedback/case/")
    menu = page.get_by_role("button", name="显示或隐藏菜单")
    expect(menu).to_be_visible()
    expect(page.locator("#nav-sidebar")).to_be_hidden()
    first = page.locator("#result_list tbody tr").first
    expect(first.locator("th a")).to_have_text(district["case"].code)
    box = first.locator("th").bounding_box()
    assert box["width"] >= 6 * 16  # the title keeps at least six characters a line
    fits(page)
    menu.click()
    expect(page.locator("#nav-sidebar")).to_be_visible()
    fits(page)


def test_the_editor_toolbar_speaks_chinese(page, transactional_db):
    shichahai = factories.street(name="什刹海街道", slug="shichahai")
    factories.community(shichahai, name="四环社区", slug="sihuan")
    factories.staff(Role.STREET_EDITOR, "editor-shichahai", street=shichahai)
    log_in(page, "editor-shichahai")
    page.goto("/admin/news/story/add/")
    bold = page.locator(".prose-menubar__button[data-name='bold']").first
    expect(bold).to_have_attribute("title", "加粗")
    expect(bold).to_have_attribute("aria-label", "加粗")
    expect(page.locator(".prose-menubar__button[data-name='history:undo']").first).to_have_attribute("title", "撤销")
    expect(page.locator(".prose-menubar__option[data-name='heading2']").first).to_have_text("二级标题")
    english = page.evaluate(
        """() => [...document.querySelectorAll('.prose-menubar [title], .prose-menubar [aria-label]')]
              .flatMap(n => [n.getAttribute('title'), n.getAttribute('aria-label')])
              .filter(t => t && /[A-Za-z]/.test(t))"""
    )
    assert english == []
    height = page.locator(".prose-editor .ProseMirror[contenteditable=true]").first.bounding_box()["height"]
    assert height >= 200  # a body you can write in, not one line


@pytest.mark.parametrize("width", [1280, 390])
def test_desk_screenshots(browser, live_server, district, width):
    nf.story([district["sihuan"]], title="四环社区的新台阶", status="review", published_at=None)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900 if width > 390 else 844},
        locale="zh-CN",
        is_mobile=width == 390,
        has_touch=width == 390,
    )
    page = context.new_page()
    try:
        log_in(page, "worker-sihuan")
        expect(page.get_by_role("heading", name="今天要办")).to_be_visible()
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"desk-home-{width}.png"))
        page.goto("/admin/feedback/case/")
        expect(page.locator("#result_list")).to_be_visible()
        page.screenshot(path=str(DOCS / f"desk-cases-{width}.png"))
    finally:
        context.close()
