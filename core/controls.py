"""Control characters in text: stripped from every submitted value, never serialised.

C0 control characters (U+0000–U+001F) other than tab, line feed and carriage return mean nothing
in what a person types, and XML 1.0 cannot carry them: one in a story made from a resident's
report made every news feed answer 500. So they go at the door, from every query-string and form
value and name before any view sees it, the admin included (``core.middleware.StripControlsMiddleware``),
and once more on the way out into a feed (``news.feeds``), for rows stored before the door was
there. (A NUL in the path or query string is refused with a 400 before this: ``RefuseNulMiddleware``.)
"""

import re

from django.http import QueryDict

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def strip_controls(text):
    """``text`` without C0 control characters (tab, line feed and carriage return stay)."""
    return CONTROLS.sub("", text) if text else text


def clean_querydict(data):
    """``data`` (a QueryDict) without control characters in any name or value; itself when clean."""
    if not any(CONTROLS.search(key) or any(CONTROLS.search(v) for v in values) for key, values in data.lists()):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(strip_controls(key), [strip_controls(v) for v in values])
    clean._mutable = False
    return clean
