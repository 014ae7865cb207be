"""C0 control characters: stripped from every submitted value before a view sees it, and never
serialised into a feed even when old rows hold them (the feed would answer 500)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Case, TimelineEntry
from feedback.to_story import case_to_story
from news.models import Story
from tests.factories import PASSWORD
from tests.feedback.conftest import fresh

DIRTY = "楼道灯\x07坏了\x1b[31m一周\x0b\x0c，\t晚上\r\n很危险\x00\x08。"
CLEAN = "楼道灯坏了[31m一周，\t晚上\r\n很危险。"
C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What old rows can hold: PostgreSQL never stores a NUL in text, every other control it keeps.
STORED = DIRTY.replace("\x00", "")

FEEDS = ["/feeds/news/", "/feeds/news/atom/", "/feeds/news/streets/{street}/", "/feeds/news/streets/{street}/atom/"]


def test_a_report_with_controls_is_stored_clean(client, places, category):
    response = client.post(
        "/feedback/new/",
        {
            "community": places["sihuan"].pk,
            "category": category.pk,
            "place": "四环胡同\x0b28号院\x1f",
            "description": DIRTY,
            "contact_name": "王\x07大妈",
            "consent": "on",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.description == CLEAN
    assert case.place == "四环胡同28号院"
    assert case.contact_name == "王大妈"


def test_query_strings_lose_their_controls(client, places):
    response = client.get("/search/", {"q": "路面\x07破损\x1b"})
    assert response.status_code == 200
    assert not C0.search(response.content.decode())


def test_admin_input_is_cleaned(client, case, worker_sihuan):
    assert client.login(username=worker_sihuan.username, password=PASSWORD)
    response = client.post(
        f"/admin/feedback/case/{case.pk}/move/note/",
        {"note-version": fresh(case).version, "note-note": DIRTY, "note-public": "on"},
    )
    assert response.status_code == 302
    note = TimelineEntry.objects.filter(case=case, action=TimelineEntry.Action.NOTE).get().note
    assert not C0.search(note) and "很危险" in note


@pytest.fixture
def story_from_dirty_rows(walk, case, worker_sihuan):
    """Rows written before input was cleaned: controls in the case, its timeline and the story."""
    case = walk(case, "resolved")
    Case.objects.filter(pk=case.pk).update(description=STORED, place="四环胡同\x0b28号院")
    TimelineEntry.objects.filter(case=case).update(note=STORED)
    story = case_to_story(fresh(case), worker_sihuan)
    story.status, story.published_at = Story.Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    story.save()
    return story


def test_feeds_answer_200_with_controls_in_old_rows(client, story_from_dirty_rows, places):
    Story.objects.filter(pk=story_from_dirty_rows.pk).update(
        title="四环胡同\x0828号院", lead=STORED, subtitle="\x1f", source="平台\x07"
    )
    for url in FEEDS:
        response = client.get(url.format(street=places["shichahai"].slug))
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not C0.search(body), url
        assert "四环胡同28号院" in body and "很危险" in body


def test_story_made_from_dirty_rows_holds_no_controls(story_from_dirty_rows):
    section = story_from_dirty_rows.sections.get()
    text = " ".join([story_from_dirty_rows.title, story_from_dirty_rows.lead, story_from_dirty_rows.body, section.body])
    assert not C0.search(text) and "很危险" in text
