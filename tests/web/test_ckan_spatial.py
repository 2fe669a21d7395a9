"""CKAN clients see places as ckanext-spatial shows them: `spatial` GeoJSON, ext_bbox search."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from dcat.ckan.parse import dataset_graph_from_ckan
from dcat.view import dataset_view

DEMO_CITY = [[11.2841, 48.9617], [11.4635, 48.9617], [11.4635, 49.0583], [11.2841, 49.0583]]


def _action(client: FlaskClient, name: str, status: int = 200, **parameters: Any) -> Any:
    response = client.post(f"/api/3/action/{name}", json=parameters)
    assert response.status_code == status, response.data[:500]
    return response.get_json()


def _extras(package: dict[str, Any]) -> dict[str, str]:
    return {extra["key"]: extra["value"] for extra in package["extras"]}


def test_a_package_with_a_box_has_spatial_geojson_and_its_licence(
    demo_client: FlaskClient,
) -> None:
    package = _action(demo_client, "package_show", id="baumkataster")["result"]
    spatial = json.loads(_extras(package)["spatial"])
    assert spatial["type"] == "Polygon"
    assert spatial["coordinates"][0][:4] == DEMO_CITY
    assert package["license_id"].startswith("http://dcat-ap.de/def/licenses/")
    assert package["isopen"] is True


def test_spatial_beside_spatial_coverage_is_read_back_as_one_place(
    demo_client: FlaskClient,
) -> None:
    package = _action(demo_client, "package_show", id="baumkataster")["result"]
    assert package["spatial_coverage"] and "spatial" in _extras(package)
    graph, node = dataset_graph_from_ckan(package)
    assert len(dataset_view(graph, node).locations) == len(package["spatial_coverage"])


def test_a_package_without_a_place_has_no_spatial(demo_client: FlaskClient) -> None:
    found = _action(demo_client, "package_search", q="Bevölkerung", rows=1)["result"]
    assert "spatial" not in _extras(found["results"][0])


def test_ext_bbox_narrows_package_search(demo_client: FlaskClient) -> None:
    everything = _action(demo_client, "package_search", rows=0)["result"]["count"]
    inside = _action(demo_client, "package_search", rows=100, ext_bbox="11.36,49.0,11.38,49.01")
    names = {package["name"] for package in inside["result"]["results"]}
    assert "baumkataster" in names
    assert 0 < inside["result"]["count"] < everything
    in_extras = _action(
        demo_client, "package_search", rows=0, extras={"ext_bbox": "11.36,49.0,11.38,49.01"}
    )
    assert in_extras["result"]["count"] == inside["result"]["count"]
    berlin = _action(demo_client, "package_search", rows=0, ext_bbox="13.09,52.34,13.76,52.68")
    assert berlin["result"]["count"] == 0


@pytest.mark.parametrize("bbox", ["11.36,49.0,11.38", "11.38,49.0,11.36,49.01", "a,b,c,d"])
def test_an_unreadable_ext_bbox_is_a_search_error_saying_why(
    demo_client: FlaskClient, bbox: str
) -> None:
    answer = _action(demo_client, "package_search", status=400, ext_bbox=bbox)
    assert answer["success"] is False
    message = json.dumps(answer["error"], ensure_ascii=False)
    assert "ext_bbox" in message and "west" in message.lower()
