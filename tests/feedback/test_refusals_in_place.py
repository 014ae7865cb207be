"""附议, rating and adding information are answered where the resident pressed the button: in the
case's card on the board, in the rating or information form of their private page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Case
from tests.feedback.conftest import fresh, mine

pytestmark = pytest.mark.django_db


def published_open(make_case, walk):
    case = walk(make_case(), "dispatched")
    Case.objects.filter(pk=case.pk).update(is_published=True)
    return fresh(case)


def board_card(html, case):
    match = re.search(rf'<li class="fb-case" id="case-{case.code}">(.*?)</li>', html, re.S)
    assert match, f"no card for {case.code}"
    return match.group(1)


def section(html, element_id):
    match = re.search(rf'<section aria-labelledby="{element_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {element_id}"
    return match.group(1)


def test_metoo_is_answered_in_the_cases_card(client, make_case, walk):
    case = published_open(make_case, walk)
    other = published_open(make_case, walk)
    response = client.post(f"/feedback/case/{case.code}/metoo/")
    assert response.status_code == 302 and response["Location"] == f"/feedback/#msg-case-{case.code}"
    html = client.get("/feedback/").content.decode()
    inside = board_card(html, case)
    assert "已附议" in inside and "data-focus-message" in inside and 'role="status"' in inside
    assert "谢谢您告诉我们" not in board_card(html, other)


def test_a_second_metoo_is_refused_in_the_cases_card(client, make_case, walk):
    case = published_open(make_case, walk)
    client.post(f"/feedback/case/{case.code}/metoo/")
    client.get("/feedback/")  # the first answer has been read
    response = client.post(f"/feedback/case/{case.code}/metoo/")
    assert response["Location"] == f"/feedback/#msg-case-{case.code}"
    html = client.get("/feedback/").content.decode()
    inside = board_card(html, case)
    assert "您已经附议过这条诉求了" in inside and "data-focus-message" in inside
    assert html.count("您已经附议过这条诉求了") == 1
    assert fresh(case).metoo_count == 1


def test_a_refused_rating_is_answered_in_the_rating_form(client, make_case, walk):
    case = make_case()
    secret = case.owner_secret
    case = walk(case, "resolved")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=400))
    response = client.post(mine(case, secret, "rate"), {"rating": "unsatisfied"})
    assert response.status_code == 409
    inside = section(response.content.decode(), "fb-rate")
    assert "不能再申请重新办理" in inside and "data-focus-message" in inside and 'role="alert"' in inside
    assert f'action="{mine(case, secret, "rate")}#msg-fb-rate"' in inside
    assert fresh(case).status == Case.Status.RESOLVED


def test_a_rating_without_a_choice_is_answered_in_the_rating_form(client, make_case, walk):
    case = make_case()
    secret = case.owner_secret
    case = walk(case, "resolved")
    response = client.post(mine(case, secret, "rate"), {"rating": ""})
    assert response.status_code == 400
    inside = section(response.content.decode(), "fb-rate")
    assert "评价没有提交成功" in inside and "data-focus-message" in inside


def test_added_information_is_confirmed_beside_its_form(client, make_case):
    case = make_case()
    secret = case.owner_secret
    response = client.post(mine(case, secret, "note"), {"note": "门口东侧还有一处。"})
    assert response["Location"] == mine(case, secret) + "#msg-fb-note"
    inside = section(client.get(response["Location"]).content.decode(), "fb-note")
    assert "已补充" in inside and "data-focus-message" in inside
    refused = client.post(mine(case, secret, "note"), {"note": "  "})
    assert refused.status_code == 400
    inside = section(refused.content.decode(), "fb-note")
    assert "data-focus-message" in inside and f'action="{mine(case, secret, "note")}#msg-fb-note"' in inside
