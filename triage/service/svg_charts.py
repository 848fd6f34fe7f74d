"""Bar charts as inline SVG, rendered on the server: no JavaScript, no inline style (strict CSP).

Geometry goes in SVG attributes (x, y, width, height), colour and type in CSS classes from
static/style.css (`.chart .bar`, `.bar.sev-high`, `.bar.training`, ...). Every text is escaped. A
chart is a picture for the eye: each page shows the same numbers in a table next to it, and the SVG
says so in its accessible name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

WIDTH: Final = 640  # a wide chart; a chart in a panel is narrower (`width=PANEL`), so its text stays legible
PANEL: Final = 380
LABEL_WIDTH: Final = 120  # room for the category names of horizontal bars
VALUE_WIDTH: Final = 64  # room for the value after a horizontal bar
ROW: Final = 24
COLUMN_AREA: Final = 160  # height of the plot area of a column chart
AXIS: Final = 22  # below the columns: the category names


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its category name, its value, the value as shown, and an extra CSS class."""

    label: str
    value: float
    text: str
    css: str = ""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two bars for one category (e.g. production next to training); `second` may be unknown."""

    label: str
    first: float
    second: float | None
    first_text: str
    second_text: str


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(width: float, height: float, title: str) -> str:
    name = escape(f"{title} (de cijfers staan in de tabel bij deze grafiek)")
    return f'<svg class="chart" viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label="{name}">'


def _scale(values: Sequence[float], maximum: float | None) -> float:
    top = maximum if maximum is not None else max(values, default=0.0)
    return top if top > 0 else 1.0


def _rect(x: float, y: float, width: float, height: float, css: str, tip: str) -> str:
    classes = escape(f"bar {css}".strip())
    return (
        f'<rect class="{classes}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _text(x: float, y: float, content: str, css: str, anchor: str = "start") -> str:
    return (
        f'<text class="{escape(css)}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def hbars(bars: Sequence[Bar], *, title: str, maximum: float | None = None, width: float = PANEL) -> Markup:
    """Horizontal bars, one row per category: for a few named categories (labels, severity)."""
    height = max(len(bars), 1) * ROW + 8
    top = _scale([bar.value for bar in bars], maximum)
    span = width - LABEL_WIDTH - VALUE_WIDTH
    parts = [_open(width, height, title)]
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = span * max(bar.value, 0.0) / top
        parts.append(_text(LABEL_WIDTH - 6, y + ROW / 2 + 4, bar.label, "axis", "end"))
        parts.append(
            _rect(LABEL_WIDTH, y + 3, max(length, 0.5), ROW - 6, bar.css, f"{bar.label}: {bar.text}")
        )
        parts.append(_text(LABEL_WIDTH + length + 6, y + ROW / 2 + 4, bar.text, "value"))
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(bars: Sequence[Bar], *, title: str, maximum: float | None = None, width: float = WIDTH) -> Markup:
    """Vertical columns in time order (weeks); the category names are thinned out when there are many."""
    count = max(len(bars), 1)
    height = COLUMN_AREA + AXIS + 18
    top = _scale([bar.value for bar in bars], maximum)
    slot = (width - 10) / count
    every = 1 if count <= 13 else (2 if count <= 26 else 4)
    parts = [_open(width, height, title)]
    parts.append(
        f'<line class="baseline" x1="5" y1="{COLUMN_AREA + 14}" x2="{_n(width - 5)}" y2="{COLUMN_AREA + 14}"/>'
    )
    for index, bar in enumerate(bars):
        x = 5 + index * slot
        length = COLUMN_AREA * max(bar.value, 0.0) / top
        y = 14 + COLUMN_AREA - length
        parts.append(
            _rect(x + slot * 0.15, y, slot * 0.7, max(length, 0.5), bar.css, f"{bar.label}: {bar.text}")
        )
        if slot >= 24 and bar.value > 0:  # the value above its column, where it fits
            parts.append(
                _text(x + slot / 2, y - 3, bar.text, "value" if slot >= 40 else "value small", "middle")
            )
        if index % every == 0:
            parts.append(_text(x + slot / 2, COLUMN_AREA + 14 + AXIS - 6, bar.label, "axis", "middle"))
    parts.append("</svg>")
    return Markup("".join(parts))


def paired_hbars(
    pairs: Sequence[Pair],
    *,
    title: str,
    names: tuple[str, str] = ("first", "second"),
    maximum: float | None = None,
    width: float = PANEL,
) -> Markup:
    """Two horizontal bars per category: `first` (class `first`) above `second` (class `second`), under a
    legend naming both."""
    row = ROW + 12
    legend = 20
    height = max(len(pairs), 1) * row + 8 + legend
    values = [pair.first for pair in pairs] + [pair.second for pair in pairs if pair.second is not None]
    top = _scale(values, maximum)
    span = width - LABEL_WIDTH - VALUE_WIDTH
    half = (row - 8) / 2
    parts = [_open(width, height, title)]
    legends = list(zip(("first", "second"), names, strict=True))
    for offset, (css, name) in enumerate(legends if len(values) > len(pairs) else legends[:1]):
        x = LABEL_WIDTH + offset * 100
        parts.append(f'<rect class="bar {css}" x="{x}" y="4" width="12" height="12"/>')
        parts.append(_text(x + 16, 14, name, "axis"))
    for index, pair in enumerate(pairs):
        y = 4 + legend + index * row
        parts.append(_text(LABEL_WIDTH - 6, y + row / 2 + 2, pair.label, "axis", "end"))
        shown = [(pair.first, pair.first_text, "first", names[0])]
        if pair.second is not None:
            shown.append((pair.second, pair.second_text, "second", names[1]))
        for offset, (value, text, css, name) in enumerate(shown):
            length = span * max(value, 0.0) / top
            bar_y = y + 2 + offset * half
            tip = f"{pair.label}, {name}: {text}"
            parts.append(_rect(LABEL_WIDTH, bar_y, max(length, 0.5), half - 1, css, tip))
            parts.append(_text(LABEL_WIDTH + length + 6, bar_y + half - 3, text, "value small"))
    parts.append("</svg>")
    return Markup("".join(parts))
