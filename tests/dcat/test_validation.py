"""Validation with our DCAT-AP.de shapes: one finding per broken rule, in German and English."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from dcat import namespaces as ns
from dcat.validation import (
    OWN_SHAPES,
    Severity,
    ValidationReport,
    ValidationResult,
    Validator,
)

PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
"""
DATASET = URIRef("https://stadt.example/dataset/baeume")
DISTRIBUTION = URIRef("https://stadt.example/dataset/baeume#csv")
CONTACT = URIRef("https://stadt.example/dataset/baeume#contact")
PUBLISHER = URIRef("https://stadt.example/org/umwelt")
EU = "http://publications.europa.eu/resource/authority/"

MINIMAL = """
<https://stadt.example/dataset/baeume> a dcat:Dataset ;
    dct:title "Baumkataster"@de ;
    dct:description "Alle Straßenbäume der Stadt."@de .
"""
TYPICAL = """
<https://stadt.example/dataset/baeume> a dcat:Dataset ;
    dct:title "Baumkataster"@de ;
    dct:description "Alle Straßenbäume der Stadt."@de ;
    dcat:keyword "Bäume" ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:issued "2021-03-01"^^xsd:date ;
    dct:publisher <https://stadt.example/org/umwelt> ;
    dcat:contactPoint <https://stadt.example/dataset/baeume#contact> ;
    dcat:distribution <https://stadt.example/dataset/baeume#csv> .
<https://stadt.example/org/umwelt> a foaf:Organization ; foaf:name "Umweltamt" .
<https://stadt.example/dataset/baeume#contact> a vcard:Organization ;
    vcard:fn "Umweltamt" ; vcard:hasEmail <mailto:umwelt@stadt.example> .
<https://stadt.example/dataset/baeume#csv> a dcat:Distribution ;
    dcat:accessURL <https://stadt.example/baeume.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
    dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> .
"""


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def turtle(text: str) -> Graph:
    graph = Graph()
    graph.parse(data=PREFIXES + text, format="turtle")
    return graph


def typical() -> Graph:
    return turtle(TYPICAL)


def only_result(report: ValidationReport) -> ValidationResult:
    assert len(report.results) == 1, [r.message_en for r in report.results]
    return report.results[0]


def test_minimal_dataset_conforms(validator: Validator) -> None:
    report = validator.validate(turtle(MINIMAL))
    assert report.conforms
    assert report.results == []


def test_typical_dataset_with_subclasses_of_agent_and_kind_conforms(validator: Validator) -> None:
    report = validator.validate(typical())
    assert report.conforms, [r.message_en for r in report.results]
    assert report.results == []


def test_validation_leaves_the_input_graph_untouched(validator: Validator) -> None:
    graph = typical()
    before = set(graph)
    validator.validate(graph)
    assert set(graph) == before


def _drop(graph: Graph, subject: URIRef, predicate: URIRef) -> Graph:
    graph.remove((subject, predicate, None))
    return graph


def _add_second_publisher(graph: Graph) -> Graph:
    second = URIRef("https://stadt.example/org/statistik")
    graph.add((DATASET, ns.DCT.publisher, second))
    graph.add((second, ns.RDF.type, ns.FOAF.Agent))
    graph.add((second, ns.FOAF.name, Literal("Statistikstelle")))
    return graph


def _set(graph: Graph, subject: URIRef, predicate: URIRef, value: object) -> Graph:
    graph.set((subject, predicate, value))  # type: ignore[arg-type]
    return graph


# (case, how to break the typical dataset, severity, focus, path, value, German, English)
BROKEN = [
    (
        "missing title",
        lambda g: _drop(g, DATASET, ns.DCT.title),
        Severity.VIOLATION,
        DATASET,
        ns.DCT.title,
        None,
        "Der Datensatz braucht einen Titel (dct:title).",
        "The dataset needs a title (dct:title).",
    ),
    (
        "missing description",
        lambda g: _drop(g, DATASET, ns.DCT.description),
        Severity.VIOLATION,
        DATASET,
        ns.DCT.description,
        None,
        "Der Datensatz braucht eine Beschreibung (dct:description).",
        "The dataset needs a description (dct:description).",
    ),
    (
        "distribution without accessURL",
        lambda g: _drop(g, DISTRIBUTION, ns.DCAT.accessURL),
        Severity.VIOLATION,
        DISTRIBUTION,
        ns.DCAT.accessURL,
        None,
        "Die Distribution braucht eine Zugriffs-URL (dcat:accessURL).",
        "The distribution needs an access URL (dcat:accessURL).",
    ),
    (
        "licence not from the list",
        lambda g: _set(g, DISTRIBUTION, ns.DCT.license, URIRef("https://example.org/my-licence")),
        Severity.WARNING,
        DISTRIBUTION,
        ns.DCT.license,
        "https://example.org/my-licence",
        "Die Lizenz (dct:license) sollte aus der DCAT-AP.de-Lizenzliste stammen "
        "(http://dcat-ap.de/def/licenses/...).",
        "The licence (dct:license) should come from the DCAT-AP.de licence list "
        "(http://dcat-ap.de/def/licenses/...).",
    ),
    (
        "theme not from the EU list",
        lambda g: _set(g, DATASET, ns.DCAT.theme, URIRef("https://stadt.example/themen/umwelt")),
        Severity.VIOLATION,
        DATASET,
        ns.DCAT.theme,
        "https://stadt.example/themen/umwelt",
        "Die Kategorie (dcat:theme) muss aus der EU-Liste der Datenthemen stammen "
        "(http://publications.europa.eu/resource/authority/data-theme/...).",
        "The category (dcat:theme) must come from the EU data theme list "
        "(http://publications.europa.eu/resource/authority/data-theme/...).",
    ),
    (
        "format not an EU file type",
        lambda g: _set(g, DISTRIBUTION, ns.DCT.format, Literal("csv")),
        Severity.VIOLATION,
        DISTRIBUTION,
        ns.DCT.format,
        "csv",
        "Das Format (dct:format) muss aus der EU-Liste der Dateitypen stammen "
        "(z. B. http://publications.europa.eu/resource/authority/file-type/CSV).",
        "The format (dct:format) must come from the EU file type list "
        "(e.g. http://publications.europa.eu/resource/authority/file-type/CSV).",
    ),
    (
        "publisher twice",
        lambda g: _add_second_publisher(g),
        Severity.VIOLATION,
        DATASET,
        ns.DCT.publisher,
        None,
        "Der Datensatz darf nur eine veröffentlichende Stelle (dct:publisher) haben.",
        "The dataset may have only one publisher (dct:publisher).",
    ),
    (
        "contact point not a vcard:Kind",
        lambda g: _set(g, CONTACT, ns.RDF.type, ns.FOAF.Document),
        Severity.VIOLATION,
        DATASET,
        ns.DCAT.contactPoint,
        str(CONTACT),
        "Der Kontakt (dcat:contactPoint) muss als vCard-Kontakt (vcard:Kind, "
        "z. B. vcard:Organization) beschrieben sein.",
        "The contact point (dcat:contactPoint) must be described as a vCard contact "
        "(vcard:Kind, e.g. vcard:Organization).",
    ),
    (
        "issued is not a date",
        lambda g: _set(g, DATASET, ns.DCT.issued, Literal("1. März 2021")),
        Severity.VIOLATION,
        DATASET,
        ns.DCT.issued,
        "1. März 2021",
        "Das Veröffentlichungsdatum (dct:issued) muss ein Datum sein (xsd:date, xsd:dateTime, "
        "xsd:gYear oder xsd:gYearMonth).",
        "The release date (dct:issued) must be a date (xsd:date, xsd:dateTime, xsd:gYear or "
        "xsd:gYearMonth).",
    ),
    (
        "publisher without a name",
        lambda g: _drop(g, PUBLISHER, ns.FOAF.name),
        Severity.VIOLATION,
        PUBLISHER,
        ns.FOAF.name,
        None,
        "Die Organisation oder Person braucht einen Namen (foaf:name) als Text.",
        "The organisation or person needs a name (foaf:name) as text.",
    ),
    (
        "language not from the EU list",
        lambda g: _set(g, DATASET, ns.DCT.language, Literal("de")),
        Severity.VIOLATION,
        DATASET,
        ns.DCT.language,
        "de",
        "Die Sprache (dct:language) muss aus der EU-Sprachenliste stammen "
        "(z. B. http://publications.europa.eu/resource/authority/language/DEU).",
        "The language (dct:language) must come from the EU language list "
        "(e.g. http://publications.europa.eu/resource/authority/language/DEU).",
    ),
]


@pytest.mark.parametrize(
    ("breaks", "severity", "focus", "path", "value", "german", "english"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_each_broken_rule_gives_exactly_one_finding(
    validator: Validator,
    breaks: Callable[[Graph], object],
    severity: Severity,
    focus: URIRef,
    path: URIRef,
    value: str | None,
    german: str,
    english: str,
) -> None:
    graph = typical()
    breaks(graph)
    result = only_result(validator.validate(graph))
    assert result.severity is severity
    assert result.focus_node == str(focus)
    assert result.path == str(path)
    if value is not None:
        assert result.value == value
    assert result.message_de == german
    assert result.message_en == english
    assert result.source_shape is not None
    assert result.source_shape.startswith("urn:stadtkatalog:shapes:dcat-ap-de#")


def test_warnings_do_not_make_a_dataset_fail(validator: Validator) -> None:
    graph = typical()
    graph.set((DISTRIBUTION, ns.DCT.license, URIRef("https://example.org/my-licence")))
    report = validator.validate(graph)
    assert report.conforms
    assert [r.severity for r in report.results] == [Severity.WARNING]
    assert report.warnings == report.results
    assert report.violations == []


def test_deprecated_property_is_a_warning(validator: Validator) -> None:
    graph = typical()
    granularity = URIRef(str(ns.DCAT) + "granularity")
    graph.add((DATASET, granularity, URIRef("https://example.org/granularity/day")))
    report = validator.validate(graph)
    assert report.conforms
    assert [r.path for r in report.warnings] == [str(granularity)]


def test_every_own_shape_speaks_german_and_english() -> None:
    shapes = Graph()
    shapes.parse(OWN_SHAPES, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    named = {s for s in shapes.subjects() if isinstance(s, URIRef)}
    assert len(named) > 150
    for shape in named:
        languages = sorted(
            getattr(m, "language", "") for m in shapes.objects(shape, URIRef(sh + "message"))
        )
        assert languages == ["de", "en"], shape


EXTRA_SHAPES = """
@prefix ex: <https://stadt.example/shapes#> .
ex:KeywordRequired a sh:NodeShape ;
    sh:targetClass dcat:Dataset ;
    sh:property [
        sh:path dcat:keyword ; sh:minCount 1 ; sh:severity sh:Info ;
        sh:message "Bitte Schlagworte angeben."@de ;
    ] .
"""


def test_extra_shapes_file_is_used_and_gets_english_fallback(tmp_path: Path) -> None:
    path = tmp_path / "extra.ttl"
    path.write_text(PREFIXES + EXTRA_SHAPES, encoding="utf-8")
    graph = turtle(MINIMAL)
    for location in (str(path), path.as_uri()):
        report = Validator(extra_shapes=[location]).validate(graph)
        result = only_result(report)
        assert report.conforms
        assert result.severity is Severity.INFO
        assert result.path == str(ns.DCAT.keyword)
        assert result.message_de == "Bitte Schlagworte angeben."
        assert result.message_en == "Required property missing: dcat:keyword."


def test_extra_shapes_from_the_web_are_refused() -> None:
    with pytest.raises(ValueError, match="not a URL"):
        Validator(extra_shapes=["https://example.org/shapes.ttl"])


def test_report_json_round_trip(validator: Validator) -> None:
    graph = typical()
    graph.remove((DATASET, ns.DCT.title, None))
    graph.set((DISTRIBUTION, ns.DCT.license, URIRef("https://example.org/my-licence")))
    report = validator.validate(graph)
    assert len(report.results) == 2
    data = json.loads(json.dumps(report.to_json()))
    assert data["conforms"] is False
    assert {r["severity"] for r in data["results"]} == {"violation", "warning"}
    assert ValidationReport.from_json(data) == report


def _numbered(number: int, text: str) -> Graph:
    return turtle(text.replace("baeume", f"baeume-{number}"))


def test_validate_many_gives_the_same_reports_as_one_by_one(validator: Validator) -> None:
    graphs = [_numbered(i, TYPICAL) for i in range(7)]
    graphs[1].remove((URIRef("https://stadt.example/dataset/baeume-1"), ns.DCT.title, None))
    graphs[3].set(
        (
            URIRef("https://stadt.example/dataset/baeume-3#csv"),
            ns.DCT.format,
            Literal("csv"),
        )
    )
    graphs[4].remove((PUBLISHER, ns.FOAF.name, None))  # shared publisher, described differently
    graphs.append(graphs[2])  # the same graph twice
    graphs.append(turtle(MINIMAL))
    one_by_one = [validator.validate(g) for g in graphs]
    assert [r.conforms for r in one_by_one] == [True, False, True, False, False] + [True] * 4
    for batch_size in (1, 3, 50):
        assert list(validator.validate_many(graphs, batch_size=batch_size)) == one_by_one


def test_validate_many_of_nothing_is_nothing(validator: Validator) -> None:
    assert list(validator.validate_many([])) == []


def test_only_exact_concept_iris_count_as_from_the_list(validator: Validator) -> None:
    graph = typical()
    licence = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0/")  # trailing slash
    graph.set((DISTRIBUTION, ns.DCT.license, licence))
    report = validator.validate(graph)
    assert [(r.severity, r.path, r.value) for r in report.results] == [
        (Severity.WARNING, str(ns.DCT.license), str(licence))
    ]


def test_the_faster_constraint_lookup_is_the_one_pyshacl_reads() -> None:
    """dcat.validation swaps pyshacl's parameter list for one with hashed membership during its
    own runs; a pyshacl release that reads its parameters elsewhere would silently lose that
    speed-up."""
    import inspect

    import pyshacl.shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS

    from dcat.validation import our_constraint_params

    with our_constraint_params():  # as every run of our validator does
        parameters, _ = pyshacl.shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
    assert list(parameters) == list(ALL_CONSTRAINT_PARAMETERS)
    assert ALL_CONSTRAINT_PARAMETERS[0] in parameters
    assert "getattr(module, 'CONSTRAINT_PARAMS'" in inspect.getsource(pyshacl.shape.Shape.validate)


@pytest.mark.parametrize(
    ("value", "conforms"),
    [
        (Literal("2024-05-01", datatype=XSD.date), True),
        (Literal("2024-05-01T10:00:00", datatype=XSD.dateTime), True),
        (Literal("2024", datatype=XSD.gYear), True),
        (Literal("2024-05", datatype=XSD.gYearMonth), True),
        (Literal("1. Mai 2024"), False),
        (Literal("2024-05-01", datatype=XSD.string), False),
    ],
)
def test_first_match_or_gives_the_verdict_of_checking_every_member(value, conforms) -> None:
    """sh:or stops at the first member that fits: the date shape's verdict must not change."""
    graph = Graph()
    dataset = URIRef("http://data.test/dataset/or")
    graph.add((dataset, ns.RDF.type, ns.DCAT.Dataset))
    graph.add((dataset, ns.DCT.title, Literal("Oder", lang="de")))
    graph.add((dataset, ns.DCT.description, Literal("Prüft sh:or.", lang="de")))
    graph.add((dataset, ns.DCT.issued, value))
    report = Validator().validate(graph)
    on_issued = [r for r in report.violations if r.path == str(ns.DCT.issued)]
    assert (not on_issued) == conforms


def test_a_count_finding_names_the_values_the_source_delivered(validator: Validator) -> None:
    # SHACL gives no sh:value for sh:maxCount; the steward still needs to see the two licences.
    graph = typical()
    second = URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
    graph.add((DISTRIBUTION, ns.DCT.license, second))
    granularity = URIRef(str(ns.DCAT) + "granularity")
    graph.add((DATASET, granularity, URIRef("https://example.org/granularity/day")))

    report = validator.validate(graph)

    (licences,) = [r for r in report.violations if r.path == str(ns.DCT.license)]
    (deprecated,) = [r for r in report.warnings if r.path == str(granularity)]
    assert licences.value == f"{second}, http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert deprecated.value == "https://example.org/granularity/day"


def test_a_missing_property_has_no_value(validator: Validator) -> None:
    graph = typical()
    graph.remove((DISTRIBUTION, ns.DCAT.accessURL, None))
    (missing,) = validator.validate(graph).violations
    assert missing.path == str(ns.DCAT.accessURL)
    assert missing.value is None


@pytest.fixture(scope="module")
def govdata_validator() -> Validator:
    return Validator(govdata_warnings=True)


def test_govdata_warns_about_a_dataset_without_distribution_and_licence(
    govdata_validator: Validator,
) -> None:
    report = govdata_validator.validate(turtle(MINIMAL))

    assert report.conforms  # warnings never block publishing
    assert [r.severity for r in report.results] == [Severity.WARNING, Severity.WARNING]
    german = sorted(r.message_de for r in report.results)
    assert german[0].startswith("Der Datensatz hat keine Distribution (dcat:distribution)")
    assert german[1].startswith("Der Datensatz nennt keine Lizenz (dct:license")
    assert all(r.message_en and r.focus_node == str(DATASET) for r in report.results)


def test_govdata_warns_about_a_dataset_whose_distributions_name_no_licence(
    govdata_validator: Validator,
) -> None:
    graph = typical()
    graph.remove((DISTRIBUTION, ns.DCT.license, None))

    (warning,) = govdata_validator.validate(graph).results

    assert warning.severity is Severity.WARNING
    assert warning.message_en.startswith("The dataset names no licence")


def test_govdata_has_nothing_to_say_about_a_typical_dataset(govdata_validator: Validator) -> None:
    assert govdata_validator.validate(typical()).results == []
