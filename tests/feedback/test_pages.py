import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback import workflow
from feedback.models import Case, CasePhoto
from tests.feedback.conftest import PRIVATE, fresh, jpeg, mine

PHONE = "13812341234"
NAME = "王秀兰"


def form_data(places, category, **extra):
    data = {
        "community": places["sihuan"].pk,
        "category": category.pk,
        "place": "四环胡同28号院",
        "description": "院子地面起皮破损、坑洼不平，老人出门容易绊倒。",
        "contact_name": NAME,
        "contact_phone": PHONE,
        "contact_email": "wang@example.org",
        "consent": "on",
        "website": "",
        "token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_new_form_groups_communities_by_street_and_presets_category(client, places, category, accessibility_category):
    response = client.get("/feedback/new/?category=accessibility")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="什刹海街道">' in html
    assert f'<option value="{accessibility_category.pk}" selected>' in html
    assert 'name="token"' in html and 'name="website"' in html


def test_submit_creates_one_case_with_photo_and_shows_code(client, places, category):
    data = form_data(places, category, photos=[jpeg("a.jpg"), jpeg("b.png")])
    response = client.post("/feedback/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and PRIVATE.fullmatch(response["Location"])["code"] == case.code
    assert case.photos.filter(role=CasePhoto.Role.BEFORE).count() == 2
    assert case.contact_phone == PHONE and case.contact_consent
    page = client.get(response["Location"]).content.decode()
    assert case.code in page
    assert PHONE not in page and NAME not in page


def test_double_submit_makes_one_case(client, places, category):
    data = form_data(places, category)
    first = client.post("/feedback/new/", data)
    second = client.post("/feedback/new/", data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_errors_keep_what_was_typed_and_warn_about_photos(client, places, category):
    data = form_data(places, category, description="太短", photos=[jpeg()])
    response = client.post("/feedback/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert "四环胡同28号院" in html and PHONE in html and "太短" in html
    assert "请重新选择" in html
    assert 'href="#id_description"' in html


def test_contact_without_consent_is_refused_politely(client, places, category):
    data = form_data(places, category)
    del data["consent"]
    response = client.post("/feedback/new/", data)
    assert response.status_code == 400 and "请勾选" in response.content.decode()
    assert Case.objects.count() == 0


def test_anonymous_report_is_fine(client, places, category):
    data = form_data(places, category, contact_name="", contact_phone="", contact_email="")
    del data["consent"]
    assert client.post("/feedback/new/", data).status_code == 302
    assert Case.objects.get().is_anonymous


def test_bad_phone_is_refused(client, places, category):
    response = client.post("/feedback/new/", form_data(places, category, contact_phone="12345"))
    assert response.status_code == 400 and "电话号码格式不对" in response.content.decode()


def test_honeypot_refuses_politely(client, places, category):
    response = client.post("/feedback/new/", form_data(places, category, website="http://spam.example"))
    assert response.status_code == 400
    assert "没有保存" in response.content.decode()
    assert Case.objects.count() == 0


def test_rate_limit_per_client(client, rate_limits, places, category):
    rate_limits("feedback", address=(2, 3600))
    for _ in range(2):
        assert client.post("/feedback/new/", form_data(places, category)).status_code == 302
    response = client.post("/feedback/new/", form_data(places, category))
    assert response.status_code == 429
    assert "太多" in response.content.decode() and "四环胡同28号院" in response.content.decode()
    assert Case.objects.count() == 2
    other = client.post("/feedback/new/", form_data(places, category), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("evil.jpg", b"#!/bin/sh\necho pwned\n", content_type="image/jpeg"),
        SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
        SimpleUploadedFile("page.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"),
    ],
)
def test_hostile_uploads_are_refused(client, places, category, upload):
    response = client.post("/feedback/new/", form_data(places, category, photos=[upload]))
    assert response.status_code == 400
    assert Case.objects.count() == 0
    html = response.content.decode()
    assert "无法识别" in html or "空的" in html or "提交的文件是空的" in html or "文件为空" in html


def test_more_than_six_photos_refused(client, places, category):
    photos = [jpeg(f"{i}.jpg") for i in range(7)]
    response = client.post("/feedback/new/", form_data(places, category, photos=photos))
    assert response.status_code == 400 and "最多上传 6 张" in response.content.decode()


def test_exif_is_stripped(client, places, category):
    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x8825] = {2: (39.0, 56.0, 0.0)}  # GPS
    exif[0x010F] = "PhoneMaker"
    image.save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("gps.jpg", buffer.getvalue(), content_type="image/jpeg")
    client.post("/feedback/new/", form_data(places, category, photos=[upload]))
    photo = CasePhoto.objects.get()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()


def test_track_page_shows_public_timeline_and_no_personal_data(client, walk, case, worker_sihuan):
    case = walk(case, "resolved")
    workflow.add_note(case, "内部：王秀兰打过电话", public=False, by=worker_sihuan)
    html = client.get(f"/feedback/track/{case.code}/").content.decode()
    for text in ("吹哨派单", "到场报到", "什刹海街道房管所", "主办", "协办", "处置后", "专属链接"):
        assert text in html
    assert "内部" not in html
    for secret in (PHONE, "王大妈", "wang@example.org", "worker-sihuan", "officer-fangguan"):
        assert secret not in html


def test_unknown_code_is_a_friendly_404(client, db):
    response = client.get("/feedback/track/SH-2026-999999/")
    assert response.status_code == 404
    assert "没有找到查询码" in response.content.decode()


def test_lookup_form_redirects(client, case):
    response = client.get("/feedback/track/", {"code": case.code.lower()})
    assert response["Location"] == f"/feedback/track/{case.code}/"


def test_rating_on_the_private_page(client, walk, case):
    secret = case.owner_secret
    case = walk(case, "resolved")
    page = client.get(mine(case, secret)).content.decode()
    assert "评价办理结果" in page and 'name="rating"' in page
    response = client.post(mine(case, secret, "rate"), {"rating": "satisfied", "comment": "谢谢"})
    assert response.status_code == 302 and response["Location"] == mine(case, secret)
    assert fresh(case).status == Case.Status.CONFIRMED and fresh(case).rating == "satisfied"
    assert "谢谢您的评价" in client.get(response["Location"]).content.decode()
    again = client.post(mine(case, secret, "rate"), {"rating": "unsatisfied"})
    assert again.status_code == 409 and "不能评价" in again.content.decode()


def test_rating_unsatisfied_reopens(client, walk, case):
    secret = case.owner_secret
    case = walk(case, "resolved")
    client.post(mine(case, secret, "rate"), {"rating": "unsatisfied", "comment": "还有积水"})
    assert fresh(case).status == Case.Status.REOPENED


def test_rating_refused_before_resolution_and_bad_choice(client, case):
    secret = case.owner_secret
    assert client.post(mine(case, secret, "rate"), {"rating": "satisfied"}).status_code == 409
    assert client.post(mine(case, secret, "rate"), {"rating": "wow"}).status_code == 400
    assert client.get(mine(case, secret, "rate")).status_code == 405
    assert client.get(mine(case, secret, "note")).status_code == 405
    assert fresh(case).status == Case.Status.SUBMITTED


def test_pages_refuse_wrong_methods(client, db):
    assert client.put("/feedback/new/").status_code == 405
    assert client.get(reverse("feedback:metoo", args=["SH-2026-000001"])).status_code == 405


def test_unknown_codes_are_rate_limited(client, db, rate_limits):
    rate_limits("track", address=(30, 3600))
    for n in range(30):
        assert client.get(f"/feedback/track/SH-2026-{n:06d}/").status_code == 404
    assert client.get("/feedback/track/SH-2026-999999/").status_code == 429


@pytest.mark.parametrize("extra", [0, 8])
def test_new_form_query_count_is_fixed(client, places, category, extra, django_assert_num_queries):
    from tests import factories

    for _ in range(extra):
        factories.community(places["sihuan"].street)
    with django_assert_num_queries(2):
        assert client.get("/feedback/new/").status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_private_page_query_count(client, walk, make_case, n, django_assert_num_queries):
    cases = [make_case() for _ in range(n)]
    secret = cases[-1].owner_secret
    walk(cases[-1], "resolved")
    with django_assert_num_queries(4):
        assert client.get(mine(cases[-1], secret)).status_code == 200


def test_tampered_token_is_a_clear_message(client, places, category):
    response = client.post("/feedback/new/", form_data(places, category, token="not-a-token"))
    assert response.status_code == 400
    assert "表单已过期" in response.content.decode()
    assert Case.objects.count() == 0
