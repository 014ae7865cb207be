import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")

application = get_wsgi_application()

# Each server process loads the search dictionary before its first visitor, not during a search.
from core import textsearch  # noqa: E402

textsearch.warm_up()
