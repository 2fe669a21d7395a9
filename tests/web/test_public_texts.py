"""What citizens read: one language per page, plain-text snippets, file types by name, clean
licence names, German numbers and open-ended periods, quiet empty themes, the catalog's
English title on English pages."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, URIRef

from dcat.namespaces import DCT
from dcat.parsing import parse_rdf
from dcat.vocabularies import LICENSES
from web.labels import with_format
from web.page_context import _byte_size, _period

GERMAN_API = (
    "Schreibende Aktionen brauchen ein Token",
    "Datensatz anlegen",
    "Bedeutung",
    "Maschinenlesbar",
    "Namen aller öffentlichen Datensätze",
    "höchstens 1000",
    "Lesen",
)
ENGLISH_API = (
    "Write actions need a token",
    "create a dataset",
    "Meaning",
    "Machine-readable",
    "names of all public datasets",
    "at most 1000",
    "Read:",
)
GERMAN_DATASET = ("Daten und Zugang", "Herunterladen", "Zeitraum", "Lizenz", "Größe", "seit ")
ENGLISH_DATASET = ("Data and access", "Download", "Period", "Licence", "Size", "since ")


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return response.get_data(as_text=True)


def _main(page: str) -> str:
    """The page's own content, without the header's language switch (named in both)."""
    return page[page.index('<main id="inhalt"') :]


def test_the_api_page_is_in_the_pages_language_only(demo_client: FlaskClient) -> None:
    german = _main(_text(demo_client, "/api?lang=de"))
    english = _main(_text(demo_client, "/api?lang=en"))
    assert all(text in german for text in GERMAN_API), german[:500]
    assert all(text in english for text in ENGLISH_API), english[:500]
    assert [text for text in ENGLISH_API if text in german] == []
    assert [text for text in GERMAN_API if text in english] == []
    assert "<span lang=" not in german and "<span lang=" not in english
    prose = re.sub(r"<(pre|code)>.*?</\1>", "", english, flags=re.DOTALL)
    assert " / " not in re.sub(r"<[^>]+>", " ", prose)


def test_an_english_dataset_page_has_no_german_texts(demo_client: FlaskClient) -> None:
    for name in ("baumkataster", "luftqualitaet-stundenwerte-der-messstationen"):
        english = _main(_text(demo_client, f"/dataset/{name}?lang=en"))
        german = _main(_text(demo_client, f"/dataset/{name}?lang=de"))
        assert "Data and access" in english and "Daten und Zugang" in german
        assert [t for t in GERMAN_DATASET if t in english] == [], name
        assert [t for t in ENGLISH_DATASET if f">{t}" in german] == [], name


def test_search_snippets_are_plain_text_without_markdown(demo_client: FlaskClient) -> None:
    for query in ("Luft", "Baum", "Stickstoffdioxid"):
        page = _text(demo_client, f"/suche?q={query}")
        summaries = re.findall(r'<p class="dataset-summary">(.*?)</p>', page, re.DOTALL)
        assert summaries, query
        for summary in summaries:
            assert "**" not in summary and " * " not in summary, summary
            assert not summary.startswith("* ") and "](" not in summary, summary
    page = _text(demo_client, "/suche?q=Luftmessstationen")
    assert "Gemessen werden: Stickstoffdioxid (NO₂) Feinstaub" in page


def test_file_types_show_their_names_not_eu_codes(demo_client: FlaskClient) -> None:
    page = _text(demo_client, "/suche?page_size=100")
    badges = set(re.findall(r'<span class="format-badge">([^<]*)</span>', page))
    assert badges and not [badge for badge in badges if re.fullmatch(r"[A-Z_]+_SRVC", badge)]
    facet = _text(demo_client, "/suche?format=MAP_SRVC")
    assert "ArcGIS Map Service" in facet and ">MAP_SRVC<" not in facet


def test_a_title_that_ends_in_its_format_gets_no_second_one() -> None:
    assert with_format("Kleingartenanlagen (CSV)", "CSV") == "Kleingartenanlagen (CSV)"
    assert with_format("Kleingartenanlagen", "CSV") == "Kleingartenanlagen (CSV)"
    assert with_format("Parkplätze (csv)", "CSV") == "Parkplätze (csv)"
    assert with_format("Parkplätze", None) == "Parkplätze"


def test_licence_names_have_no_empty_parts() -> None:
    for concept in LICENSES:
        for label in (concept.label_de, concept.label_en):
            assert not re.search(r"-\s*-", label), label
    nd = LICENSES.label("http://dcat-ap.de/def/licenses/cc-by-nd/4.0", "de")
    assert (
        nd == "Creative Commons Namensnennung - Keine Bearbeitung 4.0 International (CC BY-ND 4.0)"
    )


@pytest.mark.parametrize(
    ("language", "size", "expected"),
    [
        ("de", 7_400_000, "7,4 MB"),
        ("en", 7_400_000, "7.4 MB"),
        ("de", 1_250, "1,2 kB"),
        ("de", 3_000_000_000, "3 GB"),
        ("de", 512, "512 Byte"),
        ("en", 512, "512 bytes"),
    ],
)
def test_sizes_are_written_in_the_pages_number_format(
    demo_app: Flask, language: str, size: int, expected: str
) -> None:
    with demo_app.test_request_context(f"/?lang={language}"):
        assert _byte_size(size) == expected


def test_an_open_ended_period_reads_since_its_start(demo_app: Flask) -> None:
    with demo_app.test_request_context("/?lang=de"):
        assert _period(date(2011, 11, 1), date(9999, 1, 1)) == "seit 01.11.2011"
        assert _period(date(2011, 11, 1), None) == "seit 01.11.2011"
        assert _period(None, date(2020, 12, 31)) == "bis 31.12.2020"
        assert _period(date(2011, 11, 1), date(2020, 12, 31)) == "01.11.2011 – 31.12.2020"
    with demo_app.test_request_context("/?lang=en"):
        assert _period(date(2011, 11, 1), date(9999, 12, 31)) == "since Nov 1, 2011"


def test_themes_without_datasets_are_shown_muted_and_not_linked(
    demo_client: FlaskClient,
) -> None:
    for url in ("/", "/themen"):
        page = _text(demo_client, url)
        empty = re.findall(r'<span class="tile tile-empty"><span class="tile-label">([^<]+)', page)
        linked = re.findall(r'<a class="tile" href="/thema/(\w+)"', page)
        assert empty and linked, url
        assert "0 Datensätze" not in page
        assert len(empty) + len(linked) == 13  # the EU data themes


def test_english_pages_show_the_catalogs_english_title_and_description(
    demo_client: FlaskClient, demo_app: Flask
) -> None:
    english = _text(demo_client, "/?lang=en")
    german = _text(demo_client, "/?lang=de")
    assert "<title>Open Data Musterstadt</title>" in english
    assert "The data catalog of the city of Musterstadt" in english
    assert "Offene Daten Musterstadt" not in english
    assert "<title>Offene Daten Musterstadt</title>" in german
    graph = parse_rdf(_text(demo_client, "/catalog.ttl"), content_type="text/turtle")
    catalog = URIRef("http://localhost:5000/catalog")
    titles = set(graph.objects(catalog, DCT.title))
    assert Literal("Open Data Musterstadt", lang="en") in titles
    assert Literal("Offene Daten Musterstadt", lang="de") in titles
