"""Geometry rule: one place written twice, as GeoJSON and as WKT, keeps the WKT.

CKAN with ckanext-dcatde writes each dct:Location's shape in both encodings, but DCAT-AP allows
one locn:geometry per place. Only when both name exactly the same coordinates is the GeoJSON
copy removed (the GeoSPARQL WKT literal is the form DCAT-AP recommends); places whose
geometries differ keep all of them, for validation to report.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from rdflib import Graph, Literal

from dcat.namespaces import LOCN
from dcat.normalise.base import Change, NormalisationContext, Rule, remove_object

WKT_LITERAL = "http://www.opengis.net/ont/geosparql#wktLiteral"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WKT_CRS = re.compile(r"^\s*<[^>]*>\s*")


def _geojson_coordinates(text: str) -> list[float] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or "coordinates" not in data:
        return None
    return list(_flatten(data["coordinates"]))


def _flatten(value: Any) -> Iterator[float]:
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)


def _wkt_coordinates(text: str) -> list[float]:
    return [float(number) for number in _NUMBER.findall(_WKT_CRS.sub("", text))]


def _same(first: list[float], second: list[float]) -> bool:
    return len(first) == len(second) > 0 and all(
        math.isclose(a, b, rel_tol=0, abs_tol=1e-9) for a, b in zip(first, second, strict=True)
    )


def drop_duplicate_geojson(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for place in sorted(set(graph.subjects(LOCN.geometry, None)), key=str):
        values = [v for v in graph.objects(place, LOCN.geometry) if isinstance(v, Literal)]
        if len(values) < 2:
            continue  # the common case: nothing to compare, nothing to parse
        wkt = [_wkt_coordinates(str(v)) for v in values if str(v.datatype) == WKT_LITERAL]
        if not wkt:
            continue
        for value in values:
            if str(value.datatype) == WKT_LITERAL:
                continue
            coordinates = _geojson_coordinates(str(value))
            if coordinates is not None and any(_same(coordinates, w) for w in wkt):
                changes.append(
                    remove_object(
                        graph,
                        place,
                        LOCN.geometry,
                        value,
                        GEOMETRY_RULE.name,
                        "dieselbe Geometrie als GeoJSON neben WKT: GeoJSON-Kopie entfernt",
                        "the same geometry as GeoJSON beside WKT: GeoJSON copy removed",
                    )
                )
    return changes


GEOMETRY_RULE = Rule(
    name="duplicate-geometry",
    label_de="Doppelte Geometrie entfernt",
    label_en="duplicate geometry removed",
    description_de=(
        "Ein Ort mit derselben Geometrie als GeoJSON und als WKT behält nur WKT (DCAT-AP "
        "erlaubt eine locn:geometry je Ort)."
    ),
    description_en=(
        "A place with the same geometry as GeoJSON and as WKT keeps only the WKT (DCAT-AP "
        "allows one locn:geometry per place)."
    ),
    apply=drop_duplicate_geojson,
)
