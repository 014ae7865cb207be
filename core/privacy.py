"""Personal data shown in part: one masking rule for every app, and one phone scrubber.

Who may see data in full is each app's rule (``communities.privacy``, ``feedback.admin.contact``);
how the rest is hidden is decided here, once.

Phone numbers inside free text (``scrub_phones``) are found after folding what residents type
to plain digits: full-width forms and other scripts' digits, Chinese numerals (一三八…, 〇/零/○,
幺, 壹贰叁), separators between digits (spaces, dashes, dots, brackets, slashes; up to four in
a row), country codes (+86, 86, 0086). Three shapes count as a phone:

- a mobile number, ``1[3-9]`` and nine more digits, wherever it stands in a run of digits
  (glued to a house number or a numeral, it is still masked);
- a landline with its area code: a ``0``, then 10 to 12 digits in all, or the area code without
  its ``0`` after 86/0086 (``+86 10 66001234``);
- a local number alone: 8 digits, or 4 + 4 (``6600 1234``), or 7 digits / 3 + 4, starting 3–9.

Dates (2026-11-29, 2026.11.29, 2026年11月29日), times, house numbers, case codes and postcodes do
not have these shapes and pass unchanged; an 8-digit amount starting 3–9 written without a comma
is masked like a phone, on purpose. A mobile shows as ``138****1234``, a landline as
``010****1234``, a local number as ``****1234``; nothing else in the text changes.

Where the scrubber runs (the rule every app follows):

- **At write time**, for text that is public by nature, so no page, export, feed or story made
  from it can leak: a case's place (the heading of the board and the tracking page), its public
  summary, the resident's rating comment, every *public* timeline entry, photo alt text.
  ``feedback.models`` scrubs them in ``save()`` and ``workflow.rate`` before its update; old rows
  were scrubbed by migration ``feedback 0004``.
- **At display time**, for text that stays whole for the staff of the case's own community (who
  have the contact data anyway): the description (``Case.public_text`` on public pages) and
  internal timeline notes, shown scrubbed in the admin to everyone else, department officers and
  district administrators included (``feedback.admin.contact.text_for``; volunteer hours notes in
  exports likewise, ``volunteers.privacy.text_for``).
- **On the way out**, as a backstop: stories made from a case (``feedback.to_story``), search
  snippets (``core.search``) and every log line (``PhoneScrubFilter`` on the log handler).
- ``scrub_contacts`` additionally masks e-mail addresses and the names given; the retention purge
  (``feedback.retention``) runs it over every free-text copy once the retention period is over.
"""

import logging
import re
import unicodedata

# Chinese numerals residents use for digits: 〇/零/○ for zero, 幺 as a spoken one, 壹贰叁… from forms.
_NUMERALS = dict(zip("〇零○一幺壹二贰三叁四肆五伍六陆七柒八捌九玖", "0001112233445566778899", strict=True))
# What may stand between the digits of one number (after folding: full-width forms are ASCII by then).
_SEPARATORS = " \t-‐‑‒–—―.·・()[]/_"
_RUN = re.compile(r"[0-9](?:[" + re.escape(_SEPARATORS) + r"]{0,4}[0-9])*")
_GROUP = re.compile(r"[0-9]+")
_MOBILE = re.compile(r"(?=(1[3-9][0-9]{9}))")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONGEST = 15  # 0086, an area code of three digits without its 0, 8 digits: the longest landline


class _Fold(dict):
    """Character code -> one character: a digit for anything that reads as one, the NFKC form of
    a single character otherwise. One character out for each in, so spans found in the folded
    text are spans of the original."""

    def __missing__(self, code):
        char = chr(code)
        value = unicodedata.decimal(char, None)
        if value is not None:
            out = str(value)
        elif char in _NUMERALS:
            out = _NUMERALS[char]
        else:
            folded = unicodedata.normalize("NFKC", char)
            out = folded if len(folded) == 1 else char
        if code < 0x10000:  # remember the common plane only: hostile text cannot grow the table much
            self[code] = out
        return out


_FOLD = _Fold()
_DIGITLIKE = re.compile(r"[\d" + "".join(_NUMERALS) + "]")


def fold(text):
    """``text`` with every character that reads as a digit turned into one (same length)."""
    return text.translate(_FOLD)


def mask_phone(phone):
    """138****1234: the first three and last four digits, the rest hidden."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_name(name):
    """王** : the first character, one star for each of the others (at least one)."""
    return f"{name[0]}{'*' * max(1, len(name) - 1)}" if name else ""


def mask_email(email):
    """w***@example.org: the first character of the mailbox and the whole domain."""
    if not email:
        return email
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _landline(digits):
    if digits.startswith("0") and not digits.startswith("00"):
        return 10 <= len(digits) <= 12
    for prefix in ("0086", "86"):
        rest = digits[len(prefix) :]
        # The area code without its 0; of those starting with 1 only Beijing's 10 (a 1 and a 3–9
        # after +86 is a mobile number, found on its own).
        area_ok = rest[:1] not in ("", "0", "1") or rest.startswith("10")
        if digits.startswith(prefix) and area_ok and 9 <= len(rest) <= 11:
            return True
    return False


def _local(groups):
    sizes = [len(g) for g in groups]
    return groups[0][0] in "3456789" and sizes in ([7], [8], [3, 4], [4, 4])


def _phone_spans(run, offset):
    """Spans (start, end in the folded text) of the digits of every phone number in one run."""
    groups = [(offset + m.start(), offset + m.end(), m.group()) for m in _GROUP.finditer(run)]
    # Every digit's position, so a match in the digits alone maps back onto the text.
    positions = [start + i for start, _end, group in groups for i in range(len(group))]
    digits = "".join(group for _start, _end, group in groups)
    spans = [(positions[m.start(1)], positions[m.end(1) - 1] + 1) for m in _MOBILE.finditer(digits)]
    for i in range(len(groups)):
        joined = []
        for j in range(i, len(groups)):
            joined.append(groups[j][2])
            number = "".join(joined)
            if len(number) > _LONGEST:
                break
            if _landline(number) or _local(joined):
                spans.append((groups[i][0], groups[j][1]))
    return spans


def _merged(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _mask(digits):
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _landline(digits) and not _landline(digits[len(prefix) :]):
            return f"{prefix} {_mask('0' + digits[len(prefix) :])}"  # +86 10 66001234: +86 010****1234
    if len(digits) <= 8:  # a local number: only its last four digits stay
        return f"****{digits[-4:]}"
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def scrub_phones(text):
    """``text`` with every phone number in it masked, however it was typed (see the module's doc)."""
    if not text:
        return text or ""
    if len(_DIGITLIKE.findall(text)) < 7:  # fewer digits than the shortest number: nothing to do
        return text
    folded = fold(text)
    spans = []
    for run in _RUN.finditer(folded):
        spans.extend(_phone_spans(run.group(), run.start()))
    pieces, last = [], 0
    for start, end in _merged(spans):
        if start > 0 and folded[start - 1] == "(" and ")" in folded[start:end]:
            start -= 1  # "(010)66001234": the bracket goes with the number it opened
        pieces.append(text[last:start])
        pieces.append(_mask(re.sub(r"[^0-9]", "", folded[start:end])))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def scrub_contacts(text, names=()):
    """``scrub_phones``, and e-mail addresses and each of ``names`` masked too (the retention purge)."""
    text = _EMAIL.sub(lambda m: mask_email(m.group()), scrub_phones(text))
    for name in names:
        if name and name.strip():
            text = text.replace(name.strip(), mask_name(name.strip()))
    return text


class PhoneScrubFilter(logging.Filter):
    """On a log handler: no full phone number reaches the log, whoever wrote the line (the message,
    its arguments, the traceback of an exception a gateway raised with the number in it)."""

    def filter(self, record):
        message = record.getMessage()
        scrubbed = scrub_phones(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_phones(record.exc_text)
        return True
