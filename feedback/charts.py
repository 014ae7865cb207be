"""Charts as server-rendered SVG: readable without JavaScript, with a text table beside them."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.lang import CHINESE

SERIES = [
    ("response_rate", "响应率", "#0a4a8f"),
    ("resolution_rate", "解决率", "#2e7d32"),
    ("satisfaction_rate", "满意率", "#a4161a"),
]


def _pct(value):
    return f"{value * 100:.0f}%"


def rate_bars(rows, title, width=640):
    """Horizontal bars: for each row (street, department...) its three rates."""
    if not rows:
        return ""
    label_w, bar_h, gap = 170, 14, 18
    chart_w = width - label_w - 60
    block = len(SERIES) * bar_h + gap
    legend_h = 30
    height = legend_h + len(rows) * block + 10
    parts = [
        f'<svg class="fb-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-{id(rows)}">',
        f'<title id="chart-{id(rows)}">{escape(title)}</title>',
    ]
    for i, (_key, label, colour) in enumerate(SERIES):
        x = label_w + i * 110
        parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="18" font-size="14">{escape(_(label))}</text>')
    for r, row in enumerate(rows):
        top = legend_h + r * block
        name = row.name[:12]
        lang = ' lang="zh-Hans"' if CHINESE.search(name) else ""  # a street or department's name: content
        parts.append(f'<text x="0" y="{top + bar_h * 2}" font-size="14" fill="#1b1b1b"{lang}>{escape(name)}</text>')
        for s, (key, label, colour) in enumerate(SERIES):
            value = getattr(row, key)
            y = top + s * bar_h
            if value is None:
                parts.append(
                    f'<text x="{label_w}" y="{y + bar_h - 3}" font-size="12" fill="#4a4f55">'
                    f"{escape(_('%(rate)s：%(value)s') % {'rate': _(label), 'value': _('样本不足')})}</text>"
                )
                continue
            w = max(1, round(chart_w * value))
            parts.append(f'<rect x="{label_w}" y="{y + 1}" width="{w}" height="{bar_h - 2}" fill="{colour}"/>')
            parts.append(
                f'<text x="{label_w + w + 4}" y="{y + bar_h - 3}" font-size="12" fill="#1b1b1b">{_pct(value)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece above is escaped


def month_columns(rows, title, width=640, height=240):
    """Columns per month: cases received (grey) and resolved (green)."""
    if not rows:
        return ""
    top_pad, bottom_pad, left_pad = 30, 30, 30
    plot_h = height - top_pad - bottom_pad
    peak = max(max(r.total for r in rows), 1)
    slot = (width - left_pad) / len(rows)
    col_w = max(6, min(28, slot / 2 - 4))
    parts = [
        f'<svg class="fb-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-{id(rows)}">',
        f'<title id="chart-{id(rows)}">{escape(title)}</title>',
        '<rect x="30" y="6" width="14" height="14" fill="#8a8f96"/>',
        f'<text x="50" y="18" font-size="14">{escape(_("收到"))}</text>',
        '<rect x="120" y="6" width="14" height="14" fill="#2e7d32"/>',
        f'<text x="140" y="18" font-size="14">{escape(_("已办结"))}</text>',
        f'<line x1="{left_pad}" y1="{height - bottom_pad}" x2="{width}" y2="{height - bottom_pad}" stroke="#4a4f55"/>',
    ]
    for i, row in enumerate(rows):
        x = left_pad + i * slot + 4
        for j, (value, colour) in enumerate(((row.total, "#8a8f96"), (row.resolved, "#2e7d32"))):
            h = round(plot_h * value / peak)
            cx = x + j * (col_w + 2)
            y = height - bottom_pad - h
            parts.append(f'<rect x="{cx:.0f}" y="{y}" width="{col_w:.0f}" height="{h}" fill="{colour}"/>')
            parts.append(f'<text x="{cx:.0f}" y="{y - 3}" font-size="11">{value}</text>')
        month = _("%(m)s月") % {"m": int(str(row.name)[5:7])}
        parts.append(f'<text x="{x:.0f}" y="{height - 10}" font-size="12">{escape(month)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece above is escaped
