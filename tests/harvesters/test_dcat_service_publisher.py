"""A DCAT source's data service keeps its own dct:publisher through the whole harvest (fetch,
split, normalise, store): the catalog never replaces it by the dataset's or drops it."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from catalog.records import get_record_by_uri
from catalog.store import Store
from dcat.namespaces import DCAT, DCT, FOAF, RDF
from dcat.parsing import parse_rdf
from tests.harvesters.conftest import run_source, source_settings
from tests.harvesters.recorded import RecordedServer, Route

FILE = Path(__file__).resolve().parents[1] / "data" / "dcat" / "service_publisher.ttl"


def test_a_harvested_service_keeps_its_publisher(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    server.routes["/geo/catalog.ttl"] = Route(FILE.read_bytes())
    settings = source_settings(
        tmp_path, [{"name": "geo", "type": "dcat", "url": server.url("/geo/catalog.ttl")}]
    )
    run_source(store, settings, "geo")
    record = get_record_by_uri(store, "https://geo.example/dataset/bebauungsplaene")
    assert record is not None
    graph = parse_rdf(record.graph.encode(), content_type="application/n-triples")
    (service,) = graph.subjects(RDF.type, DCAT.DataService)
    (agent,) = graph.objects(service, DCT.publisher)
    assert graph.value(agent, FOAF.name) == Literal("Landesamt für Geoinformation")
