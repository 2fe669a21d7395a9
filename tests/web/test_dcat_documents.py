"""The DCAT documents other portals harvest, on the harvested Musterstadt demo catalog: every
page conforms to the official DCAT-AP.de 2.0 shapes, paging reaches every public record once."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from sqlalchemy import select

from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.settings import Settings
from catalog.store import Store
from dcat.namespaces import DCAT, HYDRA
from dcat.parsing import parse_rdf
from dcat.serialise import known_contexts
from tests.dcat.official_shapes import (
    official_report,
    requires_shared,
    with_imported_vocabularies,
)


def _public_uris(store: Store) -> set[str]:
    with store.reading() as session:
        query = select(DatasetRecord.uri).where(
            DatasetRecord.status == RecordStatus.PUBLISHED,
            DatasetRecord.validation_state.in_([ValidationState.VALID, ValidationState.WARNINGS]),
        )
        return set(session.scalars(query))


def _parse(body: bytes, media_type: str, base_url: str) -> Graph:
    return parse_rdf(body, content_type=media_type, known_contexts=known_contexts(base_url))


def _local(url: str, base_url: str) -> str:
    return url.removeprefix(base_url)


def _walk(
    demo_client: FlaskClient, first: str, base_url: str, *, legacy: bool = False
) -> list[Graph]:
    pages, url, seen = [], first, set()
    while url is not None:
        assert url not in seen
        seen.add(url)
        response = demo_client.get(_local(url, base_url))
        assert response.status_code == 200, response.data[:300]
        graph = _parse(response.data, response.mimetype, base_url)
        pages.append(graph)
        link = HYDRA.nextPage if legacy else HYDRA.next
        following = list(graph.objects(None, link))
        assert len(following) <= 1
        url = str(following[0]) if following else None
    return pages


@requires_shared
def test_every_catalog_page_conforms_to_the_official_shapes_and_lists_each_record_once(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    base_url = settings.catalog.base_url
    pages = _walk(demo_client, f"{base_url}/catalog.ttl?page_size=10", base_url)

    listed = [str(uri) for page in pages for uri in page.objects(None, DCAT.dataset)]
    assert len(listed) == len(set(listed))
    assert set(listed) == _public_uris(store)
    assert len(pages) == -(-len(listed) // 10)
    for number, page in enumerate(pages, start=1):
        report = official_report(with_imported_vocabularies(page))
        assert report.violations == 0, (number, report.messages[:5])


@pytest.mark.parametrize("ext", ["rdf", "jsonld", "nt"])
def test_the_other_formats_page_the_same_records(
    demo_client: FlaskClient, demo: tuple[Settings, Store], ext: str
) -> None:
    settings, store = demo
    base_url = settings.catalog.base_url
    pages = _walk(demo_client, f"{base_url}/catalog.{ext}?page_size=25", base_url)
    listed = {str(uri) for page in pages for uri in page.objects(None, DCAT.dataset)}
    assert listed == _public_uris(store)


def test_the_legacy_paged_collection_is_offered_too(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    base_url = settings.catalog.base_url
    pages = _walk(
        demo_client, f"{base_url}/catalog.ttl?page_size=20&hydra=legacy", base_url, legacy=True
    )
    assert all((None, HYDRA.nextPage, None) in page for page in pages[:-1])
    assert all(not list(page.triples((None, HYDRA.next, None))) for page in pages)
    listed = {str(uri) for page in pages for uri in page.objects(None, DCAT.dataset)}
    assert listed == _public_uris(store)


def test_a_dataset_document_is_its_stored_graph_with_caching_and_cors(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    with store.reading() as session:
        record = session.scalar(
            select(DatasetRecord).where(DatasetRecord.validation_state == ValidationState.VALID)
        )
    assert record is not None
    stored = parse_rdf(record.graph, content_type="application/n-triples")

    for ext, media_type in [("ttl", "text/turtle"), ("jsonld", "application/ld+json")]:
        response = demo_client.get(f"/dataset/{record.name}.{ext}")
        assert response.status_code == 200
        assert response.mimetype == media_type
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert isomorphic(_parse(response.data, media_type, settings.catalog.base_url), stored)

    etag = demo_client.get(f"/dataset/{record.name}.ttl").headers["ETag"]
    again = demo_client.get(f"/dataset/{record.name}.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_invalid_unknown_and_badly_asked_documents_are_refused(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    with store.reading() as session:
        invalid = session.scalar(
            select(DatasetRecord.name).where(
                DatasetRecord.validation_state == ValidationState.INVALID
            )
        )
    assert invalid is not None  # the demo's deliberate mistakes are stored for their stewards
    assert demo_client.get(f"/dataset/{invalid}.ttl").status_code == 404
    assert demo_client.get("/dataset/gibt-es-nicht.ttl").status_code == 404
    assert demo_client.get("/catalog.xls").status_code == 404
    assert demo_client.get("/catalog.ttl?page_size=5000").status_code == 400
    assert demo_client.get("/catalog.ttl?page=kaputt").status_code == 400
    assert demo_client.get("/catalog.ttl?modified_since=gestern").status_code == 400
    assert demo_client.get("/catalog.ttl?organisation=gibt-es-nicht").status_code == 400


def test_organisation_and_modified_since_narrow_the_catalog(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, _ = demo
    base_url = settings.catalog.base_url
    response = demo_client.get("/catalog.nt?organisation=tiefbauamt&page_size=1000")
    graph = _parse(response.data, response.mimetype, base_url)
    listed = {str(uri) for uri in graph.objects(None, DCAT.dataset)}
    assert listed and all("/tiefbauamt/" in uri for uri in listed)

    future = demo_client.get("/catalog.nt?modified_since=2999-01-01")
    assert not list(_parse(future.data, future.mimetype, base_url).objects(None, DCAT.dataset))
    assert URIRef(f"{base_url}/catalog") in set(
        _parse(future.data, future.mimetype, base_url).subjects()
    )
