"""Is this already reported? On a phone (390 px): a resident about to report an open problem sees
it and presses 附议 instead; another submits anyway; the community worker merges the two."""

import re

import pytest
from playwright.sync_api import expect

from communities.models import StaffScope
from feedback import workflow
from feedback.intake import submit_case
from feedback.models import Case, Category
from tests import factories

pytestmark = pytest.mark.browser
Role = StaffScope.Role


def fill_report(page, description):
    page.goto("/feedback/new/")
    page.get_by_label("所在社区（必填）").select_option(label="四环社区")
    page.get_by_label("具体地点（必填）").fill("四环胡同28号院门口")
    page.get_by_label("问题类别（必填）").select_option(label="路面破损")
    page.get_by_label("问题描述（必填）").fill(description)
    page.get_by_role("button", name="提交").click()


def test_a_resident_finds_the_open_case_and_staff_merge_a_second_report(phone_page, screenshot, transactional_db):
    page = phone_page
    shichahai = factories.street(name="什刹海街道", slug="shichahai")
    sihuan = factories.community(shichahai, name="四环社区", slug="sihuan")
    road = Category.objects.create(name="路面破损", slug="road")
    worker = factories.staff(Role.COMMUNITY_WORKER, "worker-sihuan", community=sihuan)
    first, _ = submit_case(
        community=sihuan, category=road, place="四环胡同28号院", description="院门口路面塌了一个坑，晚上看不清。"
    )
    workflow.accept(first, by=worker)
    Case.objects.filter(pk=first.pk).update(is_published=True)

    # 1. A resident starts the same report, sees the open case and presses 附议 instead.
    fill_report(page, "院门口路面有个大坑，晚上看不清，差点摔倒。")
    expect(page.get_by_role("heading", name="这个问题可能已经有人反映了")).to_be_visible()
    expect(page.get_by_text("院门口路面塌了一个坑")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "feedback-similar-390")
    page.get_by_role("button", name="我也遇到了（附议）").click()
    expect(page.get_by_text("已附议。")).to_be_visible()
    assert Case.objects.get(pk=first.pk).metoo_count == 1
    assert Case.objects.count() == 1

    # 2. Another resident submits anyway: nothing typed is lost.
    page.context.clear_cookies()
    fill_report(page, "院门口路面有个坑，我家老人昨晚在那里绊了一下。")
    page.get_by_role("button", name="仍然提交新问题").click()
    expect(page.get_by_role("heading", name="请保存这个专属链接")).to_be_visible()
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.description == "院门口路面有个坑，我家老人昨晚在那里绊了一下。"

    # 3. The community worker sees the likely duplicate on the new case's page and merges it.
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "worker-sihuan")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/feedback/case/{second.pk}/change/")
    expect(page.get_by_role("heading", name="可能是同一件事")).to_be_visible()
    page.get_by_role("button", name=f"合并到 {first.code}").click()
    expect(page.get_by_text(f"已把 {second.code} 合并到 {first.code}")).to_be_visible()
    merged = Case.objects.get(pk=second.pk)
    assert (merged.status, merged.duplicate_of_id) == ("declined", first.pk)
    assert Case.objects.get(pk=first.pk).metoo_count == 2

    # 4. The merged case's tracking page points to the surviving one.
    page.goto(f"/feedback/track/{second.code}/")
    page.get_by_role("link", name=first.code).click()
    expect(page).to_have_url(re.compile(rf"/feedback/track/{first.code}/$"))
