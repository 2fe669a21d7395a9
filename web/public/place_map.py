"""The dataset page's small map: the dataset's bounding box over an outline of Germany.

Drawn here as inline SVG, so the page asks no other host for tiles or scripts (a visitor's
address reaches no map provider) and works without JavaScript. The outline is Natural Earth's
(public domain, web/public/maps/SOURCES.txt). Longitudes are squeezed by the cosine of the
middle latitude, so Germany keeps its shape without a projection library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import format_decimal, gettext
from markupsafe import Markup, escape

from dcat.bounding_box import BoundingBox

OUTLINE_FILE = Path(__file__).parent / "maps" / "germany.json"
WIDTH = 240
PADDING = 0.04  # of the frame's size, on each side
# A box smaller than this many pixels also gets a dot at its middle, so it can be found.
SMALL_BOX = 6.0


@dataclass(frozen=True)
class PlaceMap:
    """What the page shows: the SVG and the sentence that says the same in words."""

    svg: Markup
    extent_text: str
    box: BoundingBox


@cache
def germany_outline() -> tuple[tuple[tuple[float, float], ...], ...]:
    """The rings of Germany's outline, (longitude, latitude) each."""
    data = json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    return tuple(tuple((x, y) for x, y in ring) for ring in data["rings"])


@cache
def germany_box() -> BoundingBox:
    points = [point for ring in germany_outline() for point in ring]
    return BoundingBox(
        min(x for x, _ in points),
        min(y for _, y in points),
        max(x for x, _ in points),
        max(y for _, y in points),
    )


def extent_text(box: BoundingBox) -> str:
    """ "Räumliche Ausdehnung: 13,09° bis 13,76° Ost, 52,34° bis 52,68° Nord" in the page's
    language and number format."""
    longitudes = _span(box.west, box.east, gettext("Ost"), gettext("West"))
    latitudes = _span(box.south, box.north, gettext("Nord"), gettext("Süd"))
    return gettext(
        "Räumliche Ausdehnung: %(longitudes)s, %(latitudes)s",
        longitudes=longitudes,
        latitudes=latitudes,
    )


def place_map(box: BoundingBox) -> PlaceMap:
    """The map of one box, framed to show all of Germany and all of the box."""
    frame = _padded(germany_box().union(box))
    squeeze = math.cos(math.radians((frame.south + frame.north) / 2))
    scale = WIDTH / ((frame.east - frame.west) * squeeze)
    height = round((frame.north - frame.south) * scale)

    def point(longitude: float, latitude: float) -> tuple[float, float]:
        return ((longitude - frame.west) * squeeze * scale, (frame.north - latitude) * scale)

    outline = " ".join(
        "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (point(*p) for p in ring)) + " Z"
        for ring in germany_outline()
    )
    left, top = point(box.west, box.north)
    right, bottom = point(box.east, box.south)
    text = extent_text(box)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="place-map-svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="place-map-title place-map-desc">',
        f'<title id="place-map-title">{escape(text)}</title>',
        f'<desc id="place-map-desc">{escape(_description())}</desc>',
        f'<path class="place-map-outline" d="{outline}"/>',
        f'<rect class="place-map-box" x="{left:.1f}" y="{top:.1f}" '
        f'width="{max(right - left, 1):.1f}" height="{max(bottom - top, 1):.1f}"/>',
    ]
    if right - left < SMALL_BOX and bottom - top < SMALL_BOX:
        middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
        parts.append(
            f'<circle class="place-map-dot" cx="{middle_x:.1f}" cy="{middle_y:.1f}" r="4"/>'
        )
    parts.append("</svg>")
    return PlaceMap(svg=Markup("".join(parts)), extent_text=text, box=box)


def _description() -> str:
    return gettext("Das Gebiet des Datensatzes als Rechteck über dem Umriss Deutschlands.")


def _span(low: float, high: float, positive: str, negative: str) -> str:
    if (low < 0) == (high < 0):
        side = negative if high < 0 else positive
        return gettext(
            "%(low)s bis %(high)s %(side)s",
            low=_degrees(abs(low) if high < 0 else low),
            high=_degrees(abs(high) if high < 0 else high),
            side=side,
        )
    return gettext(
        "%(low)s %(low_side)s bis %(high)s %(high_side)s",
        low=_degrees(abs(low)),
        low_side=negative,
        high=_degrees(high),
        high_side=positive,
    )


def _degrees(value: float) -> str:
    return format_decimal(value, format="0.00##") + "°"


def _padded(box: BoundingBox) -> BoundingBox:
    dx = (box.east - box.west) * PADDING
    dy = (box.north - box.south) * PADDING
    return BoundingBox(
        max(box.west - dx, -180),
        max(box.south - dy, -90),
        min(box.east + dx, 180),
        min(box.north + dy, 90),
    )
