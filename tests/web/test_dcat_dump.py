"""/catalog/dump.{ext} on the harvested demo catalog: the same graph as `catalog export` in every
format, streamed, with CORS, a filename, and a weak ETag that answers 304 until a record changes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.compare import isomorphic
from sqlalchemy import select

from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.records import Actor, set_record_status
from catalog.settings import Settings
from catalog.store import Store
from cli.commands import cli
from dcat.namespaces import DCAT
from dcat.parsing import parse_rdf
from dcat.serialise import MEDIA_TYPES, known_contexts
from tests.conftest import REPO

FORMATS = ["ttl", "rdf", "jsonld", "nt"]


def _exported(settings: Settings, fmt: str) -> bytes:
    env = {"CATALOG_CONFIG": str(REPO / "config.yaml"), "CATALOG_DATA_DIR": str(settings.data_dir)}
    result = CliRunner().invoke(cli, ["export", "--format", fmt], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _parse(body: bytes, fmt: str, settings: Settings) -> Graph:
    return parse_rdf(
        body,
        content_type=MEDIA_TYPES[fmt],
        known_contexts=known_contexts(settings.catalog.base_url),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_dump_is_the_same_graph_as_catalog_export(
    demo_client: FlaskClient, demo: tuple[Settings, Store], fmt: str
) -> None:
    settings, _ = demo
    response = demo_client.get(f"/catalog/dump.{fmt}")

    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPES[fmt]
    dumped = _parse(response.data, fmt, settings)
    exported = _parse(_exported(settings, fmt), fmt, settings)
    assert len(dumped) == len(exported)
    assert isomorphic(dumped, exported)
    assert len(set(dumped.subjects(None, DCAT.Dataset))) == 55  # the demo's valid records


def test_the_body_is_still_unread_when_the_view_returns(demo_app: Flask) -> None:
    # Nothing may collect the dump before sending it: werkzeug's make_conditional would, to
    # set Content-Length. The server then writes it as it comes, a batch of records at a time.
    with demo_app.test_request_context("/catalog/dump.nt"):
        response = demo_app.full_dispatch_request()
        assert response.status_code == 200
        assert not response.is_sequence
        assert "Content-Length" not in response.headers
        first = next(iter(response.response))
        assert first.startswith(b"<")
        etag = response.headers["ETag"]
    with demo_app.test_request_context("/catalog/dump.nt", headers={"If-None-Match": etag}):
        unchanged = demo_app.full_dispatch_request()
        assert unchanged.status_code == 304
        assert unchanged.is_sequence and unchanged.get_data() == b""


def test_the_dump_is_open_to_other_sites_and_named_for_saving(demo_client: FlaskClient) -> None:
    response = demo_client.get("/catalog/dump.ttl")

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Disposition"] == 'inline; filename="katalog.ttl"'
    assert response.headers["ETag"].startswith('W/"')
    assert response.last_modified is not None
    assert "public" in response.headers["Cache-Control"]


def test_a_current_etag_gets_304_without_a_body_and_each_format_has_its_own(
    demo_client: FlaskClient,
) -> None:
    first = demo_client.get("/catalog/dump.nt")
    etag = first.headers["ETag"]

    again = demo_client.get("/catalog/dump.nt", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert demo_client.get("/catalog/dump.ttl").headers["ETag"] != etag
    stale = demo_client.get("/catalog/dump.nt", headers={"If-None-Match": 'W/"dump-0"'})
    assert stale.status_code == 200 and stale.data
    since = demo_client.get(
        "/catalog/dump.nt", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_head_answers_the_headers_only(demo_client: FlaskClient) -> None:
    response = demo_client.head("/catalog/dump.jsonld")
    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPES["jsonld"]
    assert response.data == b""


def test_a_withdrawn_record_changes_the_etag_and_leaves_the_dump(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    with store.reading() as session:
        record = session.scalars(
            select(DatasetRecord).where(
                DatasetRecord.status == RecordStatus.PUBLISHED,
                DatasetRecord.validation_state == ValidationState.VALID,
            )
        ).first()
    assert record is not None
    before = demo_client.get("/catalog/dump.nt")
    actor = Actor(label="test")

    set_record_status(store, record.id, RecordStatus.WITHDRAWN, actor=actor)
    try:
        after = demo_client.get(
            "/catalog/dump.nt", headers={"If-None-Match": before.headers["ETag"]}
        )
        assert after.status_code == 200
        assert after.headers["ETag"] != before.headers["ETag"]
        subjects = {str(s) for s in _parse(after.data, "nt", settings).subjects(None, DCAT.Dataset)}
        assert record.uri not in subjects and len(subjects) == 54
    finally:
        set_record_status(store, record.id, RecordStatus.PUBLISHED, actor=actor)
    restored = demo_client.get("/catalog/dump.nt", headers={"If-None-Match": after.headers["ETag"]})
    assert restored.status_code == 200  # publishing again is a change too


def test_unknown_extensions_are_not_found(demo_client: FlaskClient) -> None:
    assert demo_client.get("/catalog/dump.xls").status_code == 404
    assert demo_client.get("/catalog/dump.").status_code == 404
    assert demo_client.get("/catalog/dump").status_code == 404
