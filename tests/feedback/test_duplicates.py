"""Is this already reported? Look-alikes before a resident submits, and staff merging duplicates."""

import pytest
from django.core import mail
from django.urls import reverse

from feedback import duplicates, workflow
from feedback.models import Case, CaseError, TimelineEntry
from tests.feedback.conftest import fresh
from tests.feedback.test_pages import form_data


@pytest.fixture
def open_published(make_case, admin_user):
    def make(**fields):
        case = make_case(**fields)
        workflow.accept(fresh(case), by=admin_user)
        Case.objects.filter(pk=case.pk).update(is_published=True)
        return fresh(case)

    return make


def test_look_alikes_share_words_in_the_same_community_and_category(
    open_published, make_case, places, category, accessibility_category
):
    alike = open_published(place="四环胡同28号院", description="院子地面破损坑洼，老人容易摔倒。")
    open_published(place="四环胡同3号", description="楼道里的电灯坏了很久没人修。")  # no shared word
    open_published(community=places["xihai"], description="院子地面破损坑洼，老人容易摔倒。")
    open_published(category=accessibility_category, description="院子地面破损坑洼，老人容易摔倒。")
    make_case(description="院子地面破损坑洼，老人容易摔倒。")  # not published: residents never see it
    found = duplicates.for_resident(places["sihuan"], category, "四环胡同", "地面破损坑洼，出门不便。")
    assert found == [alike]


def test_at_most_five_most_alike_first(open_published, places, category):
    cases = [open_published(description=f"院子地面破损坑洼第{i}处，需要修理。") for i in range(7)]
    best = open_published(description="院子地面破损坑洼，老人出门摔倒，需要修理。")
    found = duplicates.for_resident(places["sihuan"], category, "院子", "院子地面破损坑洼，老人出门摔倒。")
    assert len(found) == 5
    assert found[0] == best
    assert found[1:] == list(reversed(cases))[:4]  # then the most recent


def test_the_form_shows_look_alikes_first_and_keeps_what_was_typed(client, open_published, places, category):
    alike = open_published(description="院子地面起皮破损，坑洼不平，老人出门不便。")
    data = form_data(places, category)
    response = client.post("/feedback/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "这个问题可能已经有人反映了" in page
    assert reverse("feedback:metoo", args=[alike.code]) in page
    assert Case.objects.count() == 1  # nothing created yet
    for value in (data["description"], data["place"], data["contact_phone"], data["token"]):
        assert f'value="{value}"' in page
    # 仍然提交新问题: the hidden fields as the page has them make the case
    response = client.post("/feedback/new/", {**data, "consent": "True", "confirm_new": "1"})
    assert response.status_code == 302
    assert Case.objects.count() == 2
    # back to the form instead: everything typed is still there
    edit = client.post("/feedback/new/", {**form_data(places, category), "edit": "1"}).content.decode()
    assert "院子地面起皮破损" in edit and 'name="confirm_new"' not in edit


def test_metoo_from_the_look_alikes(client, open_published, places, category):
    alike = open_published()
    client.post("/feedback/new/", form_data(places, category))
    assert client.post(reverse("feedback:metoo", args=[alike.code])).status_code == 302
    assert fresh(alike).metoo_count == 1
    assert Case.objects.count() == 1


def test_no_look_alikes_submits_at_once(client, places, category):
    assert client.post("/feedback/new/", form_data(places, category)).status_code == 302


# --- merging ---------------------------------------------------------------------------------------


@pytest.fixture
def pair(make_case, worker_sihuan, django_capture_on_commit_callbacks):
    first = make_case(description="院子地面起皮破损，坑洼不平，老人出门不便。")
    workflow.accept(fresh(first), by=worker_sihuan)
    Case.objects.filter(pk=first.pk).update(metoo_count=3)
    second = make_case(
        description="院子里地面破损坑洼，我妈摔了一跤。",
        contact_name="李大爷",
        contact_email="li@example.org",
        consent=True,
    )
    return fresh(first), fresh(second)


def test_a_merge_closes_the_duplicate_and_carries_its_people_over(
    pair, worker_sihuan, django_capture_on_commit_callbacks
):
    first, second = pair
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.merge(second, first, by=worker_sihuan)
    second, first = fresh(second), fresh(first)
    assert (second.status, second.decline_reason, second.duplicate_of) == ("declined", "duplicate", first)
    assert first.metoo_count == 3 + 0 + 1
    merged_entry = second.timeline.filter(is_public=True).last()
    assert merged_entry.plain_text.startswith(f"与诉求 {first.code} 是同一件事")
    assert first.timeline.last().message == TimelineEntry.Message.ABSORBED
    assert [m.to for m in mail.outbox] == [["li@example.org"]]  # told once, where to follow it
    assert first.code in mail.outbox[0].body
    # and from now on the surviving case's progress reaches the merged case's reporter too
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_note(first, "已联系房管所。", public=True, by=worker_sihuan)
    assert ["li@example.org"] in [m.to for m in mail.outbox]


def test_the_merged_case_points_to_the_surviving_one(client, pair, worker_sihuan):
    first, second = pair
    workflow.merge(second, first, by=worker_sihuan)
    page = client.get(reverse("feedback:track", args=[second.code])).content.decode()
    assert "已合并到那一条继续办理" in page and first.get_absolute_url() in page


def test_merge_refusals(pair, worker_sihuan, worker_xihai, officer_fangguan, make_case, places):
    first, second = pair
    with pytest.raises(CaseError):
        workflow.merge(second, second, by=worker_sihuan)
    with pytest.raises(CaseError):
        workflow.merge(second, first, by=worker_xihai)  # not their community
    with pytest.raises(CaseError):
        workflow.merge(second, first, by=officer_fangguan)
    elsewhere = make_case(community=places["xihai"])
    with pytest.raises(CaseError):
        workflow.merge(second, elsewhere, by=worker_sihuan)
    stale = fresh(second)
    stale.version -= 1
    with pytest.raises(CaseError):
        workflow.merge(stale, first, by=worker_sihuan)
    assert fresh(second).status == "submitted"


def test_staff_see_likely_duplicates_and_merge_from_the_case_page(client, pair, worker_sihuan, worker_xihai):
    first, second = pair
    client.force_login(worker_sihuan)
    url = reverse("admin:feedback_case_change", args=[second.pk])
    page = client.get(url).content.decode()
    assert "可能是同一件事" in page and first.code in page
    assert client.get(reverse("admin:feedback_case_merge", args=[second.pk])).status_code == 405
    response = client.post(
        reverse("admin:feedback_case_merge", args=[second.pk]), {"into": first.pk, "version": second.version}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:feedback_case_change", args=[first.pk])
    assert fresh(second).duplicate_of == first
    # another community's worker cannot reach the merge at all
    client.force_login(worker_xihai)
    third_pair = reverse("admin:feedback_case_merge", args=[first.pk])
    assert client.post(third_pair, {"into": second.pk, "version": 0}).status_code == 404
