"""A spreadsheet's publisher columns become the row's dct:publisher (a foaf:Agent) exactly as the
sheet names it: an empty cell (or an export's "null") names none, a fallback column is read
only where the publisher's own cell names nobody, and the source's `defaults.publisher` fills
what is still missing; a licence fallback passes over "notspecified"."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from sqlalchemy import select

from catalog.jobs import job_errors
from catalog.models import DatasetRecord
from catalog.store import Store
from dcat.bilingual import Bilingual
from dcat.namespaces import DCT, FOAF
from dcat.parsing import parse_rdf
from harvesters.base import GatherError
from harvesters.spreadsheet import ColumnMapping, SheetRow, row_graph
from harvesters.tabular import TableRow
from tests.harvesters.conftest import run_source, source_settings

ROW = {
    "Titel": "Abfallkalender 2015",
    "Beschreibung": "Abfuhrtermine je Straße.",
    "URL": "https://moers.example/abfall.csv",
    "Lizenz": "dl-zero-de/2.0",
}


def _graph(
    cells: dict[str, str],
    columns: dict[str, str] | None = None,
    fallbacks: dict[str, str] | None = None,
) -> tuple[Graph, URIRef | BNode, list[Bilingual]]:
    cells = {**ROW, **cells}
    mapping = ColumnMapping.build(list(cells), columns or {}, "|", fallbacks)
    row = SheetRow(row=TableRow(number=3, cells=cells), mapping=mapping, file_name="liste.csv")
    notes: list[Bilingual] = []
    graph, node = row_graph(row, "de", notes)
    return graph, node, notes


def _publisher(graph: Graph, node: URIRef | BNode) -> dict[str, str] | None:
    agent = graph.value(node, DCT.publisher)
    if agent is None:
        return None
    return {
        str(predicate).rsplit("/", 1)[-1]: str(value)
        for predicate, value in graph.predicate_objects(agent)
        if predicate != URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    } | ({"uri": str(agent)} if isinstance(agent, URIRef) else {})


def test_a_row_with_a_publisher_cell_names_that_agent() -> None:
    graph, node, notes = _graph(
        {"Herausgeber": "ENNI Stadt & Service"}, columns={"publisher": "Herausgeber"}
    )

    assert notes == []
    agent = graph.value(node, DCT.publisher)
    assert agent is not None
    assert (agent, FOAF.name, Literal("ENNI Stadt & Service")) in graph
    assert graph.value(agent, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")) in {
        FOAF.Agent,
        FOAF.Organization,
    }


@pytest.mark.parametrize("empty", ["", "  ", "null", "NULL"])
def test_a_row_whose_publisher_cell_is_empty_names_no_publisher(empty: str) -> None:
    graph, node, notes = _graph({"Herausgeber": empty})

    assert graph.value(node, DCT.publisher) is None
    assert notes == []


def test_a_sheet_without_publisher_columns_names_no_publisher() -> None:
    graph, node, _ = _graph({})

    assert graph.value(node, DCT.publisher) is None


def test_the_fallback_column_is_read_only_where_the_publisher_cell_names_nobody() -> None:
    columns = {"publisher": "dct:publisher foaf:Agent"}
    fallbacks = {"publisher": "ORG"}
    own, own_node, _ = _graph(
        {"dct:publisher foaf:Agent": "Feuerwehr Düsseldorf", "ORG": "Landeshauptstadt Düsseldorf"},
        columns,
        fallbacks,
    )
    null, null_node, _ = _graph(
        {"dct:publisher foaf:Agent": "null", "ORG": "Landeshauptstadt Düsseldorf"},
        columns,
        fallbacks,
    )

    assert _publisher(own, own_node) == {"name": "Feuerwehr Düsseldorf"}
    assert _publisher(null, null_node) == {"name": "Landeshauptstadt Düsseldorf"}


def test_uri_e_mail_and_homepage_columns_describe_the_publisher() -> None:
    graph, node, notes = _graph(
        {
            "Herausgeber": "Stadt Moers",
            "Herausgeber-URI": "https://www.moers.de/id/stadt",
            "Herausgeber-E-Mail": "opendata@moers.example",
            "Herausgeber-Webseite": "https://www.moers.de",
        }
    )

    assert notes == []
    assert _publisher(graph, node) == {
        "uri": "https://www.moers.de/id/stadt",
        "name": "Stadt Moers",
        "mbox": "mailto:opendata@moers.example",
        "homepage": "https://www.moers.de",
    }


def test_a_portal_reference_gives_the_name_and_a_web_address_the_homepage() -> None:
    columns = {"publisher": "DD Publisher"}
    linked, linked_node, _ = _graph(
        {"DD Publisher": '"Stadt Münster" (https://www.stadt-muenster.de)'}, columns
    )
    by_id, by_id_node, _ = _graph({"DD Publisher": '"Stadtwerke Münster" (40845)'}, columns)

    assert _publisher(linked, linked_node) == {
        "name": "Stadt Münster",
        "homepage": "https://www.stadt-muenster.de",
    }
    assert _publisher(by_id, by_id_node) == {"name": "Stadtwerke Münster"}


def test_an_unreadable_publisher_detail_is_left_out_with_a_warning() -> None:
    graph, node, notes = _graph(
        {"Herausgeber": "Stadt Moers", "Herausgeber-E-Mail": "opendata at moers"}
    )

    assert _publisher(graph, node) == {"name": "Stadt Moers"}
    (note,) = notes
    assert "Spalte 'Herausgeber-E-Mail'" in note.de and "'opendata at moers'" in note.de
    assert "weggelassen" in note.de and "left out" in note.en


def test_publisher_details_without_a_name_are_left_out_and_named() -> None:
    graph, node, notes = _graph({"Herausgeber": "", "Herausgeber-URI": "https://moers.de/id"})

    assert graph.value(node, DCT.publisher) is None
    (note,) = notes
    assert "Herausgeber ohne Namen" in note.de and "publisher without a name" in note.en


def test_a_licence_fallback_passes_over_notspecified_and_reads_a_term_reference() -> None:
    fallbacks = {"license": "DD License"}
    graph, node, _ = _graph(
        {"Lizenz": "notspecified", "DD License": '"officialWork" (292)'}, fallbacks=fallbacks
    )
    own, own_node, _ = _graph({"DD License": '"other-open" (296)'}, fallbacks=fallbacks)

    (distribution,) = graph.objects(node, URIRef("http://www.w3.org/ns/dcat#distribution"))
    assert str(graph.value(distribution, DCT.license)).endswith("/licenses/officialWork")
    (own_distribution,) = own.objects(own_node, URIRef("http://www.w3.org/ns/dcat#distribution"))
    assert str(own.value(own_distribution, DCT.license)).endswith("/licenses/dl-zero-de/2.0")


def test_a_fallback_column_the_sheet_lacks_fails_the_job_with_its_name() -> None:
    with pytest.raises(GatherError) as failed:
        ColumnMapping.build(["Titel", "Beschreibung"], {}, "|", {"publisher": "ORG"})

    assert "options.fallback_columns.publisher" in str(failed.value)
    assert "'ORG'" in str(failed.value)


def _record(store: Store, title: str) -> DatasetRecord:
    with store.reading() as session:
        record = session.scalar(select(DatasetRecord).where(DatasetRecord.title == title))
    assert record is not None, title
    return record


def test_the_sheets_publisher_wins_over_the_sources_default_which_fills_only_gaps(
    sqlite_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(
        "Titel;Beschreibung;URL;Lizenz;Herausgeber\n"
        "Abfallkalender;Termine.;https://moers.example/a.csv;dl-zero-de/2.0;ENNI Stadt & Service\n"
        "Parkplätze;Standorte.;https://moers.example/p.csv;dl-zero-de/2.0;\n",
        encoding="utf-8",
    )
    source = {
        "name": "moers",
        "type": "spreadsheet",
        "path": str(path),
        "defaults": {"publisher": {"name": "Stadt Moers", "uri": "https://www.moers.de"}},
    }

    outcome = run_source(sqlite_store, source_settings(tmp_path, [source]), "moers")

    assert outcome.counts.new == 2, job_errors(sqlite_store, outcome.job_id)
    names = {}
    for title in ("Abfallkalender", "Parkplätze"):
        record = _record(sqlite_store, title)
        graph = parse_rdf(record.graph, content_type="application/n-triples")
        agent = graph.value(URIRef(record.uri), DCT.publisher)
        names[title] = str(graph.value(agent, FOAF.name))
    assert names == {"Abfallkalender": "ENNI Stadt & Service", "Parkplätze": "Stadt Moers"}
