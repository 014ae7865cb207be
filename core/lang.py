"""The page's language against the content's: what the portal writes follows the reader's language,
what people wrote (stories, cases, names of places and units) stays Chinese and says so.

- ``is_chinese()``: the active language is Chinese (the default); issue numbers in Chinese numerals,
  Chinese punctuation.
- ``mark_chinese(text)``: text written by people, escaped, in ``<span lang="zh-Hans">`` when the
  page is in another language and the text holds Chinese characters; screen readers then switch
  voice, and tests can tell content from interface (tests/portal/test_english.py).
- ``translated_name(name)``: a name from a short list staff keep (skills, service types, problem
  categories) in the reader's language when the catalogue knows it (the demo's names are there),
  otherwise the name as typed, marked like any content.
- ``local_date(value, kind)``: dates and weekdays in the reader's language, by a format string
  that is itself translated (``n月j日 D`` is ``D j M`` in English).
"""

import re

from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# kind -> a date format in Django's syntax; the English catalogue gives each its English form.
DATE_FORMATS = {
    "short": _("n月j日"),  # 12 Dec
    "day": _("n月j日 D"),  # Sat 12 Dec
    "date": _("Y年n月j日"),  # 12 December 2026
    "full": _("Y年n月j日 l"),  # Saturday 12 December 2026
    "month": _("Y年n月"),  # December 2026
}


def is_chinese():
    return (get_language() or "zh-hans").lower().startswith("zh")


def mark_chinese(text):
    """``text`` escaped, and marked as Chinese where the page around it is not."""
    text = "" if text is None else text
    if is_chinese() or not CHINESE.search(str(text)):
        return conditional_escape(text)
    return format_html('<span lang="zh-Hans">{}</span>', text)


def translated_name(name):
    if not name:
        return ""
    return mark_chinese(gettext(str(name)))


def local_date(value, kind="date"):
    if value in (None, ""):
        return ""
    return formats.date_format(value, str(DATE_FORMATS[kind]))
