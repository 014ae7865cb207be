"""Phone numbers residents typed into free text never reach a public page, an export, a feed, a
story or an officer outside the case's community (core.privacy's rule, page by page)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import workflow
from feedback.models import Case, CasePhoto, TimelineEntry
from feedback.to_story import case_to_story
from news.models import Story
from tests.factories import PASSWORD
from tests.feedback.conftest import fresh, jpeg
from tests.security.test_phone_scrub import digits

PLACE = "四环胡同3号院 电话13812340002"
DESCRIPTION = "院内地面塌陷。请打+8613812340001，或一三八一二三四〇〇〇六，白天打(010)66001234。"
COMMENT = "修得很好，谢谢！有事打１３９１２３４５６７８"
PUBLIC_NOTE = "已与居民约好，居民电话138.1234.0003"
PRIVATE_NOTE = "居民另留了电话 8613812340004"
# Each number as its digits: a page leaks it when they stand in a row in any stretch of its text.
SECRETS = ["13812340002", "13812340001", "13812340006", "66001234", "13912345678", "13812340003", "13812340004"]


def leaked(content):
    text = content.decode() if isinstance(content, bytes) else content
    seen = digits(text)
    return [secret for secret in SECRETS if secret in seen]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def published(make_case, walk, worker_sihuan):
    case = make_case(
        place=PLACE,
        description=DESCRIPTION,
        contact_name="王大妈",
        contact_phone="13812341234",
        consent=True,
        photos=[jpeg("before.jpg")],
    )
    case = walk(case, "resolved")
    workflow.add_note(case, PUBLIC_NOTE, public=True, by=worker_sihuan)
    workflow.add_note(case, PRIVATE_NOTE, public=False, by=worker_sihuan)
    workflow.rate(fresh(case), Case.Rating.SATISFIED, COMMENT)
    Case.objects.filter(pk=case.pk).update(is_published=True)
    return fresh(case)


@pytest.fixture
def story(published, worker_sihuan):
    story = case_to_story(published, worker_sihuan)
    story.status, story.published_at = Story.Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    story.save()
    return story


def test_text_public_by_nature_is_stored_scrubbed(published):
    assert published.place == "四环胡同3号院 电话138****0002"
    assert published.rating_comment == "修得很好，谢谢！有事打139****5678"
    assert not leaked(" ".join(published.photos.values_list("alt_text", flat=True)))
    public_notes = " ".join(published.timeline.filter(is_public=True).values_list("note", flat=True))
    assert "138****0003" in public_notes and not leaked(public_notes)
    # Internal notes and the description stay whole for the community's own staff.
    assert published.description == DESCRIPTION
    assert published.timeline.get(is_public=False, action=TimelineEntry.Action.NOTE).note == PRIVATE_NOTE


def test_public_pages_show_no_phone(client, published, places):
    sihuan = places["sihuan"]
    for url in (
        "/feedback/",
        f"/feedback/track/{published.code}/",
        f"/communities/{sihuan.street.slug}/{sihuan.slug}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaked(response.content) == [], url
    page = client.get(f"/feedback/track/{published.code}/").content.decode()
    assert "四环胡同3号院 电话138****0002" in page and "139****5678" in page


def test_story_made_from_the_case_shows_no_phone(published, story):
    section = story.sections.get()
    texts = [story.title, story.lead, story.body, section.heading, section.body]
    texts += [f"{p.caption} {p.alt_text}" for p in section.photos.all()]
    assert leaked(" ".join(texts)) == []
    assert "139****5678" in story.body  # the rating comment, masked, in the public timeline


def test_feeds_and_search_show_no_phone(client, story, places):
    street = places["shichahai"]
    for url in (
        "/feeds/news/",
        "/feeds/news/atom/",
        f"/feeds/news/streets/{street.slug}/",
        f"/feeds/news/streets/{street.slug}/atom/",
        story.get_absolute_url(),
        "/search/?q=四环胡同",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaked(response.content) == [], url
    assert story.get_absolute_url() in client.get("/search/?q=四环胡同").content.decode()  # found, masked


def test_csv_export_shows_no_phone_in_the_place(client, published, admin_user, worker_sihuan):
    for user in (admin_user, worker_sihuan):
        login(client, user)
        response = client.post(
            "/admin/feedback/case/", {"action": "export_csv", "_selected_action": [published.pk], "index": 0}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert published.code in response.content.decode("utf-8-sig")
        assert leaked(response.content) == []
        client.logout()


def test_an_officer_sees_the_description_scrubbed_the_community_sees_it_whole(
    client, published, officer_fangguan, worker_sihuan, admin_user
):
    task = published.tasks.get(department__name="什刹海街道房管所")
    login(client, officer_fangguan)
    for url in (f"/admin/feedback/case/{published.pk}/change/", f"/admin/feedback/dispatchtask/{task.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaked(response.content) == [], url
    page = client.get(f"/admin/feedback/case/{published.pk}/change/").content.decode()
    assert "院内地面塌陷" in page and "+86138****0001" in page
    client.logout()
    login(client, admin_user)  # a district administrator is outside every community, too
    assert leaked(client.get(f"/admin/feedback/case/{published.pk}/change/").content) == []
    client.logout()
    login(client, worker_sihuan)
    page = client.get(f"/admin/feedback/case/{published.pk}/change/").content.decode()
    assert "+8613812340001" in page and PRIVATE_NOTE in page


def test_staff_edits_of_public_text_are_scrubbed(client, published, worker_sihuan):
    """The public summary and a photo's alt text typed in the admin are stored scrubbed."""
    published.public_summary = "院内地面已修好，联系人电话 13812340001"
    published.save()
    photo = published.photos.first()
    photo.alt_text = "现场照片，电话(010)66001234"
    photo.save()
    assert fresh(published).public_summary == "院内地面已修好，联系人电话 138****0001"
    assert CasePhoto.objects.get(pk=photo.pk).alt_text == "现场照片，电话010****1234"


def test_old_rows_are_scrubbed_by_the_migration(published):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("feedback.migrations.0004_scrub_public_text")
    # Rows as they were stored before: written past save(), phones and all.
    Case.objects.filter(pk=published.pk).update(place=PLACE, rating_comment=COMMENT)
    CasePhoto.objects.filter(case=published).update(alt_text=PLACE)
    TimelineEntry.objects.filter(case=published, is_public=True, action="note").update(note=PUBLIC_NOTE)
    migration.scrub_old_rows(apps, None)
    case = fresh(published)
    texts = [case.place, case.rating_comment, *case.photos.values_list("alt_text", flat=True)]
    texts += case.timeline.filter(is_public=True).values_list("note", flat=True)
    assert leaked(" ".join(texts)) == []
    assert case.description == DESCRIPTION
    assert case.timeline.get(is_public=False, action="note").note == PRIVATE_NOTE
