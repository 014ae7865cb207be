import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")

application = get_wsgi_application()

# Each server process loads the search dictionary before its first visitor, not during a search.
from core import textsearch  # noqa: E402

textsearch.warm_up()

# Everything loaded so far (Django, every app, its admin, the dictionary: ~285,000 objects) lives as long
# as the process. Left to the garbage collector, each full collection walks all of it (100-400 ms, in
# whichever request triggers it: the slowest 1-2 % of staff pages); frozen, it walks only what requests
# have made since.
gc.freeze()
