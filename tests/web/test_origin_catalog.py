"""A harvested dataset names the catalog that listed it in its source; the name links to every
public dataset from that catalog, in the results page and in /catalog.ttl."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient
from rdflib import Graph
from sqlalchemy import func, select

from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.settings import Settings
from catalog.store import Store
from dcat.namespaces import DCAT


def _listed(store: Store) -> list[tuple[str, str, str | None]]:
    public = (
        DatasetRecord.status == RecordStatus.PUBLISHED,
        DatasetRecord.validation_state != ValidationState.INVALID,
        DatasetRecord.origin_catalog.is_not(None),
    )
    with store.reading() as session:
        return [
            (name, origin, title)
            for name, origin, title in session.execute(
                select(
                    DatasetRecord.name,
                    DatasetRecord.origin_catalog,
                    DatasetRecord.origin_catalog_title,
                ).where(*public)
            )
        ]


def test_the_dataset_page_names_its_source_catalog_and_links_to_its_datasets(
    demo: tuple[Settings, Store], demo_client: FlaskClient
) -> None:
    _, store = demo
    listed = _listed(store)
    assert listed, "the demo's DCAT source lists its datasets in a catalog"
    name, origin, title = listed[0]
    page = demo_client.get(f"/dataset/{name}").get_data(as_text=True)
    assert "Herkunftskatalog" in page
    link = re.search(r'<a href="([^"]*catalog=[^"]*)"[^>]*>([^<]*)</a>', page)
    assert link is not None
    assert unescape(link.group(2)).strip() == (title or origin)
    results = demo_client.get(unescape(link.group(1))).get_data(as_text=True)
    shown = set(re.findall(r'href="/dataset/([^"?#/]+)"', results))
    same_origin = {n for n, o, _ in listed if o == origin}
    assert shown == same_origin


def test_catalog_ttl_filters_by_the_source_catalog(
    demo: tuple[Settings, Store], demo_client: FlaskClient
) -> None:
    _, store = demo
    listed = _listed(store)
    origin = listed[0][1]
    with store.reading() as session:
        total = session.scalar(select(func.count()).select_from(DatasetRecord)) or 0
    response = demo_client.get("/catalog.ttl", query_string={"catalog": origin, "page_size": 1000})
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    datasets = set(graph.objects(None, DCAT.dataset))
    assert len(datasets) == len([o for _, o, _ in listed if o == origin])
    assert 0 < len(datasets) < total
