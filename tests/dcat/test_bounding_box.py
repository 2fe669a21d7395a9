"""Boxes are read from WKT and GeoJSON in WGS 84 with the axis order each CRS says."""

from __future__ import annotations

import pytest

from dcat.bounding_box import (
    BoundingBox,
    BoundingBoxError,
    bounding_box_of_geometry,
    bounding_box_of_places,
    parse_bbox_parameter,
)

BERLIN = BoundingBox(13.09, 52.34, 13.76, 52.68)


@pytest.mark.parametrize(
    "text",
    [
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> "
        "POLYGON((13.09 52.34, 13.76 52.34, 13.76 52.68, 13.09 52.68, 13.09 52.34))",
        "POLYGON((13.09 52.34,13.76 52.34,13.76 52.68,13.09 52.68,13.09 52.34))",
        "<http://www.opengis.net/def/crs/EPSG/0/4326> "
        "POLYGON((52.34 13.09, 52.34 13.76, 52.68 13.76, 52.68 13.09, 52.34 13.09))",
        "MULTIPOINT Z ((13.09 52.34 30), (13.76 52.68 40))",
        "ENVELOPE(13.09, 13.76, 52.68, 52.34)",
        '{"type": "Polygon", "coordinates": [[[13.09, 52.34], [13.76, 52.34], [13.76, 52.68],'
        " [13.09, 52.68], [13.09, 52.34]]]}",
    ],
)
def test_the_box_is_read_in_longitude_and_latitude(text: str) -> None:
    assert bounding_box_of_geometry(text) == BERLIN


@pytest.mark.parametrize(
    "text",
    [
        # UTM zone 33 (ETRS89): no projection library here, so no box rather than a wrong one.
        "<http://www.opengis.net/def/crs/EPSG/0/25833> POINT(390000 5820000)",
        "POINT(390000 5820000)",
        "nicht WKT",
        "{kein json",
        "",
    ],
)
def test_what_is_not_wgs84_gives_no_box(text: str) -> None:
    assert bounding_box_of_geometry(text) is None


def test_the_places_of_a_dataset_give_one_box_around_all() -> None:
    assert bounding_box_of_places(["POINT(13.4 52.5)", None, "POINT(11.5 48.1)"]) == (
        BoundingBox(11.5, 48.1, 13.4, 52.5)
    )


def test_geojson_of_a_box_is_its_polygon_and_of_a_point_a_point() -> None:
    assert BERLIN.as_geojson()["coordinates"][0][2] == [13.76, 52.68]
    assert BoundingBox(13.4, 52.5, 13.4, 52.5).as_geojson() == {
        "type": "Point",
        "coordinates": [13.4, 52.5],
    }


def test_a_typed_box_is_read_in_the_order_west_south_east_north() -> None:
    assert parse_bbox_parameter(" 13.09, 52.34,13.76 ,52.68") == BERLIN
    assert parse_bbox_parameter(BERLIN.as_parameter()) == BERLIN


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("13.09,52.34,13.76", "four numbers"),
        ("13,09,52,34,13,76,52,68", "four numbers"),
        ("abc,1,2,3", "not a number"),
        ("13.76,52.34,13.09,52.68", "west may not lie east"),
        ("13.09,95,13.76,96", "Latitudes"),
        ("-200,52,13,53", "Longitudes"),
        ("nan,52,13,53", "finite"),
    ],
)
def test_a_typed_box_that_cannot_be_one_says_why(text: str, says: str) -> None:
    with pytest.raises(BoundingBoxError) as raised:
        parse_bbox_parameter(text)
    assert says in raised.value.english
    assert raised.value.german
