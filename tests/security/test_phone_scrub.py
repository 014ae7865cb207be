"""core.privacy.scrub_phones, thrown generated phone numbers spelled every way residents type them.

The check does not trust the scrubber's own folding: ``digits`` below is written independently
(NFKC, Chinese numerals, nothing but the digits kept), and a number has survived when its digits
still stand in a row in what comes out, in any stretch of the output between two words.
"""

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from core.privacy import scrub_phones

NUMERALS = {
    "0": "0０〇零○",
    "1": "1１一壹幺",
    "2": "2２二贰",
    "3": "3３三叁",
    "4": "4４四肆",
    "5": "5５五伍",
    "6": "6６六陆",
    "7": "7７七柒",
    "8": "8８八捌",
    "9": "9９九玖",
}
_BACK = {char: digit for digit, chars in NUMERALS.items() for char in chars}


def digits(text):
    """The digits of each stretch of ``text`` that holds no word, numbers and what joins them (the
    mask's stars included), joined by '|': two numbers written apart are not read as one."""
    folded = "".join(_BACK.get(char, char) for char in unicodedata.normalize("NFKC", text))
    stretches = re.split(r"[^0-9*+()\[\] \t.\-/_·・—]+", folded)
    return "|".join(re.sub(r"[^0-9]", "", stretch) for stretch in stretches)


# Text around the numbers: Chinese without any character that could be read as a digit, some
# punctuation and Latin letters. A digit-like neighbour would make a longer number (see the
# examples at the end for numbers glued to numerals).
_NOT_DIGITS = set("".join(NUMERALS.values())) | set("两十百千万")
chinese = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(lambda c: c not in _NOT_DIGITS)
around = st.text(alphabet=st.one_of(chinese, st.sampled_from("，。：；！？、 abcXYZ")), max_size=12)
between = st.text(alphabet=chinese, min_size=1, max_size=6)

SEPARATORS = [" ", "-", ".", "－", "　", " - ", "·", "—", "．", "/"]


def spelled(number):
    """The digits of ``number``, each written as a digit, a full-width digit or a Chinese numeral."""
    return st.tuples(*(st.sampled_from(NUMERALS[d]) for d in number)).map("".join)


@st.composite
def grouped(draw, number, cuts=None):
    """``number`` cut into groups (given, or anywhere), joined by separators, maybe bracketed first."""
    if cuts is None:
        cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=len(number) - 1)))
    pieces = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    text = [draw(spelled(piece)) for piece in pieces]
    out = text[0]
    if len(text) > 1 and draw(st.booleans()):
        opening, closing = draw(st.sampled_from([("(", ")"), ("（", "）"), ("[", "]")]))
        out = f"{opening}{out}{closing}"
    for piece in text[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + piece
    return out


@st.composite
def mobiles(draw):
    number = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "86", "86-", "0086", "0086 ", "+86-", "＋８６", "(+86)"]))
    return number, prefix + draw(grouped(number))


@st.composite
def landlines(draw):
    """(the local number, how it is written): with an area code, with +86, or the local number alone."""
    first = draw(st.sampled_from("3456789"))
    local = first + draw(st.text("0123456789", min_size=7, max_size=7))
    form = draw(st.sampled_from(["area", "country", "local"]))
    if form == "local":  # alone it must look like one: 8 digits, or 4 + 4
        return local, draw(grouped(local, cuts=draw(st.sampled_from([[], [4]]))))
    area = draw(st.sampled_from(["10", "21", "22", "755", "571", "311"]))
    local_text = draw(grouped(local, cuts=draw(st.sampled_from([[], [4], [3]]))))
    if form == "area":
        area_text = draw(spelled("0" + area))
        if draw(st.booleans()):
            area_text = draw(st.sampled_from(["({})", "（{}）"])).format(area_text)
        return local, area_text + draw(st.sampled_from(["", "-", " ", "－"])) + local_text
    prefix = draw(st.sampled_from(["+86 ", "+86-", "0086-", "0086 ", "86 "]))
    return local, prefix + draw(spelled(area)) + draw(st.sampled_from(["-", " "])) + local_text


@given(
    start=around,
    phones=st.lists(st.one_of(mobiles(), landlines()), min_size=1, max_size=3),
    fillers=st.lists(between, min_size=3, max_size=3),
    end=around,
)
def test_no_phone_survives(start, phones, fillers, end):
    text = start + "".join(f"{written}{filler}" for (_, written), filler in zip(phones, fillers, strict=False)) + end
    out = digits(scrub_phones(text))
    for number, written in phones:
        assert number not in out, (text, written, scrub_phones(text))


# --- text without a phone number passes unchanged ------------------------------------------------

year = st.integers(1990, 2035).map(str)
month = st.integers(1, 12)
day = st.integers(1, 28)
no_phone_piece = st.one_of(
    st.builds(lambda y, m, d: f"{y}年{m}月{d}日", year, month, day),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", year, month, day),
    st.builds(lambda y, m, d: f"{y}.{m}.{d}", year, month, day),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda h, m: f"{h}:{m:02d}-{h + 1}:{m:02d}", st.integers(6, 20), st.sampled_from([0, 30])),
    st.builds(lambda n: f"四环胡同{n}号院", st.integers(1, 200)),
    st.builds(lambda b, u, r: f"{b}号楼{u}单元{r}室", st.integers(1, 30), st.integers(1, 8), st.integers(101, 2804)),
    st.builds(lambda b, u, r: f"{b}-{u}-{r}", st.integers(1, 30), st.integers(1, 8), st.integers(101, 2804)),
    st.builds(lambda y, n: f"SH-{y}-{n:06d}", year, st.integers(0, 999_999)),
    st.builds(lambda n: f"邮编{n:06d}", st.integers(100_000, 199_999)),
    st.sampled_from(["100032", "第3次", "二〇二六年十一月二十九日", "12345", "110", "3000元", "5楼", "¥1,280.50"]),
)


@given(pieces=st.lists(no_phone_piece, max_size=5), fillers=st.lists(between, min_size=5, max_size=5), end=around)
@example(pieces=["2026年11月29日", "9:30", "SH-2026-483920", "100032"], fillers=["上午", "，", "。"] * 2, end="")
def test_text_without_phones_passes_unchanged(pieces, fillers, end):
    text = "".join(f"{filler}{piece}" for piece, filler in zip(pieces, fillers, strict=False)) + end
    assert scrub_phones(text) == text


# --- the reported leaks, and the look of the mask -------------------------------------------------


def test_the_reported_forms_are_masked():
    cases = {
        "四环胡同3号院 电话13812340002": "四环胡同3号院 电话138****0002",
        "请打+8613812340001": "请打+86138****0001",
        "请打8613812340004": "请打86138****0004",
        "电话138.1234.0003": "电话138****0003",
        "电话１３９１２３４５６７８": "电话139****5678",
        "电话一三八一二三四〇〇〇六": "电话138****0006",
        "电话(010)66001234": "电话010****1234",
        "请打 138 1234 1234 或 010-66001234 找我。": "请打 138****1234 或 010****1234 找我。",
        "电话6600 1234": "电话****1234",
    }
    for typed, shown in cases.items():
        assert scrub_phones(typed) == shown


def test_numbers_glued_to_numerals_or_longer_digit_runs_are_masked():
    for text in ("第三13812340001", "零13812340001号", "130000013812340001", "3 13812340001"):
        assert "13812340001" not in digits(scrub_phones(text)), text


def test_empty_and_none():
    assert scrub_phones("") == ""
    assert scrub_phones(None) == ""
