"""On a phone (390 x 844), a refused action is answered where the person is looking: after the POST
the message is inside the viewport without scrolling and has the focus (issue 14, item 3)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.booking import book
from events.models import ResidentBooking
from feedback.models import Case, Category
from tests import factories
from tests.events import factories as ef
from volunteers import signup as rules

pytestmark = pytest.mark.browser

HEIGHT = 844
LONG_TEXT = "本次服务日由社区党委、社区居委会和辖区共建单位共同举办，欢迎居民朋友们前来。\n\n" * 6


@pytest.fixture
def busy_day(transactional_db, settings):
    """A service day whose last role and last service sit far down a phone screen."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    community = factories.community(factories.street(name="椿树街道", slug="chunshu"), name="椿树园社区")
    day = ef.day(community, title="椿树园社区便民服务日", description=LONG_TEXT)
    offerings = [ef.offering(day, places=10) for _ in range(4)]
    roles = [
        ef.role(day, title=f"岗位{i}", description="协助现场秩序和引导，照顾排队的老人。", places=3) for i in range(6)
    ]
    return day, offerings, roles


def in_view(locator):
    """Wholly inside the phone's screen once the page has settled (Bootstrap scrolls smoothly to an
    anchor: the condition is waited for, not a time)."""
    expect(locator).to_be_in_viewport(ratio=1)
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT


def log_in(tab, username, next_url):
    tab.goto(f"/accounts/login/?next={next_url}")
    tab.get_by_label("用户名").fill(username)
    tab.get_by_label("密码").fill(factories.PASSWORD)
    with tab.expect_navigation():
        tab.get_by_role("button", name="登录", exact=True).click()


def press_a_button_the_rules_now_refuse(tab, day, roles, alice):
    """The page is opened while both roles are free; meanwhile (another tab) alice takes the first, at
    the same hours; then she presses 报名这个岗位 on the last role, far down the page."""
    first, last = roles[0], roles[-1]
    log_in(tab, "alice", day.get_absolute_url())
    button = tab.locator(f"#role-{last.pk}").get_by_role("button", name="报名这个岗位")
    expect(button).to_be_visible()
    rules.sign_up(first.pk, alice)
    button.scroll_into_view_if_needed()
    with tab.expect_navigation():
        button.click()
    assert tab.url.endswith(f"#msg-role-{last.pk}")
    message = tab.locator(f"#role-{last.pk} [data-focus-message]")
    expect(message).to_contain_text("时间冲突")
    return message


def test_a_clashing_sign_up_is_answered_in_view_and_focused(phone_page, busy_day, screenshot):
    day, _offerings, roles = busy_day
    alice = ef.volunteer("alice", real_name="艾丽丝")
    message = press_a_button_the_rules_now_refuse(phone_page, day, roles, alice)
    expect(message).to_be_focused()
    assert in_view(message)
    assert phone_page.evaluate("window.scrollY") > HEIGHT  # the card is far down: the page really moved
    screenshot(phone_page, "refusal-signup-390")

    # Reloaded, the page says it before the button: no button to press in vain.
    phone_page.reload()
    card = phone_page.locator(f"#role-{roles[-1].pk}")
    expect(card).to_contain_text("不能报名")
    expect(card.get_by_role("button")).to_have_count(0)


def test_without_javascript_the_anchor_still_shows_the_message(browser, live_server, busy_day):
    day, _offerings, roles = busy_day
    alice = ef.volunteer("alice")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": HEIGHT}, locale="zh-CN", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    try:
        tab = context.new_page()
        message = press_a_button_the_rules_now_refuse(tab, day, roles, alice)
        assert in_view(message)
        expect(message).to_be_focused()  # Chromium focuses a focusable fragment target by itself
    finally:
        context.close()


def test_a_refused_booking_is_answered_in_view_and_focused(phone_page, busy_day, screenshot):
    day, offerings, _roles = busy_day
    last = offerings[-1]
    book(last.pk, "王大妈", "13812345678", "6f0a4f61-1f55-4a35-9e0b-3a1d8a6f2c11")
    phone_page.goto(day.get_absolute_url())
    row = phone_page.locator(f"#offering-{last.pk}")
    row.get_by_label("姓名（必填）").fill("王大妈")
    row.get_by_label("手机号（必填）").fill("13812345678")
    with phone_page.expect_navigation():
        row.get_by_role("button", name="预约").click()

    message = row.locator("[data-focus-message]")
    expect(message).to_contain_text("已经预约过")
    expect(message).to_be_focused()
    assert in_view(message)
    assert phone_page.evaluate("window.scrollY") > HEIGHT
    expect(row.get_by_label("姓名（必填）")).to_have_value("王大妈")  # nothing typed is lost
    assert ResidentBooking.objects.count() == 1
    screenshot(phone_page, "refusal-booking-390")


def test_a_second_metoo_is_answered_in_view_and_focused(phone_page, transactional_db):
    community = factories.community(factories.street(name="什刹海街道", slug="shichahai"), name="四环社区")
    category = Category.objects.create(name="路面破损", slug="road", onsite_days=3, resolve_days=20)
    cases = [
        Case.objects.create(
            code=f"SH-2026-{i:06d}",
            community=community,
            category=category,
            place=f"四环胡同{i}号院",
            description="院内地面起皮破损，坑洼不平，老人出门不便。" * 3,
            status=Case.Status.DISPATCHED,
            respond_deadline=timezone.now() + datetime.timedelta(hours=24),
            is_published=True,
            metoo_count=10 - i,
        )
        for i in range(8)
    ]
    target = cases[-1]
    phone_page.goto("/feedback/")
    card = phone_page.locator(f"#case-{target.code}")
    button = card.get_by_role("button", name="我也遇到了（附议）")
    expect(button).to_be_visible()
    # Meanwhile the same browser seconds it from another tab (same cookies); then this tab's button.
    token = next(c["value"] for c in phone_page.context.cookies() if c["name"] == "csrftoken")
    answer = phone_page.request.post(
        f"/feedback/case/{target.code}/metoo/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": phone_page.url},
        max_redirects=0,
    )
    assert answer.status == 302
    phone_page.request.get("/feedback/")  # that tab showed its answer
    button.scroll_into_view_if_needed()
    with phone_page.expect_navigation():
        button.click()

    message = card.locator("[data-focus-message]")
    expect(message).to_contain_text("您已经附议过")
    expect(message).to_be_focused()
    assert in_view(message)
    assert Case.objects.get(pk=target.pk).metoo_count == 4  # 3 + the other tab's, not this one
