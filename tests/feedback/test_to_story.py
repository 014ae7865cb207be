"""Needs the news app (merged from the news branch): Story, StorySection and Photo."""

import pytest

from feedback.models import Case, CaseError
from feedback.to_story import case_to_story
from tests.factories import PASSWORD


def test_resolved_case_becomes_a_draft_story(walk, case, worker_sihuan, places):
    from news.models import Story

    case = walk(case, "resolved")
    story = case_to_story(case, worker_sihuan)
    assert story.status == Story.Status.DRAFT
    assert story.slug == f"feedback-{case.code.lower()}"
    assert list(story.communities.all()) == [places["sihuan"]]
    assert "吹哨派单" in story.body and "什刹海街道房管所" in story.body
    for secret in ("王大妈", "13812341234", "wang@example.org"):
        assert secret not in story.body and secret not in story.lead
    section = story.sections.get()
    assert section.community == places["sihuan"] and "铺装" in section.body
    roles = sorted(section.photos.values_list("role", flat=True))
    assert roles == ["after", "after"]
    assert all(not p.is_file_photo and p.alt_text for p in section.photos.all())
    assert case_to_story(case, worker_sihuan).pk == story.pk  # once per case


def test_story_refused_before_resolution_and_outside_scope(walk, case, worker_sihuan, worker_xihai, officer_fangguan):
    with pytest.raises(CaseError, match="已办结"):
        case_to_story(case, worker_sihuan)
    case = walk(case, "resolved")
    with pytest.raises(CaseError, match="不属于您负责的社区"):
        case_to_story(case, worker_xihai)
    with pytest.raises(CaseError, match="职能部门"):
        case_to_story(case, officer_fangguan)


def test_admin_action_makes_the_draft(client, walk, case, worker_sihuan):
    from news.models import Story

    case = walk(case, "resolved")
    client.login(username=worker_sihuan.username, password=PASSWORD)
    page = client.get(f"/admin/feedback/case/{case.pk}/change/").content.decode()
    assert "生成新闻草稿" in page
    response = client.post(f"/admin/feedback/case/{case.pk}/story/")
    assert response.status_code == 302
    assert Story.objects.filter(slug=f"feedback-{case.code.lower()}").exists()
    assert Case.objects.get(pk=case.pk).status == Case.Status.RESOLVED
