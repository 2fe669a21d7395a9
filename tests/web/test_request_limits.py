"""Request bodies above web.max_request_bytes are refused with 413, whether they announce their
length or come chunked: a CKAN error object on the API, a German/English page elsewhere."""

from __future__ import annotations

import http.client
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.migrate import upgrade_database
from catalog.organizations import sync_organizations
from catalog.settings import Settings, settings_from_mapping
from catalog.store import open_store
from tests.conftest import minimal_config
from tests.servers import served
from web import create_app

LIMIT = 4096
SEARCH = "/api/3/action/package_search"


def _app(tmp_path: Path, **web: Any) -> Iterator[Flask]:
    config = minimal_config(storage={"data_dir": str(tmp_path / "instance")}, web=web)
    settings: Settings = settings_from_mapping(config, base_dir=tmp_path, env={})
    store = open_store(settings.database_url)
    upgrade_database(store)
    sync_organizations(store, settings.organizations)
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    yield app
    app.extensions["catalog.search"].close()
    store.close()


@pytest.fixture(scope="module")
def small_limit_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The catalog with a 4 KB limit, so bodies on either side of it stay small."""
    yield from _app(tmp_path_factory.mktemp("limits"), max_request_bytes=LIMIT)


@pytest.fixture
def small_limit_client(small_limit_app: Flask) -> FlaskClient:
    return small_limit_app.test_client()


def _json_body(size: int) -> bytes:
    """A package_search body of exactly `size` bytes."""
    empty = len(json.dumps({"q": "", "fl": ""}))
    body = json.dumps({"q": "", "fl": " " * (size - empty)}).encode()
    assert len(body) == size
    return body


def _chunked_post(address: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
    """A POST without Content-Length, in chunks of 1 KB (Transfer-Encoding: chunked)."""
    host, port = address.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    chunks = (body[start : start + 1024] for start in range(0, len(body), 1024))
    headers = {"Content-Type": "application/json"}
    try:
        connection.request("POST", path, body=chunks, headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_the_default_limit_refuses_a_two_megabyte_anonymous_search(tmp_path: Path) -> None:
    for app in _app(tmp_path):
        body = b"q=" + b"x" * (2 * 1024 * 1024)
        response = app.test_client().post(
            SEARCH, data=body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 413
        error = response.get_json()["error"]
        assert error["__type"] == "Request Entity Too Large"
        assert "1 MB" in error["message"]


def test_a_body_with_content_length_over_the_limit_is_a_ckan_error(
    small_limit_client: FlaskClient,
) -> None:
    response = small_limit_client.post(
        SEARCH, data=_json_body(LIMIT + 1), content_type="application/json"
    )
    assert response.status_code == 413
    body = response.get_json()
    assert body["success"] is False
    assert (
        body["error"]["message"] == "Request too large, at most 4 KB"
    )  # English, as CKAN clients expect


def test_a_body_of_exactly_the_limit_is_answered(small_limit_client: FlaskClient) -> None:
    response = small_limit_client.post(
        SEARCH, data=_json_body(LIMIT), content_type="application/json"
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_chunked_body_over_the_limit_is_refused_by_a_real_server(small_limit_app: Flask) -> None:
    with served(small_limit_app) as address:
        status, body = _chunked_post(address, SEARCH, _json_body(16 * LIMIT))
    assert status == 413
    assert body["success"] is False
    assert body["error"]["__type"] == "Request Entity Too Large"


def test_a_chunked_body_within_the_limit_is_read_whole(small_limit_app: Flask) -> None:
    # A truncated body would be invalid JSON (409): a 200 means all of it arrived.
    with served(small_limit_app) as address:
        status, body = _chunked_post(address, SEARCH, _json_body(LIMIT))
    assert status == 200, body
    assert body["success"] is True


def test_a_chunked_body_over_the_limit_is_refused_in_the_test_client_too(
    small_limit_client: FlaskClient,
) -> None:
    response = small_limit_client.post(
        SEARCH,
        input_stream=io.BytesIO(_json_body(2 * LIMIT)),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn sets it
    )
    assert response.status_code == 413
    assert response.get_json()["success"] is False


def test_a_steward_form_over_the_limit_gets_a_page_naming_the_limit(
    small_limit_client: FlaskClient,
) -> None:
    response = small_limit_client.post(
        "/verwaltung/anmelden", data={"username": "anna", "password": "x" * LIMIT}
    )
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Anfrage zu groß" in page
    assert "höchstens 4 KB" in page
    assert "at most 4 KB" not in page  # one language per page


def test_a_body_over_the_limit_is_refused_where_the_view_never_reads_it(
    small_limit_client: FlaskClient,
) -> None:
    response = small_limit_client.open(
        "/suche", method="GET", data=b"x" * (LIMIT + 1), content_type="text/plain"
    )
    assert response.status_code == 413
