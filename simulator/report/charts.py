"""Inline SVG line charts, written by hand (no scripts, no external resources)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf")


def _ticks(top: float) -> list[float]:
    if top <= 0:
        return [0.0]
    step = 10 ** math.floor(math.log10(top))
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= 5:
            step *= factor
            break
    return [i * step for i in range(int(top / step) + 1)]


# The legend, right of the plot: a sample line, then its label at 11 px. Chromium measures
# a set's name at about 5.9 px a character; 7 errs wide, so a label never runs past the
# chart's edge. A label too long for the usual margin widens the margin (and the chart).
LEGEND_MARGIN = 130
LEGEND_LABEL_X = 38
LABEL_PX_PER_CHAR = 7.0


class _Frame:
    """The plot area of a chart: where index ``i`` and value ``v`` are drawn."""

    left, top, bottom = 48, 28, 36

    def __init__(self, width: int, height: int, length: int, y_top: float, right: int) -> None:
        self.right = right
        self.width, self.height = width, height
        self.plot_w = width - self.left - self.right
        self.plot_h = height - self.top - self.bottom
        self.length, self.y_top = length, y_top

    def x(self, i: float) -> float:
        return self.left + (self.plot_w * i / max(self.length - 1, 1))

    def y(self, v: float) -> float:
        return self.top + self.plot_h - (self.plot_h * v / self.y_top)


def line_chart(
    title: str,
    series: Mapping[str, Sequence[float]],
    *,
    x_label: str = "iteration",
    y_label: str = "",
    width: int = 640,
    height: int = 260,
) -> str:
    """An SVG chart: one line per series, x = index, with axes, ticks and a legend.

    A legend label too long for the right margin widens the chart, not its plot."""
    length = max((len(v) for v in series.values()), default=1)
    y_max = max((max(v) for v in series.values() if v), default=0.0)
    ticks = _ticks(y_max)
    right = _legend_room(series)
    width += right - LEGEND_MARGIN
    frame = _Frame(width, height, length, max(ticks[-1], y_max, 1.0), right)
    out = [
        f'<svg class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f"<title>{html.escape(title)}</title>",
        f'<text x="{frame.left}" y="16" class="chart-title">{html.escape(title)}</text>',
    ]
    out.extend(_axes(frame, ticks, x_label, y_label))
    out.extend(_lines(frame, series))
    out.append("</svg>")
    return "\n".join(out)


def _legend_room(names: Iterable[str]) -> int:
    """The right margin that holds the legend's longest label."""
    longest = max((len(name) for name in names), default=0)
    return max(LEGEND_MARGIN, LEGEND_LABEL_X + math.ceil(longest * LABEL_PX_PER_CHAR) + 8)


def _axes(frame: _Frame, ticks: list[float], x_label: str, y_label: str) -> list[str]:
    left, top, plot_w, plot_h = frame.left, frame.top, frame.plot_w, frame.plot_h
    out = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#444"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>',
    ]
    for tick in ticks:
        y = frame.y(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    step = max(1, math.ceil(frame.length / 10))
    for i in range(0, frame.length, step):
        out.append(
            f'<text x="{frame.x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{i}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{frame.height - 4}" text-anchor="middle">'
        f"{html.escape(x_label)}</text>"
    )
    if y_label:
        out.append(
            f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{html.escape(y_label)}</text>'
        )
    return out


def _lines(frame: _Frame, series: Mapping[str, Sequence[float]]) -> list[str]:
    """One polyline per series, solid and dashed in turn, with its legend entry."""
    edge = frame.left + frame.plot_w
    out = []
    for n, (name, values) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in enumerate(values))
        dash = ' stroke-dasharray="6 3"' if n % 2 else ""
        out.append(
            f'<polyline class="series" data-set="{html.escape(name)}" fill="none" '
            f'stroke="{colour}" stroke-width="2"{dash} points="{points}"/>'
        )
        legend_y = frame.top + 14 + 18 * n
        out.append(
            f'<line x1="{edge + 12}" y1="{legend_y - 4}" x2="{edge + 32}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{edge + LEGEND_LABEL_X}" y="{legend_y}">{html.escape(name)}</text>'
        )
    return out
