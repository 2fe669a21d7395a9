"""Charts as inline SVG, drawn on the server: no script, no other host, no inline style.

Figures for the council and the public (impact, quality trends) must print, work without
JavaScript and pass the page's strict CSP, so each chart is plain SVG with presentation
attributes. A chart is a picture of a table, never the only copy of its numbers: the page
puts a <table> with the same values beside it, and the SVG names itself (role="img", a title
and a description) so a screen reader announces what it shows and where the table is.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import format_decimal, gettext
from markupsafe import Markup, escape

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphical objects), in
# the order series take them; the catalog's accent first.
PALETTE = ("#0b5cad", "#a4161a", "#1e6b34", "#7a4d00", "#5b2a86", "#1b1f24")
INK = "#1b1f24"
GRID = "#d5dce4"
MUTED = "#4a5360"

WIDTH = 640
HEIGHT = 280
LEFT = 64  # room for the value axis labels
RIGHT = 16
TOP = 16
BOTTOM = 40  # room for the category labels
MAX_X_LABELS = 6
MAX_TICKS = 5
BAR_HEIGHT = 22
BAR_GAP = 8
BAR_LABEL_WIDTH = 250  # 30 characters of 12px text (about 7px each) and a gap
BAR_LABEL_CHARS = 30

ValueFormat = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One line: its name for the legend and its (category, value) points in order."""

    label: str
    points: Sequence[tuple[str, float]]


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    value_format: ValueFormat | None = None,
) -> Markup:
    """Lines over shared categories (days, months), the value axis starting at zero."""
    fmt = value_format or _default_format
    categories = _categories(series)
    values = [value for line in series for _, value in line.points]
    legend_rows = len(series) if len(series) > 1 else 0
    height = HEIGHT + legend_rows * 18
    svg = _Svg(title, description, WIDTH, height, _chart_id("line", title, series))
    if not categories:
        svg.empty(gettext("Noch keine Werte"))
        return svg.markup()
    step, steps = _value_ticks(max(values))
    top = step * steps
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    svg.value_axis(step, steps, fmt, plot_h)

    def x_of(index: int) -> float:
        if len(categories) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * index / (len(categories) - 1)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    for index in _label_positions(len(categories)):
        svg.text(x_of(index), HEIGHT - BOTTOM + 18, categories[index], anchor="middle")
    position = {category: index for index, category in enumerate(categories)}
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        coords = [(x_of(position[c]), y_of(v)) for c, v in line.points]
        if len(coords) > 1:
            svg.polyline(coords, colour)
        for (x, y), (category, value) in zip(coords, line.points, strict=True):
            svg.point(x, y, colour, f"{line.label}, {category}: {fmt(value)}")
        if legend_rows:
            y = HEIGHT + number * 18
            svg.swatch(LEFT, y - 9, colour)
            svg.text(LEFT + 18, y, line.label, anchor="start")
    return svg.markup()


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str,
    value_format: ValueFormat | None = None,
) -> Markup:
    """Horizontal bars, one per labelled value (long names such as dataset titles fit)."""
    fmt = value_format or _default_format
    height = TOP + max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    svg = _Svg(title, description, WIDTH, height, _chart_id("bar", title, bars))
    if not bars:
        svg.empty(gettext("Noch keine Werte"))
        return svg.markup()
    top = max(value for _, value in bars) or 1
    # Leave room after the longest bar for its value label.
    span = WIDTH - BAR_LABEL_WIDTH - RIGHT - 72
    for row, (label, value) in enumerate(bars):
        y = TOP + row * (BAR_HEIGHT + BAR_GAP)
        width = max(span * max(value, 0) / top, 1)
        svg.text(
            BAR_LABEL_WIDTH - 8, y + BAR_HEIGHT * 0.7, _shorten(label), anchor="end", full=label
        )
        svg.bar(BAR_LABEL_WIDTH, y, width, BAR_HEIGHT, PALETTE[0], f"{label}: {fmt(value)}")
        svg.text(BAR_LABEL_WIDTH + width + 6, y + BAR_HEIGHT * 0.7, fmt(value), anchor="start")
    return svg.markup()


class _Svg:
    """Collects the elements of one chart; every text goes through escape()."""

    def __init__(self, title: str, description: str, width: int, height: int, ident: str):
        self.parts: list[str] = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{ident}-title {ident}-desc" focusable="false">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(description)}</desc>',
        ]
        self.width = width
        self.height = height

    def value_axis(self, step: float, steps: int, fmt: ValueFormat, plot_h: float) -> None:
        for tick in range(steps + 1):
            value = step * tick
            y = TOP + plot_h * (1 - tick / steps)
            self.parts.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
            self.text(LEFT - 6, y + 4, fmt(value), anchor="end")

    def polyline(self, coords: Sequence[tuple[float, float]], colour: str) -> None:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        self.parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )

    def point(self, x: float, y: float, colour: str, label: str) -> None:
        self.parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
            f"<title>{escape(label)}</title></circle>"
        )

    def bar(self, x: float, y: float, width: float, height: float, colour: str, label: str) -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height}" '
            f'fill="{colour}"><title>{escape(label)}</title></rect>'
        )

    def swatch(self, x: float, y: float, colour: str) -> None:
        self.parts.append(f'<rect x="{x}" y="{y:.1f}" width="12" height="12" fill="{colour}"/>')

    def text(self, x: float, y: float, text: str, *, anchor: str, full: str | None = None) -> None:
        tooltip = f"<title>{escape(full)}</title>" if full and full != text else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="12" '
            f'fill="{INK}">{tooltip}{escape(text)}</text>'
        )

    def empty(self, message: str) -> None:
        self.parts.append(
            f'<text x="{self.width / 2:.1f}" y="{self.height / 2:.1f}" text-anchor="middle" '
            f'font-size="14" fill="{MUTED}">{escape(message)}</text>'
        )

    def markup(self) -> Markup:
        return Markup("".join([*self.parts, "</svg>"]))  # every text went through escape()


def _categories(series: Sequence[Series]) -> list[str]:
    """The union of the series' categories, in the order they first appear."""
    seen: dict[str, None] = {}
    for line in series:
        for category, _ in line.points:
            seen.setdefault(category, None)
    return list(seen)


def _value_ticks(maximum: float) -> tuple[float, int]:
    """A round tick step (1, 2 or 5 times a power of ten) and at most MAX_TICKS steps to
    reach the maximum, so every axis label is a number people read at a glance."""
    if maximum <= 0:
        return 1.0, 1
    magnitude = 10 ** math.floor(math.log10(maximum / MAX_TICKS))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        steps = math.ceil(maximum / step)
        if steps <= MAX_TICKS:
            return float(step), max(steps, 1)
    return float(10 * magnitude), math.ceil(maximum / (10 * magnitude))  # pragma: no cover


def _label_positions(count: int) -> list[int]:
    """At most MAX_X_LABELS evenly spread category indices, always the first and the last."""
    if count <= MAX_X_LABELS:
        return list(range(count))
    step = (count - 1) / (MAX_X_LABELS - 1)
    return sorted({round(step * n) for n in range(MAX_X_LABELS)})


def _shorten(label: str) -> str:
    if len(label) <= BAR_LABEL_CHARS:
        return label
    return label[: BAR_LABEL_CHARS - 1].rstrip() + "…"


def _chart_id(kind: str, title: str, data: object) -> str:
    """An id stable for the same chart, so the page's HTML does not change between renders."""
    digest = hashlib.sha1(f"{kind}|{title}|{data!r}".encode(), usedforsecurity=False)
    return f"chart-{digest.hexdigest()[:10]}"


def _default_format(value: float) -> str:
    if float(value).is_integer():
        return str(format_decimal(int(value)))
    return str(format_decimal(value, format="#,##0.#"))
