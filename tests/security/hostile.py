"""Hostile values for the property tests, and the checks every answer must pass.

Requests are sent as raw, percent-encoded bodies and query strings so that what a
browser would never send still arrives: lone surrogates (as CESU bytes), invalid
UTF-8, NULs, the same key twice, keys the form does not know.
"""

import os
import re
from urllib.parse import quote_from_bytes

from django.contrib.messages import get_messages
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Every fuzz test runs with this: the world is built once per test (function-scoped
# fixture, on purpose), the database is shared between examples, and no example is timed.
# FUZZ_EXAMPLES=500 digs deeper by hand; 20 keeps the module well under a minute.
fuzz = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

SQL = [
    "' OR '1'='1",
    "'; DROP TABLE feedback_case; --",
    "1 UNION SELECT password FROM auth_user",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "1; SELECT pg_sleep(0)",
]
HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "&#0;&lt;",
    "<!--",
]
ODD = [
    "\x00",
    "\ud800",  # a lone surrogate: sent as the bytes a careless encoder would produce
    "\udfff",
    "\u202e",  # right-to-left override
    "\ufeff",
    "\u200b",
    "\r\n",
    "\t\x0b\x0c",
    "\x1b[31m",
    "𠀀𪚥",  # outside the Basic Multilingual Plane
    "👨‍👩‍👧",
    "Ωмир社区العربية",  # mixed scripts
    "ﬁ",
    "e\u0301\u0301\u0301",
]
WRONG_TYPES = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9" * 30,
    "3.14",
    "true",
    "null",
    "[]",
    "{}",
    "2026-02-30",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "²",  # str.isdigit() says yes, int() says no
    "٣",
    "９９",
]
INVALID_BYTES = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x80abc", b"\xf4\x90\x80\x80"]

pieces = st.sampled_from(SQL + HTML + ODD + WRONG_TYPES)
huge = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["a", "社", "<", "\x00", "9", "\ud83d"]), st.sampled_from([2_000, 100_000])
)
odd_unicode = st.text(
    alphabet=st.characters(categories=["Cc", "Cs", "Co", "Cf", "Mn", "Zl", "Zp", "So", "Lo"]), min_size=1, max_size=30
)

text = st.one_of(
    pieces,
    st.lists(pieces, min_size=2, max_size=5).map("".join),
    huge,
    odd_unicode,
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
value = st.one_of(text, st.sampled_from(INVALID_BYTES))
key = st.one_of(
    st.sampled_from(["", "\x00", "csrfmiddlewaretoken", "next", "page", "id", "pk", "a[b]"]), st.text(max_size=10)
)


@st.composite
def mangled(draw, valid):
    """``valid`` (a dict of a correct submission) with each field kept, dropped, replaced
    by a hostile value or sent twice; sometimes with an extra unknown field."""
    pairs = []
    for name, good in valid.items():
        how = draw(st.sampled_from(["keep", "drop", "hostile", "twice"]))
        if how == "keep":
            pairs.append((name, good))
        elif how == "hostile":
            pairs.append((name, draw(value)))
        elif how == "twice":
            first, second = draw(st.permutations([good, draw(value)]))
            pairs += [(name, first), (name, second)]
    if draw(st.booleans()):
        pairs.append((draw(key), draw(value)))
    return pairs


def params(names):
    """Query parameters: any subset of ``names`` with hostile values, some of them twice."""
    return st.lists(st.tuples(st.sampled_from(names), value), max_size=len(names) + 2)


def encode(pairs):
    def part(item):
        raw = item if isinstance(item, bytes) else str(item).encode("utf-8", "surrogatepass")
        return quote_from_bytes(raw, safe="")

    return "&".join(f"{part(k)}={part(v)}" for k, v in pairs)


def get(client, path, pairs=()):
    return client.get(f"{path}?{encode(pairs)}" if pairs else path)


def post(client, path, pairs=()):
    return client.post(path, data=encode(pairs).encode("ascii"), content_type="application/x-www-form-urlencoded")


def path_segment(raw):
    """A hostile value made safe to stand in a URL path (the router decides what matches)."""
    return quote_from_bytes((raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass"))[:300], safe="")


CJK = re.compile(r"[\u4e00-\u9fff]")
# Where the site puts a refusal: crispy field errors, form errors, flash messages, error pages.
MARKERS = ("invalid-feedback", "errorlist", "alert-danger", "alert-warning", "alert-info", "error-page")


def counts(*models):
    return tuple(m.objects.count() for m in models)


def flash(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def assert_sound(response, before=None, after=None):
    """Never a 500; a refusal says why, in Chinese; a refusal stores nothing."""
    status = response.status_code
    assert status < 500, f"server error {status}"
    refused = status >= 400
    if refused:
        body = response.content.decode("utf-8", "replace")
        if response["Content-Type"].startswith("text/html"):
            assert any(marker in body for marker in MARKERS), f"{status} without a visible message: {body[:500]}"
        assert CJK.search(body), f"{status} refusal not in Chinese: {body[:300]}"
        if before is not None:
            assert before == after, f"refused with {status} but rows changed: {before} -> {after}"
    return refused
