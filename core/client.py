"""Who is asking: the client's address, read the one way every guard reads it.

Behind ``PROXY_COUNT`` reverse proxies (``DJANGO_PROXY_COUNT``; 1 in production) REMOTE_ADDR is
the nearest proxy, and each proxy appends the address it saw to X-Forwarded-For. So the client is
the PROXY_COUNT-th entry from the end: what a client writes into the header itself stays on the
left and is never read. With no proxy the header is ignored altogether.

Login throttling (django-axes, through ``AXES_CLIENT_IP_CALLABLE``), the feedback rate limit and
the audit log all call ``client_ip``, so a lockout, a limit and a log line name the same address.
Only a well-formed IP address is returned (axes stores it in an address column); anything else
falls back to REMOTE_ADDR, and None when even that is missing (a Unix socket).
"""

import ipaddress

from django.apps import apps
from django.conf import settings


def _address(raw):
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address as a string, or None when it cannot be known."""
    count = settings.PROXY_COUNT
    if count:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(entries) >= count:
            found = _address(entries[-count])
            if found:
                return found
    return _address(request.META.get("REMOTE_ADDR", ""))


def login_username(request, credentials=None):
    """The username django-axes records for a login (``AXES_USERNAME_CALLABLE``), cut to its column.

    The login forms refuse a too-long name first (core/forms.py); this keeps any other caller of
    authenticate() from overflowing axes' varchar(255). No account has a name that long, so the cut
    never merges two real names.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")) if source else None
    if username is None:
        return None
    limit = apps.get_model("axes", "AccessAttempt")._meta.get_field("username").max_length
    return str(username)[:limit]
