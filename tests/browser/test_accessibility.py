"""Every public page, in every display mode, at phone and desktop width, in headless Chromium.

One test walks all pages so the demo district is loaded once; it collects every
problem and reports them together.
"""

import uuid

import pytest
from django.core.management import call_command

from tests.browser import a11y

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/communities/",
    "/communities/chunshu/",
    "/communities/chunshu/chunshuyuan/",
    "/communities/shichahai/sihuan/",
    "/accessibility/",
    "/my/",
    "/no-such-page/",
    "/news/",
    "/news/zou-shequ-28/",
    "/news/columns/zou-shequ/28/",
    "/events/",
    "/volunteers/",
    "/volunteers/teams/lishuangjun/",
    "/feedback/",
    "/feedback/new/",
    "/search/?q=社区",
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/register/sent/",
    "/accounts/activate/MQ/expired-link/",
]


def demo_pages():
    """Pages whose address depends on the demo rows (ids, random tracking codes, a private link)."""
    from events.models import ServiceDay
    from feedback import owner
    from feedback.intake import submit_case
    from feedback.models import Case

    courtyard = Case.objects.filter(place__contains="28").first()
    reported, _created = submit_case(
        community=courtyard.community,
        category=courtyard.category,
        place="四环胡同28号院门口",
        description="院门口的路灯不亮了，晚上进出很黑。",
        token=uuid.uuid4(),
    )
    return [
        ServiceDay.objects.order_by("-date").first().get_absolute_url(),
        courtyard.get_absolute_url(),
        owner.path(reported, reported.owner_secret),
    ]


@pytest.fixture
def demo(settings, transactional_db):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False  # the friendly error pages, not Django's debug pages


def test_every_public_page_in_every_mode(browser, live_server, demo, screenshot):
    problems = []
    pages = PUBLIC_PAGES + demo_pages()
    for width_name, width in a11y.WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}, locale="zh-CN"
        )
        page = context.new_page()
        for mode in a11y.MODES:
            a11y.set_mode(context, live_server.url, mode)
            for url in pages:
                page.goto(url)
                where = f"{url} [{mode}, {width}px]"
                problems += [f"{where}: {p}" for p in a11y.axe_problems(page, mode)]
                if mode == "elder":
                    problems += [f"{where}: {p}" for p in a11y.elder_problems(page)]
                if width_name == "phone":
                    problems += [f"{where}: {p}" for p in a11y.overflow_problems(page)]
            page.goto("/")
            screenshot(page, f"home-{mode}-{width}")
        context.close()
    assert not problems, "\n".join(problems)


def test_html_lang_follows_the_language(page, db):
    page.goto("/")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
