"""The 工作台 (core.desk): each role's first page lists what needs that person, each thing one click from
its page, the models grouped by job, and costs the same number of queries however much is waiting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback import workflow
from tests.events import factories as ef
from tests.news import factories as nf
from volunteers.models import Role

# Queries for the first page per role (session, user, scope, permissions, each todo's count and rows,
# the grouped menu): pinned, and the same with one or many of everything waiting.
# One fewer each since the two-factor check is answered once per GET (it was asked twice a page).
QUERIES = {"admin_user": 14, "editor_shichahai": 17, "worker_sihuan": 16, "officer_fangguan": 11}


def waiting(places, make_case, fangguan, worker_sihuan, n):
    """``n`` of each: stories for review, cases to accept, dispatched tasks, days short of volunteers."""
    for i in range(n):
        nf.story([places["sihuan"]], title=f"待审稿件{i}", status="review", published_at=None)
        make_case(place=f"四环胡同{i}号")
        dispatched = make_case(place=f"四环西巷{i}号")
        workflow.accept(dispatched, "", by=worker_sihuan)
        workflow.dispatch(dispatched, fangguan, [], "", by=worker_sihuan)
        day = ef.day(places["sihuan"], title=f"四环服务日{i}")
        Role.objects.create(day=day, title="引导", places=3)


def index_queries(client, user):
    client.force_login(user)
    client.get(reverse("admin:index"))  # warm the per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("role", list(QUERIES))
def test_the_first_page_costs_the_same_with_more_waiting(
    client, request, places, make_case, fangguan, worker_sihuan, role
):
    user = request.getfixturevalue(role)
    waiting(places, make_case, fangguan, worker_sihuan, 1)
    few, _ = index_queries(client, user)
    waiting(places, make_case, fangguan, worker_sihuan, 8)
    many, _ = index_queries(client, user)
    assert few == many == QUERIES[role]


def test_a_street_editor_sees_stories_to_review_and_cases_to_accept(client, places, make_case, editor_shichahai):
    story = nf.story([places["sihuan"]], title="四环社区的新台阶", status="review", published_at=None)
    elsewhere = nf.story([places["chunshuyuan"]], title="椿树园的别家稿件", status="review", published_at=None)
    case = make_case(place="四环胡同28号院")
    client.force_login(editor_shichahai)
    text = client.get(reverse("admin:index")).content.decode()
    assert "等我审核的稿件" in text and "四环社区的新台阶" in text
    assert reverse("admin:news_story_change", args=[story.pk]) in text
    assert elsewhere.title not in text  # another street's story
    assert "等待受理的诉求" in text and reverse("admin:feedback_case_change", args=[case.pk]) in text
    assert "status__in=submitted,reopened" in text
    for group in ("新闻稿件", "吹哨报到", "便民服务日", "志愿者"):
        assert f"<caption>{group}</caption>" in text


def test_a_community_worker_submits_and_sees_days_short_of_volunteers(client, places, worker_sihuan):
    day = ef.day(places["sihuan"], title="四环社区便民服务日")
    Role.objects.create(day=day, title="理发助手", places=2)
    full = ef.day(places["xihai"], title="西海社区便民服务日")
    Role.objects.create(day=full, title="引导", places=2)
    client.force_login(worker_sihuan)
    text = client.get(reverse("admin:index")).content.decode()
    assert "已提交、等街道审核的稿件" in text and "等我审核的稿件" not in text
    assert "还缺志愿者的服务日" in text and "四环社区便民服务日（还差 2 人）" in text
    assert reverse("admin:events_serviceday_change", args=[day.pk]) in text
    assert "西海社区便民服务日" not in text  # another community's day


def test_a_department_officer_sees_only_their_tasks(
    client, places, make_case, fangguan, chengguan, officer_fangguan, worker_sihuan
):
    mine = make_case(place="四环胡同1号")
    workflow.accept(mine, "", by=worker_sihuan)
    workflow.dispatch(mine, fangguan, [], "", by=worker_sihuan)
    other = make_case(place="四环胡同2号")
    workflow.accept(other, "", by=worker_sihuan)
    workflow.dispatch(other, chengguan, [], "", by=worker_sihuan)
    client.force_login(officer_fangguan)
    text = client.get(reverse("admin:index")).content.decode()
    assert "等我们到现场报到的任务" in text and "四环胡同1号" in text
    assert "四环胡同2号" not in text
    assert "等待受理的诉求" not in text and "新闻稿件" not in text
    task = mine.tasks.get()
    assert reverse("admin:feedback_dispatchtask_change", args=[task.pk]) in text


def test_the_district_administrator_sees_every_group(client, admin_user):
    client.force_login(admin_user)
    text = client.get(reverse("admin:index")).content.decode()
    for group in ("新闻稿件", "吹哨报到", "便民服务日", "志愿者", "设置"):
        assert f"<caption>{group}</caption>" in text
    assert text.index("<caption>新闻稿件</caption>") < text.index("<caption>设置</caption>")
