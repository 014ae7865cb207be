"""Ids read from a query string or a posted field, without trusting them."""


def id_or_none(value):
    """A row id, or None for anything else: ASCII digits only (``"²"`` and ``"٣"`` pass
    ``str.isdigit`` but not ``int``), and short enough for every database's integer."""
    value = str(value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None
