"""Bounding boxes in longitude and latitude: read from a place's WKT or GeoJSON, and written.

The search index, the dataset page's map and the CKAN API's `spatial` all need a dataset's
extent as four numbers; this module is the one place that reads them out of dct:spatial.
Only WGS 84 is read: CRS84 or no CRS (longitude first, as GeoSPARQL's default) and EPSG:4326
written as its IRI (latitude first, as the EPSG axis order says). A geometry in another
reference system (a city's UTM coordinates) gives no box: transforming it needs a projection
library this catalog does without.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dcat.view import LocationView

CRS84_IRIS = frozenset(
    {
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "https://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84h",
    }
)
# EPSG:4326 as an IRI: the same datum, latitude before longitude.
EPSG_4326_IRIS = frozenset(
    {
        "http://www.opengis.net/def/crs/EPSG/0/4326",
        "https://www.opengis.net/def/crs/EPSG/0/4326",
    }
)
_WKT_CRS = re.compile(r"^\s*<([^>]*)>\s*")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_WKT_KIND = re.compile(r"^\s*([A-Za-z]+)")
_WKT_KINDS = frozenset(
    {
        "POINT",
        "LINESTRING",
        "POLYGON",
        "MULTIPOINT",
        "MULTILINESTRING",
        "MULTIPOLYGON",
        "ENVELOPE",
        "GEOMETRYCOLLECTION",
    }
)


class BoundingBoxError(ValueError):
    """A box a person typed that cannot be one; `german` and `english` say why."""

    def __init__(self, german: str, english: str) -> None:
        super().__init__(english)
        self.german = german
        self.english = english


@dataclass(frozen=True)
class BoundingBox:
    """West, south, east, north in decimal degrees (WGS 84); west <= east, south <= north.

    Boxes across the antimeridian are not represented: no German city's data crosses it.
    """

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        values = (self.west, self.south, self.east, self.north)
        if not all(math.isfinite(value) for value in values):
            raise ValueError(f"bounding box with a non-finite coordinate: {values}")
        if not (-180 <= self.west <= self.east <= 180 and -90 <= self.south <= self.north <= 90):
            raise ValueError(f"not a bounding box in longitude and latitude: {values}")

    def intersects(self, other: BoundingBox) -> bool:
        """True when the boxes share a point, their edges included."""
        return (
            self.west <= other.east
            and self.east >= other.west
            and self.south <= other.north
            and self.north >= other.south
        )

    def union(self, other: BoundingBox) -> BoundingBox:
        return BoundingBox(
            min(self.west, other.west),
            min(self.south, other.south),
            max(self.east, other.east),
            max(self.north, other.north),
        )

    def as_geojson(self) -> dict[str, Any]:
        """A GeoJSON geometry: a Point for a box of no size, else the box's Polygon."""
        if self.west == self.east and self.south == self.north:
            return {"type": "Point", "coordinates": [self.west, self.south]}
        ring = [
            [self.west, self.south],
            [self.east, self.south],
            [self.east, self.north],
            [self.west, self.north],
            [self.west, self.south],
        ]
        return {"type": "Polygon", "coordinates": [ring]}

    def as_parameter(self) -> str:
        """The `bbox=` form: minlon,minlat,maxlon,maxlat."""
        return ",".join(f"{value:g}" for value in (self.west, self.south, self.east, self.north))


def bounding_box_of_points(points: Iterable[tuple[float, float]]) -> BoundingBox | None:
    """The box around (longitude, latitude) points; None without points or outside WGS 84."""
    listed = list(points)
    if not listed:
        return None
    longitudes = [x for x, _ in listed]
    latitudes = [y for _, y in listed]
    try:
        return BoundingBox(min(longitudes), min(latitudes), max(longitudes), max(latitudes))
    except ValueError:
        return None


def bounding_box_of_wkt(text: str) -> BoundingBox | None:
    """The box around a WKT geometry (GeoSPARQL literal, CRS IRI first if any)."""
    crs = _WKT_CRS.match(text)
    body = text[crs.end() :] if crs else text
    kind = _WKT_KIND.match(body)
    if kind is None or kind.group(1).upper() not in _WKT_KINDS:
        return None
    iri = crs.group(1).strip() if crs else None
    if iri is not None and iri not in CRS84_IRIS and iri not in EPSG_4326_IRIS:
        return None
    if kind.group(1).upper() == "ENVELOPE":
        # ENVELOPE(minX, maxX, maxY, minY), as CQL and Solr write it.
        numbers = [float(n) for n in _NUMBER.findall(body)]
        if len(numbers) != 4:
            return None
        west, east, north, south = numbers
        pairs = [(west, south), (east, north)]
    else:
        pairs = list(_coordinate_pairs(body))
    if iri in EPSG_4326_IRIS:
        pairs = [(longitude, latitude) for latitude, longitude in pairs]
    return bounding_box_of_points(pairs)


def bounding_box_of_geojson(text: str) -> BoundingBox | None:
    """The box around a GeoJSON geometry (RFC 7946: longitude, latitude)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    geometries = data.get("geometries") if data.get("type") == "GeometryCollection" else [data]
    points: list[tuple[float, float]] = []
    for geometry in geometries or []:
        if isinstance(geometry, dict):
            points.extend(_geojson_positions(geometry.get("coordinates")))
    return bounding_box_of_points(points)


def bounding_box_of_geometry(text: str | None) -> BoundingBox | None:
    """WKT or GeoJSON, whichever the text is; None for anything else."""
    if not text or not text.strip():
        return None
    if text.lstrip().startswith("{"):
        return bounding_box_of_geojson(text)
    return bounding_box_of_wkt(text)


def bounding_box_of_places(geometries: Iterable[str | None]) -> BoundingBox | None:
    """The box around every readable geometry given (a dataset's places together)."""
    found: BoundingBox | None = None
    for text in geometries:
        box = bounding_box_of_geometry(text)
        if box is not None:
            found = box if found is None else found.union(box)
    return found


def bounding_box_of_locations(locations: Iterable[LocationView]) -> BoundingBox | None:
    """The box around a dataset's dct:Locations: each one's bbox, else geometry or centroid."""
    return bounding_box_of_places(
        location.bbox or location.geometry or location.centroid for location in locations
    )


def parse_bbox_parameter(text: str) -> BoundingBox:
    """`minlon,minlat,maxlon,maxlat` as typed into a URL (CKAN's ext_bbox, our bbox=)."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 4:
        raise BoundingBoxError(
            "Ein Gebiet braucht vier durch Kommas getrennte Zahlen: "
            "West, Süd, Ost, Nord (z. B. 13.09,52.34,13.76,52.68).",
            "An area needs four numbers separated by commas: "
            "west, south, east, north (e.g. 13.09,52.34,13.76,52.68).",
        )
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise BoundingBoxError(
            f"„{text}“ enthält etwas, das keine Zahl ist: Dezimalstellen mit Punkt angeben "
            "(West, Süd, Ost, Nord).",
            f"“{text}” contains something that is not a number: write decimals with a point "
            "(west, south, east, north).",
        ) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BoundingBoxError("Koordinaten müssen endlich sein.", "Coordinates must be finite.")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BoundingBoxError(
            "Längengrade (West, Ost) liegen zwischen -180 und 180.",
            "Longitudes (west, east) lie between -180 and 180.",
        )
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BoundingBoxError(
            "Breitengrade (Süd, Nord) liegen zwischen -90 und 90.",
            "Latitudes (south, north) lie between -90 and 90.",
        )
    if west > east or south > north:
        raise BoundingBoxError(
            "Die Reihenfolge ist West, Süd, Ost, Nord: West darf nicht östlich von Ost "
            "und Süd nicht nördlich von Nord liegen.",
            "The order is west, south, east, north: west may not lie east of east, "
            "nor south north of north.",
        )
    return BoundingBox(west, south, east, north)


def _coordinate_pairs(body: str) -> Iterator[tuple[float, float]]:
    """(x, y) of each WKT position; a third or fourth ordinate (Z, M) is skipped."""
    for position in re.split(r"[(),]", body):
        numbers = _NUMBER.findall(position)
        if len(numbers) >= 2:
            yield float(numbers[0]), float(numbers[1])


def _geojson_positions(value: Any) -> Iterator[tuple[float, float]]:
    if (
        isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    ):
        yield float(value[0]), float(value[1])
    elif isinstance(value, list):
        for item in value:
            yield from _geojson_positions(item)
