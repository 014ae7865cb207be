"""The footer of an official portal: who runs it, how to reach them, 12345, the filing numbers; each
line only when its setting is set (settings.PORTAL_FOOTER from the PORTAL_* variables)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from civic_portal.env import env_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # The page cache is invalidated by content changes; a changed setting means a restart.
    settings.PAGE_CACHE_SECONDS = 0


FULL = {
    "organiser": "北京市西城区人民政府",
    "operator": "西城区社区服务中心",
    "phone": "010-66001234",
    "address": "北京市西城区二龙路 27 号",
    "hotline": "12345",
    "hotline_url": "https://12345.example.gov.cn/",
    "site_code": "1101020001",
    "icp": "京ICP备12345678号-1",
    "icp_url": "https://beian.miit.gov.cn/",
    "psb": "京公网安备11010202000001号",
    "psb_url": "https://beian.mps.gov.cn/",
}


def footer(client):
    html = client.get("/accessibility/").content.decode()
    return html.split('<footer class="site-footer">', 1)[1]


def test_every_line_when_set(client, settings):
    settings.PORTAL_FOOTER = FULL
    html = footer(client)
    shown = [("主办单位", "北京市西城区人民政府"), ("承办单位", "西城区社区服务中心"), ("联系地址", "二龙路 27 号")]
    for label, value in shown:
        assert label in html and value in html
    assert '<a href="tel:12345">12345</a>' in html
    assert '<a href="https://12345.example.gov.cn/" rel="noopener">网上12345</a>' in html
    assert "网站标识码 1101020001" in html
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">京ICP备12345678号-1</a>' in html
    assert '<a href="https://beian.mps.gov.cn/" rel="noopener">京公网安备11010202000001号</a>' in html


def test_nothing_when_unset(client, settings):
    settings.PORTAL_FOOTER = dict.fromkeys(FULL, "")
    html = footer(client)
    absent = ("主办单位", "承办单位", "联系电话", "联系地址", "市民服务热线", "tel:", "网站标识码", "ICP", "公网安备")
    for text in absent:
        assert text not in html
    assert "无障碍声明" in html  # the footer itself stays


def test_hotline_without_an_online_address(client, settings):
    settings.PORTAL_FOOTER = {**dict.fromkeys(FULL, ""), "hotline": "12345"}
    html = footer(client)
    assert '<a href="tel:12345">12345</a>' in html and "网上" not in html


def test_development_shows_placeholders_marked_as_demo(client):
    html = footer(client)  # the test settings are the development defaults
    assert html.count("（演示）") >= 6 and "京ICP备00000000号（演示）" in html


def test_english_footer_labels_and_marked_values(client, settings):
    settings.PORTAL_FOOTER = FULL
    client.cookies["django_language"] = "en"
    html = footer(client)
    assert '<dt>Run by</dt><dd><span lang="zh-Hans">北京市西城区人民政府</span></dd>' in html
    assert "<dt>Phone</dt><dd>010-66001234</dd>" in html
    assert "12345 online" in html


@pytest.mark.parametrize("value", ["javascript:alert(1)", "beian.miit.gov.cn", "ftp://example.org/"])
def test_links_must_be_web_addresses(monkeypatch, value):
    monkeypatch.setenv("PORTAL_ICP_URL", value)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_ICP_URL"):
        env_url("PORTAL_ICP_URL")


def test_link_default_and_empty(monkeypatch):
    monkeypatch.delenv("PORTAL_ICP_URL", raising=False)
    assert env_url("PORTAL_ICP_URL", "https://beian.miit.gov.cn/") == "https://beian.miit.gov.cn/"
    monkeypatch.setenv("PORTAL_ICP_URL", "")
    assert env_url("PORTAL_ICP_URL", "https://beian.miit.gov.cn/") == ""
