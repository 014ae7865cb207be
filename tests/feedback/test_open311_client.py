"""The API as an outside system sees it: ``georeport`` (PyPI, an Open311 GeoReport v2 client) reads
the services and follows a case; the submission is the spec's form POST, which that library does
not implement, sent with ``requests``. The case is walked along the whole 吹哨报到 path."""

import pytest
import requests
from georeport import GeoReport

from feedback import workflow
from feedback.models import Case
from feedback.open311 import keys
from feedback.open311.fields import w3c
from tests.feedback.conftest import jpeg

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_outside_system_submits_and_follows_a_case(
    live_server, places, category, fangguan, officer_fangguan, worker_sihuan, admin_user
):
    from feedback.models import ApiClient

    hotline = ApiClient(name="12345 热线", created_by=admin_user)
    key = keys.issue(hotline)
    hotline.save()
    root = f"{live_server.url}/open311/v2"
    for fmt in ("json", "xml"):
        api = GeoReport(root, jurisdiction="xicheng.beijing.gov.cn", api_key=key, output_format=fmt)
        services = api.get_service_list()
        services = [services] if isinstance(services, dict) else services  # xmltodict: one item is a dict
        assert [s["service_code"] for s in services] == ["road"]
        definition = api.get_service_definition("road")
        attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
        assert "community" in [a["code"] for a in attributes]

    response = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": key,
            "jurisdiction_id": "xicheng.beijing.gov.cn",
            "service_code": "road",
            "attribute[community]": "sihuan",
            "address_string": "四环胡同28号院",
            "lat": "39.9401",
            "long": "116.3802",
            "description": "院门口路面塌了一个坑，晚上看不清，已经有人摔倒。",
            "token": "12345-20261130-0001",
        },
        timeout=30,
    )
    assert response.status_code == 201
    code = response.json()[0]["service_request_id"]
    api = GeoReport(root, jurisdiction="xicheng.beijing.gov.cn", api_key=key)

    def seen():
        return api.get_service_request(code)

    first = seen()
    assert (first["status"], first["status_notes"]) == ("open", "居民反映：路面破损")
    assert (first["lat"], first["long"]) == ("39.940100", "116.380200")
    assert code in requests.get(f"{live_server.url}/feedback/track/{code}/", timeout=30).text

    case = Case.objects.get(code=code)
    workflow.accept(case, by=worker_sihuan)
    assert seen()["status_notes"] == "社区已受理，正在协调处理。"
    workflow.dispatch(case, fangguan, by=worker_sihuan)
    dispatched = seen()
    assert dispatched["agency_responsible"] == "什刹海街道房管所"
    assert dispatched["status_notes"] == "社区吹哨，请什刹海街道房管所（主办）到现场报到。"
    task = case.tasks.get()
    assert dispatched["expected_datetime"] == w3c(task.deadline)
    workflow.report_on_site(task, "房管所 2 人", by=officer_fangguan)
    assert seen()["status_notes"] == "什刹海街道房管所到现场报到（房管所 2 人）。"
    workflow.record_plan(task, "整体铺装透水砖。", by=officer_fangguan)
    assert seen()["status_notes"] == "整体铺装透水砖。"
    workflow.complete(task, "地面已重新铺平。", [jpeg("after.jpg")], by=officer_fangguan)
    assert seen()["status"] == "open"
    workflow.resolve(Case.objects.get(pk=case.pk), "院门口路面已修好。", by=worker_sihuan)
    done = seen()
    assert (done["status"], done["status_notes"], done["expected_datetime"]) == ("closed", "院门口路面已修好。", "")
    # georeport sends no key when it reads: the list is the public board's, so the case shows once published
    assert api.get_service_requests(status="closed") == []
    Case.objects.filter(pk=case.pk).update(is_published=True)
    closed = api.get_service_requests(status="closed")
    assert [(r["service_request_id"], r["description"]) for r in closed] == [
        (code, "院门口路面塌了一个坑，晚上看不清，已经有人摔倒。")
    ]
    page = requests.get(f"{live_server.url}/feedback/track/{code}/", timeout=30).text
    assert code in page and "院门口路面已修好。" in page
