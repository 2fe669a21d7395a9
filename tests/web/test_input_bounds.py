"""Hostile numbers and nesting are refused with a clear error, never a 500: every integer
parameter has a range, path numbers too, JSON bodies a depth, and the CKAN API answers even an
unexpected failure with CKAN's error object."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from catalog.migrate import upgrade_database
from catalog.organizations import sync_organizations
from catalog.settings import settings_from_mapping
from catalog.store import open_store
from tests.conftest import minimal_config
from web import create_app
from web.ckan.actions import ACTIONS
from web.ckan.json_body import MAX_JSON_DEPTH, json_depth

HUGE = "99999999999999999999999"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """One small catalog for the module: nothing here writes to it."""
    tmp_path = tmp_path_factory.mktemp("bounds")
    config = minimal_config(storage={"data_dir": str(tmp_path / "instance")})
    settings = settings_from_mapping(config, base_dir=tmp_path, env={})
    store = open_store(settings.database_url)
    upgrade_database(store)
    sync_organizations(store, settings.organizations)
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    yield app.test_client()
    app.extensions["catalog.search"].close()
    store.close()


def _ckan_error(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["success"] is False
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize("action", ["package_list", "current_package_list_with_resources"])
def test_an_offset_beyond_any_database_integer_is_a_validation_error_naming_it(
    client: FlaskClient, action: str
) -> None:
    error = _ckan_error(client.get(f"/api/3/action/{action}?offset={HUGE}"), 409)
    assert error["__type"] == "Validation Error"
    assert "offset" in error


@pytest.mark.parametrize(
    ("action", "parameter"),
    [
        ("package_list", "limit"),
        ("package_search", "start"),
        ("package_search", "rows"),
        ("package_search", "facet.limit"),
        ("package_search", "facet.mincount"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, "-5", "1.5", "zwei", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠"])
def test_every_integer_parameter_is_range_checked_on_get(
    client: FlaskClient, action: str, parameter: str, value: str
) -> None:
    error = _ckan_error(client.get(f"/api/3/action/{action}", query_string={parameter: value}), 409)
    assert error["__type"] == "Validation Error"
    assert parameter in error


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "1e400", "true", "[1]", HUGE])
@pytest.mark.parametrize("action", ["package_list", "current_package_list_with_resources"])
def test_an_integer_in_a_json_body_is_checked_too(
    client: FlaskClient, action: str, value: str
) -> None:
    response = client.post(
        f"/api/3/action/{action}", data=f'{{"offset": {value}}}', content_type="application/json"
    )
    error = _ckan_error(response, 409)
    assert error["__type"] == "Validation Error"
    assert set(error) & {"offset", "body"}


def test_a_whole_number_within_range_is_still_read(client: FlaskClient) -> None:
    response = client.post(
        "/api/3/action/package_list",
        data='{"offset": 2.0, "limit": "3"}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.get_json()["result"] == []


def test_json_nested_a_thousand_deep_is_a_validation_error(client: FlaskClient) -> None:
    deep = "[" * 1000 + "]" * 1000
    response = client.post(
        "/api/3/action/package_create",
        data=f'{{"name": "tief", "extras": {deep}}}',
        content_type="application/json",
    )
    error = _ckan_error(response, 409)
    assert error["__type"] == "Validation Error"
    assert error["body"][0] == "JSON nested too deeply (at most 32 levels)"  # English by default


def test_json_just_past_the_depth_limit_is_refused_and_at_it_is_read(client: FlaskClient) -> None:
    def nested(depth: int) -> str:
        return json.dumps({"q": "baum", "x": json.loads("[" * (depth - 1) + "]" * (depth - 1))})

    too_deep = client.post(
        "/api/3/action/package_search",
        data=nested(MAX_JSON_DEPTH + 1),
        content_type="application/json",
    )
    assert "body" in _ckan_error(too_deep, 409)
    at_limit = client.post(
        "/api/3/action/package_search", data=nested(MAX_JSON_DEPTH), content_type="application/json"
    )
    assert at_limit.status_code == 200


def test_json_depth_counts_lists_and_objects() -> None:
    assert json_depth("text") == 0
    assert json_depth({}) == 1
    assert json_depth({"a": [{"b": [1]}], "c": 2}) == 4


@pytest.mark.parametrize(
    "fq",
    [
        "metadata_modified:[NOW-99999999999999999999DAYS TO *]",
        "metadata_modified:[NOW-9999999DAYS TO *]",
        "metadata_modified:[NOW+9999999YEARS TO *]",
        "metadata_modified:[* TO 9999-12-31]",
        "metadata_created:{9999-12-31T23:59:59.999999Z TO *]",
    ],
)
def test_date_math_beyond_the_calendar_is_a_search_query_error(
    client: FlaskClient, fq: str
) -> None:
    response = client.get("/api/3/action/package_search", query_string={"fq": fq})
    error = _ckan_error(response, 400)
    assert error["__type"] == "Search Query Error"


@pytest.mark.parametrize("number", [HUGE, "0", "50001"])
def test_a_sitemap_number_out_of_range_is_not_found(client: FlaskClient, number: str) -> None:
    assert client.get(f"/sitemap-datensaetze-{number}.xml").status_code == 404


def test_the_first_sitemap_is_served(client: FlaskClient) -> None:
    assert client.get("/sitemap-datensaetze-1.xml").status_code == 200


@pytest.mark.parametrize("size", ["²", "٣", "1" * 5000, "-1"])
def test_a_page_size_in_other_digits_is_a_bad_request(client: FlaskClient, size: str) -> None:
    assert client.get("/catalog.ttl", query_string={"page_size": size}).status_code == 400


def test_an_unexpected_failure_in_an_action_is_a_ckan_error_object_without_the_traceback(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(_: Any) -> Any:
        raise RuntimeError("geheimes Innenleben")

    monkeypatch.setitem(ACTIONS, "status_show", failing)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/3/action/status_show")
    error = _ckan_error(response, 500)
    assert error["__type"] == "Internal Server Error"
    assert "geheimes" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    logged = [record for record in caplog.records if record.exc_info]
    assert logged and "geheimes Innenleben" in str(logged[0].exc_info[1])


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_wrong_method_on_an_action_is_a_ckan_error_object(
    client: FlaskClient, method: str
) -> None:
    error = _ckan_error(client.open("/api/3/action/package_list", method=method), 405)
    assert error["message"]


def test_public_pages_keep_html_errors(client: FlaskClient) -> None:
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
