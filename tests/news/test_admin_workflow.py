"""The publishing workflow is enforced on the server: per role, per scope, on the forbidden paths."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news import workflow
from news.models import Story
from tests.news import factories as nf

Status = Story.Status


def story_form(places, community_key="sihuan", **overrides):
    data = {
        "title": "四环胡同院落修缮完工",
        "subtitle": "",
        "slug": "",
        "lead": "院子平整了。",
        "body": "<p>正文</p>",
        "communities": [places[community_key].pk],
        "source": "什刹海街道",
        "author": "",
        "responsible_editor": "",
        "cover_alt": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "sections-TOTAL_FORMS": 0,
        "sections-INITIAL_FORMS": 0,
        "corrections-TOTAL_FORMS": 0,
        "corrections-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def change_url(story):
    return f"/admin/news/story/{story.pk}/change/"


# --- community worker -------------------------------------------------------


def test_worker_can_draft_and_submit_for_review(client, places, worker_sihuan):
    client.force_login(worker_sihuan)
    response = client.post("/admin/news/story/add/", story_form(places, status="review"))
    assert response.status_code == 302, response.content.decode()[:3000]
    story = Story.objects.get()
    assert story.status == Status.REVIEW
    assert story.created_by == worker_sihuan
    assert story.slug  # generated when left blank


def test_worker_cannot_publish_through_the_form(client, places, worker_sihuan):
    client.force_login(worker_sihuan)
    response = client.post("/admin/news/story/add/", story_form(places, status="published"))
    assert response.status_code == 200
    assert not Story.objects.exists()


def test_worker_cannot_publish_through_the_action(client, places, worker_sihuan):
    story = nf.story([places["sihuan"]], status=Status.REVIEW, published_at=None)
    client.force_login(worker_sihuan)
    response = client.post("/admin/news/story/", {"action": "publish_now", "_selected_action": [story.pk]})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.REVIEW
    with pytest.raises(workflow.WorkflowError):
        workflow.publish(worker_sihuan, story)


def test_worker_cannot_change_a_published_story(client, places, worker_sihuan):
    story = nf.story([places["sihuan"]], title="原标题")
    client.force_login(worker_sihuan)
    assert client.get(change_url(story)).status_code == 200  # may read it
    response = client.post(change_url(story), story_form(places, title="改过的标题", status="review"))
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.title == "原标题" and story.status == Status.PUBLISHED


def test_worker_cannot_see_another_streets_drafts(client, places, worker_sihuan):
    other = nf.story([places["chunshuyuan"]], title="椿树园的草稿", status=Status.DRAFT, published_at=None)
    client.force_login(worker_sihuan)
    listing = client.get("/admin/news/story/").content.decode()
    assert "椿树园的草稿" not in listing
    response = client.get(change_url(other))
    assert response.status_code == 302
    assert "椿树园的草稿" not in client.get(change_url(other), follow=True).content.decode()
    assert client.get(f"/admin/news/story/{other.pk}/preview/").status_code == 404
    assert client.get(f"/admin/news/story/{other.pk}/history/").status_code == 403


def test_worker_cannot_pick_a_community_outside_scope(client, places, worker_sihuan):
    client.force_login(worker_sihuan)
    response = client.post("/admin/news/story/add/", story_form(places, community_key="chunshuyuan"))
    assert response.status_code == 200
    assert not Story.objects.exists()


# --- street editor ----------------------------------------------------------


def test_editor_publishes_schedules_and_withdraws_in_their_street(client, places, editor_chunshu):
    story = nf.story([places["chunshuyuan"]], status=Status.REVIEW, published_at=None)
    client.force_login(editor_chunshu)
    client.post("/admin/news/story/", {"action": "publish_now", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.published_at <= timezone.now()
    client.post("/admin/news/story/", {"action": "withdraw", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Status.WITHDRAWN

    later = timezone.localtime() + timedelta(days=2)
    response = client.post(
        change_url(story),
        story_form(
            places,
            community_key="chunshuyuan",
            title=story.title,
            slug=story.slug,
            status="published",
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    assert story.is_scheduled
    assert not Story.objects.published().filter(pk=story.pk).exists()


def test_editor_of_another_street_gets_nothing_and_changes_nothing(client, places, editor_shichahai):
    story = nf.story([places["chunshuyuan"]], title="椿树园待审稿", status=Status.REVIEW, published_at=None)
    client.force_login(editor_shichahai)
    assert "椿树园待审稿" not in client.get("/admin/news/story/").content.decode()
    assert client.get(change_url(story)).status_code == 302
    response = client.post(change_url(story), story_form(places, title="被改了", status="published"))
    assert response.status_code == 302
    client.post("/admin/news/story/", {"action": "publish_now", "_selected_action": [story.pk]})
    client.post(f"/admin/news/story/{story.pk}/delete/", {"post": "yes"})
    story.refresh_from_db()
    assert story.title == "椿树园待审稿" and story.status == Status.REVIEW
    with pytest.raises(workflow.WorkflowError):
        workflow.publish(editor_shichahai, story)


def test_editor_cannot_change_a_story_that_reaches_into_another_street(client, places, editor_chunshu):
    story = nf.story([places["chunshuyuan"], places["sihuan"]], title="跨街道稿件")
    client.force_login(editor_chunshu)
    assert client.get(change_url(story)).status_code == 200  # visible, read-only
    response = client.post(change_url(story), story_form(places, community_key="chunshuyuan", title="改"))
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.title == "跨街道稿件"
    assert set(story.communities.values_list("slug", flat=True)) == {"chunshuyuan", "sihuan"}


# --- district administrator and history -------------------------------------


def test_district_admin_does_everything_and_history_is_kept(client, places, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/news/story/add/", story_form(places, status="published", slug="admin-story"))
    assert response.status_code == 302, response.content.decode()[:3000]
    story = Story.objects.get(slug="admin-story")
    assert story.is_public
    client.post(change_url(story), story_form(places, status="published", slug="admin-story", title="新标题"))
    story.refresh_from_db()
    assert story.title == "新标题"
    assert story.history.count() >= 2
    history_page = client.get(f"/admin/news/story/{story.pk}/history/")
    assert history_page.status_code == 200
    first = story.history.earliest()
    revert_page = client.get(f"/admin/news/story/{story.pk}/history/{first.history_id}/")
    assert revert_page.status_code == 200
    assert "四环胡同院落修缮完工" in revert_page.content.decode()


def test_editor_section_page_with_photo_inline_is_scoped(client, places, editor_chunshu, editor_shichahai):
    story = nf.story([places["chunshuyuan"]], status=Status.DRAFT, published_at=None)
    section = nf.section(story, places["chunshuyuan"])
    client.force_login(editor_shichahai)
    assert client.get(f"/admin/news/storysection/{section.pk}/change/").status_code == 302
    client.force_login(editor_chunshu)
    assert client.get(f"/admin/news/storysection/{section.pk}/change/").status_code == 200


def test_workflow_submit_requires_a_draft(places, worker_sihuan):
    story = nf.story([places["sihuan"]], status=Status.DRAFT, published_at=None, body="<p>正文</p>")
    workflow.submit(worker_sihuan, story)
    assert story.status == Status.REVIEW
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(worker_sihuan, story)


def test_a_double_submit_of_the_add_form_creates_one_story(client, places, editor_chunshu):
    client.force_login(editor_chunshu)
    form = client.get("/admin/news/story/add/")
    token = form.context["adminform"].form.initial["add_token"]  # hidden: the address is not shown
    data = story_form(places, community_key="chunshuyuan", add_token=token)
    assert client.post("/admin/news/story/add/", data).status_code == 302
    second = client.post("/admin/news/story/add/", data)
    assert second.status_code == 200  # the form again, with the message about the double save
    assert "这篇稿件已经保存过了" in second.content.decode()
    assert Story.objects.count() == 1


def test_worker_cannot_restore_a_published_version_from_history(client, places, editor_shichahai, worker_sihuan):
    story = nf.story([places["sihuan"]], title="曾经发布", status=Status.PUBLISHED)
    story.status = Status.DRAFT
    story.published_at = None
    story.save()
    published_version = story.history.filter(status=Status.PUBLISHED).first()
    client.force_login(worker_sihuan)
    url = f"/admin/news/story/{story.pk}/history/{published_version.history_id}/"
    client.post(url, story_form(places, title="曾经发布", slug=story.slug, status="published"))
    story.refresh_from_db()
    assert story.status == Status.DRAFT
