"""One spreadsheet row becomes one dataset: dates keep their precision as xsd literals, an
unreadable optional cell is left out with a warning, and only title and description refuse."""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from dcat.bilingual import Bilingual
from dcat.namespaces import DCAT, DCT, XSD
from harvesters.base import HarvestContext, RecordError, RemoteRecord
from harvesters.spreadsheet import ColumnMapping, SheetRow, SpreadsheetHarvester, row_graph
from harvesters.tabular import TableRow

GOOD_ROW = {
    "Titel": "Baumkataster",
    "Beschreibung": "Alle Straßenbäume mit Art und Pflanzjahr.",
    "Lizenz": "CC BY 4.0",
    "Format": "CSV",
    "URL": "https://gruen.example/baeume.csv",
    "Kategorie": "Umwelt",
    "Ansprechpartner": "Grünflächenamt",
    "E-Mail": "gruen@musterstadt.example",
    "Aktualisierung": "jährlich",
    "Zeitraum": "2015-2024",
    "Webseite": "https://gruen.example/baeume",
    "Stand": "2024-03-01",
    "Veröffentlicht": "01.02.2015",
    "Kennung": "b-1",
}


def _row(changes: dict[str, str], number: int = 7) -> SheetRow:
    cells = {**GOOD_ROW, **changes}
    mapping = ColumnMapping.build(list(cells), {}, "|")
    return SheetRow(row=TableRow(number=number, cells=cells), mapping=mapping, file_name="a.csv")


def _graph(changes: dict[str, str]) -> tuple[Graph, URIRef | BNode, list[str]]:
    notes: list[Bilingual] = []
    graph, node = row_graph(_row(changes), "de", notes)
    return graph, node, notes


def _typed(text: str, datatype: URIRef) -> Literal:
    return Literal(text, datatype=datatype)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2014-06-25", _typed("2014-06-25", XSD.date)),
        ("2014-06-25T21:28:58.601990", _typed("2014-06-25T21:28:58.601990", XSD.dateTime)),
        ("2014-06-25T21:28:58Z", _typed("2014-06-25T21:28:58Z", XSD.dateTime)),
        ("2014-06-25T21:28:58+01:00", _typed("2014-06-25T21:28:58+01:00", XSD.dateTime)),
        ("2014-06-25 21:28", _typed("2014-06-25T21:28:00", XSD.dateTime)),
        ("25.06.2014", _typed("2014-06-25", XSD.date)),
        ("25.6.2014", _typed("2014-06-25", XSD.date)),
        ("2014", _typed("2014", XSD.gYear)),
        ("06/2014", _typed("2014-06", XSD.gYearMonth)),
        ("6/2014", _typed("2014-06", XSD.gYearMonth)),
        ("2014-06", _typed("2014-06", XSD.gYearMonth)),
    ],
)
def test_each_written_date_becomes_the_literal_of_its_precision(
    written: str, expected: Literal
) -> None:
    graph, node, notes = _graph({"Stand": written, "Veröffentlicht": written})

    assert notes == []
    for predicate in (DCT.modified, DCT.issued):
        value = graph.value(node, predicate)
        assert isinstance(value, Literal)
        assert (str(value), value.datatype) == (str(expected), expected.datatype)


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("2010-2014", _typed("2010", XSD.gYear), _typed("2014", XSD.gYear)),
        ("2010 – 2014", _typed("2010", XSD.gYear), _typed("2014", XSD.gYear)),
        ("2010 bis 2014", _typed("2010", XSD.gYear), _typed("2014", XSD.gYear)),
        ("von 2010 bis 2014", _typed("2010", XSD.gYear), _typed("2014", XSD.gYear)),
        (
            "01.01.2010 - 31.12.2014",
            _typed("2010-01-01", XSD.date),
            _typed("2014-12-31", XSD.date),
        ),
        ("01.01.2010-31.12.2014", _typed("2010-01-01", XSD.date), _typed("2014-12-31", XSD.date)),
        (
            "2014-06-25 - 2015-06-24",
            _typed("2014-06-25", XSD.date),
            _typed("2015-06-24", XSD.date),
        ),
        ("06/2014 - 03/2015", _typed("2014-06", XSD.gYearMonth), _typed("2015-03", XSD.gYearMonth)),
        ("2014", _typed("2014", XSD.gYear), _typed("2014", XSD.gYear)),
        ("ab 2015", _typed("2015", XSD.gYear), None),
        ("seit 01.01.2015", _typed("2015-01-01", XSD.date), None),
        ("2015 - heute", _typed("2015", XSD.gYear), None),
        ("bis 2014", None, _typed("2014", XSD.gYear)),
    ],
)
def test_each_written_period_becomes_its_start_and_end(
    written: str, start: Literal | None, end: Literal | None
) -> None:
    graph, node, notes = _graph({"Zeitraum": written})

    assert notes == []
    period = graph.value(node, DCT.temporal)
    assert period is not None
    for predicate, expected in ((DCAT.startDate, start), (DCAT.endDate, end)):
        value = graph.value(period, predicate)
        if expected is None:
            assert value is None
        else:
            assert isinstance(value, Literal)
            assert (str(value), value.datatype) == (str(expected), expected.datatype)


@pytest.mark.parametrize(
    ("header", "written", "expected_hint"),
    [
        # A two-digit year could be 1914 or 2014: the catalog does not guess the century.
        ("Stand", "25.06.14", "vierstellig"),
        ("Stand", "31.02.2014", "25.06.2014"),
        ("Veröffentlicht", "Sommer 2014", "2014-06-25T21:28:58"),
        ("Zeitraum", "2014-2010", "2015-2024"),
        ("Zeitraum", "10-14", "2015-2024"),
        ("E-Mail", "gruen(at)musterstadt.example", "name@stadt.de"),
        ("Webseite", "www.gruen.example/baeume", "https://"),
        ("Aktualisierung", "wenn nötig", "monatlich"),
        ("Format", "CSV | JSON", "je Adresse ein Format"),
    ],
)
def test_an_unreadable_optional_cell_is_left_out_with_a_warning_and_nothing_else_changes(
    header: str, written: str, expected_hint: str
) -> None:
    with_bad_cell, _, notes = _graph({header: written})
    with_empty_cell, _, no_notes = _graph({header: ""})

    assert isomorphic(with_bad_cell, with_empty_cell)
    assert no_notes == []
    (note,) = notes
    assert f"a.csv, Zeile 7, Spalte {header!r}" in note.de
    assert f"a.csv, row 7, column {header!r}" in note.en
    assert repr(written) in note.de and expected_hint in note.de + note.en
    assert "weggelassen" in note.de and "left out" in note.en


def test_a_good_row_has_every_optional_value_and_no_warning() -> None:
    graph, node, notes = _graph({})

    assert notes == []
    for predicate in (DCT.modified, DCT.issued, DCT.temporal, DCAT.landingPage):
        assert graph.value(node, predicate) is not None, predicate
    assert str(graph.value(node, DCT.accrualPeriodicity)).endswith("/frequency/ANNUAL")
    contact = graph.value(node, DCAT.contactPoint)
    assert contact is not None and len(list(graph.predicate_objects(contact))) >= 3


@pytest.mark.parametrize(("header", "what"), [("Titel", "Titel"), ("Beschreibung", "Beschreibung")])
def test_a_row_without_a_required_field_is_refused(header: str, what: str) -> None:
    with pytest.raises(RecordError) as refused:
        _graph({header: "", "Stand": "Sommer 2014"})

    assert f"Zeile 7, Spalte {header!r}" in refused.value.message.de
    assert f"row 7, column {header!r}" in refused.value.message.en
    assert f"{what} fehlt" in refused.value.message.de


def test_an_address_that_is_none_refuses_the_row_because_its_distribution_needs_it() -> None:
    with pytest.raises(RecordError) as refused:
        _graph({"URL": "www.gruen.example/baeume.csv"})
    assert re.search(r"Spalte 'URL'.*https://", refused.value.message.de)


def test_the_harvester_hands_a_rows_warnings_to_the_runner_and_none_for_a_refused_row() -> None:
    harvester = SpreadsheetHarvester(None, "a.csv", HarvestContext(base_url="http://x.test"))
    good = RemoteRecord(key="b-1", payload=_row({"Stand": "Sommer 2014"}))
    refused = RemoteRecord(key="b-2", payload=_row({"Titel": "", "Stand": "Sommer 2014"}))

    harvester.to_graph(good)
    with pytest.raises(RecordError):
        harvester.to_graph(refused)

    (warning,) = harvester.take_warnings()
    assert warning.record is good and "'Sommer 2014'" in warning.message.de
    assert "left out" in warning.message.en and "weggelassen" not in warning.message.en
    assert harvester.take_warnings() == []
