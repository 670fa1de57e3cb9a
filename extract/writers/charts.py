"""The report's charts: horizontal and vertical (stacked) bars drawn as inline SVG.

No chart library and no network: each function returns an ``<svg>`` string
sized in CSS pixels, every label and value escaped (:func:`e`), with a
``<title>`` on each bar for the exact figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from extract.width import display_width

OVERDUE_COLOR = "#c0392b"
NOT_DUE_COLOR = "#7f9cc0"
RATE_COLOR = "#3b78b0"
DECLARED_COLOR = "#1d2b3a"
THEME_COLOR = "#8e6bb0"

#: Chart geometry, in CSS pixels.
CHART_WIDTH = 760
BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_MAX_PX = 260
#: Pixels per display-width unit of label text (13px font: CJK ≈ 13, Latin ≈ 6.5).
PX_PER_WIDTH_UNIT = 6.5
AXIS_HEIGHT = 24
#: Count-axis steps above this are rounded to half powers of ten (5, 10, 50 …).
NICE_STEP_FROM = 10


def e(value: Any) -> str:
    """Escaped text of a value; '' for None."""
    return "" if value is None else escape(str(value), quote=True)


def _truncate(label: str, max_px: float) -> str:
    if display_width(label) * PX_PER_WIDTH_UNIT <= max_px:
        return label
    out = ""
    for ch in label:
        if display_width(out + ch + "…") * PX_PER_WIDTH_UNIT > max_px:
            break
        out += ch
    return out + "…"


def _label_width(labels: Sequence[str]) -> float:
    widest = max((display_width(label) for label in labels), default=4) * PX_PER_WIDTH_UNIT
    return min(LABEL_MAX_PX, widest + 8)


def hbar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    max_value: float,
    unit: str = "",
    markers: Sequence[float | None] | None = None,
    marker_name: str = "",
    chart_id: str = "",
    decimals: int = 0,
) -> str:
    """Horizontal (stacked) bars as inline SVG.

    ``series``: (name, colour, one value per label); stacked left to right.
    ``markers``: an optional value per label drawn as a dark tick (e.g. the
    declared rate beside the computed one). ``decimals``: of the values shown.
    """
    label_w = _label_width(labels)
    plot_w = CHART_WIDTH - label_w - 60
    height = len(labels) * (BAR_HEIGHT + BAR_GAP) + AXIS_HEIGHT
    scale = plot_w / max_value if max_value > 0 else 0.0
    parts = [
        f'<svg class="chart" id="{e(chart_id)}" role="img" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, label in enumerate(labels):
        y = i * (BAR_HEIGHT + BAR_GAP)
        parts.append(
            f'<text x="{label_w - 6:.0f}" y="{y + BAR_HEIGHT - 5}" text-anchor="end" class="lbl">'
            f"<title>{e(label)}</title>{e(_truncate(label, label_w - 10))}</text>"
        )
        x = label_w
        total = 0.0
        for name, color, values in series:
            value = values[i] or 0.0
            width = value * scale
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                    f'fill="{color}"><title>{e(label)}：{e(name)} {value:.{decimals}f}{unit}</title></rect>'
                )
            x += width
            total += value
        text = f"{total:.{decimals}f}{unit}"
        parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 5}" class="val">{e(text)}</text>')
        if markers is not None and markers[i] is not None:
            mx = label_w + (markers[i] or 0.0) * scale
            parts.append(
                f'<rect x="{mx - 1.5:.1f}" y="{y - 2}" width="3" height="{BAR_HEIGHT + 4}" '
                f'fill="{DECLARED_COLOR}"><title>{e(label)}：{e(marker_name)} '
                f"{markers[i]:.{decimals}f}{unit}</title></rect>"
            )
    axis_y = len(labels) * (BAR_HEIGHT + BAR_GAP) + 4
    parts.append(
        f'<line x1="{label_w}" y1="{axis_y}" x2="{label_w + plot_w:.1f}" y2="{axis_y}" class="axis"/>'
    )
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        tx = label_w + plot_w * fraction
        tick_text = f"{max_value * fraction:.0f}"
        parts.append(
            f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" class="tick">'
            f"{e(tick_text)}{e(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def vbar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    chart_id: str = "",
) -> str:
    """Vertical stacked bars (counts per period) as inline SVG."""
    height = 260
    left, bottom, top = 40, 46, 12
    plot_h = height - bottom - top
    plot_w = CHART_WIDTH - left - 10
    totals = [sum(s[2][i] for s in series) for i in range(len(labels))]
    max_total = count_axis_max(max(totals, default=0))
    step = plot_w / max(1, len(labels))
    bar_w = max(4.0, min(40.0, step * 0.7))
    parts = [
        f'<svg class="chart" id="{e(chart_id)}" role="img" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        gy = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_w}" y2="{gy:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{left - 4}" y="{gy + 4:.1f}" text-anchor="end" class="tick">'
            f"{max_total * fraction:.0f}</text>"
        )
    label_every = max(1, int(len(labels) / 16) + 1) if len(labels) > 16 else 1
    for i, label in enumerate(labels):
        cx = left + step * i + step / 2
        y: float = top + plot_h
        for name, color, values in series:
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / max_total
            y -= h
            parts.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{color}"><title>{e(label)}：{e(name)} {value} 个</title></rect>'
            )
        if totals[i]:
            parts.append(
                f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" class="val">{totals[i]}</text>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="tick">'
                f"{e(label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def count_axis_max(largest: float) -> float:
    """A maximum for a count axis whose quarter marks are whole numbers."""
    step = max(1, math.ceil(largest / 4))
    if step > NICE_STEP_FROM:
        magnitude = 10 ** int(math.log10(step))
        step = math.ceil(step / (magnitude / 2)) * (magnitude // 2 or 1)
    return float(step * 4)


def legend(entries: Sequence[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{color}"></i>{e(name)}</span>' for name, color in entries
    ) + "</div>"


