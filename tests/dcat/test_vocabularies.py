"""The controlled vocabularies: sizes, schemes, labels, and what people write resolving to IRIs."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from dcat.namespaces import DCATDE, LEGACY_DCATDE_NAMESPACES
from dcat.vocabularies import (
    AVAILABILITY,
    FILE_TYPES,
    FREQUENCIES,
    GEOCODING_LEVELS,
    LANGUAGES,
    LICENSES,
    THEMES,
    VOCABULARIES,
    Vocabulary,
    iri_key,
    upgrade_dcatde_namespace,
    vocabulary_of,
)
from tests.conftest import SHARED

LIC = "http://dcat-ap.de/def/licenses/"
EU = "http://publications.europa.eu/resource/authority/"
THEME = EU + "data-theme/"
FILE = EU + "file-type/"
FREQ = EU + "frequency/"
AVAIL = EU + "planned-availability/"
LANG = EU + "language/"
LEVEL = "http://dcat-ap.de/def/politicalGeocoding/Level/"
OFFLINE_VOCAB = SHARED / "dcat-ap-de" / "vocab"
needs_shared = pytest.mark.skipif(
    not OFFLINE_VOCAB.is_dir(),
    reason=f"offline copies of the official vocabularies not found in {OFFLINE_VOCAB}",
)

# Counted from the compiled files: 34 licences in the dcat-ap.de list 20200715; the 13 EU data
# themes; 119 codes of the EU file-type list 20170427 plus GEOJSON, GPKG and four OGC services;
# 22 EU frequencies of 2016 plus 16 later codes; 4 availability codes; the 24 EU languages plus
# 31 others plus MUL and UND; 6 political geocoding levels.
EXPECTED_SIZES = {
    "licenses": 34,
    "themes": 13,
    "file_types": 125,
    "frequencies": 38,
    "availability": 4,
    "languages": 57,
    "geocoding_levels": 6,
}


def _data_file(vocabulary: Vocabulary) -> dict[str, Any]:
    source = resources.files("dcat") / "vocab" / f"{vocabulary.name}.json"
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", sorted(EXPECTED_SIZES))
def test_each_vocabulary_loads_with_its_size(name: str) -> None:
    vocabulary = VOCABULARIES[name]
    assert len(vocabulary) == EXPECTED_SIZES[name]
    assert len(list(vocabulary)) == EXPECTED_SIZES[name]


def test_every_vocabulary_ships_as_package_data() -> None:
    shipped = {entry.name for entry in (resources.files("dcat") / "vocab").iterdir()}
    assert shipped >= {f"{name}.json" for name in VOCABULARIES}


@pytest.mark.parametrize("name", sorted(EXPECTED_SIZES))
def test_every_concept_is_in_its_scheme_and_namespace(name: str) -> None:
    vocabulary = VOCABULARIES[name]
    for concept in vocabulary:
        assert concept.scheme == vocabulary.scheme
        assert concept.iri.startswith(vocabulary.scheme + "/")
        assert concept.iri in vocabulary
        assert vocabulary.get(concept.iri) is concept
        assert vocabulary_of(concept.iri) is vocabulary
        assert concept.label_de and concept.label_en


@pytest.mark.parametrize("name", sorted(EXPECTED_SIZES))
def test_every_alias_in_the_data_resolves_to_its_own_concept(name: str) -> None:
    vocabulary = VOCABULARIES[name]
    for entry in _data_file(vocabulary)["concepts"]:
        for text in [entry["iri"], entry["code"], entry["label_de"], entry["label_en"]]:
            if vocabulary.resolve(text) is None:
                continue  # a code or label that is itself ambiguous ("cc-by")
            assert vocabulary.resolve(text) == entry["iri"], text
        for alias in entry["aliases"]:
            assert vocabulary.resolve(alias) == entry["iri"], alias


def test_concepts_are_found_by_uriref_too() -> None:
    iri = URIRef(THEME + "ENVI")
    assert iri in THEMES
    concept = THEMES.get(iri)
    assert concept is not None and concept.code == "ENVI"


def test_get_accepts_only_the_exact_iri() -> None:
    assert LICENSES.get(LIC + "cc-by/4.0") is not None
    assert LICENSES.get(LIC + "cc-by/4.0/") is None
    assert LICENSES.get("https://dcat-ap.de/def/licenses/cc-by/4.0") is None
    assert "http://example.org/x" not in LICENSES
    assert 42 not in LICENSES


def test_label_in_the_asked_language() -> None:
    assert THEMES.label(THEME + "ENVI") == "Umwelt"
    assert THEMES.label(THEME + "ENVI", "en") == "Environment"
    assert FREQUENCIES.label(FREQ + "DAILY", "de") == "täglich"
    assert LANGUAGES.label(LANG + "DEU") == "Deutsch"


def test_label_falls_back_to_the_other_language() -> None:
    # Greek has no label of its own here: ask for French, get German.
    assert LANGUAGES.label(LANG + "ELL", "fr") == "Griechisch"
    assert LICENSES.label(LIC + "dl-by-de/2.0", "en") == (
        "Data licence Germany – attribution – version 2.0"
    )


def test_label_of_an_iri_variant_and_of_unknown_iris() -> None:
    assert LICENSES.label("https://dcat-ap.de/def/licenses/cc-by/4.0/") == (
        "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"
    )
    assert LICENSES.label(LIC + "no-such-licence") is None
    assert THEMES.label("Umwelt") is None


def test_licence_flags() -> None:
    by = LICENSES.get(LIC + "dl-by-de/2.0")
    zero = LICENSES.get(LIC + "dl-zero-de/2.0")
    nc = LICENSES.get(LIC + "cc-by-nc/4.0")
    assert by is not None and by.open is True and by.attribution is True
    assert zero is not None and zero.open is True and zero.attribution is False
    assert nc is not None and nc.open is False and nc.attribution is True
    attribution = {concept.code for concept in LICENSES if concept.attribution}
    assert {"cc-by/4.0", "cc-by-sa/4.0", "odbl", "odby", "dl-by-de/1.0"} <= attribution
    assert not {"cc-zero", "ccpdm/1.0", "odcpddl", "officialWork"} & attribution
    theme = THEMES.get(THEME + "ENVI")
    assert theme is not None and theme.open is None and theme.media_type is None


def test_file_type_media_types() -> None:
    media = {concept.code: concept.media_type for concept in FILE_TYPES}
    assert media["CSV"] == "text/csv"
    assert media["GEOJSON"] == "application/geo+json"
    assert media["XLSX"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert media["SHP"] is None  # no IANA type for shapefiles
    assert not any(value and "/x-" in value for value in media.values())


ALIASES: list[tuple[Vocabulary, str, str]] = [
    # licences
    (LICENSES, "CC BY 4.0", LIC + "cc-by/4.0"),
    (LICENSES, "cc-by-4.0", LIC + "cc-by/4.0"),
    (LICENSES, "CC-BY 4.0", LIC + "cc-by/4.0"),
    (LICENSES, "Creative Commons Namensnennung 4.0 International", LIC + "cc-by/4.0"),
    (LICENSES, "https://creativecommons.org/licenses/by/4.0/deed.de", LIC + "cc-by/4.0"),
    (LICENSES, "http://spdx.org/licenses/CC-BY-4.0.html", LIC + "cc-by/4.0"),
    (LICENSES, "Lizenz: CC BY 4.0", LIC + "cc-by/4.0"),
    (LICENSES, "http://dcat-ap.de/def/licenses/cc-by/4.0/", LIC + "cc-by/4.0"),
    (LICENSES, "https://dcat-ap.de/def/licenses/cc-by/4.0", LIC + "cc-by/4.0"),
    (LICENSES, "http://dcat-ap.de/def/licenses/cc-by/4_0", LIC + "cc-by/4.0"),
    (LICENSES, "Datenlizenz Deutschland Namensnennung 2.0", LIC + "dl-by-de/2.0"),
    (LICENSES, "dl-de/by-2-0", LIC + "dl-by-de/2.0"),
    (LICENSES, "dl-de-by-2.0", LIC + "dl-by-de/2.0"),
    (LICENSES, "dl-by-de/2.0", LIC + "dl-by-de/2.0"),
    (LICENSES, "https://www.govdata.de/dl-de/by-2-0", LIC + "dl-by-de/2.0"),
    (LICENSES, "dl-de/zero-2-0", LIC + "dl-zero-de/2.0"),
    (LICENSES, "Datenlizenz Deutschland – Zero – Version 2.0", LIC + "dl-zero-de/2.0"),
    (LICENSES, "CC0", LIC + "cc-zero"),
    (LICENSES, "cc-zero", LIC + "cc-zero"),
    (LICENSES, "ODbL", LIC + "odbl"),
    (LICENSES, "odc-odbl", LIC + "odbl"),
    (LICENSES, "http://www.opendefinition.org/licenses/odc-odbl", LIC + "odbl"),
    (LICENSES, "http://opendefinition.org/licenses/cc-by", LIC + "cc-by"),
    (LICENSES, "CC-BY-SA-4.0", LIC + "cc-by-sa/4.0"),
    (LICENSES, "app_commercial", LIC + "other-commercial"),
    (LICENSES, "official-work", LIC + "officialWork"),
    (LICENSES, "geoNutz/20130319", LIC + "geonutz/20130319"),
    # file types
    (FILE_TYPES, "csv", FILE + "CSV"),
    (FILE_TYPES, "CSV", FILE + "CSV"),
    (FILE_TYPES, ".csv", FILE + "CSV"),
    (FILE_TYPES, "text/csv", FILE + "CSV"),
    (FILE_TYPES, "text/csv; charset=utf-8", FILE + "CSV"),
    (FILE_TYPES, "CSV-Datei", FILE + "CSV"),
    (FILE_TYPES, "http://www.iana.org/assignments/media-types/text/csv", FILE + "CSV"),
    (FILE_TYPES, "xlsx", FILE + "XLSX"),
    (
        FILE_TYPES,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FILE + "XLSX",
    ),
    (FILE_TYPES, "GeoJSON", FILE + "GEOJSON"),
    (FILE_TYPES, "json", FILE + "JSON"),
    (FILE_TYPES, "Shapefile", FILE + "SHP"),
    (FILE_TYPES, "SHP", FILE + "SHP"),
    (FILE_TYPES, "WMS", FILE + "WMS_SRVC"),
    (FILE_TYPES, "WFS", FILE + "WFS_SRVC"),
    (FILE_TYPES, "PDF", FILE + "PDF"),
    (FILE_TYPES, "application/pdf", FILE + "PDF"),
    (FILE_TYPES, "ZIP", FILE + "ZIP"),
    (FILE_TYPES, "XML", FILE + "XML"),
    (FILE_TYPES, "application/xml", FILE + "XML"),
    (FILE_TYPES, "KML", FILE + "KML"),
    (FILE_TYPES, "ttl", FILE + "RDF_TURTLE"),
    # themes
    (THEMES, "Umwelt", THEME + "ENVI"),
    (THEMES, "Umwelt und Klima", THEME + "ENVI"),
    (THEMES, "ENVI", THEME + "ENVI"),
    (THEMES, "envi", THEME + "ENVI"),
    (THEMES, "Environment", THEME + "ENVI"),
    (THEMES, "umwelt_klima", THEME + "ENVI"),
    (THEMES, "Verkehr", THEME + "TRAN"),
    (THEMES, "transport_verkehr", THEME + "TRAN"),
    (THEMES, "Bildung", THEME + "EDUC"),
    (THEMES, "Bildung, Kultur und Sport", THEME + "EDUC"),
    (THEMES, "kultur_freizeit_sport_tourismus", THEME + "EDUC"),
    (THEMES, "Gesundheit", THEME + "HEAL"),
    (THEMES, "Wirtschaft", THEME + "ECON"),
    (THEMES, "wirtschaft_arbeit", THEME + "ECON"),
    (THEMES, "Energie", THEME + "ENER"),
    (THEMES, "Bevölkerung und Gesellschaft", THEME + "SOCI"),
    (THEMES, "bevoelkerung", THEME + "SOCI"),
    (THEMES, "Regierung und öffentlicher Sektor", THEME + "GOVE"),
    (THEMES, "politik_wahlen", THEME + "GOVE"),
    (THEMES, "verwaltung", THEME + "GOVE"),
    (THEMES, "Justiz", THEME + "JUST"),
    (THEMES, "gesetze_justiz", THEME + "JUST"),
    (THEMES, "Landwirtschaft", THEME + "AGRI"),
    (THEMES, "Wissenschaft und Technologie", THEME + "TECH"),
    (THEMES, "Regionen und Städte", THEME + "REGI"),
    (THEMES, "Internationale Themen", THEME + "INTR"),
    (THEMES, "http://publications.europa.eu/resource/authority/data-theme/envi/", THEME + "ENVI"),
    # frequencies
    (FREQUENCIES, "täglich", FREQ + "DAILY"),
    (FREQUENCIES, "wöchentlich", FREQ + "WEEKLY"),
    (FREQUENCIES, "monatlich", FREQ + "MONTHLY"),
    (FREQUENCIES, "jährlich", FREQ + "ANNUAL"),
    (FREQUENCIES, "jaehrlich", FREQ + "ANNUAL"),
    (FREQUENCIES, "quartalsweise", FREQ + "QUARTERLY"),
    (FREQUENCIES, "halbjährlich", FREQ + "ANNUAL_2"),
    (FREQUENCIES, "stündlich", FREQ + "HOURLY"),
    (FREQUENCIES, "kontinuierlich", FREQ + "CONT"),
    (FREQUENCIES, "laufend", FREQ + "UPDATE_CONT"),
    (FREQUENCIES, "laufend aktualisiert", FREQ + "UPDATE_CONT"),
    (FREQUENCIES, "Echtzeit", FREQ + "UPDATE_CONT"),
    (FREQUENCIES, "unregelmäßig", FREQ + "IRREG"),
    (FREQUENCIES, "einmalig", FREQ + "NEVER"),
    (FREQUENCIES, "weekly", FREQ + "WEEKLY"),
    (FREQUENCIES, "P1D", FREQ + "DAILY"),
    (FREQUENCIES, "R/P1Y", FREQ + "ANNUAL"),
    (FREQUENCIES, "PT1H", FREQ + "HOURLY"),
    (FREQUENCIES, "P1M", FREQ + "MONTHLY"),
    (FREQUENCIES, "PT1M", FREQ + "1MIN"),
    # availability
    (AVAILABILITY, "http://dcat-ap.de/def/plannedAvailability/stable", AVAIL + "STABLE"),
    (AVAILABILITY, "http://dcat-ap.de/def/plannedAvailability/available", AVAIL + "AVAILABLE"),
    (
        AVAILABILITY,
        "http://dcat-ap.de/def/plannedAvailability/experimental",
        AVAIL + "EXPERIMENTAL",
    ),
    (AVAILABILITY, "http://dcat-ap.de/def/plannedAvailability/temporary", AVAIL + "TEMPORARY"),
    (AVAILABILITY, "vorübergehend", AVAIL + "TEMPORARY"),
    (AVAILABILITY, "available", AVAIL + "AVAILABLE"),
    # languages
    (LANGUAGES, "de", LANG + "DEU"),
    (LANGUAGES, "deu", LANG + "DEU"),
    (LANGUAGES, "ger", LANG + "DEU"),
    (LANGUAGES, "Deutsch", LANG + "DEU"),
    (LANGUAGES, "German", LANG + "DEU"),
    (LANGUAGES, "de-DE", LANG + "DEU"),
    (LANGUAGES, "http://publications.europa.eu/resource/authority/language/GER", LANG + "DEU"),
    (LANGUAGES, "en", LANG + "ENG"),
    (LANGUAGES, "Englisch", LANG + "ENG"),
    (LANGUAGES, "fre", LANG + "FRA"),
    (LANGUAGES, "Türkisch", LANG + "TUR"),
    (LANGUAGES, "русский", LANG + "RUS"),
    # political geocoding levels
    (GEOCODING_LEVELS, "Gemeinde", LEVEL + "municipality"),
    (GEOCODING_LEVELS, "Kommune", LEVEL + "municipality"),
    (GEOCODING_LEVELS, "Bund", LEVEL + "federal"),
    (GEOCODING_LEVELS, "Bundesland", LEVEL + "state"),
    (GEOCODING_LEVELS, "Landkreis", LEVEL + "administrativeDistrict"),
    (GEOCODING_LEVELS, "administrativeDistrict", LEVEL + "administrativeDistrict"),
]


@pytest.mark.parametrize(
    ("vocabulary", "text", "expected"), ALIASES, ids=[f"{v.name}:{t}" for v, t, _ in ALIASES]
)
def test_what_people_write_resolves_to_the_concept(
    vocabulary: Vocabulary, text: str, expected: str
) -> None:
    assert expected in vocabulary
    assert vocabulary.resolve(text) == expected


UNRESOLVED: list[tuple[Vocabulary, str]] = [
    # ambiguous: a version, a variant or a theme is missing
    (LICENSES, "CC BY"),
    (LICENSES, "cc-by"),
    (LICENSES, "CC-BY-SA"),
    (LICENSES, "CC BY 3.0"),
    (LICENSES, "Datenlizenz Deutschland Namensnennung"),
    (LICENSES, "dl-de-by"),
    (LICENSES, "Creative Commons"),
    (LICENSES, "GPL"),
    (FILE_TYPES, "Excel"),
    (FILE_TYPES, "Word"),
    (FILE_TYPES, "application/octet-stream"),
    (THEMES, "bildung_wissenschaft"),
    (THEMES, "infrastruktur_bauen_wohnen"),
    (THEMES, "geo"),
    (THEMES, "verbraucherschutz"),
    (FREQUENCIES, "biannual"),
    (FREQUENCIES, "regelmäßig"),
    # unknown
    (LICENSES, "MIT"),
    (LICENSES, "http://dcat-ap.de/def/licenses/no-such-licence"),
    (LICENSES, "http://example.org/licence"),
    (FILE_TYPES, "text/x-unknown"),
    (FILE_TYPES, "http://www.iana.org/assignments/media-types/application/x-eigen"),
    (THEMES, "Katzen"),
    (THEMES, ""),
    (THEMES, "   "),
    (THEMES, "---"),
    (FREQUENCIES, "P7Y"),
    (LANGUAGES, "Klingonisch"),
    (GEOCODING_LEVELS, "Stadtteil"),
]


@pytest.mark.parametrize(
    ("vocabulary", "text"), UNRESOLVED, ids=[f"{v.name}:{t}" for v, t in UNRESOLVED]
)
def test_ambiguous_and_unknown_text_resolves_to_none(vocabulary: Vocabulary, text: str) -> None:
    assert vocabulary.resolve(text) is None


def test_unversioned_licence_concepts_resolve_only_by_their_iri() -> None:
    assert LICENSES.resolve(LIC + "cc-by") == LIC + "cc-by"
    assert LICENSES.resolve("https://dcat-ap.de/def/licenses/cc-by/") == LIC + "cc-by"
    assert LICENSES.resolve("cc-by") is None


def test_iri_key_ignores_scheme_www_case_and_trailing_slash() -> None:
    assert iri_key("https://www.Example.org/a/") == iri_key("http://example.org/a")
    assert iri_key("https://creativecommons.org/licenses/by/4.0/legalcode.de") == (
        "creativecommons.org/licenses/by/4.0"
    )
    assert iri_key("CC BY 4.0") is None
    assert iri_key("mailto:x@example.org") is None


def test_vocabulary_of_finds_the_namespace() -> None:
    assert vocabulary_of(LIC + "cc-by/4.0") is LICENSES
    assert vocabulary_of(LIC + "no-such-licence") is LICENSES
    assert vocabulary_of(URIRef(THEME + "ENVI")) is THEMES
    assert vocabulary_of(FILE + "CSV") is FILE_TYPES
    assert vocabulary_of(FREQ + "DAILY") is FREQUENCIES
    assert vocabulary_of(AVAIL + "STABLE") is AVAILABILITY
    assert vocabulary_of("http://dcat-ap.de/def/plannedAvailability/stable") is AVAILABILITY
    assert vocabulary_of(LANG + "DEU") is LANGUAGES
    assert vocabulary_of(LEVEL + "state") is GEOCODING_LEVELS
    assert vocabulary_of("http://dcat-ap.de/def/politicalGeocoding/stateKey/02") is None
    assert vocabulary_of("http://dcat-ap.de/def/licenses") is None
    assert vocabulary_of("http://example.org/") is None


@pytest.mark.parametrize("legacy", LEGACY_DCATDE_NAMESPACES)
def test_legacy_dcatde_namespaces_are_upgraded(legacy: str) -> None:
    assert upgrade_dcatde_namespace(legacy + "contributorID") == str(DCATDE) + "contributorID"


def test_other_iris_are_left_as_they_are() -> None:
    current = str(DCATDE) + "politicalGeocodingURI"
    assert upgrade_dcatde_namespace(current) == current
    assert upgrade_dcatde_namespace("http://dcat-ap.de/def/dcatde/2.0/x") == (
        "http://dcat-ap.de/def/dcatde/2.0/x"
    )
    assert upgrade_dcatde_namespace(LIC + "cc-by/4.0") == LIC + "cc-by/4.0"


def _concepts_in(path: Path) -> set[str]:
    graph = Graph()
    graph.parse(path)
    return {str(node) for node in graph.subjects(RDF.type, SKOS.Concept)}


@needs_shared
def test_every_official_licence_is_ours() -> None:
    official = _concepts_in(OFFLINE_VOCAB / "dcat-ap-de" / "licenses-open.rdf")
    assert len(official) == 34
    assert official <= {concept.iri for concept in LICENSES}


@needs_shared
def test_every_licence_of_the_old_list_resolves_keeping_open_or_closed() -> None:
    graph = Graph()
    graph.parse(OFFLINE_VOCAB / "dcat-ap-de" / "licenses-1_0-berlinonline-copy.ttl")
    old = list(graph.subjects(RDFS.subClassOf, URIRef("http://dcat-ap.de/def/licenses")))
    assert len(old) == 33
    for iri in old:
        current = LICENSES.get(LICENSES.resolve(str(iri)) or "")
        assert current is not None, iri
        kind = str(graph.value(iri, URIRef("http://purl.org/dc/terms/type")))
        assert current.open is kind.endswith("/offen"), iri


@needs_shared
@pytest.mark.parametrize(
    ("filename", "vocabulary"),
    [
        ("data-theme-skos-ap-act.rdf", THEMES),
        ("frequencies-skos-ap-act.rdf", FREQUENCIES),
        ("filetypes-skos-ap-act.rdf", FILE_TYPES),
    ],
)
def test_every_eu_concept_of_the_offline_lists_is_ours(
    filename: str, vocabulary: Vocabulary
) -> None:
    official = _concepts_in(OFFLINE_VOCAB / "eu-mdr-2016-semic" / filename)
    # OP_DATPRO ("provisional data") is a Publications Office marker, not a theme or frequency.
    official = {iri for iri in official if not iri.endswith("/OP_DATPRO")}
    assert official <= {concept.iri for concept in vocabulary}
    if vocabulary is THEMES:
        assert len(official) == 13
