"""Open311 GeoReport v2 (feedback/open311/): the spec's shapes in JSON and XML, the refusals in the
spec's error format, keys, retries, paging and privacy."""

import json
import logging
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import ApiClient, ApiSubmission, Case
from feedback.open311 import keys
from tests.feedback.conftest import fresh


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


API = "/open311/v2"


@pytest.fixture
def hotline(db, admin_user):
    client = ApiClient(name="12345 热线", created_by=admin_user)
    key = keys.issue(client)
    client.save()
    client.key = key
    return client


def form(hotline, **changes):
    data = {
        "api_key": hotline.key,
        "service_code": "road",
        "attribute[community]": "sihuan",
        "address_string": "四环胡同28号院",
        "description": "院门口路面塌了一个坑，晚上看不清，已经有人摔倒。",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, fmt="json", **headers):
    return client.post(f"{API}/requests.{fmt}", data, headers=headers)


def errors(response):
    """The spec's error list, read from JSON or XML: [(code, description)]."""
    if response["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]
    return [(e["code"], e["description"]) for e in json.loads(response.content)]


# --- discovery and services ------------------------------------------------------------------------


def test_discovery_names_the_endpoint_and_formats(client, db):
    data = client.get(f"{API}/discovery.json").json()
    assert data["endpoints"][0]["url"] == "http://testserver/open311/v2/"
    assert data["endpoints"][0]["formats"] == ["application/json", "text/xml"]
    root = ET.fromstring(client.get(f"{API}/discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["application/json", "text/xml"]


def test_services_one_per_active_category_with_group(client, category):
    category.group = "市容环境"
    category.save()
    type(category).objects.create(name="已停用", slug="old", is_active=False)
    response = client.get(f"{API}/services.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    (service,) = response.json()
    assert service["service_code"] == "road"
    assert service["service_name"] == "路面破损"
    assert service["group"] == "市容环境"
    assert service["metadata"] is True and service["type"] == "realtime"
    root = ET.fromstring(client.get(f"{API}/services.xml").content)
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == ["road"]
    assert root.find("service/metadata").text == "true"


def test_service_definition_lists_the_communities(client, category, places):
    data = client.get(f"{API}/services/road.json").json()
    codes = {a["code"]: a for a in data["attributes"]}
    assert codes["community"]["required"] is True
    assert codes["community"]["datatype"] == "singlevaluelist"
    assert {"key": "sihuan", "name": "什刹海街道 · 四环社区"} in codes["community"]["values"]
    assert codes["place"]["description"] == "具体地点"
    root = ET.fromstring(client.get(f"{API}/services/road.xml").content)
    assert root.tag == "service_definition"
    keys_ = [v.findtext("key") for v in root.findall("attributes/attribute/values/value")]
    assert "sihuan" in keys_


def test_unknown_service_and_jurisdiction_are_404_in_spec_format(client, category):
    response = client.get(f"{API}/services/nothing.xml")
    assert response.status_code == 404
    assert errors(response)[0][0] == 404
    response = client.get(f"{API}/services.json", {"jurisdiction_id": "elsewhere.example"})
    assert response.status_code == 404 and errors(response)[0][0] == 404
    assert client.get(f"{API}/services.json", {"jurisdiction_id": "xicheng.beijing.gov.cn"}).status_code == 200
    response = client.get(f"{API}/nowhere.json")
    assert response.status_code == 404 and errors(response)[0][0] == 404


# --- submitting --------------------------------------------------------------------------------------


def test_a_submission_makes_a_case_through_intake(client, hotline, category, places, caplog):
    with caplog.at_level(logging.INFO, logger="civic_portal.audit"):
        response = post(client, form(hotline, lat="39.9401", long="116.3802"))
    assert response.status_code == 201
    (answer,) = response.json()
    case = Case.objects.get(code=answer["service_request_id"])
    assert case.source == Case.Source.API and case.api_client == hotline
    assert case.community == places["sihuan"] and case.category == category
    assert str(case.lat) == "39.940100" and str(case.long) == "116.380200"
    assert case.timeline.get().action == "submitted"
    assert ApiSubmission.objects.get(case=case).token == answer["token"]
    assert "open311-request-created" in caplog.text and case.code in caplog.text
    assert reload(hotline).last_used_at is not None
    # the token turns into the id
    assert client.get(f"{API}/tokens/{answer['token']}.json").json() == [
        {"service_request_id": case.code, "token": answer["token"]}
    ]
    assert client.get(f"{API}/tokens/nosuchtoken.json").status_code == 404


def test_a_retry_with_the_same_key_is_the_same_case(client, hotline, category, places):
    first = post(client, form(hotline, token="hotline-20261130-0001"))
    again = post(client, form(hotline, token="hotline-20261130-0001"))
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    header = post(client, form(hotline), **{"Idempotency-Key": "k-1"})
    header_again = post(client, form(hotline), **{"Idempotency-Key": "k-1"})
    assert header.json() == header_again.json()
    assert Case.objects.count() == 2
    # without a key, two requests are two submissions
    post(client, form(hotline))
    assert Case.objects.count() == 3


def test_the_pair_client_key_is_unique_in_the_database(hotline, make_case):
    from django.db import IntegrityError, transaction

    ApiSubmission.objects.create(client=hotline, key="k", token="t1", case=make_case())
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiSubmission.objects.create(client=hotline, key="k", token="t2", case=make_case())


def test_contacts_are_kept_only_with_consent_and_never_shown(
    client, hotline, category, places, django_capture_on_commit_callbacks
):
    private = {"first_name": "大妈", "last_name": "王", "phone": "13812341234", "email": "wang@example.org"}
    without = post(client, form(hotline, token="a", **private)).json()[0]["service_request_id"]
    assert Case.objects.get(code=without).is_anonymous
    with django_capture_on_commit_callbacks(execute=True):
        with_consent = post(client, form(hotline, token="b", **{"attribute[consent]": "true"}, **private))
    case = Case.objects.get(code=with_consent.json()[0]["service_request_id"])
    assert (case.contact_name, case.contact_phone, case.contact_email) == ("王 大妈", "13812341234", "wang@example.org")
    assert [m.to for m in mail.outbox] == [["wang@example.org"]]  # told like a portal reporter
    body = client.get(f"{API}/requests/{case.code}.json", {"api_key": hotline.key}).content.decode()
    for value in ("13812341234", "wang@example.org", "王 大妈", "大妈"):
        assert value not in body


def test_phone_numbers_in_the_description_are_masked_in_the_answer(client, hotline, category, places):
    code = post(client, form(hotline, description="楼下井盖丢了，请联系 13812341234 处理，很危险。")).json()[0][
        "service_request_id"
    ]
    body = client.get(f"{API}/requests/{code}.json", {"api_key": hotline.key}).content.decode()
    assert "13812341234" not in body


@pytest.mark.parametrize(
    "key",
    [None, "", "wrong-key", "x" * 300, "\u202e'; DROP TABLE--"],
)
def test_a_missing_or_wrong_key_is_403(client, hotline, category, places, key):
    response = post(client, form(hotline, api_key=key))
    assert response.status_code == 403
    assert errors(response)[0][0] == 403
    assert Case.objects.count() == 0


def test_a_revoked_key_is_refused(client, hotline, category, places):
    assert post(client, form(hotline, token="1")).status_code == 201
    ApiClient.objects.filter(pk=hotline.pk).update(revoked_at="2026-01-01T00:00:00Z")
    response = post(client, form(hotline, token="2"), fmt="xml")
    assert response.status_code == 403 and errors(response)[0][0] == 403
    assert Case.objects.count() == 1


HOSTILE = [
    ("service_code", "nothing"),
    ("service_code", ""),
    ("service_code", "x" * 5000),
    ("service_code", "路面'\"<破损>"),
    ("attribute[community]", "nowhere"),
    ("attribute[community]", ""),
    ("attribute[community]", "a\u0000b"),
    ("address_string", ""),
    ("address_string", "地" * 101),
    ("attribute[place]", "地" * 101),
    ("description", ""),
    ("description", "短"),
    ("description", "长" * 2001),
    ("description", "\u0000" * 20),
    ("lat", "north"),
    ("lat", "91"),
    ("lat", "NaN"),
    ("lat", "Infinity"),
    ("lat", "1e999999"),
    ("lat", "3" * 100),
    ("long", "-181"),
    ("long", "[]"),
    ("email", "not-an-email"),
    ("phone", "12345"),
    ("media_url", "http://169.254.169.254/latest/meta-data/"),
    ("media_url", "file:///etc/passwd"),
    ("media_url", "https://evil.example/p.jpg"),
    ("media_url", "http://[::1"),
    ("token", "k" * 101),
    ("token", "a\tb"),
    ("jurisdiction_id", "elsewhere"),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("field", "value"), HOSTILE)
def test_hostile_input_gets_the_spec_error_format(client, hotline, category, places, field, value, fmt):
    changes = {field: value}
    if field == "email" or field == "phone":
        changes["attribute[consent]"] = "true"
    if field == "lat":
        changes["long"] = "116.38"
    if field == "long":
        changes["lat"] = "39.94"
    response = post(client, form(hotline, **changes), fmt=fmt)
    assert response.status_code in (400, 404), (field, value, response.status_code)
    expected = 404 if field == "jurisdiction_id" else 400
    assert response.status_code == expected
    assert all(code == expected and description for code, description in errors(response))
    assert Case.objects.count() == 0


def test_a_media_url_from_an_allowed_host_is_stored_not_fetched(client, hotline, category, places, settings):
    settings.OPEN311_MEDIA_HOSTS = ["photos.12345.example"]
    response = post(client, form(hotline, media_url="https://photos.12345.example/a.jpg"))
    case = Case.objects.get(code=response.json()[0]["service_request_id"])
    assert case.media_url == "https://photos.12345.example/a.jpg"
    assert case.photos.count() == 0


def test_coordinates_alone_need_no_address(client, hotline, category, places):
    response = post(client, form(hotline, address_string=None, lat="39.94", long="116.38"))
    assert response.status_code == 201
    case = Case.objects.get(code=response.json()[0]["service_request_id"])
    assert case.place == "坐标 39.94, 116.38"
    response = post(client, form(hotline, address_string=None, token="x"))
    assert response.status_code == 400


def test_writes_are_throttled_per_key(client, hotline, category, places, rate_limits):
    rate_limits("open311_write", client=(2, 3600))
    assert post(client, form(hotline, token="1")).status_code == 201
    assert post(client, form(hotline, token="2")).status_code == 201
    response = post(client, form(hotline, token="3"))
    assert response.status_code == 429 and errors(response)[0][0] == 429


def test_other_methods_are_405_in_spec_format(client, category):
    response = client.put(f"{API}/services.json")
    assert response.status_code == 405 and errors(response)[0][0] == 405
    response = client.post(f"{API}/services.json")
    assert response.status_code == 405


# --- reading requests ------------------------------------------------------------------------------


@pytest.fixture
def published(make_case, worker_sihuan):
    from feedback import workflow

    def make(**fields):
        case = make_case(**fields)
        workflow.accept(fresh(case), by=worker_sihuan)
        Case.objects.filter(pk=case.pk).update(is_published=True)
        return fresh(case)

    return make


def test_lists_show_published_cases_and_a_clients_own(client, hotline, published, make_case, category, places):
    public = published()
    hidden = make_case()
    codes = [r["service_request_id"] for r in client.get(f"{API}/requests.json").json()]
    assert codes == [public.code]
    own = post(client, form(hotline)).json()[0]["service_request_id"]
    keyed = client.get(f"{API}/requests.json", {"api_key": hotline.key})
    assert {r["service_request_id"] for r in keyed.json()} == {public.code, own}
    assert "no-cache" in keyed["Cache-Control"] or "no-store" in keyed["Cache-Control"]
    assert hidden.code not in keyed.content.decode()
    assert client.get(f"{API}/requests.json", {"api_key": "wrong"}).status_code == 403


def test_filters_status_code_dates(client, published, category, places):
    case = published()
    assert len(client.get(f"{API}/requests.json", {"status": "open"}).json()) == 1
    assert client.get(f"{API}/requests.json", {"status": "closed"}).json() == []
    assert len(client.get(f"{API}/requests.json", {"status": "open,closed"}).json()) == 1
    assert client.get(f"{API}/requests.json", {"service_code": "noise"}).json() == []
    assert len(client.get(f"{API}/requests.json", {"service_code": "noise,road"}).json()) == 1
    assert client.get(f"{API}/requests.json", {"start_date": "2020-01-01T00:00:00Z"}).json() == []
    day = case.created_at.date().isoformat()
    assert len(client.get(f"{API}/requests.json", {"start_date": day}).json()) == 1
    by_id = client.get(f"{API}/requests.json", {"service_request_id": f"{case.code},SH-2000-000000"})
    assert [r["service_request_id"] for r in by_id.json()] == [case.code]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-13-01T00:00:00Z"},
        {"end_date": "2026-02-30"},
        {"start_date": "2026-01-01", "end_date": "2025-01-01"},
        {"start_date": "2025-01-01", "end_date": "2026-01-01"},
        {"start_date": "9" * 60},
        {"status": "pending"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "１"},
        {"page_size": "101"},
        {"page_size": "ten"},
        {"service_request_id": "../../etc"},
        {"service_request_id": ",".join(["SH-2026-000001"] * 101)},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_read_parameters_are_400_in_spec_format(client, db, params, fmt):
    response = client.get(f"{API}/requests.{fmt}", params)
    assert response.status_code == 400
    assert errors(response)[0][0] == 400


def test_a_nul_in_the_query_string_is_refused(client, db):
    assert client.get(f"{API}/requests.json", {"status": "open\x00"}).status_code == 400


def test_paging_has_a_maximum(client, published, category, places):
    cases = [published() for _ in range(3)]
    first = client.get(f"{API}/requests.json", {"page_size": "2"}).json()
    second = client.get(f"{API}/requests.json", {"page_size": "2", "page": "2"}).json()
    assert len(first) == 2 and len(second) == 1
    assert {r["service_request_id"] for r in first + second} == {c.code for c in cases}
    assert client.get(f"{API}/requests.json", {"page_size": "100"}).status_code == 200


def test_one_request_by_its_code_in_xml(client, published, category, places):
    case = published()
    root = ET.fromstring(client.get(f"{API}/requests/{case.code}.xml").content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id") == case.code
    assert request.findtext("status") == "open"
    assert request.findtext("status_notes") == "社区已受理，正在协调处理。"
    assert request.findtext("address") == "四环胡同28号院"
    assert request.findtext("agency_responsible") == "四环社区"
    assert client.get(f"{API}/requests/SH-2000-000000.json").status_code == 404


def test_an_unpublished_case_by_code_shows_no_description(client, make_case):
    case = make_case()
    (data,) = client.get(f"{API}/requests/{case.code}.json").json()
    assert data["description"] == "" and data["address"] == case.place


def test_reads_are_throttled(client, category, rate_limits):
    rate_limits("open311_read", address=(2, 3600))
    assert client.get(f"{API}/services.json").status_code == 200
    assert client.get(f"{API}/services.json").status_code == 200
    response = client.get(f"{API}/services.json")
    assert response.status_code == 429 and errors(response)[0][0] == 429


def test_list_query_count_is_fixed(client, published, category, places, django_assert_max_num_queries):
    for _ in range(5):
        published()
    with django_assert_max_num_queries(6):
        assert len(client.get(f"{API}/requests.json").json()) == 5


# --- the admin ------------------------------------------------------------------------------------


def test_a_district_admin_creates_a_client_and_sees_its_key_once(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:feedback_apiclient_add"), {"name": "12345 热线", "contact": "热线平台 王工"}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    new = ApiClient.objects.get(name="12345 热线")
    (key,) = [m.rsplit("：", 1)[1] for m in shown if "只显示这一次" in m]
    assert keys.digest(key) == new.key_digest and key not in new.key_digest
    assert new.created_by == admin_user
    page = client.get(reverse("admin:feedback_apiclient_change", args=[new.pk])).content.decode()
    assert key not in page
    client.post(
        reverse("admin:feedback_apiclient_changelist"),
        {"action": "revoke", "_selected_action": [new.pk]},
    )
    assert reload(new).revoked_at is not None
    assert keys.client_for(key) is None


def test_a_submission_in_xml_answers_in_xml(client, hotline, category, places):
    response = post(client, form(hotline, token="x1"), fmt="xml")
    assert response.status_code == 201 and response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    assert Case.objects.filter(code=code, source=Case.Source.API).exists()


def test_no_personal_data_in_any_list(client, hotline, published, category, places):
    published(contact_name="王大妈", contact_phone="13812341234", contact_email="wang@example.org", consent=True)
    post(
        client,
        form(
            hotline,
            **{"attribute[consent]": "true"},
            first_name="秀兰",
            last_name="李",
            phone="13900002222",
            email="li@example.org",
        ),
    )
    for fmt in ("json", "xml"):
        body = client.get(f"{API}/requests.{fmt}", {"api_key": hotline.key}).content.decode()
        assert body.count("<request>") == 2 or len(json.loads(body)) == 2
        for value in ("王大妈", "13812341234", "wang@example.org", "秀兰", "13900002222", "li@example.org"):
            assert value not in body, (fmt, value)


def test_lookups_by_code_count_like_the_tracking_page_except_a_clients_own(
    client, hotline, published, category, places, rate_limits
):
    rate_limits("track", address=(2, 3600))
    own = post(client, form(hotline)).json()[0]["service_request_id"]
    others = [published().code for _ in range(3)]
    assert client.get(f"{API}/requests/{others[0]}.json").status_code == 200
    assert client.get(f"{API}/requests/{others[1]}.json").status_code == 200
    response = client.get(f"{API}/requests/{others[2]}.json")
    assert response.status_code == 429 and errors(response)[0][0] == 429
    for _ in range(3):  # a client following its own case is not walking codes
        assert client.get(f"{API}/requests/{own}.json", {"api_key": hotline.key}).status_code == 200
