"""/catalog.ttl narrowed by q, theme, format, keyword and licence, paged like the whole catalog."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from catalog.publication import public_records
from catalog.search.documents import Names, index_document
from catalog.settings import Settings
from catalog.store import Store
from dcat.namespaces import DCAT, HYDRA
from dcat.parsing import parse_rdf


def _walk(demo_client: FlaskClient, first: str, base_url: str) -> list[Graph]:
    pages, url, seen = [], first, set()
    while url:
        assert url not in seen
        seen.add(url)
        response = demo_client.get(url.removeprefix(base_url))
        assert response.status_code == 200, response.data[:300]
        graph = parse_rdf(response.data, content_type="text/turtle")
        pages.append(graph)
        following = [str(o) for o in graph.objects(None, HYDRA.next)]
        url = following[0] if following else ""
    return pages


def _listed(pages: list[Graph]) -> list[str]:
    return [str(o) for page in pages for o in page.objects(None, DCAT.dataset)]


def _expected(demo: tuple[Settings, Store], facet: str, value: str) -> set[str]:
    settings, store = demo
    names = Names.load(store)
    found = set()
    for record in public_records(store, settings):
        document = index_document(record, names)
        if value in getattr(document, facet):
            found.add(record.uri)
    return found


@pytest.mark.parametrize(
    ("parameter", "value", "facet", "expected_value"),
    [
        ("theme", "ENVI", "themes", "ENVI"),
        (
            "theme",
            "http://publications.europa.eu/resource/authority/data-theme/TRAN",
            "themes",
            "TRAN",
        ),
        ("format", "csv", "formats", "CSV"),
        ("keyword", "Energie", "keywords", "Energie"),
    ],
)
def test_a_filter_lists_exactly_its_datasets_once_across_pages(
    demo_client: FlaskClient,
    demo: tuple[Settings, Store],
    parameter: str,
    value: str,
    facet: str,
    expected_value: str,
) -> None:
    settings, _ = demo
    base = settings.catalog.base_url
    pages = _walk(demo_client, f"{base}/catalog.ttl?page_size=4&{parameter}={value}", base)
    listed = _listed(pages)
    expected = _expected(demo, facet, expected_value)
    assert (expected and len(pages) > 1) or len(expected) <= 4
    assert sorted(listed) == sorted(expected)
    assert len(listed) == len(set(listed))


def test_free_text_and_filters_combine(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, _ = demo
    base = settings.catalog.base_url
    everything = _listed(_walk(demo_client, f"{base}/catalog.ttl?page_size=100&q=Baum", base))
    assert any(uri.endswith("baumkataster") or "baum" in uri for uri in everything)
    narrowed = _listed(
        _walk(demo_client, f"{base}/catalog.ttl?page_size=100&q=Baum&theme=ENVI&format=CSV", base)
    )
    assert set(narrowed) <= set(everything)
    nothing = _listed(_walk(demo_client, f"{base}/catalog.ttl?q=qxzzyvv", base))
    assert nothing == []


def test_a_broken_cursor_is_a_clear_400(demo_client: FlaskClient) -> None:
    response = demo_client.get("/catalog.ttl?theme=ENVI&page=%%%")
    assert response.status_code == 400
