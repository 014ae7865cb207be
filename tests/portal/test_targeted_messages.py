"""core/targeted.py: a message meant for an element is drawn in it, once; page-wide messages stay at the
top; a message whose element is not on the page is drawn at the end of it rather than lost."""

from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template import Context, Template
from django.test import RequestFactory

from core import targeted

PAGE = Template(
    "{% load portal %}[top]{% include 'includes/messages.html' %}[/top]"
    "[card]{% targeted_messages 'role-' 7 %}[/card]"
    "[end]{% unplaced_messages %}[/end]"
)


def request_with(*adds):
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    for add in adds:
        add(request)
    return request


def render(request):
    html = PAGE.render(Context({"request": request, "messages": get_messages(request)}))
    part = {}
    for name in ("top", "card", "end"):
        part[name] = html.split(f"[{name}]")[1].split(f"[/{name}]")[0]
    return part


def test_each_message_is_drawn_once_in_its_place():
    request = request_with(
        lambda r: targeted.error(r, "时间冲突", "role-7"),
        lambda r: targeted.success(r, "已附议", "case-AB"),  # not on this page
        lambda r: messages.info(r, "欢迎回来"),
    )
    part = render(request)
    assert "欢迎回来" in part["top"] and "时间冲突" not in part["top"] and "已附议" not in part["top"]
    assert "时间冲突" in part["card"] and 'role="alert"' in part["card"] and 'tabindex="-1"' in part["card"]
    assert "data-focus-message" in part["card"] and "alert-danger" in part["card"]
    assert "已附议" in part["end"] and 'role="status"' in part["end"] and "时间冲突" not in part["end"]


def test_the_redirect_lands_on_the_element():
    assert targeted.redirect_to("/events/3/", "role-7")["Location"] == "/events/3/#msg-role-7"
    assert targeted.redirect_to("/events/3/#roles", "role-7")["Location"] == "/events/3/#msg-role-7"
    assert targeted.redirect_to("volunteers:me", "leader")["Location"] == "/volunteers/me/#msg-leader"
