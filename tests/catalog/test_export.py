"""`catalog export`: the whole public catalog in each format, streamed record by record, equal
to the catalog record plus every public record's own graph (blank nodes kept apart)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from catalog.export import export_chunks
from catalog.publication import catalog_description, public_records
from catalog.settings import Settings
from catalog.store import Store
from cli.commands import cli
from dcat.catalog_graph import catalog_graph
from dcat.namespaces import DCAT
from dcat.parsing import parse_rdf
from dcat.serialise import MEDIA_TYPES, known_contexts
from tests.conftest import REPO


def _expected(store: Store, settings: Settings) -> Graph:
    records = list(public_records(store, settings))
    expected = catalog_graph(catalog_description(settings), [record.uri for record in records])
    for record in records:  # each parsed on its own: its blank nodes are its own
        expected += parse_rdf(record.graph, content_type="application/n-triples")
    return expected


@pytest.mark.parametrize("fmt", ["ttl", "nt", "rdf", "jsonld"])
def test_the_export_is_the_catalog_and_every_public_record(
    demo: tuple[Settings, Store], fmt: str
) -> None:
    settings, store = demo
    document = b"".join(export_chunks(store, settings, fmt))

    exported = parse_rdf(
        document,
        content_type=MEDIA_TYPES[fmt],
        known_contexts=known_contexts(settings.catalog.base_url),
    )

    expected = _expected(store, settings)
    assert len(exported) == len(expected)
    assert isomorphic(exported, expected)
    catalog = URIRef(catalog_description(settings).uri)
    assert len(list(exported.objects(catalog, DCAT.dataset))) == 55  # the demo's valid records


def test_the_command_writes_the_export_to_stdout(demo: tuple[Settings, Store]) -> None:
    settings, _ = demo
    env = {"CATALOG_CONFIG": str(REPO / "config.yaml"), "CATALOG_DATA_DIR": str(settings.data_dir)}

    result = CliRunner().invoke(cli, ["export", "--format", "nt"], env=env)

    assert result.exit_code == 0, result.output
    graph = parse_rdf(result.stdout_bytes, content_type="application/n-triples")
    assert len(list(graph.subjects(None, DCAT.Dataset))) == 55
