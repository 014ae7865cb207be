"""Photos: refused when not an acceptable image, stored without EXIF (GPS above all), renditions stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from news.models import Photo
from tests.adminform import unchanged_post
from tests.news import factories as nf


@pytest.fixture
def section(places):
    story = nf.story([places["sihuan"]])
    return nf.section(story, places["sihuan"])


def test_gps_exif_is_stripped_and_orientation_applied(section):
    data = nf.jpeg_bytes(size=(1200, 800), gps=True, orientation=6)  # 6: rotate 90° to stand upright
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825), "the test file must carry GPS data"
    photo = nf.photo(section, image=nf.upload(data, name="IMG_0001.jpg"))
    photo.refresh_from_db()
    assert "IMG_0001" not in photo.image.name  # random internal name
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x8825 not in exif and 0x010F not in exif and 0x0112 not in exif
        assert image.size == (800, 1200)  # turned upright before the EXIF went
    raw = photo.image.open("rb").read()
    assert b"GPS" not in raw and b"TestCam" not in raw


def test_renditions_are_made_once_and_stored_on_the_row(section):
    photo = nf.photo(section, image=nf.upload(nf.jpeg_bytes(size=(1300, 900))))
    photo.refresh_from_db()
    widths = [r["w"] for r in photo.renditions]
    assert widths == [480, 800, 1200, 1300]
    assert all(r["url"] and r["h"] for r in photo.renditions)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"GIF89a" + b"\x00" * 100, "anim.gif", "无法识别"),
        (b"this is not an image at all", "fake.jpg", "无法识别"),
        (b"%PDF-1.4 pretend", "doc.pdf", "无法识别"),
    ],
)
def test_non_images_are_refused_with_a_clear_message(section, data, name, message):
    photo = Photo(section=section, alt_text="图", image=nf.upload(data, name=name))
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert message in str(error.value)


def test_gif_is_refused(section):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, "GIF")
    photo = Photo(section=section, alt_text="图", image=nf.upload(buffer.getvalue(), name="a.gif"))
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert "不支持这种图片格式" in str(error.value)


def test_oversize_upload_is_refused(section, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    photo = Photo(section=section, alt_text="图", image=nf.upload(nf.jpeg_bytes(size=(900, 900))))
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert "图片太大了" in str(error.value)


def test_alt_text_is_required(section):
    photo = Photo(section=section, alt_text="", image=nf.upload())
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert "alt_text" in error.value.message_dict


def test_admin_upload_of_a_non_image_shows_the_message_and_saves_nothing(client, places, admin_user, section):
    client.force_login(admin_user)
    url = f"/admin/news/story/{section.story_id}/change/"  # photos are added on the story's page
    data = unchanged_post(client.get(url).content.decode())
    data.update(
        {
            "sections-0-photos-0-image": nf.upload(b"not an image", name="x.jpg"),
            "sections-0-photos-0-caption": ["说明"],
            "sections-0-photos-0-alt_text": ["替代"],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请上传" in response.content.decode()
    assert not Photo.objects.exists()
