"""Every admin form that shows a stored image saves unchanged: 保存 with no new upload keeps the file.

The form is read back from the rendered page and posted as a person pressing 保存 would send it,
so a stored picture reaches the model's validation exactly as it does in production.
"""

import pytest

from events.models import ServiceDay
from news.models import Column, Photo, Story
from tests.adminform import save_unchanged, unchanged_post
from tests.events import factories as ef
from tests.news import factories as nf


@pytest.fixture
def staff_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def test_story_with_a_cover_and_section_photo_saves_unchanged(staff_admin, places):
    story = nf.story([places["sihuan"]], cover=nf.upload())
    section = nf.section(story, places["sihuan"])
    photo = nf.photo(section)
    cover, image = story.cover.name, photo.image.name

    save_unchanged(staff_admin, f"/admin/news/story/{story.pk}/change/")
    save_unchanged(staff_admin, f"/admin/news/storysection/{section.pk}/change/")

    assert Story.objects.get(pk=story.pk).cover.name == cover
    assert Photo.objects.get(pk=photo.pk).image.name == image
    assert Photo.objects.get(pk=photo.pk).image.storage.exists(image)


def test_column_cover_saves_unchanged(staff_admin):
    column = Column.objects.create(name="走社区·看新貌", slug="walk", cover=nf.upload())
    cover = column.cover.name
    save_unchanged(staff_admin, f"/admin/news/column/{column.pk}/change/")
    assert Column.objects.get(pk=column.pk).cover.name == cover


def test_community_cover_saves_unchanged(staff_admin, places):
    community = places["sihuan"]
    community.cover = nf.upload()
    community.save()
    cover = community.cover.name
    save_unchanged(staff_admin, f"/admin/communities/community/{community.pk}/change/")
    community.refresh_from_db()
    assert community.cover.name == cover and community.cover_width


def test_service_day_cover_saves_unchanged(staff_admin, places):
    day = ef.day(places["sihuan"], cover=nf.upload())
    cover = day.cover.name
    save_unchanged(staff_admin, f"/admin/events/serviceday/{day.pk}/change/")
    assert ServiceDay.objects.get(pk=day.pk).cover.name == cover


def test_a_cover_whose_file_is_gone_still_saves_unchanged(staff_admin, places):
    """A restore without media leaves rows naming files that are not there: staff can still edit them."""
    day = ef.day(places["sihuan"], cover=nf.upload())
    day.cover.storage.delete(day.cover.name)
    save_unchanged(staff_admin, f"/admin/events/serviceday/{day.pk}/change/", title="改过的标题")
    assert ServiceDay.objects.get(pk=day.pk).title == "改过的标题"


def test_a_new_upload_still_replaces_a_stored_cover(staff_admin, places):
    """The control: the check still runs on a new file (a text file posing as a picture is refused)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    column = Column.objects.create(name="专栏", slug="c", cover=nf.upload())
    url = f"/admin/news/column/{column.pk}/change/"
    data = unchanged_post(staff_admin.get(url).content.decode())
    data["cover"] = SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg")
    response = staff_admin.post(url, data)
    assert response.status_code == 200
    assert "无法识别" in response.content.decode()
