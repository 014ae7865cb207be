"""Django's bare floor: settings, URLs and WSGI application of the smallest Django project that answers
the portal's /floor with the same security headers, for the benchmark to measure the portal's floor against.

Only Django's SecurityMiddleware (nosniff, Referrer-Policy, Cross-Origin-Opener-Policy) and
XFrameOptionsMiddleware run; the two headers the portal sets with its own middleware (the
Content-Security-Policy, from django-csp, and the Permissions-Policy) are written by the view as constant
strings, as a stock project without those packages would. No apps, no database, no sessions, no i18n.
tests/portal/test_barefloor.py checks that both floors send the same security headers.

Served by ``serve.start_gunicorn(..., app="ops.barefloor:application", env=barefloor_env(...))``
(see ``start``). Nothing in the portal imports it.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

# --- Settings (DJANGO_SETTINGS_MODULE=ops.barefloor) -----------------------------------------------
DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "bare-floor-" + "x" * 48)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = __name__
INSTALLED_APPS = []
DATABASES = {}
USE_I18N = False
USE_TZ = True
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# The portal's values (civic_portal/settings.py) as the benchmark serves it: plain http, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOGGING_CONFIG = None

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


# --- Views and URLs ---------------------------------------------------------------------------------
def floor(request):
    return HttpResponse(
        "floor\n",
        content_type="text/plain",
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Permissions-Policy": PERMISSIONS_POLICY},
    )


def healthz(request):
    """What serve.start_gunicorn waits for before it hands the server over."""
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("floor", floor), path("healthz", healthz)]

# --- WSGI (gunicorn ops.barefloor:application) ------------------------------------------------------
application = None
if os.environ.get("DJANGO_SETTINGS_MODULE") == __name__:
    application = get_wsgi_application()
