"""Small server-rendered SVG charts: no JavaScript, labels escaped. Each chart
is paired in the template with a data table for screen readers."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours come from CSS classes (see relais.css, "Reports" section).
SERIES_CLASSES = ["chart-series-1", "chart-series-2", "chart-series-3"]


def _nice_max(value: float) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return int(value) + 1


def column_chart(
    rows: list[dict],
    *,
    series: list[tuple[str, str]],
    title: str,
    title_id: str,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Grouped vertical bars, one group per row (e.g. per month)."""
    left, bottom, top = 44, 48, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = _nice_max(
        max((row.get(k) or 0 for row in rows for k, _l in series), default=0)
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(title_id)}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - 8}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-axis" x="{left - 4}" y="{y + 4:.1f}" '
            f'text-anchor="end">{int(value)}</text>'
        )
    if rows:
        group_w = plot_w / len(rows)
        bar_w = max(1.0, group_w * 0.8 / len(series))
        label_every = max(1, len(rows) // 12)
        for i, row in enumerate(rows):
            x0 = left + i * group_w + group_w * 0.1
            for j, (key, label) in enumerate(series):
                value = row.get(key) or 0
                h = plot_h * value / peak
                x = x0 + j * bar_w
                parts.append(
                    f'<rect class="{SERIES_CLASSES[j % 3]}" x="{x:.1f}" '
                    f'y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
                    f"<title>{escape(row['label'])}: {escape(label)} {value}</title>"
                    "</rect>"
                )
            if i % label_every == 0:
                cx = left + i * group_w + group_w / 2
                parts.append(
                    f'<text class="chart-axis" x="{cx:.1f}" y="{height - bottom + 16}" '
                    f'text-anchor="middle">{escape(row["label"])}</text>'
                )
    # Legend
    for j, (_key, label) in enumerate(series):
        x = left + j * 150
        parts.append(
            f'<rect class="{SERIES_CLASSES[j % 3]}" x="{x}" y="{height - 16}" '
            f'width="10" height="10"/>'
            f'<text class="chart-axis" x="{x + 14}" y="{height - 7}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def bar_chart(
    rows: list[dict],
    *,
    value_key: str,
    title: str,
    title_id: str,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per row (e.g. per country), largest first."""
    bar_h, gap, label_w = 18, 6, 170
    height = max(1, len(rows)) * (bar_h + gap) + 8
    peak = _nice_max(max((row.get(value_key) or 0 for row in rows), default=0))
    plot_w = width - label_w - 60
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(title_id)}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    for i, row in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        value = row.get(value_key) or 0
        w = plot_w * value / peak
        label = str(row["label"])
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<text class="chart-axis" x="{label_w - 6}" y="{y + 13}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect class="{SERIES_CLASSES[0]}" x="{label_w}" y="{y}" '
            f'width="{w:.1f}" height="{bar_h}"><title>{escape(label)}: {value}</title>'
            f"</rect>"
            f'<text class="chart-axis" x="{label_w + w + 4:.1f}" y="{y + 13}">'
            f"{value}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
