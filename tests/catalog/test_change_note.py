"""A record's revision note says what normalisation did and where a filled-in value came from."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from catalog.ingest import RecordPreparer, source_rules
from catalog.models import HarvestSource
from catalog.settings import Settings, SourceDefaults
from dcat.normalise import RULES
from dcat.parsing import parse_rdf

DATASET = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
<https://daten.example/ds/1> a dcat:Dataset ; dct:title "Baustellen" ;
    dct:description "Aktuelle Baustellen" ;
    dcatde:contributorID "http://dcat-ap.de/def/contributors/stadtwerke" .
"""


def test_the_note_names_each_rule_how_often_and_the_origin_of_filled_values(
    settings: Settings, tmp_path: Path
) -> None:
    defaults = SourceDefaults(publisher={"name": "Stadtwerke", "uri": "https://sw.example/"})
    source = HarvestSource(
        name="sw",
        defaults=defaults.model_dump(mode="json", exclude_defaults=True),
        mappings={},
        city_defaults=False,
    )
    preparer = RecordPreparer(settings).for_source(source)
    graph = parse_rdf(DATASET, content_type="text/turtle")
    prepared = preparer.prepare(graph, URIRef("https://daten.example/ds/1"))
    note = prepared.change_note()
    assert note is not None
    assert note.de.startswith("normalisiert: ") and note.en.startswith("normalised: ")
    assert "(node-kind) ×1: Text als IRI geschrieben (das Profil verlangt es)" in note.de
    assert "Herausgeber ergänzt (publisher-default) ×" in note.de
    assert "aus den Einstellungen der Quelle ergänzt" in note.de
    assert "publisher added (publisher-default) ×" in note.en
    assert "added from the source's settings" in note.en
    assert source_rules(source.defaults, {}).publisher is not None


def test_each_language_of_the_note_reads_in_that_language_only(
    settings: Settings, tmp_path: Path
) -> None:
    preparer = RecordPreparer(settings)
    graph = parse_rdf(DATASET, content_type="text/turtle")
    note = preparer.prepare(graph, URIRef("https://daten.example/ds/1")).change_note()
    assert note is not None
    assert " / " not in note.de and " / " not in note.en
    assert "normalised" not in note.de and "normalisiert" not in note.en
    assert "written as an IRI" not in note.de and "als IRI geschrieben" not in note.en


def test_every_rule_has_a_label_for_people_in_both_languages() -> None:
    for rule in RULES:
        assert rule.label_de and rule.label_en, rule.name
        assert rule.label_de != rule.name and rule.label_en != rule.name
