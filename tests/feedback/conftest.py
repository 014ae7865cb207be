import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.models import StaffScope
from feedback import workflow
from feedback.intake import submit_case
from feedback.models import Case, Category
from tests import factories

Role = StaffScope.Role


def jpeg(name="photo.jpg", colour=(120, 110, 100), size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def category(db):
    return Category.objects.create(
        name="路面破损", slug="road", respond_hours=24, onsite_days=3, resolve_days=15, sort_order=10
    )


@pytest.fixture
def accessibility_category(db):
    return Category.objects.create(name="无障碍", slug="accessibility", sort_order=70)


@pytest.fixture
def chengguan(places):
    return factories.department("什刹海街道城市管理办公室", places["shichahai"], kind="city")


@pytest.fixture
def officer_chengguan(chengguan):
    return factories.staff(Role.DEPARTMENT_OFFICER, "officer-chengguan", department=chengguan)


@pytest.fixture
def make_case(places, category):
    def make(community=None, **fields):
        fields.setdefault("place", "四环胡同28号院")
        fields.setdefault("description", "院内地面起皮破损，坑洼不平，老人出门不便。")
        fields.setdefault("token", uuid.uuid4())
        case, _ = submit_case(
            community=community or places["sihuan"], category=fields.pop("category", category), **fields
        )
        return case

    return make


@pytest.fixture
def case(make_case):
    return make_case(contact_name="王大妈", contact_phone="13812341234", contact_email="wang@example.org", consent=True)


def fresh(case):
    return Case.objects.get(pk=case.pk)


# The resident's private page (feedback/owner.py); a case from submit_case carries ``owner_secret``.
PRIVATE = re.compile(r"/feedback/mine/(?P<code>[A-Z]+-\d{4}-\d+)/(?P<secret>[\w-]+)/")


def mine(case, secret, action=""):
    return f"/feedback/mine/{case.code}/{secret}/{action + '/' if action else ''}"


@pytest.fixture
def walk(worker_sihuan, officer_fangguan, fangguan, chengguan, officer_chengguan):
    """Move a case along the happy path up to a named state."""

    def to(case, state):
        case = fresh(case)
        workflow.accept(case, by=worker_sihuan)
        if state == "accepted":
            return fresh(case)
        workflow.dispatch(case, fangguan, [chengguan], by=worker_sihuan)
        if state == "dispatched":
            return fresh(case)
        lead = case.tasks.get(department=fangguan)
        helper = case.tasks.get(department=chengguan)
        workflow.report_on_site(lead, "房管所 2 人", by=officer_fangguan)
        workflow.report_on_site(helper, "城管办 1 人", by=officer_chengguan)
        if state == "on_site":
            return fresh(case)
        workflow.record_plan(lead, "整体铺装透水砖，先修通道。", by=officer_fangguan)
        workflow.record_plan(helper, "清理院内堆物，配合施工。", by=officer_chengguan)
        if state == "planned":
            return fresh(case)
        workflow.complete(lead, "地面已重新铺平。", [jpeg("after.jpg")], by=officer_fangguan)
        workflow.complete(helper, "堆物已清理。", [jpeg("after2.jpg")], by=officer_chengguan)
        if state == "done":
            return fresh(case)
        workflow.resolve(fresh(case), "院内地面已修好，平整宽敞。", by=worker_sihuan)
        return fresh(case)

    return to
