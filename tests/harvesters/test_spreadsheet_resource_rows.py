"""Portal exports with one row per resource: the rows below a dataset row that carry only an
address (and a format) are further distributions of that dataset, as in Münster's DKAN export
(tests/data/real/de-city-muenster-dkan-sheet)."""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import URIRef

from dcat.namespaces import DCAT, DCT
from harvesters.base import HarvestContext
from harvesters.spreadsheet import SpreadsheetHarvester

HEADER = ["Kennung", "Titel", "Beschreibung", "Format", "URL"]
ROWS = [
    ["94a7", "Unfälle im Regierungsbezirk", "Unfalldaten", "csv", "https://a.example/u.csv"],
    ["", "", "", "pdf", "https://a.example/beschreibung.pdf"],
    ["cb7d", "Stromspeicher", "Anlagen", "csv", "https://a.example/s.csv"],
    ["", "", "", "html", "https://a.example/vorschau.html"],
    ["", "", "", "", "https://a.example/karte"],
]


def _harvester(tmp_path: Path) -> SpreadsheetHarvester:
    path = tmp_path / "liste.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([HEADER, *ROWS])
    return SpreadsheetHarvester(None, str(path), HarvestContext(base_url="http://c.test"))


def test_rows_with_only_an_address_are_distributions_of_the_dataset_above(
    tmp_path: Path,
) -> None:
    harvester = _harvester(tmp_path)
    records = list(harvester.gather())
    assert [record.key for record in records] == ["94a7", "cb7d"]
    graph, node = harvester.to_graph(records[1])
    urls = {str(graph.value(d, DCAT.accessURL)) for d in graph.objects(node, DCAT.distribution)}
    assert urls == {
        "https://a.example/s.csv",
        "https://a.example/vorschau.html",
        "https://a.example/karte",
    }
    by_url = {
        str(graph.value(d, DCAT.accessURL)): d for d in graph.objects(node, DCAT.distribution)
    }
    html = URIRef("http://publications.europa.eu/resource/authority/file-type/HTML")
    assert graph.value(by_url["https://a.example/vorschau.html"], DCT.format) == html
    assert graph.value(by_url["https://a.example/karte"], DCT.format) is None
    assert ".csv:4–6" in records[1].label
    assert harvester.take_warnings() == []


def test_a_comma_inside_quotes_does_not_split_a_theme(tmp_path: Path) -> None:
    # Münster's export writes themes as '"Bildung, Kultur und Sport" (186), "Umwelt" (194)'.
    path = tmp_path / "themen.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(
            [
                ["Titel", "Beschreibung", "Kategorie"],
                ["Schulen", "Liste", '"Bildung, Kultur und Sport" (186), "Umwelt" (194)'],
            ]
        )
    harvester = SpreadsheetHarvester(None, str(path), HarvestContext(base_url="http://c.test"))
    (record,) = harvester.gather()
    graph, node = harvester.to_graph(record)
    assert {str(theme) for theme in graph.objects(node, DCAT.theme)} == {
        '"Bildung, Kultur und Sport" (186)',
        '"Umwelt" (194)',
    }
