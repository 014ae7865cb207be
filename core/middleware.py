import base64
import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.controls import clean_querydict
from core.logsafe import safe
from core.outage import DATABASE_DOWN, database_unavailable

PREF_COOKIES = {
    # cookie name -> allowed values (first is the default)
    "elder": ("0", "1"),
    "contrast": ("normal", "high"),
    "fontsize": ("m", "s", "l"),
}
PREF_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class DisplayPreferences:
    elder: bool
    high_contrast: bool
    fontsize: str

    @classmethod
    def from_cookies(cls, cookies):
        def pick(name):
            allowed = PREF_COOKIES[name]
            value = cookies.get(name)
            return value if value in allowed else allowed[0]

        return cls(elder=pick("elder") == "1", high_contrast=pick("contrast") == "high", fontsize=pick("fontsize"))

    @property
    def html_classes(self):
        classes = [f"fs-{self.fontsize}"]
        if self.elder:
            classes.append("mode-elder")
        if self.high_contrast:
            classes.append("contrast-high")
        return " ".join(classes)


class DisplayPreferencesMiddleware:
    """Reads 长辈模式 / high contrast / font size from cookies so the server
    renders the chosen look: no flash, no JavaScript needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.display = DisplayPreferences.from_cookies(request.COOKIES)
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response


class SiteLanguageMiddleware:
    """Plain URLs serve Chinese; English only when the visitor chose it with the
    language switcher (a cookie). The browser's Accept-Language is ignored on
    purpose: printed QR codes must open the same page for everyone."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class RefuseNulMiddleware:
    """A NUL in the path or the query string gets the 400 page. PostgreSQL cannot compare
    text holding one (the query would fail with a 500), and no person types it. Posted
    fields need no guard here: every form CharField refuses NULs with its own message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in part for item in request.GET.lists() for part in (item[0], *item[1])
        ):
            raise BadRequest("NUL character in the path or query string")
        return self.get_response(request)


class StripControlsMiddleware:
    """Every query-string and form value reaches the views without C0 control characters
    (core.controls): stored text is clean whatever form, page or admin it came through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = clean_querydict(request.GET)
        if request.method == "POST":
            # Reading POST here parses the form (as CsrfViewMiddleware would a moment later).
            request.POST = clean_querydict(request.POST)
        return self.get_response(request)


class DatabaseOutageMiddleware:
    """A view that finds the database gone answers the friendly 503 and logs one line, not a
    traceback per request: an outage under load would otherwise bury the log."""

    logger = logging.getLogger("civic_portal.outage")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_DOWN):
            return None
        first_line = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
        self.logger.warning("database unavailable: %s %s: %s", safe(request.method), safe(request.path), first_line)
        return database_unavailable(request)


class PermissionsPolicyMiddleware:
    """The browser features the portal never uses are switched off for every page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response


_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


class ImportMapHashMiddleware:
    """Allows exactly the import maps a page carries (the admin's rich-text editor
    renders one inline) by their SHA-256 hash, so the Content-Security-Policy
    still needs no 'unsafe-inline'. Sits below CSPMiddleware in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        if b'type="importmap"' not in response.content:
            return response
        hashes = [
            "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
            for body in _IMPORTMAP.findall(response.content)
        ]
        if hashes:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = list(update.get("script-src", [])) + hashes
            response._csp_update = update
        return response
