"""Settings for the civic portal.

Every deploy-time value comes from the environment (see the table in README.md)
with a safe development default. The helpers in ``civic_portal.env`` refuse
nonsense, so a bad value stops start-up with one line naming the variable.
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from civic_portal.env import (
    env_bool,
    env_database,
    env_dev_site_url,
    env_int,
    env_list,
    env_origins,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DJANGO_VAR_DIR", str(BASE_DIR / "var")))

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_origins("DJANGO_CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    # 50 characters, as Django's own deploy check asks (`manage.py check --deploy`).
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be a random value of at least 50 characters when DJANGO_DEBUG=False "
            "(make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names when DJANGO_DEBUG=False.")

INSTALLED_APPS = [
    "core.apps.PortalAdminConfig",  # django.contrib.admin with optional two-factor login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "csp",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "sorl.thumbnail",
    "django_prose_editor",
    "simple_history",
    "nested_admin",  # sections and photos nested in the story form
    "django_tasks",
    "django_tasks_db",
    "communities",
    "news",
    "events",
    "volunteers",
    "feedback",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.CSPMiddleware",  # django-csp's, the settings' policy built once per process
    "core.middleware.ImportMapHashMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "core.middleware.StripControlsMiddleware",
    # Below CSRF, auth and messages: a hit still gets a fresh CSRF token and its cookie.
    "core.pagecache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DisplayPreferencesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it sees every login attempt the views below it make.
    "axes.middleware.AxesMiddleware",
    # Innermost, so it turns a view's lost database into the 503 page before anything else sees it.
    "core.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "civic_portal.urls"
# /floor, the benchmark's constant page: mounted only where `make bench` turns it on.
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)
WSGI_APPLICATION = "civic_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "portal.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so threaded tests see real locking as production would; one per test run
    # (process), so two runs in one checkout never delete each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "civic"),
            "TIMEOUT": 300,
            # Nothing waits long for the cache: a Redis that hangs costs half a second, then the
            # portal goes on without it (core/sharedcache.py), instead of redis-py's 5 s per call.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "civic-portal"}}
# sorl-thumbnail's memo of the renditions it drew (the database holds them too): kept in each
# process, so drawing renditions when a photo is saved does not depend on Redis.
CACHES["thumbnails"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "thumbnails"}
THUMBNAIL_CACHE = "thumbnails"
# After the cache failed to answer, a process goes on without it for this long before trying again.
CACHE_RETRY_SECONDS = 5
# Anonymous whole-page cache (core/pagecache.py): how long a page may be kept at most
# (a scheduled story appears within this time; every change invalidates at once). 0 turns it off,
# the default while developing, so an edited template shows at once (the tests switch it on).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 60, minimum=0)
# How long a worker trusts the generation it last read from the shared cache (a change made
# through another worker or server is served within this time; through the same one at once).
PAGE_CACHE_RECHECK_SECONDS = 0.2
# The costly parts of pages, kept until the rows they show change (core/fragments.py): what makes a
# page rendered afresh (signed in, just changed, a new query) cheap. Off while developing.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 0 if DEBUG else 60, minimum=0)
# While a page that is no longer fresh is rendered again, other visitors get its last copy
# (core/pagecache.py); false: each of them renders it too (only for measuring what it saves).
PAGE_CACHE_STAMPEDE_LOCK = env_bool("PAGE_CACHE_STAMPEDE_LOCK", True)

# --- Anonymous forms ---------------------------------------------------------
# How often one client address, one phone number or one e-mail address may send each anonymous
# form (core/ratelimit.py): changes to its DEFAULTS, scope -> kind -> (count, seconds), e.g.
# {"booking": {"address": (10, 3600)}} where many residents share one network.
RATE_LIMITS = {}

# --- Auth ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/IP pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Lock the pair, not the account: a stranger cannot lock a user out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
# The client's address, read as the feedback rate limit and the audit log read it (core/client.py):
# behind the proxy REMOTE_ADDR is the proxy, and keying on it would let anyone lock out everyone.
AXES_CLIENT_IP_CALLABLE = "core.client.client_ip"
AXES_USERNAME_CALLABLE = "core.client.login_username"
AXES_VERBOSE = False
# Optional two-factor login for staff (core/twofactor.py): the name authenticator apps show.
OTP_TOTP_ISSUER = "西城社区服务平台"
# Django's cookie-then-session storage, its two storages built only for a request that uses messages.
MESSAGE_STORAGE = "core.messagestorage.LazyFallbackStorage"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Language and time -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The language chosen is kept a year, like the display preferences; no script reads the cookie.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
THUMBNAIL_PRESERVE_FORMAT = False
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_DEBUG = False

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "西城社区服务平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Site ------------------------------------------------------------------
SITE_NAME = _("西城社区服务平台")
# The public address. In development, when it is not set, it follows the address the server runs on
# (HOST and PORT, which the Makefile exports), so `PORT=8831 make run` puts :8831 in QR codes and links.
SITE_URL = env_str("SITE_URL", env_dev_site_url() if DEBUG else "http://127.0.0.1:8000").rstrip("/")

# --- The footer: who runs the site, how to reach them, the filing numbers ---------------------------
# Every district site shows these; each line appears only when its variable is set
# (docs/configuration.md). Development shows placeholders marked 演示, never real numbers.
_DEMO = DEBUG
PORTAL_FOOTER = {
    "organiser": env_str("PORTAL_ORGANISER", "西城区委宣传部（区文明办）（演示）" if _DEMO else ""),  # 主办
    "operator": env_str("PORTAL_OPERATOR", "西城区社区服务中心（演示）" if _DEMO else ""),  # 承办
    "phone": env_str("PORTAL_CONTACT_PHONE", "010-00000000（演示）" if _DEMO else ""),
    "address": env_str("PORTAL_CONTACT_ADDRESS", "北京市西城区示例路 1 号（演示）" if _DEMO else ""),
    "hotline": env_str("PORTAL_HOTLINE", "12345"),  # the city's service hotline, dialled from the footer
    "hotline_url": env_url("PORTAL_HOTLINE_URL", "https://www.beijing.gov.cn/" if _DEMO else ""),
    "site_code": env_str("PORTAL_SITE_CODE", "0000000000（演示）" if _DEMO else ""),  # 网站标识码
    "icp": env_str("PORTAL_ICP", "京ICP备00000000号（演示）" if _DEMO else ""),  # ICP备案
    "icp_url": env_url("PORTAL_ICP_URL", "https://beian.miit.gov.cn/"),
    "psb": env_str("PORTAL_PSB", "京公网安备00000000000000号（演示）" if _DEMO else ""),  # 公安备案
    "psb_url": env_url("PORTAL_PSB_URL", "https://beian.mps.gov.cn/"),
}

# --- Forms -----------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security --------------------------------------------------------------
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# How many reverse proxies stand in front, each appending to X-Forwarded-For: the client's address
# is that many entries from the end (core/client.py). 0 trusts no header.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts anywhere: every script is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Bootstrap's form controls draw their arrows with data: SVGs; the admin's
        # widgets set a few inline styles.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# --- Logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line per record, whatever a message holds (core/logsafe.py).
    "formatters": {
        "plain": {"()": "core.logsafe.OneLineFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    # Whoever writes a log line, no resident's full phone number (core.privacy) and no private link's
    # secret (feedback/owner.py: Django names the path of every 4xx) reaches the log.
    "filters": {
        "no_phones": {"()": "core.privacy.PhoneScrubFilter"},
        "private_links": {"()": "feedback.owner.RedactPrivateLinks"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_phones", "private_links"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# --- Retention ---------------------------------------------------------------
# Days residents' contact data is kept after a case closes, a service day passes or a home visit ends
# (`manage.py purge_contacts`, daily from cron).
FEEDBACK_PURGE_CONTACTS_AFTER_DAYS = env_int("PURGE_CONTACTS_AFTER_DAYS", 180, minimum=1)
# Days a report may stay open before its contact data is erased all the same.
FEEDBACK_PURGE_OPEN_CASES_AFTER_DAYS = env_int("PURGE_OPEN_CASES_AFTER_DAYS", 365, minimum=1)

# --- Open311 GeoReport v2 (feedback/open311/, docs/open311.md) ---------------------------------
# The district's jurisdiction_id: a request naming another one is answered 404.
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "xicheng.beijing.gov.cn")
# Hosts whose photo addresses (media_url) a client may send; the portal stores the address and
# never fetches it. Empty: every media_url is refused.
OPEN311_MEDIA_HOSTS = env_list("OPEN311_MEDIA_HOSTS")
# Who an outside system's developers write to (shown in discovery).
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "西城区社区服务平台 · 区级管理员")

# --- Text messages and the notice queue ----------------------------------------
# The gateway for text messages to residents (core/sms.py). The console backend writes them, numbers
# masked, to the log: development only, refused when DJANGO_DEBUG=false. Without a gateway production
# sends no text messages (residents who left an email still get those). FEEDBACK_SMS_BACKEND is the
# variable's old name, still read when SMS_BACKEND is not set.
_SMS_VARIABLE = "SMS_BACKEND" if env_str("SMS_BACKEND") else "FEEDBACK_SMS_BACKEND"
SMS_BACKEND = env_str(_SMS_VARIABLE, "core.sms.ConsoleSMSBackend" if DEBUG else "core.sms.NoSMSBackend")
if not DEBUG and SMS_BACKEND in ("core.sms.ConsoleSMSBackend", "feedback.sms.ConsoleSMSBackend"):
    raise ImproperlyConfigured(
        f"{_SMS_VARIABLE}={SMS_BACKEND} writes residents' messages to the log and is for development only; with "
        "DJANGO_DEBUG=false set SMS_BACKEND to your SMS gateway's class (core.sms.AliyunSMSBackend), or leave it "
        "unset to send no text messages."
    )
# Alibaba Cloud SMS (SMS_BACKEND=core.sms.AliyunSMSBackend): the key pair, the approved signature and
# two approved templates, a notice with the variable ${content} and a verification code with ${code}.
ALIYUN_SMS_ACCESS_KEY_ID = env_str("ALIYUN_SMS_ACCESS_KEY_ID")
ALIYUN_SMS_ACCESS_KEY_SECRET = env_str("ALIYUN_SMS_ACCESS_KEY_SECRET")
ALIYUN_SMS_SIGN_NAME = env_str("ALIYUN_SMS_SIGN_NAME")
ALIYUN_SMS_TEMPLATE_NOTICE = env_str("ALIYUN_SMS_TEMPLATE_NOTICE")
ALIYUN_SMS_TEMPLATE_CODE = env_str("ALIYUN_SMS_TEMPLATE_CODE")
ALIYUN_SMS_ENDPOINT = env_str("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")

# Notices (texts and e-mails to residents) leave through Django's Tasks API (the django-tasks
# backport): queued in the database after the request's transaction commits and sent by the worker
# `manage.py db_worker` (make run starts it). TASKS_BACKEND=immediate sends inside the request
# instead (a one-process setup without a worker); any other task backend can be configured here.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _TASK_BACKENDS and "." not in TASKS_BACKEND:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database, immediate or a task backend's dotted path (got {TASKS_BACKEND!r})."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)}}
# How many times a notice is tried before it is given up (logged), waiting 1, 2, 4, 8... minutes between.
NOTICE_ATTEMPTS = env_int("NOTICE_ATTEMPTS", 5, minimum=1)

# --- News --------------------------------------------------------------------
# How long a shared draft preview link stays valid (seconds).
NEWS_PREVIEW_MAX_AGE = env_int("NEWS_PREVIEW_MAX_AGE", 3 * 24 * 3600, minimum=60)
