"""Chinese-aware text search that behaves the same on SQLite and PostgreSQL.

Text is segmented with jieba (search mode, so 便民服务日 also yields 便民 and 服务)
and stored as space-separated tokens in an indexed text column; a query is
segmented the same way and every term must appear (``filter_terms``, the one
filter every app's search uses). Two-character words such as 社区 or 理发 are
ordinary tokens, so they match.

One character typed on its own (理, 剪, 义: handwriting input often gives one) is rarely a
token, so such a query matches the character anywhere in the text instead
(``is_character_query``); every app lists those results with the title matches first, then
the newest (``title_first``), and the site search shows fewer of them (core.search).

What a result shows is cut from plain text by ``snippet`` and made HTML by ``highlight`` alone:
the text is escaped first and only the marks are ours.
"""

import functools
import logging
import re
import threading

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

_lock = threading.Lock()
_ready = False
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)

# Place and programme names the demo uses, so jieba keeps them whole.
EXTRA_WORDS = [
    "西城区",
    "椿树街道",
    "椿树园",
    "椿树园社区",
    "金融街街道",
    "温家街社区",
    "什刹海街道",
    "四环社区",
    "四环胡同",
    "红色领航",
    "椿满园",
    "便民服务日",
    "吹哨报到",
    "李双军",
    "志愿服务队",
    "银色理发店",
    "房管所",
    "城管办",
    "走社区",
    "看新貌",
    "义诊",
    "义剪",
    "法律咨询",
    "上门服务",
    "微治理",
    "党建引领",
]


def _jieba():
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                for word in EXTRA_WORDS:
                    jieba.add_word(word, freq=20000)
                _ready = True
    return jieba


def warm_up():
    """Load jieba's dictionary now (about a second), so a server's first search does not wait for it."""
    _jieba().initialize()


def segment(text):
    """Distinct lower-case tokens of ``text``, punctuation dropped, in order."""
    if not text:
        return []
    text = str(text)
    # Short texts (titles, leads, queries) come back again and again when the search scores the
    # same newest stories for every visitor: remember them.
    return list(_segment_short(text) if len(text) <= SHORT else _segment(text))


SHORT = 300


def _segment(text):
    seen = {}
    for token in _jieba().cut_for_search(text):
        token = token.strip().lower()
        if token and not _PUNCT.match(token):
            seen.setdefault(token, None)
    return tuple(seen)


@functools.lru_cache(maxsize=20000)
def _segment_short(text):
    return _segment(text)


def index_text(*parts):
    """The value to store in a search column: tokens framed by spaces."""
    tokens = []
    for part in parts:
        tokens.extend(segment(part))
    return " " + " ".join(dict.fromkeys(tokens)) + " "


def query_terms(query, limit=8):
    """The terms of a visitor's query; capped so a hostile query stays cheap."""
    query = (query or "")[:100]
    return segment(query)[:limit]


def filter_terms(queryset, terms, field="search_text"):
    """The rows whose ``field`` (written by ``index_text``) holds every one of ``terms``.

    The site search's one rule, the same for news, service days and teams: a result must
    contain every term of the query, so each word a resident adds narrows the results and
    nothing shown lacks a word they typed. Terms match whole tokens only (the column frames
    each token with spaces), with one LIKE per term that behaves the same on SQLite and
    PostgreSQL. Ranking among the results is each app's own (``score`` in its search.py).
    No terms, no rows. A one-character query matches the character inside any word.
    """
    if not terms:
        return queryset.none()
    if is_character_query(terms):
        return queryset.filter(**{f"{field}__contains": terms[0]})
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__contains": f" {term} "})
    return queryset.filter(condition)


def is_character_query(terms):
    """One Chinese character on its own: matched inside words, since it is rarely a word itself.
    (A single Latin letter or digit stays a whole-token match: inside words it would match nearly everything.)"""
    return len(terms) == 1 and len(terms[0]) == 1 and not terms[0].isascii()


def hits(index, terms):
    """How many of ``terms`` an ``index_text`` value holds, by the rule of ``filter_terms``."""
    if is_character_query(terms):
        return int(terms[0] in index)
    return sum(f" {term} " in index for term in terms)


def title_first(queryset, terms, title_field, *ordering):
    """``queryset`` in ``ordering``; for a one-character query the rows whose ``title_field`` holds
    the character come first (a title is what a resident recognises)."""
    if not is_character_query(terms):
        return queryset.order_by(*ordering)
    in_title = Case(
        When(**{f"{title_field}__contains": terms[0]}, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return queryset.annotate(in_title=in_title).order_by("-in_title", *ordering)


def found(text, terms):
    """Whether plain ``text`` holds any of ``terms`` (case-insensitive, anywhere)."""
    lowered = (text or "").lower()
    return any(term in lowered for term in terms)


def snippet(texts, terms, width=90, before=20):
    """About ``width`` characters of plain text from the first of ``texts`` that holds a term,
    starting a little before the first match; without any match, the start of the first text.
    Whitespace is collapsed; pass plain text (strip_tags first) and ``highlight`` the result."""
    texts = [" ".join(str(text).split()) for text in texts if text]
    texts = [text for text in texts if text]
    if not texts:
        return ""
    for text in texts:
        lowered = text.lower()
        positions = [position for position in (lowered.find(term) for term in terms) if position >= 0]
        if positions:
            return _cut(text, max(0, min(positions) - before), width)
    return _cut(texts[0], 0, width)


def _cut(text, start, width):
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def highlight(text, terms):
    """``text`` escaped, with every term wrapped in <mark>. The terms are found in the text as
    written and each piece is escaped on its own, so a term can never match inside an entity
    (``amp`` in ``&amp;``) and the only markup in the result is our own marks."""
    text = str(text or "")
    if not terms:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[last : match.start()]), "<mark>", escape(match.group(0)), "</mark>"]
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text escaped, the marks are ours
