"""The demo's story in a browser: report → accept → dispatch → 报到 → plan → done → rate → figures."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import StaffScope
from feedback import workflow
from feedback.models import Case, Category
from tests import factories
from tests.browser.staff import log_in, photo_file

pytestmark = pytest.mark.browser
Role = StaffScope.Role


def test_courtyard_story_from_report_to_rating(page, screenshot, settings, tmp_path, transactional_db):
    settings.FEEDBACK_MIN_CASES_FOR_RATE = 1
    shichahai = factories.street(name="什刹海街道", slug="shichahai")
    sihuan = factories.community(shichahai, name="四环社区", slug="sihuan")
    factories.community(shichahai, name="西海社区", slug="xihai")
    Category.objects.create(name="路面破损", slug="road", onsite_days=3, resolve_days=20)
    fangguan = factories.department("什刹海街道房管所", shichahai, kind="housing")
    chengguan = factories.department("什刹海街道城市管理办公室", shichahai, kind="city")
    factories.staff(Role.COMMUNITY_WORKER, "worker-sihuan", community=sihuan)
    factories.staff(Role.DEPARTMENT_OFFICER, "officer-fangguan", department=fangguan)
    officer_city = factories.staff(Role.DEPARTMENT_OFFICER, "officer-chengguan", department=chengguan)

    # 1. A resident reports the broken courtyard surface with a photo and lands on their private page.
    page.goto("/feedback/new/")
    page.get_by_label("所在社区（必填）").select_option(label="四环社区")
    page.get_by_label("具体地点（必填）").fill("四环胡同28号院")
    page.get_by_label("问题类别（必填）").select_option(label="路面破损")
    page.get_by_label("问题描述（必填）").fill("院子地面起皮剥落、坑洼不平，院里老人多，出门很不方便。")
    page.get_by_label("现场照片（可选，最多 6 张）").set_input_files(
        photo_file(tmp_path, "before.jpg", (150, 140, 128), size=(320, 200))
    )
    screenshot(page, "feedback-new-filled")
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("case-code").inner_text().strip()
    assert re.fullmatch(r"SH-\d{4}-\d{6}", code)
    assert page.get_by_role("heading", name="请保存这个专属链接").is_visible()
    private_url = page.url
    assert f"/feedback/mine/{code}/" in private_url
    screenshot(page, "feedback-submitted")
    case = Case.objects.get(code=code)

    # 2. The community worker accepts and dispatches to 房管所 (lead) and 城管办.
    log_in(page, "worker-sihuan")
    page.goto(f"/admin/feedback/case/{case.pk}/change/")
    page.get_by_role("button", name="受理", exact=True).click()
    page.get_by_text("已受理。").wait_for()
    page.get_by_label("主办部门").select_option(label="什刹海街道房管所")
    page.get_by_label("什刹海街道城市管理办公室").check()
    page.get_by_role("button", name="吹哨派单").click()
    page.get_by_text("已吹哨派单。").wait_for()
    screenshot(page, "feedback-admin-dispatched")

    # 3. The 房管所 officer records the visit, the plan and the completion with an 'after' photo.
    log_in(page, "officer-fangguan")
    page.goto("/admin/feedback/dispatchtask/")
    page.get_by_role("link", name=code).click()
    page.get_by_label("到场人员").fill("房管所 3 人")
    page.get_by_role("button", name="到场报到").click()
    page.get_by_text("已到场报到。").wait_for()
    page.get_by_label("处置方案").fill("铲除起皮的旧面层，找平后重新铺装，先修通往院门的主路。")
    page.get_by_role("button", name="确定方案").click()
    page.get_by_text("已确定方案。").wait_for()
    page.get_by_label("处置结果").fill("院内地面已重新铺平。")
    page.get_by_label("处置后照片（至少一张，最多 6 张）").set_input_files(
        photo_file(tmp_path, "after.jpg", (90, 160, 90), size=(320, 200))
    )
    page.get_by_role("button", name="完成处置").click()
    page.get_by_text("已完成处置。").wait_for()
    screenshot(page, "feedback-admin-officer-done")

    # The assisting 城管办 does its part too (its own officer, through the same rules).
    task = case.tasks.get(department=chengguan)
    workflow.report_on_site(task, "城管办 2 人", by=officer_city)
    workflow.record_plan(task, "施工前清理院内堆物。", by=officer_city)
    city_photo = Path(photo_file(tmp_path, "city.jpg", (80, 120, 160), size=(320, 200))).read_bytes()
    workflow.complete(
        task, "堆物已清理。", [SimpleUploadedFile("city.jpg", city_photo, content_type="image/jpeg")], by=officer_city
    )

    # The community worker closes it as resolved.
    log_in(page, "worker-sihuan")
    page.goto(f"/admin/feedback/case/{case.pk}/change/")
    page.get_by_label("办理结果（居民会看到）").fill("院内路面修好了，平整宽敞。")
    page.get_by_role("button", name="办结").click()
    page.get_by_text("已办结。").wait_for()
    Case.objects.filter(pk=case.pk).update(is_published=True)

    # 4. Anyone with the code reads the timeline, but only the resident's own link offers the rating:
    # they open it, see the whole timeline and rate it 满意.
    page.context.clear_cookies()
    page.goto("/feedback/track/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询进度").click()
    page.locator(".fb-timeline").wait_for()
    assert page.get_by_role("button", name="提交评价").count() == 0
    referers = []
    page.on("request", lambda request: referers.append(request.headers.get("referer", "")))
    page.goto(private_url)
    timeline = page.locator(".fb-timeline")
    for step in ("提交诉求", "受理", "吹哨派单", "到场报到", "确定方案", "完成处置", "办结"):
        assert timeline.get_by_text(step, exact=True).first.is_visible()
    assert page.get_by_text("什刹海街道房管所").first.is_visible()
    assert page.get_by_role("heading", name="处置后").is_visible()
    screenshot(page, "feedback-track-before-rating")
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("想说的话（可选）").fill("院子平整了，谢谢！")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("谢谢您的评价！").wait_for()
    assert page.get_by_text("居民已确认").first.is_visible()
    case.refresh_from_db()
    assert case.status == Case.Status.CONFIRMED and case.rating == "satisfied"
    secret = private_url.rstrip("/").rsplit("/", 1)[-1]
    assert len(referers) > 2 and not any(secret in referer for referer in referers)  # styles, script, photos, the POST

    # 5. The figures update.
    page.goto("/feedback/")
    kpis = page.locator(".fb-kpis")
    assert kpis.get_by_text("100%").count() >= 2
    assert page.get_by_role("link", name="四环胡同28号院").is_visible()
    screenshot(page, "feedback-board-after")
