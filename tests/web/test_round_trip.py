"""Our DCAT endpoint read by our own `dcat` harvester: the demo catalog's /catalog.ttl (and .rdf,
.jsonld, .nt), served on 127.0.0.1, harvested page by page along hydra:next into a second, empty
catalog. Every public dataset arrives, and its stored graph there is the same graph
(isomorphic) as in the catalog it came from: normalising and splitting again changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from sqlalchemy import select
from werkzeug.serving import make_server

from catalog.models import DatasetRecord, JobStatus, RecordStatus, ValidationState
from catalog.organizations import get_source_by_name
from catalog.publication import public_records
from catalog.settings import Settings, settings_from_mapping
from catalog.setup import initialise, open_current_store
from catalog.store import Store
from dcat.parsing import parse_rdf
from harvesters.service import harvest_sources
from tests.conftest import REPO
from web import create_app

PAGE_SIZE = 10


@pytest.fixture(scope="module")
def portal(demo: tuple[Settings, Store]) -> Iterator[tuple[str, Settings]]:
    """The demo app on a real HTTP server; its base_url is the server's, so hydra:next links
    lead back to it (the stored dataset IRIs keep the demo's own base)."""
    settings, store = demo
    app: dict[str, Callable[..., Any]] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: app["wsgi"](env, start), threaded=True)
    address = f"http://127.0.0.1:{server.server_port}"
    served = settings.model_copy(
        update={"catalog": settings.catalog.model_copy(update={"base_url": address})}
    )
    app["wsgi"] = create_app(served, store=store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address, served
    server.shutdown()


def _second_catalog(data_dir: Path, url: str) -> Settings:
    """The demo's config with a fresh data_dir and one source: the first catalog's endpoint."""
    raw = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    raw["storage"] = {"data_dir": str(data_dir)}
    raw["harvest"] = {**raw["harvest"], "allow_private_networks": True, "retries": 1}
    raw["sources"] = [
        {"name": "musterstadt", "type": "dcat", "url": url, "organization": "umweltamt"}
    ]
    return settings_from_mapping(raw, base_dir=REPO, env={})


@pytest.fixture(scope="module", params=["ttl", "rdf", "jsonld", "nt"])
def harvested(
    request: pytest.FixtureRequest,
    portal: tuple[str, Settings],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Store]:
    """A second catalog that harvested the first one's /catalog.{ext}, in each format."""
    address, _ = portal
    settings = _second_catalog(
        tmp_path_factory.mktemp("second"),
        f"{address}/catalog.{request.param}?page_size={PAGE_SIZE}",
    )
    initialise(settings)
    store = open_current_store(settings)
    source = get_source_by_name(store, "musterstadt")
    assert source is not None
    (outcome,) = harvest_sources(store, settings, [source])
    assert outcome.status == JobStatus.DONE, (outcome.message, outcome.counts)
    yield store
    store.close()


def _graphs_by_uri(records: Iterable[DatasetRecord]) -> dict[str, Graph]:
    return {
        record.uri: parse_rdf(record.graph, content_type="application/n-triples")
        for record in records
    }


def _difference(original: Graph, copy: Graph) -> str:
    _, only_original, only_copy = graph_diff(to_isomorphic(original), to_isomorphic(copy))
    lines = [f"- {' '.join(term.n3() for term in triple)}" for triple in sorted(only_original)]
    lines += [f"+ {' '.join(term.n3() for term in triple)}" for triple in sorted(only_copy)]
    return "\n".join(lines)


def test_every_public_dataset_arrives_valid_and_published(
    demo: tuple[Settings, Store], harvested: Store
) -> None:
    settings, store = demo
    originals = {record.uri for record in public_records(store, settings)}
    with harvested.reading() as session:
        copies = {record.uri: record for record in session.scalars(select(DatasetRecord))}
    assert set(copies) == originals
    assert all(record.status == RecordStatus.PUBLISHED for record in copies.values())
    assert all(record.validation_state == ValidationState.VALID for record in copies.values())


def test_every_harvested_graph_is_isomorphic_to_its_original(
    demo: tuple[Settings, Store], harvested: Store
) -> None:
    settings, store = demo
    originals = _graphs_by_uri(public_records(store, settings))
    with harvested.reading() as session:
        copies = _graphs_by_uri(session.scalars(select(DatasetRecord)))
    assert len(originals) == len(copies) == 55  # the demo's valid records

    differing = {
        uri: _difference(graph, copies[uri])
        for uri, graph in originals.items()
        if not isomorphic(graph, copies[uri])
    }
    assert not differing, "\n\n".join(f"{uri}\n{diff}" for uri, diff in differing.items())
