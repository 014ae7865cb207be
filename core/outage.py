"""The database is gone: what counts as that, and the page a visitor gets instead.

Shared by the middleware (a view raised) and the 500 handler (a middleware raised before any
view ran), so both answer the same friendly 503.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.shortcuts import render

DATABASE_DOWN = (OperationalError, InterfaceError)


def database_unavailable(request):
    """The friendly 503, rendered without the database (it is why we are here)."""
    response = render(request, "503.html", {"SITE_NAME": settings.SITE_NAME}, status=503)
    response["Retry-After"] = "30"
    return response
