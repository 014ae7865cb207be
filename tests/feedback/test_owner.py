"""A resident's case belongs to the resident: only their private link rates, reopens or adds information."""

import hashlib
import logging
import re

from django.core import mail
from django.core.cache import cache

from feedback.models import Actor, Case, TimelineEntry
from tests.feedback.conftest import PRIVATE, fresh, mine
from tests.feedback.sms_backend import LocmemSMSBackend
from tests.feedback.test_pages import PHONE, form_data


def submit(client, places, category, **extra):
    response = client.post("/feedback/new/", form_data(places, category, **extra))
    assert response.status_code == 302
    found = PRIVATE.fullmatch(response["Location"])
    assert found, response["Location"]
    return Case.objects.get(code=found["code"]), found["secret"], response


# --- the link ----------------------------------------------------------------------------


def test_submitting_leads_to_the_private_page_and_keeps_only_a_hash(client, places, category):
    case, secret, response = submit(client, places, category)
    assert len(secret) >= 22  # token_urlsafe(22): 176 bits
    assert case.owner_digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = Case.objects.filter(pk=case.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "提交成功" in html and "请保存这个专属链接" in html
    assert f"http://testserver{mine(case, secret)}" in html
    assert case.code in html and PHONE not in html
    assert page["Referrer-Policy"] == "strict-origin"  # no path in any Referer; its forms keep their Origin
    assert "no-store" in page["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html and page["X-Robots-Tag"] == "noindex"


def test_the_private_page_is_never_page_cached(client, case):
    secret = case.owner_secret
    client.cookies.clear()
    for _ in range(2):
        response = client.get(mine(case, secret))
        assert response.status_code == 200 and not response.has_header("X-Page-Cache")


def test_a_double_submit_shows_the_same_private_link(client, places, category):
    data = form_data(places, category)
    first = client.post("/feedback/new/", data)
    second = client.post("/feedback/new/", data)
    assert Case.objects.count() == 1
    assert PRIVATE.fullmatch(first["Location"]) and second["Location"] == first["Location"]


def test_a_late_resubmit_says_where_the_link_went_without_showing_one(client, places, category):
    data = form_data(places, category)
    client.post("/feedback/new/", data)
    cache.clear()  # the remembered link is gone (it is kept only for the minutes of a double click)
    again = client.post("/feedback/new/", data)
    html = again.content.decode()
    assert again.status_code == 200
    assert "已经提交过" in html and "/feedback/mine/" not in html
    assert Case.objects.count() == 1


def test_the_link_goes_to_the_email_and_phone_left_and_never_into_the_log(
    client, places, category, settings, caplog, capsys, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case, secret, _response = submit(client, places, category)
    link = f"{settings.SITE_URL}{mine(case, secret)}"
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    printed = capsys.readouterr().out
    assert "[SMS to" in printed  # the console gateway (the default) still shows the message ...
    assert secret not in printed and secret not in caplog.text  # ... without the secret

    settings.SMS_BACKEND = "tests.feedback.sms_backend.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case, secret, _response = submit(client, places, category)
    link = f"{settings.SITE_URL}{mine(case, secret)}"
    assert [phone for phone, text in LocmemSMSBackend.outbox if link in text] == [PHONE]


def test_private_paths_are_redacted_in_every_log_line(case):
    from feedback.owner import RedactPrivateLinks

    secret = case.owner_secret
    args = ("Bad Request", mine(case, secret, "rate"))
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s: %s", args, None)
    assert RedactPrivateLinks().filter(record)
    assert secret not in record.getMessage() and case.code in record.getMessage()
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactPrivateLinks) for f in h.filters)]
    assert handlers, "settings.LOGGING must put the filter on the console handler"


# --- who may do what -------------------------------------------------------------------


def test_the_public_page_offers_no_forms_only_a_pointer_to_the_private_link(client, walk, case):
    case = walk(case, "resolved")
    html = client.get(f"/feedback/track/{case.code}/").content.decode()
    assert "专属链接" in html
    assert 'name="rating"' not in html and 'name="note"' not in html and "提交评价" not in html


def test_the_public_rating_route_is_gone(client, walk, case):
    case = walk(case, "resolved")
    response = client.post(f"/feedback/track/{case.code}/rate/", {"rating": "satisfied"})
    assert response.status_code == 404
    assert fresh(case).status == Case.Status.RESOLVED and fresh(case).rating == ""


def test_a_wrong_secret_is_the_same_404_as_an_unknown_code(client, walk, case, make_case):
    secret = case.owner_secret
    case = walk(case, "resolved")
    unknown = client.get("/feedback/mine/SH-2026-999999/" + secret + "/")
    wrong = client.get(mine(case, secret[:-1] + ("A" if secret[-1] != "A" else "B")))
    assert unknown.status_code == wrong.status_code == 404
    assert normalised(unknown) == normalised(wrong)
    # A case from before the private links has no owner at all.
    old = make_case()
    Case.objects.filter(pk=old.pk).update(owner_digest="")
    assert client.get(mine(old, old.owner_secret)).status_code == 404
    assert client.post(mine(case, "x" * 30, "rate"), {"rating": "satisfied"}).status_code == 404
    assert client.post(mine(case, "x" * 30, "note"), {"note": "路面又坏了，在门口东侧。"}).status_code == 404
    assert fresh(case).status == Case.Status.RESOLVED
    assert not TimelineEntry.objects.filter(case=case, action=TimelineEntry.Action.NOTE).exists()


def test_the_owner_adds_information_masked_before_it_is_public(client, walk, case):
    secret = case.owner_secret
    case = walk(case, "dispatched")
    response = client.post(mine(case, secret, "note"), {"note": "积水在东侧门口，有事打 138 1234 5678。"})
    assert response.status_code == 302 and response["Location"] == mine(case, secret) + "#msg-fb-note"
    entry = TimelineEntry.objects.get(case=case, action=TimelineEntry.Action.NOTE)
    assert entry.role == Actor.RESIDENT and entry.is_public
    assert entry.note == "积水在东侧门口，有事打 138****5678。"
    public = client.get(f"/feedback/track/{case.code}/").content.decode()
    assert "积水在东侧门口" in public and "1234 5678" not in public


def test_the_same_information_sent_twice_is_one_note(client, case):
    secret = case.owner_secret
    for _ in range(2):
        assert client.post(mine(case, secret, "note"), {"note": "门口东侧还有一处。"}).status_code == 302
    assert TimelineEntry.objects.filter(case=case, action=TimelineEntry.Action.NOTE).count() == 1


def test_adding_information_refusals(client, walk, case, rate_limits):
    secret = case.owner_secret
    empty = client.post(mine(case, secret, "note"), {"note": "   "})
    assert empty.status_code == 400 and "请写下" in empty.content.decode()
    too_long = client.post(mine(case, secret, "note"), {"note": "长" * 1001})
    assert too_long.status_code == 400
    rate_limits("resident_note", case=(1, 86400))
    assert client.post(mine(case, secret, "note"), {"note": "门口东侧还有一处。"}).status_code == 302
    flood = client.post(mine(case, secret, "note"), {"note": "再补充一句。"})
    assert flood.status_code == 429 and "太多" in flood.content.decode()
    assert TimelineEntry.objects.filter(case=case, action=TimelineEntry.Action.NOTE).count() == 1
    closed = walk(case, "resolved")
    client.post(mine(case, secret, "rate"), {"rating": "satisfied"})
    rate_limits("resident_note", case=(10, 86400))
    refused = client.post(mine(closed, secret, "note"), {"note": "已经修好了，谢谢。"})
    assert refused.status_code == 409 and "已经结束" in refused.content.decode()


def normalised(response):
    """The page without what differs on every answer anyway: the CSRF token (a fresh random mask) and
    the address asked for (the display controls' "next" echoes it back to the one who typed it)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return html.replace(response.wsgi_request.get_full_path(), "PATH")
