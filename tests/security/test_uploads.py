"""Hostile files against the shared upload guard (core.images): each is refused
with a message a person understands, or stored clean."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.models import Community
from core import images


def jpeg_bytes(size=(64, 48), exif=None, color=(200, 60, 40)):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes(size=(32, 32)):
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def gps_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show upright
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 22.0, 1.0)
    exif[0x010F] = "PhoneMaker"
    return exif


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused(file, code):
    with pytest.raises(ValidationError) as caught:
        images.check_image(file)
    assert caught.value.code == code
    assert str(caught.value.message)  # a sentence for a person, in Chinese
    return caught.value


def test_text_file_named_jpg_is_refused():
    error = refused(upload("photo.jpg", b"this is not an image at all\n" * 50), "not_image")
    assert "JPG" in str(error.message)


def test_zero_byte_file_is_refused():
    refused(upload("empty.jpg", b""), "empty")


def test_svg_with_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    refused(upload("logo.svg", svg, "image/svg+xml"), "not_image")


def test_truncated_jpeg_is_refused():
    data = jpeg_bytes((400, 300))
    refused(upload("cut.jpg", data[: len(data) // 2]), "not_image")


def test_fifty_megabyte_file_is_refused_before_it_is_read(settings):
    big = upload("huge.jpg", b"\xff\xd8\xff" + b"0" * (50 * 1024 * 1024))
    error = refused(big, "too_big")
    assert "MB" in str(error.message % error.params)


def test_decompression_bomb_is_refused():
    # A tiny PNG that claims 30000 x 30000 pixels.
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    refused(upload("bomb.png", buffer.getvalue(), "image/png"), "too_many_pixels")


def test_gif_is_refused_even_though_it_is_an_image():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    refused(upload("anim.gif", buffer.getvalue(), "image/gif"), "bad_format")


def test_png_with_html_appended_is_stored_clean():
    data = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    file = upload("trick.png", data, "image/png")
    images.check_image(file)
    clean = images.reencode(file).read()
    assert b"<script" not in clean and b"<html" not in clean
    assert Image.open(io.BytesIO(clean)).format == "PNG"


def test_gps_exif_is_stripped_after_turning_the_photo_upright():
    file = upload("phone.jpg", jpeg_bytes((80, 40), exif=gps_exif()))
    images.check_image(file)
    clean = images.reencode(file)
    stored = Image.open(io.BytesIO(clean.read()))
    assert stored.size == (40, 80)  # the orientation was applied
    assert not stored.getexif()  # no EXIF at all, GPS above all
    assert clean.name.endswith(".jpg") and "phone" not in clean.name  # internal file name


@pytest.mark.django_db
def test_admin_upload_stores_a_clean_copy_and_refuses_junk(client, places, admin_user):
    client.force_login(admin_user)
    community = places["sihuan"]
    url = f"/admin/communities/community/{community.pk}/change/"
    form = {
        "street": community.street_id,
        "name": community.name,
        "slug": community.slug,
        "brand": "",
        "description": "",
        "address": "",
        "phone": "",
        "cover_alt": "院落",
        "sort_order": 1,
        "partner_units-TOTAL_FORMS": 0,
        "partner_units-INITIAL_FORMS": 0,
    }
    junk = client.post(url, {**form, "cover": upload("x.jpg", b"MZ\x90\x00 not an image")})
    assert junk.status_code == 200
    assert "无法识别这个文件" in junk.content.decode()
    community.refresh_from_db()
    assert not community.cover

    good = client.post(url, {**form, "cover": upload("../../etc/evil name.jpg", jpeg_bytes(exif=gps_exif()))})
    assert good.status_code == 302
    community.refresh_from_db()
    assert community.cover.name.startswith("communities/")
    assert "evil" not in community.cover.name
    with community.cover.open("rb") as stored:
        assert not Image.open(stored).getexif()
    assert Community.objects.filter(pk=community.pk, cover_alt="院落").exists()


def mpo_bytes(size=(120, 80), exif=None):
    """A phone's multi-picture JPEG (MPO): the photo, then a second picture (depth, a preview)."""
    buffer = io.BytesIO()
    first, second = Image.new("RGB", size, (30, 120, 200)), Image.new("RGB", size, (250, 250, 0))
    extra = {"exif": exif} if exif is not None else {}
    first.save(buffer, format="MPO", save_all=True, append_images=[second], **extra)
    return buffer.getvalue()


def test_a_multi_picture_phone_jpeg_is_stored_as_its_first_picture():
    data = mpo_bytes(exif=gps_exif())
    with Image.open(io.BytesIO(data)) as original:
        assert original.format == "MPO" and original.n_frames == 2  # the test file is what phones send
    file = upload("IMG_2040.JPG", data)
    images.check_image(file)
    clean = images.reencode(file)
    with Image.open(io.BytesIO(clean.read())) as stored:
        assert stored.format == "JPEG" and getattr(stored, "n_frames", 1) == 1
        assert stored.size == (80, 120)  # upright, from the first picture's orientation
        assert not stored.getexif()
        red, green, blue = stored.convert("RGB").getpixel((40, 60))
        assert blue > 150 and red < 100  # the first picture, not the second


@pytest.mark.django_db
def test_a_multi_picture_jpeg_is_accepted_with_a_feedback_report(client, places):
    from feedback.models import Case, Category
    from tests.security.test_hostile_input import case_form

    world = {"A": places["sihuan"], "category": Category.objects.create(name="路面破损", slug="road")}
    data = {**case_form(world), "photos": [upload("IMG_2041.JPG", mpo_bytes())]}
    response = client.post("/feedback/new/", data)
    assert response.status_code == 302
    (photo,) = Case.objects.get().photos.all()
    with photo.image.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"
