"""Charts as server-rendered SVG: readable without JavaScript, with a text table beside them.

Phone first: every chart is a stack of horizontal bars, each with its words and number written
above it. The SVG has no viewBox, so nothing is scaled: text keeps its size (16 px and up, like
the page around it) and only the bars stretch, by percentage widths, to whatever width the
phone or desktop gives them.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.lang import CHINESE

# Plain words first: the statistical names (响应率, 解决率, 满意率) are explained on the board.
SERIES = [
    ("response_rate", gettext_lazy("按时答复"), "#0a4a8f"),
    ("resolution_rate", gettext_lazy("已经解决"), "#2e7d32"),
    ("satisfaction_rate", gettext_lazy("居民满意"), "#a4161a"),
]
RECEIVED, DONE = "#5f656c", "#2e7d32"

TITLE_SIZE, TEXT_SIZE = 17, 16
BAR_H, LINE = 12, 22  # a bar's height; the height of the text line above it


def _pct(value):
    return f"{value * 100:.0f}%"


class _Svg:
    """Collects the pieces of one chart, top to bottom, and knows how tall it has grown."""

    def __init__(self, title):
        self.title, self.y, self.parts = title, 0, []
        self.ident = f"chart-{id(self)}"

    def heading(self, text):
        self.y += TITLE_SIZE + 6
        lang = ' lang="zh-Hans"' if CHINESE.search(str(text)) else ""  # a street or department's name: content
        self.parts.append(
            f'<text x="0" y="{self.y}" font-size="{TITLE_SIZE}" font-weight="700"{lang}>{escape(text)}</text>'
        )
        self.y += 4

    def bar(self, label, share, colour):
        """One labelled bar; share is 0..1 of the full width, None for 'no bar' (the label says why)."""
        self.y += LINE
        self.parts.append(f'<text x="0" y="{self.y - 5}" font-size="{TEXT_SIZE}">{escape(label)}</text>')
        if share is not None:
            self.parts.append(f'<rect x="0" y="{self.y}" width="100%" height="{BAR_H}" fill="#e6e2da"/>')
            width = f"{max(share * 100, 0.5):.1f}%"
            self.parts.append(f'<rect x="0" y="{self.y}" width="{width}" height="{BAR_H}" fill="{colour}"/>')
            self.y += BAR_H
        self.y += 10

    def gap(self, height=14):
        self.y += height

    def render(self):
        height = self.y + 4
        return mark_safe(  # noqa: S308 - every text piece is escaped where it is added
            f'<svg class="fb-chart" role="img" width="100%" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{self.ident}">'
            f'<title id="{self.ident}">{escape(self.title)}</title>' + "".join(self.parts) + "</svg>"
        )


def rate_bars(rows, title):
    """For each row (street, department...) its name, then one bar per rate with its words and number."""
    if not rows:
        return ""
    svg = _Svg(title)
    for row in rows:
        svg.heading(row.name)
        for key, label, colour in SERIES:
            value = getattr(row, key)
            if value is None:
                svg.bar(_("%(label)s：件数太少，不计算") % {"label": label}, None, colour)
            else:
                svg.bar(f"{label} {_pct(value)}", value, colour)
        svg.gap()
    return svg.render()


def month_columns(rows, title):
    """For each month: how many problems came in and how many were finished, as two bars."""
    if not rows:
        return ""
    peak = max(max(r.total for r in rows), 1)
    svg = _Svg(title)
    for row in rows:
        svg.heading(_("%(y)s年%(m)s月") % {"y": str(row.name)[:4], "m": int(str(row.name)[5:7])})
        svg.bar(_("收到 %(n)s 件") % {"n": row.total}, row.total / peak, RECEIVED)
        svg.bar(_("办完 %(n)s 件") % {"n": row.resolved}, row.resolved / peak, DONE)
        svg.gap()
    return svg.render()
