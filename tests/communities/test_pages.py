import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories


def test_directory_groups_communities_by_street(client, places):
    html = client.get("/communities/").content.decode()
    assert html.index("椿树街道") < html.index("椿树园社区") < html.index("什刹海街道") < html.index("四环社区")
    assert "红色领航·椿满园" in html


def test_street_page_lists_its_communities_only(client, places):
    html = client.get("/communities/chunshu/").content.decode()
    assert "椿树园社区" in html and "红线社区" in html
    assert "四环社区" not in html


def test_community_page(client, places):
    factories.partner_unit(places["chunshuyuan"], name="民康社区卫生服务站", kind="health", contact_phone="13800001111")
    response = client.get("/communities/chunshu/chunshuyuan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "红色领航·椿满园" in html
    assert "民康社区卫生服务站" in html
    assert "13800001111" not in html  # partner contacts are for staff only


def test_community_under_the_wrong_street_is_404(client, places):
    assert client.get("/communities/shichahai/chunshuyuan/").status_code == 404
    assert client.get("/communities/nowhere/").status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/communities/", "/communities/chunshu/", "/communities/chunshu/chunshuyuan/"])
def test_query_count_does_not_grow_with_content(client, places, url):
    small = _count(client, url)
    for n in range(12):
        community = factories.community(places["chunshu"], name=f"新社区{n}", slug=f"new-{n}")
        factories.partner_unit(community)
        factories.partner_unit(places["chunshuyuan"])
        factories.street()
    assert _count(client, url) == small


def test_pinned_query_counts(client, places, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/communities/")
    # + 1 for the news block (no stories yet: its communities prefetch does not run)
    with django_assert_num_queries(3):
        client.get("/communities/chunshu/")
    # 2 for the page, 1 each for the news, events, volunteers and feedback blocks.
    with django_assert_num_queries(6):
        client.get("/communities/chunshu/chunshuyuan/")
