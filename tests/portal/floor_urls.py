"""The site's URLs plus the benchmark's /floor, as the benchmark's gunicorn mounts them (BENCH_FLOOR)."""

from django.urls import path

from civic_portal.urls import *  # noqa: F403 - the same site, handlers included
from civic_portal.urls import urlpatterns as site_urlpatterns
from ops.views import floor

urlpatterns = [path("floor", floor, name="floor"), *site_urlpatterns]  # first, as civic_portal/urls.py mounts it
