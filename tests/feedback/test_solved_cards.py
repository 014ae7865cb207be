"""The community page's 解决了的问题: each card says what was done, with the problem as context."""

import re

from django.utils import translation

from feedback import workflow
from feedback.models import Case
from tests.feedback.conftest import fresh


def community_html(client, places):
    sihuan = places["sihuan"]
    return client.get(f"/communities/{sihuan.street.slug}/{sihuan.slug}/").content.decode()


def test_a_card_leads_with_what_was_done(client, walk, case, places, worker_sihuan):
    case = walk(case, "resolved")
    workflow.add_note(case, "内部：施工队联系人 13900001111", public=False, by=worker_sihuan)
    Case.objects.filter(pk=case.pk).update(is_published=True)
    html = community_html(client, places)
    card = re.search(r'<li class="fb-case">(.*?)</li>', html, re.S).group(1)
    assert '怎么解决的</strong><span lang="zh-Hans">院内地面已修好，平整宽敞。' in card
    assert '原来的问题</span><span lang="zh-Hans">院内地面起皮破损' in card
    assert card.index("怎么解决的") < card.index("原来的问题")
    assert "施工队" not in html


def test_a_case_resolved_twice_shows_the_latest_result(client, walk, case, places, worker_sihuan):
    case = walk(case, "resolved")
    Case.objects.filter(pk=case.pk).update(is_published=True)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.PLANNED)
    workflow.resolve(fresh(case), "第二次：排水也修好了。", by=worker_sihuan)
    html = community_html(client, places)
    assert "第二次：排水也修好了。" in html and "平整宽敞" not in html


def test_english_labels(client, walk, case, places):
    case = walk(case, "resolved")
    Case.objects.filter(pk=case.pk).update(is_published=True)
    client.cookies["django_language"] = "en"
    with translation.override(translation.get_language()):  # the request leaves English active
        html = community_html(client, places)
    assert "What was done" in html and "The problem" in html
