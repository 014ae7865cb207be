import sys
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import mine, ratelimit
from core.blocks import collect
from core.forms import CodeForm, PhoneForm
from core.middleware import PREF_COOKIES, PREF_MAX_AGE
from core.outage import DATABASE_DOWN, database_unavailable
from core.privacy import mask_phone


def home(request):
    return render(request, "home.html", {"blocks": collect("home_block", request)})


@never_cache
@require_GET
def healthz(request):
    """Plain "ok" when the database and the cache both answer; otherwise 503 and a line for each that
    does not. Asks the cache directly, not through core/sharedcache (which hides an outage by design)."""
    down = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        down.append("database")
    try:
        cache.set("healthz", "ok", 10)
        cache.get("healthz")
    except Exception:  # whatever the client library raises: the cache did not answer
        down.append("cache")
    if down:
        body = "".join(f"{name} unavailable\n" for name in down)
        return HttpResponse(body, status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def safe_next(request, fallback="/"):
    """Where to go back to: ``next`` or the Referer when it is a page of this site, else ``fallback``.

    The target is returned exactly as it was checked. Rebuilding it from its parts turned
    ``https://<host>//evil.example/`` into ``//evil.example/``, another site; a control character
    anywhere is refused rather than dropped (browsers drop some, headers refuse others).
    """
    target = (request.POST.get("next") or request.GET.get("next") or request.headers.get("referer") or "").strip()
    if not target or any(unicodedata.category(char)[0] == "C" for char in target):
        return fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    parts = urlsplit(target)
    if not parts.netloc and not parts.path.startswith("/"):  # redirect() would read "news" as a view name
        return fallback
    return target


@require_POST
def set_display(request):
    """Stores 长辈模式, high contrast or font size in a cookie, then goes back."""
    name = request.POST.get("name", "")
    value = request.POST.get("value", "")
    if name not in PREF_COOKIES or value not in PREF_COOKIES[name]:
        return HttpResponseBadRequest(_("未知的显示设置。"), content_type="text/plain; charset=utf-8")
    response = redirect(safe_next(request))
    response.set_cookie(name, value, max_age=PREF_MAX_AGE, samesite="Lax", secure=request.is_secure(), httponly=True)
    return response


def accessibility(request):
    return render(request, "accessibility.html")


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /feedback/track/"]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):  # raised before a view ran (a middleware)
        return database_unavailable(request)
    return render(request, "500.html", {"SITE_NAME": settings.SITE_NAME}, status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a username+IP pair is cooling off."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "locked_out.html", {"cooloff_minutes": minutes}, status=429)


def _my_page(request, phone_form=None, code_form=None, status=200):
    phone = mine.signed_in_phone(request)
    context = {"phone": phone}
    if phone:
        context.update(masked=mask_phone(phone), blocks=collect("my_things_block", request, phone))
    else:
        # A phone form with mistakes is step 1 again, whatever code was asked for before.
        pending = None if phone_form is not None else request.session.get(mine.SESSION_PENDING)
        context.update(
            pending=pending and mask_phone(pending),
            phone_form=phone_form or PhoneForm(),
            code_form=code_form or (CodeForm() if pending else None),
            minutes=mine.CODE_MINUTES,
        )
    response = render(request, "my_things.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # a resident's own things: never kept by a cache
    return response


@require_GET
def my_things(request):
    """我的事项: the phone form, the code form, or (signed in) every app's part for this phone."""
    return _my_page(request)


@require_POST
def my_code(request):
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return _my_page(request, phone_form=form, status=400)
    phone = form.cleaned_data["phone"]
    if not ratelimit.allow(request, "my_code", phone=phone):
        form.add_error(None, ratelimit.MESSAGE)
        return _my_page(request, phone_form=form, status=429)
    mine.issue(phone)
    request.session[mine.SESSION_PENDING] = phone
    # The same answer for every number: whether it has any records is not said before the code.
    messages.success(
        request,
        _("验证码已发送到 %(phone)s，%(minutes)s 分钟内有效。")
        % {"phone": mask_phone(phone), "minutes": mine.CODE_MINUTES},
    )
    return redirect("my_things")


@require_POST
def my_verify(request):
    phone = request.session.get(mine.SESSION_PENDING)
    if not phone:
        messages.error(request, _("请先填写手机号，获取验证码。"))
        return redirect("my_things")
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _my_page(request, code_form=form, status=400)
    if not ratelimit.allow(request, "my_verify"):
        form.add_error(None, ratelimit.MESSAGE)
        return _my_page(request, code_form=form, status=429)
    try:
        mine.verify(phone, form.cleaned_data["code"])
    except mine.CodeError as exc:
        form.add_error("code", exc.message)
        return _my_page(request, code_form=form, status=400)
    mine.sign_in(request, phone)
    return redirect("my_things")


@require_POST
def my_restart(request):
    """Another number (or the code never came): back to step 1."""
    request.session.pop(mine.SESSION_PENDING, None)
    return redirect("my_things")


@require_POST
def my_sign_out(request):
    mine.sign_out(request)
    messages.success(request, _("已退出“我的事项”。"))
    return redirect("my_things")
