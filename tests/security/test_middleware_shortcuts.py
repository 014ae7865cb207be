"""The cheaper paths of the portal's middleware answer exactly as the code they stand in for."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import patch_vary_headers

from core.messagestorage import LazyFallbackStorage
from core.middleware import CSPMiddleware, StripControlsMiddleware, plain_query, vary_on_cookie


def csp(view, path="/page"):
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def test_a_plain_response_gets_the_settings_policy_as_django_csp_builds_it():
    _, response = csp(lambda request: HttpResponse("x"))
    assert response[HEADER] == build_policy()
    assert HEADER_REPORT_ONLY not in response


def test_a_changed_setting_changes_the_policy(settings):
    csp(lambda request: HttpResponse("x"))  # the old policy is remembered now
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "img-src": ["https://img.example"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF]}}
    _, response = csp(lambda request: HttpResponse("x"))
    assert sorted(response[HEADER].split("; ")) == ["default-src 'self'", "img-src https://img.example"]
    assert response[HEADER_REPORT_ONLY] == "default-src 'self'"


def test_a_page_that_asks_for_a_nonce_gets_it_in_its_policy(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    assert "nonce-" not in csp(lambda request: HttpResponse("x"))[1][HEADER]  # none asked for
    seen = []

    def view(request):
        seen.append(str(request.csp_nonce))
        return HttpResponse("x")

    _, response = csp(view)
    assert f"script-src 'self' 'nonce-{seen[0]}'" in response[HEADER].split("; ")


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    request, _ = csp(lambda request: HttpResponse("x"))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_response_that_changes_its_policy_gets_it_built():
    def view(request):
        response = HttpResponse("x")
        response._csp_update = {"img-src": ["https://maps.example"]}
        return response

    _, response = csp(view)
    img_src = next(d for d in response[HEADER].split("; ") if d.startswith("img-src"))
    assert img_src == "img-src 'self' data: https://maps.example"


def test_an_exempt_response_an_excluded_path_and_a_set_header_are_left_alone(settings):
    def exempt(request):
        response = HttpResponse("x")
        response._csp_exempt = True
        return response

    assert HEADER not in csp(exempt)[1]
    assert csp(lambda request: HttpResponse("x", headers={HEADER: "default-src *"}))[1][HEADER] == "default-src *"
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/outside"]}
    assert HEADER not in csp(lambda request: HttpResponse("x"), path="/outside/page")[1]
    assert HEADER in csp(lambda request: HttpResponse("x"), path="/inside")[1]


@pytest.mark.parametrize("vary", [None, "Cookie", "cookie", "Accept-Encoding", "Accept-Encoding, Cookie", "*"])
def test_vary_on_cookie_answers_as_patch_vary_headers(vary):
    headers = {"Vary": vary} if vary else {}
    ours, django = HttpResponse(headers=headers), HttpResponse(headers=headers)
    vary_on_cookie(ours)
    patch_vary_headers(django, ("Cookie",))
    assert ours["Vary"] == django["Vary"]


@pytest.mark.parametrize(
    ("query", "plain"),
    [("", True), ("q=社区&page=2", True), ("q=a+b", True), ("q=%E7%A4%BE", False), ("q=a\x01b", False)],
)
def test_only_a_query_without_escapes_or_controls_counts_as_plain(query, plain):
    assert plain_query(RequestFactory().get("/", QUERY_STRING=query)) is plain


@pytest.mark.parametrize(("query", "value"), [("q=a%01b%0A", "ab\n"), ("q=%E7%A4%BE", "社"), ("q=a+b", "a b")])
def test_query_values_reach_the_view_without_controls(query, value):
    seen = []
    request = RequestFactory().get("/", QUERY_STRING=query)
    StripControlsMiddleware(lambda request: seen.append(request.GET["q"]) or HttpResponse())(request)
    assert seen == [value]


def test_messages_storage_is_built_only_when_messages_are_used(rf):
    from django.contrib.messages import INFO, add_message, get_messages
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request = rf.get("/")
    request.session = SessionStore()
    storage = LazyFallbackStorage(request)
    storage.update(HttpResponse())
    assert "storages" not in storage.__dict__

    request._messages = LazyFallbackStorage(request)
    add_message(request, INFO, "已保存")
    response = HttpResponse()
    request._messages.update(response)
    assert "messages" in response.cookies  # Django's cookie storage, as before

    later = rf.get("/")
    later.session = request.session
    later.COOKIES["messages"] = response.cookies["messages"].value
    later._messages = LazyFallbackStorage(later)
    assert [str(m) for m in get_messages(later)] == ["已保存"]
