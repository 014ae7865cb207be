"""Scheduled stories appear on their own; drafts are shown only through signed, expiring links."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from news import preview
from news.models import Story
from tests.news import factories as nf

Status = Story.Status


def test_scheduled_story_stays_hidden_then_appears_without_a_job(client, places):
    story = nf.story(
        [places["sihuan"]], title="定时发布的新闻", slug="scheduled", published_at=timezone.now() + timedelta(hours=3)
    )
    assert story.is_scheduled
    for url in ["/news/", "/", "/search/?q=定时", "/feeds/news/", "/sitemap.xml", "/communities/shichahai/sihuan/"]:
        assert "定时发布的新闻" not in client.get(url).content.decode(), url
    assert "/news/scheduled/" not in client.get("/sitemap.xml").content.decode()
    assert client.get("/news/scheduled/").status_code == 404

    # Three hours later: nothing ran, the clock simply passed the time.
    later = timezone.now() + timedelta(hours=3, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get("/news/scheduled/").status_code == 200
        assert "定时发布的新闻" in client.get("/news/").content.decode()
        assert Story.objects.published().filter(pk=story.pk).exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.WITHDRAWN])
def test_unpublished_stories_are_not_public(client, places, status):
    nf.story(
        [places["sihuan"]],
        title="不公开",
        slug="hidden",
        status=status,
        published_at=timezone.now() - timedelta(days=1),
    )
    assert client.get("/news/hidden/").status_code == 404
    assert "不公开" not in client.get("/news/").content.decode()


def test_valid_preview_link_shows_the_draft_as_it_will_look(client, places):
    story = nf.story([places["sihuan"]], title="草稿预览", status=Status.DRAFT, published_at=None)
    nf.section(story, places["sihuan"], heading="四环段落")
    response = client.get(preview.preview_url(story))
    assert response.status_code == 200
    html = response.content.decode()
    assert "草稿预览" in html and "四环段落" in html and "预览" in html
    assert 'name="robots" content="noindex, nofollow"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_expired_preview_link_is_refused(client, places, settings):
    settings.NEWS_PREVIEW_MAX_AGE = 3600
    story = nf.story([places["sihuan"]], title="过期草稿", status=Status.DRAFT, published_at=None)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 7200):
        url = preview.preview_url(story)
    response = client.get(url)
    assert response.status_code == 410
    assert "过期草稿" not in response.content.decode()
    assert "预览链接已过期" in response.content.decode()


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "9999" + t[t.index(":") :], lambda t: "abc"])
def test_tampered_preview_link_is_404(client, places, mangle):
    story = nf.story([places["sihuan"]], title="机密草稿", status=Status.DRAFT, published_at=None)
    token = preview.make_token(story)
    response = client.get(f"/news/preview/{mangle(token)}/")
    assert response.status_code == 404
    assert "机密草稿" not in response.content.decode()


def test_admin_preview_and_share_link_for_staff_in_scope(client, places, editor_shichahai):
    story = nf.story([places["sihuan"]], title="编辑预览", status=Status.REVIEW, published_at=None)
    client.force_login(editor_shichahai)
    assert "编辑预览" in client.get(f"/admin/news/story/{story.pk}/preview/").content.decode()
    change = client.get(f"/admin/news/story/{story.pk}/change/").content.decode()
    assert "/news/preview/" in change
    client.logout()
    assert client.get(f"/admin/news/story/{story.pk}/preview/").status_code == 302  # to the login page
