import base64
import functools
import hashlib
import logging
import re
from dataclasses import dataclass

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import setting_changed
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.controls import CONTROLS, clean_querydict
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

        return _preferences(pick("elder"), pick("contrast"), pick("fontsize"))

    @property
    def html_classes(self):
        classes = [f"fs-{self.fontsize}"]
        if self.elder:
            classes.append("mode-elder")
        if self.high_contrast:
            classes.append("contrast-high")
        return " ".join(classes)


@functools.cache  # twelve at most: the values are checked against PREF_COOKIES first
def _preferences(elder, contrast, fontsize):
    return DisplayPreferences(elder=elder == "1", high_contrast=contrast == "high", fontsize=fontsize)


def vary_on_cookie(response):
    """patch_vary_headers(response, ("Cookie",)), without parsing the header in the usual cases."""
    vary = response.headers.get("Vary")
    if vary is None:
        response.headers["Vary"] = "Cookie"
    elif vary != "Cookie":
        patch_vary_headers(response, ("Cookie",))


class DisplayPreferencesMiddleware:
    """Reads 长辈模式 / high contrast / font size from cookies so the server
    renders the chosen look: no flash, no JavaScript needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.display = DisplayPreferences.from_cookies(request.COOKIES)
        response = self.get_response(request)
        vary_on_cookie(response)
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
        vary_on_cookie(response)
        return response


def plain_query(request):
    """True when the query string as sent cannot decode to a control character (NUL included): it has
    no %-escape and none raw. Then request.GET needs no parsing to be known clean (most requests: none)."""
    query = request.META.get("QUERY_STRING", "")
    return "%" not in query and not CONTROLS.search(query)


class RefuseNulMiddleware:
    """A NUL in the path or the query string gets the 400 page. PostgreSQL cannot compare
    text holding one (the query would fail with a 500), and no person types it. Posted
    fields need no guard here: every form CharField refuses NULs with its own message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or (
            not plain_query(request)
            and any("\x00" in part for item in request.GET.lists() for part in (item[0], *item[1]))
        ):
            raise BadRequest("NUL character in the path or query string")
        return self.get_response(request)


class StripControlsMiddleware:
    """Every query-string and form value reaches the views without C0 control characters
    (core.controls): stored text is clean whatever form, page or admin it came through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not plain_query(request):
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


# What a view or a middleware below may set on a response to change its policy (django-csp's decorators,
# ImportMapHashMiddleware): a response carrying any of them gets a policy built for it.
_CSP_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _settings_policy(report_only):
    """The policy of CONTENT_SECURITY_POLICY(_REPORT_ONLY) as django-csp writes it, built once per process."""
    return build_policy(report_only=report_only)


@functools.cache
def _excluded_prefixes(report_only):
    name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
    return tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())


def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy.cache_clear()
        _excluded_prefixes.cache_clear()


setting_changed.connect(_forget_policies, dispatch_uid="core-csp-policies")


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, without building the same policy string afresh for every response.

    Most responses carry the settings' policy unchanged: no nonce was asked for, no decorator or
    middleware changed it. Theirs is built once per process (and again when the setting changes);
    any other response goes through django-csp's own code. Same headers, same conditions (exempt,
    excluded prefixes, DEBUG's error pages, the nonce guard), a fraction of the time.
    """

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CSP_PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, exempt in (
            (False, HEADER, "_csp_exempt"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro"),
        ):
            policy = _settings_policy(report_only)
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(_excluded_prefixes(report_only))
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written could not be in it.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
