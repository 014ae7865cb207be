"""Log lines that user input cannot forge.

A username, a path or a text message written into a log as it came could start a new line
(``a\\r\\nlogin user=admin …``), colour or clear a terminal (ANSI escapes), reorder what a reader
sees (bidi overrides) or add a field of its own (``a ip=1.2.3.4``). ``safe`` turns any value into
one printable token: backslashes and control, format and line-separator characters become
``\\xNN``/``\\uNNNN`` escapes, and a value with a space, a quote or ``=`` is double-quoted (logfmt),
so ``user=`` is always followed by exactly the user's name. Chinese text stays readable.

Every logger call that includes user input passes it through ``safe``; the ``OneLineFormatter``
in settings.LOGGING is the backstop for the lines we do not write ourselves (third-party code, a
call that forgot): it escapes the same characters in every message, tracebacks aside.
"""

import logging
import re

# C0 and C1 controls, DEL, zero-width and bidi controls, line/paragraph separators, BOM, lone surrogates.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff"
_CONTROL = re.compile(f"[{_UNSAFE}]")
_ESCAPE = re.compile(f"[\\\\{_UNSAFE}]")
_NEEDS_QUOTES = re.compile(r'[\s"=]')


def _escaped(match):
    char = match.group()
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(value):
    """``value`` as one log token: escaped, and quoted when it holds a space, a quote or ``=``."""
    text = _ESCAPE.sub(_escaped, str(value))
    if not text or _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '\\"') + '"'
    return text


class OneLineFormatter(logging.Formatter):
    """Each record's message stays on one line, whoever wrote it; its traceback follows as usual."""

    def formatMessage(self, record):  # noqa: N802 - logging's name
        return _CONTROL.sub(_escaped, super().formatMessage(record))
