"""The English catalogue is complete: every entry translated, none left fuzzy (compilers skip fuzzy
entries, so an English page would show Chinese there), placeholders kept."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _messages():
    with CATALOGUE.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def test_no_fuzzy_or_untranslated_entries():
    bad = [m.id for m in _messages() if m.fuzzy or not (m.string if isinstance(m.id, str) else all(m.string))]
    assert bad == []


def test_translations_keep_their_placeholders():
    def ids(message):
        return message.id if isinstance(message.id, tuple) else (message.id,)

    def strings(message):
        return message.string if isinstance(message.string, tuple) else (message.string,)

    wrong = [
        m.id
        for m in _messages()
        if sorted(set(PLACEHOLDER.findall(ids(m)[-1]))) != sorted(set(PLACEHOLDER.findall(strings(m)[-1])))
    ]
    assert wrong == []
