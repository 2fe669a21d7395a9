"""Normalisation rules, each shown before and after on a small graph, and the pipeline promises."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import dcat.namespaces as ns
from dcat.normalise import (
    RULES,
    Change,
    NormalisationContext,
    normalise,
    rule_named,
)
from dcat.normalise.byte_sizes import whole_byte_count
from dcat.normalise.dates import typed_date
from dcat.normalise.urls import iri_from_text, mailto_from_text

PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix dcatap: <http://data.europa.eu/r5r#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix old: <http://dcat-ap.de/def/dcatde/1.0/> .
@prefix ex: <https://daten.teststadt.example/> .
@prefix pa: <http://publications.europa.eu/resource/authority/planned-availability/> .
@prefix oldpa: <http://dcat-ap.de/def/plannedAvailability/> .
@prefix text: <http://www.iana.org/assignments/media-types/text/> .
@prefix app: <http://www.iana.org/assignments/media-types/application/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
@prefix freq: <http://publications.europa.eu/resource/authority/frequency/> .
"""

CITY = "https://teststadt.example/"
EX = "https://daten.teststadt.example/"
DCATDE_1_0 = "http://dcat-ap.de/def/dcatde/1.0/"
CONTEXT = NormalisationContext(
    contributor_id=URIRef("http://dcat-ap.de/def/contributors/teststadt"),
    publisher_name="Stadt Teststadt",
    publisher_uri=URIRef(CITY),
    political_geocoding_level_uri=URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
    ),
    political_geocoding_uri=URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/01054015"
    ),
)


def turtle(text: str) -> Graph:
    return ns.new_graph().parse(data=PREFIXES + text, format="turtle")


def apply_rule(name: str, before: str, context: NormalisationContext = CONTEXT):
    graph = turtle(before)
    changes = rule_named(name)(graph, context)
    return graph, changes


def assert_graph(graph: Graph, expected: str) -> None:
    wanted = turtle(expected)
    missing = sorted(str(t) for t in wanted if t not in graph)
    extra = sorted(str(t) for t in graph if t not in wanted)
    assert isomorphic(graph, wanted), f"missing {missing}, extra {extra}"


# --- the registry -----------------------------------------------------------------------------


def test_every_rule_has_a_unique_kebab_case_name_and_both_descriptions() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.description_de.strip() and rule.description_en.strip()
        assert rule.description_de != rule.description_en


def test_unknown_rule_name_is_a_key_error_listing_the_known_ones() -> None:
    with pytest.raises(KeyError, match="date-literal"):
        rule_named("no-such-rule")


# --- namespaces -------------------------------------------------------------------------------


def test_legacy_dcatde_properties_types_and_values_move_to_the_2_0_namespace() -> None:
    graph, changes = apply_rule(
        "dcatde-namespace",
        """
        ex:d a dcat:Dataset ; old:contributorID <http://dcat-ap.de/def/contributors/x> ;
            dct:type old:SomeType ;
            dct:conformsTo <http://dcat-ap.de/def/dcatde/1.0/> .
        """,
    )
    assert_graph(
        graph,
        """
        ex:d a dcat:Dataset ; dcatde:contributorID <http://dcat-ap.de/def/contributors/x> ;
            dct:type dcatde:SomeType ;
            dct:conformsTo <http://dcat-ap.de/def/dcatde/1.0/> .
        """,
    )
    assert {(c.before, c.after) for c in changes} == {
        (f"<{DCATDE_1_0}contributorID>", f"<{ns.DCATDE}contributorID>"),
        (f"<{DCATDE_1_0}SomeType>", f"<{ns.DCATDE}SomeType>"),
    }


def test_dcat_ap_de_iris_written_as_web_addresses_become_canonical() -> None:
    graph, changes = apply_rule(
        "dcat-ap-de-iri",
        """
        ex:d dcatde:contributorID <https://www.dcat-ap.de/def/contributors/openDataHRO> ;
            dct:conformsTo <https://www.dcat-ap.de/def/dcatde/1.1/> .
        """,
    )
    assert_graph(
        graph,
        """
        ex:d dcatde:contributorID <http://dcat-ap.de/def/contributors/openDataHRO> ;
            dct:conformsTo <https://www.dcat-ap.de/def/dcatde/1.1/> .
        """,
    )
    assert len(changes) == 1


def test_planned_availability_becomes_dcatap_availability_where_that_is_absent() -> None:
    graph, changes = apply_rule(
        "planned-availability",
        """
        ex:moved dcatde:plannedAvailability oldpa:stable .
        ex:same dcatde:plannedAvailability oldpa:stable ;
            dcatap:availability pa:STABLE .
        ex:conflict dcatde:plannedAvailability oldpa:experimental ;
            dcatap:availability pa:STABLE .
        ex:unknown dcatde:plannedAvailability <http://example.org/sometimes> .
        """,
    )
    assert_graph(
        graph,
        """
        ex:moved dcatap:availability pa:STABLE .
        ex:same dcatap:availability pa:STABLE .
        ex:conflict dcatde:plannedAvailability oldpa:experimental ;
            dcatap:availability pa:STABLE .
        ex:unknown dcatde:plannedAvailability <http://example.org/sometimes> .
        """,
    )
    assert {(c.subject, c.property, c.after is None) for c in changes} == {
        (EX + "moved", str(ns.DCATDE.plannedAvailability), True),
        (EX + "moved", str(ns.DCATAP.availability), False),
        (EX + "same", str(ns.DCATDE.plannedAvailability), True),
    }
    assert len(changes) == 3


def test_schema_period_dates_become_dcat_dates_where_those_are_absent() -> None:
    graph, changes = apply_rule(
        "schema-period-dates",
        """
        ex:p1 a dct:PeriodOfTime ; schema:startDate "1987-05-08"^^xsd:date ;
            schema:endDate "2090-05-08"^^xsd:date .
        ex:p2 a dct:PeriodOfTime ; schema:startDate "1987-05-08"^^xsd:date ;
            dcat:startDate "1987-05-08"^^xsd:date .
        ex:p3 a dct:PeriodOfTime ; schema:startDate "1987-05-08"^^xsd:date ;
            dcat:startDate "1990-01-01"^^xsd:date .
        ex:p4 a dct:PeriodOfTime ; schema:endDate "2000"^^xsd:gYear, "2001"^^xsd:gYear .
        """,
    )
    assert_graph(
        graph,
        """
        ex:p1 a dct:PeriodOfTime ; dcat:startDate "1987-05-08"^^xsd:date ;
            dcat:endDate "2090-05-08"^^xsd:date .
        ex:p2 a dct:PeriodOfTime ; dcat:startDate "1987-05-08"^^xsd:date .
        ex:p3 a dct:PeriodOfTime ; schema:startDate "1987-05-08"^^xsd:date ;
            dcat:startDate "1990-01-01"^^xsd:date .
        ex:p4 a dct:PeriodOfTime ; schema:endDate "2000"^^xsd:gYear, "2001"^^xsd:gYear .
        """,
    )
    assert len(changes) == 5
    assert changes[0].message_en.startswith("deprecated property replaced by dcat:")


# --- urls -------------------------------------------------------------------------------------


def test_addresses_written_as_text_become_iris() -> None:
    graph, changes = apply_rule(
        "url-literal-to-iri",
        """
        ex:dist dcat:accessURL "https://daten.teststadt.example/a.csv" ;
            dcat:downloadURL " http://daten.teststadt.example/a.csv " .
        ex:d dcat:landingPage "www.teststadt.example/daten" ;
            foaf:page "siehe Webseite" ;
            dct:conformsTo "http://example.org/a b" .
        ex:contact vcard:hasURL "ftp://teststadt.example/" .
        """,
    )
    assert_graph(
        graph,
        """
        ex:dist dcat:accessURL <https://daten.teststadt.example/a.csv> ;
            dcat:downloadURL <http://daten.teststadt.example/a.csv> .
        ex:d dcat:landingPage <http://www.teststadt.example/daten> ;
            foaf:page "siehe Webseite" ;
            dct:conformsTo "http://example.org/a b" .
        ex:contact vcard:hasURL "ftp://teststadt.example/" .
        """,
    )
    assert len(changes) == 3


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("https://a.example/x?y=1#z", "https://a.example/x?y=1#z"),
        ("www.teststadt.example", "http://www.teststadt.example"),  # scheme: see iri_from_text
        ("teststadt.example/daten", None),  # no scheme and no www: could be anything
        ("https://", None),
        ("http://localhost/x", None),  # a host without a domain is no public address
        ("https://a.example/x https://b.example/y", None),  # two addresses
        ("mailto:a@b.example", None),
    ],
)
def test_iri_from_text_takes_only_one_unambiguous_web_address(text: str, iri: str | None) -> None:
    assert iri_from_text(text) == iri


def test_email_addresses_written_as_text_become_mailto_iris() -> None:
    graph, changes = apply_rule(
        "email-to-mailto",
        """
        ex:a vcard:hasEmail "opendata@teststadt.example" .
        ex:b vcard:hasEmail "mailto:umwelt@teststadt.example" .
        ex:c vcard:hasEmail "Frau Muster, Zimmer 3" .
        ex:d vcard:hasEmail <mailto:ok@teststadt.example> .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a vcard:hasEmail <mailto:opendata@teststadt.example> .
        ex:b vcard:hasEmail <mailto:umwelt@teststadt.example> .
        ex:c vcard:hasEmail "Frau Muster, Zimmer 3" .
        ex:d vcard:hasEmail <mailto:ok@teststadt.example> .
        """,
    )
    assert len(changes) == 2
    assert mailto_from_text("a@b") is None


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lexical", "datatype"),
    [
        ("2012-07-04", "2012-07-04", ns.XSD.date),
        (" 2012-7-4 ", "2012-07-04", ns.XSD.date),
        ("04.07.2012", "2012-07-04", ns.XSD.date),
        ("2016-09-13T08:33:58", "2016-09-13T08:33:58", ns.XSD.dateTime),
        ("2016-09-13T08:33", "2016-09-13T08:33:00", ns.XSD.dateTime),
        ("2016-09-13 08:33:58", "2016-09-13T08:33:58", ns.XSD.dateTime),
        ("2016-09-13T08:33:58Z", "2016-09-13T08:33:58Z", ns.XSD.dateTime),
        ("2016-09-13T08:33:58+0200", "2016-09-13T08:33:58+02:00", ns.XSD.dateTime),
        ("2015-06-26T15:21:09.034694", "2015-06-26T15:21:09.034694", ns.XSD.dateTime),
        ("2021-01-28 GMT 01:51:03.34919300", "2021-01-28T01:51:03.34919300Z", ns.XSD.dateTime),
        ("04.07.2012 13:45", "2012-07-04T13:45:00", ns.XSD.dateTime),
        ("2007-11", "2007-11", ns.XSD.gYearMonth),
        ("1997", "1997", ns.XSD.gYear),
    ],
)
def test_typed_date_reads_the_date_formats_portals_write(
    text: str, lexical: str, datatype: URIRef
) -> None:
    assert typed_date(text) == Literal(lexical, datatype=datatype)


@pytest.mark.parametrize(
    "text",
    ["01/02/2020", "02/01/2020", "2020-02-30", "2020-13", "31.02.2020", "gestern", "Q3 2020", ""],
)
def test_typed_date_leaves_ambiguous_or_impossible_dates_alone(text: str) -> None:
    assert typed_date(text) is None


def test_dates_as_text_or_ill_typed_become_xsd_literals_and_valid_ones_stay() -> None:
    graph, changes = apply_rule(
        "date-literal",
        """
        ex:d dct:issued "2012-07-04" ; dct:modified "13.09.2016"@de .
        ex:period dcat:startDate "1999-4-4"^^xsd:date ;
            dcat:endDate "2000-01-01T00:00:00\\n  "^^xsd:dateTime ;
            schema:startDate "2007-11"^^xsd:date ; schema:endDate "01/02/2020" .
        ex:ok dct:issued "2016-09-13T08:33:58"^^xsd:dateTime ; dct:modified "2020"^^xsd:gYear .
        ex:number dct:issued "2012"^^xsd:integer .
        """,
    )
    assert_graph(
        graph,
        """
        ex:d dct:issued "2012-07-04"^^xsd:date ; dct:modified "2016-09-13"^^xsd:date .
        ex:period dcat:startDate "1999-04-04"^^xsd:date ;
            dcat:endDate "2000-01-01T00:00:00"^^xsd:dateTime ;
            schema:startDate "2007-11"^^xsd:gYearMonth ; schema:endDate "01/02/2020" .
        ex:ok dct:issued "2016-09-13T08:33:58"^^xsd:dateTime ; dct:modified "2020"^^xsd:gYear .
        ex:number dct:issued "2012"^^xsd:integer .
        """,
    )
    assert len(changes) == 5


# --- byte sizes -------------------------------------------------------------------------------


def test_whole_byte_sizes_become_whole_numbers_typed_xsd_decimal() -> None:
    graph, changes = apply_rule(
        "byte-size-decimal",
        """
        ex:a dcat:byteSize "6776.0"^^xsd:decimal .
        ex:b dcat:byteSize "1234" .
        ex:c dcat:byteSize "2048"^^xsd:nonNegativeInteger .
        ex:d dcat:byteSize "1.5E3"^^xsd:double .
        ex:e dcat:byteSize "1.5 MB" .
        ex:f dcat:byteSize "12.5"^^xsd:decimal .
        ex:g dcat:byteSize "99"^^xsd:decimal .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a dcat:byteSize "6776"^^xsd:decimal .
        ex:b dcat:byteSize "1234"^^xsd:decimal .
        ex:c dcat:byteSize "2048"^^xsd:decimal .
        ex:d dcat:byteSize "1500"^^xsd:decimal .
        ex:e dcat:byteSize "1.5 MB" .
        ex:f dcat:byteSize "12.5"^^xsd:decimal .
        ex:g dcat:byteSize "99"^^xsd:decimal .
        """,
    )
    assert len(changes) == 4
    assert whole_byte_count("-5") is None


# --- defaults from the catalog config ---------------------------------------------------------


def test_contributor_id_is_filled_only_on_datasets_that_lack_one() -> None:
    graph, changes = apply_rule(
        "contributor-id-default",
        """
        ex:cat a dcat:Catalog ; dcat:dataset ex:linked .
        ex:linked dct:title "Verlinkt" .
        ex:typed a dcat:Dataset .
        ex:own a dcat:Dataset ; dcatde:contributorID <http://dcat-ap.de/def/contributors/other> .
        ex:dist a dcat:Distribution .
        """,
    )
    assert_graph(
        graph,
        """
        ex:cat a dcat:Catalog ; dcat:dataset ex:linked .
        ex:linked dct:title "Verlinkt" ;
            dcatde:contributorID <http://dcat-ap.de/def/contributors/teststadt> .
        ex:typed a dcat:Dataset ;
            dcatde:contributorID <http://dcat-ap.de/def/contributors/teststadt> .
        ex:own a dcat:Dataset ; dcatde:contributorID <http://dcat-ap.de/def/contributors/other> .
        ex:dist a dcat:Distribution .
        """,
    )
    assert {c.subject for c in changes} == {EX + "linked", EX + "typed"}


def test_publisher_is_linked_as_named_agent_where_a_dataset_has_none() -> None:
    graph, changes = apply_rule(
        "publisher-default",
        """
        ex:a a dcat:Dataset .
        ex:b a dcat:Dataset .
        ex:c a dcat:Dataset ; dct:publisher ex:umweltamt .
        """,
    )
    assert_graph(
        graph,
        f"""
        ex:a a dcat:Dataset ; dct:publisher <{CITY}> .
        ex:b a dcat:Dataset ; dct:publisher <{CITY}> .
        ex:c a dcat:Dataset ; dct:publisher ex:umweltamt .
        <{CITY}> a foaf:Agent ; foaf:name "Stadt Teststadt" .
        """,
    )
    assert sorted((c.subject, c.property) for c in changes) == [
        (EX + "a", str(ns.DCT.publisher)),
        (EX + "b", str(ns.DCT.publisher)),
        (CITY, str(ns.RDF.type)),
        (CITY, str(ns.FOAF.name)),
    ]


def test_publisher_without_uri_is_a_blank_agent_per_dataset() -> None:
    context = NormalisationContext(publisher_name="Stadt Teststadt")
    graph, _ = apply_rule("publisher-default", "ex:a a dcat:Dataset .", context)
    assert_graph(
        graph,
        """
        ex:a a dcat:Dataset ; dct:publisher [ a foaf:Agent ; foaf:name "Stadt Teststadt" ] .
        """,
    )


def test_publisher_uri_without_a_name_fills_nothing_as_an_agent_needs_a_name() -> None:
    context = NormalisationContext(publisher_uri=URIRef(CITY))
    graph, changes = apply_rule("publisher-default", "ex:a a dcat:Dataset .", context)
    assert changes == []
    assert (None, ns.DCT.publisher, None) not in graph


def test_political_geocoding_is_filled_as_a_pair_only_where_both_are_absent() -> None:
    # A state key with the city's municipality level would contradict the record.
    graph, changes = apply_rule(
        "political-geocoding-default",
        """
        ex:a a dcat:Dataset .
        ex:b a dcat:Dataset ;
            dcatde:politicalGeocodingURI <http://dcat-ap.de/def/politicalGeocoding/stateKey/01> .
        """,
    )
    level = CONTEXT.political_geocoding_level_uri
    key = CONTEXT.political_geocoding_uri
    assert_graph(
        graph,
        f"""
        ex:a a dcat:Dataset ; dcatde:politicalGeocodingLevelURI <{level}> ;
            dcatde:politicalGeocodingURI <{key}> .
        ex:b a dcat:Dataset ;
            dcatde:politicalGeocodingURI <http://dcat-ap.de/def/politicalGeocoding/stateKey/01> .
        """,
    )
    assert len(changes) == 2


def test_an_empty_context_fills_nothing() -> None:
    graph = turtle("ex:a a dcat:Dataset .")
    result = normalise(graph)
    assert result.changes == []
    assert isomorphic(result.graph, graph)


# --- controlled vocabularies ------------------------------------------------------------------


def test_licences_written_as_text_or_variant_iris_become_dcat_ap_de_licence_iris() -> None:
    graph, changes = apply_rule(
        "licence-alias",
        """
        ex:a dct:license "CC BY 4.0" .
        ex:b dct:license <https://dcat-ap.de/def/licenses/dl-by-de/2.0/> .
        ex:c dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2_0> .
        ex:d dct:license "Nutzung nur nach Rücksprache" .
        ex:e dct:license <http://dcat-ap.de/def/licenses/cc-zero> .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a dct:license <http://dcat-ap.de/def/licenses/cc-by/4.0> .
        ex:b dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> .
        ex:c dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> .
        ex:d dct:license "Nutzung nur nach Rücksprache" .
        ex:e dct:license <http://dcat-ap.de/def/licenses/cc-zero> .
        """,
    )
    assert len(changes) == 3


def test_formats_become_eu_file_types_and_a_stated_media_type_is_kept() -> None:
    graph, changes = apply_rule(
        "format-alias",
        """
        ex:a dct:format "csv" .
        ex:b dct:format "text/csv" .
        ex:c dct:format app:zip ;
            dcat:mediaType app:x-zip .
        ex:d dct:format <https://publications.europa.eu/resource/authority/file-type/CSV> .
        ex:e dct:format "Tabelle" .
        ex:f dct:format <http://publications.europa.eu/resource/authority/file-type/ZIP> .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a dct:format ft:CSV .
        ex:b dct:format ft:CSV ; dcat:mediaType text:csv .
        ex:c dct:format ft:ZIP ;
            dcat:mediaType app:x-zip .
        ex:d dct:format ft:CSV .
        ex:e dct:format "Tabelle" .
        ex:f dct:format ft:ZIP .
        """,
    )
    assert len(changes) == 5


def test_media_types_written_as_text_become_iana_iris() -> None:
    graph, changes = apply_rule(
        "media-type-iri",
        """
        ex:a dcat:mediaType "text/csv"^^xsd:string .
        ex:b dcat:mediaType "ZIP" .
        ex:c dcat:mediaType "irgendwas" .
        ex:d dcat:mediaType <https://www.iana.org/assignments/media-types/application/json> .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a dcat:mediaType text:csv .
        ex:b dcat:mediaType app:zip .
        ex:c dcat:mediaType "irgendwas" .
        ex:d dcat:mediaType <https://www.iana.org/assignments/media-types/application/json> .
        """,
    )
    assert len(changes) == 2


def test_themes_written_as_text_or_variant_iris_become_eu_data_themes() -> None:
    graph, changes = apply_rule(
        "theme-alias",
        """
        ex:a dcat:theme "Umwelt"@de .
        ex:b dcat:theme <https://publications.europa.eu/resource/authority/data-theme/TRAN> .
        ex:c dcat:theme <http://opendata.swiss/themes/work> .
        ex:d dcat:theme theme:ENVI .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a dcat:theme theme:ENVI .
        ex:b dcat:theme theme:TRAN .
        ex:c dcat:theme <http://opendata.swiss/themes/work> .
        ex:d dcat:theme theme:ENVI .
        """,
    )
    assert len(changes) == 2


def test_languages_written_as_text_or_old_codes_become_eu_language_iris() -> None:
    graph, changes = apply_rule(
        "language-alias",
        """
        ex:a dct:language "de" .
        ex:b dct:language "http://publications.europa.eu/resource/authority/language/DEU" .
        ex:c dct:language <http://publications.europa.eu/resource/authority/language/GER> .
        ex:d dct:language "Plattdüütsch" .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a dct:language lang:DEU .
        ex:b dct:language lang:DEU .
        ex:c dct:language lang:DEU .
        ex:d dct:language "Plattdüütsch" .
        """,
    )
    assert len(changes) == 3


def test_frequencies_written_as_text_or_by_label_become_eu_frequency_iris() -> None:
    graph, changes = apply_rule(
        "frequency-alias",
        """
        ex:a dct:accrualPeriodicity "jährlich" .
        ex:b dct:accrualPeriodicity freq:IRREGULAR .
        ex:c dct:accrualPeriodicity "einmalig" .
        ex:d dct:accrualPeriodicity "alle paar Jahre" .
        """,
    )
    assert_graph(
        graph,
        """
        ex:a dct:accrualPeriodicity freq:ANNUAL .
        ex:b dct:accrualPeriodicity freq:IRREG .
        ex:c dct:accrualPeriodicity freq:NEVER .
        ex:d dct:accrualPeriodicity "alle paar Jahre" .
        """,
    )
    # "einmalig": published once, never updated; the EU list has no ONCE (dcat/vocab).
    assert len(changes) == 3


def test_availability_written_as_text_becomes_the_eu_iri() -> None:
    graph, changes = apply_rule("availability-alias", 'ex:a dcatap:availability "stable" .')
    assert_graph(graph, "ex:a dcatap:availability pa:STABLE .")
    assert len(changes) == 1


# --- the pipeline's promises ------------------------------------------------------------------

MESSY_DATASET = """
ex:cat a dcat:Catalog ; dcat:dataset ex:d ; dct:modified "2021-01-28 GMT 01:51:03.34919300" .
ex:d a dcat:Dataset ; dct:issued "04.07.2012" ; dcat:theme "Umwelt" ;
    old:contributorID <https://www.dcat-ap.de/def/contributors/openDataHRO> ;
    dcat:landingPage "www.teststadt.example/baeume" ;
    dcat:contactPoint [ a vcard:Organization ; vcard:hasEmail "umwelt@teststadt.example" ] ;
    dcat:distribution ex:dist .
ex:dist a dcat:Distribution ; dcat:accessURL "https://daten.teststadt.example/baeume.csv" ;
    dct:format "text/csv" ; dcat:byteSize "6776.0"^^xsd:decimal ;
    old:plannedAvailability <https://www.dcat-ap.de/def/plannedAvailability/stable> .
"""


def test_normalise_leaves_the_callers_graph_alone_and_returns_a_new_one() -> None:
    graph = turtle(MESSY_DATASET)
    original = set(graph)
    result = normalise(graph, CONTEXT)
    assert result.graph is not graph
    assert set(graph) == original
    assert set(result.graph) != original


def test_normalise_in_place_changes_and_returns_the_same_graph() -> None:
    graph = turtle(MESSY_DATASET)
    copy = normalise(graph, CONTEXT)
    result = normalise(graph, CONTEXT, in_place=True)
    assert result.graph is graph
    assert isomorphic(graph, copy.graph)


def test_normalising_twice_changes_nothing_the_second_time() -> None:
    first = normalise(turtle(MESSY_DATASET), CONTEXT)
    assert len(first.changes) > 10
    second = normalise(first.graph, CONTEXT)
    assert second.changes == []
    assert isomorphic(second.graph, first.graph)


def test_nothing_is_invented_no_title_description_or_licence() -> None:
    graph = turtle(
        """
        ex:d a dcat:Dataset ; dcat:distribution ex:dist .
        ex:dist a dcat:Distribution ; dcat:accessURL <https://daten.teststadt.example/x> .
        """
    )
    result = normalise(graph, CONTEXT).graph
    for predicate in (ns.DCT.title, ns.DCT.description, ns.DCT.license, ns.DCT.format):
        assert (None, predicate, None) not in result
    added = set(result) - set(graph)
    assert {p for _, p, _ in added} == {
        ns.DCATDE.contributorID,
        ns.DCT.publisher,
        ns.RDF.type,
        ns.FOAF.name,
        ns.DCATDE.politicalGeocodingLevelURI,
        ns.DCATDE.politicalGeocodingURI,
    }


def test_every_change_names_rule_subject_property_before_and_after() -> None:
    result = normalise(turtle(MESSY_DATASET), CONTEXT)
    rules = {change.rule for change in result.changes}
    assert rules >= {
        "dcatde-namespace",
        "dcat-ap-de-iri",
        "planned-availability",
        "url-literal-to-iri",
        "email-to-mailto",
        "format-alias",
        "theme-alias",
        "date-literal",
        "byte-size-decimal",
        "publisher-default",
        "political-geocoding-default",
    }
    assert "contributor-id-default" not in rules  # the upgraded dcatde:contributorID counts
    issued = next(c for c in result.changes if c.property == str(ns.DCT.issued))
    assert issued == Change(
        rule="date-literal",
        subject=EX + "d",
        property=str(ns.DCT.issued),
        before='"04.07.2012"',
        after=f'"2012-07-04"^^<{ns.XSD.date}>',
        message_de='Datum als typisiertes xsd-Literal geschrieben: dct:issued: "04.07.2012" → '
        '"2012-07-04"^^xsd:date',
        message_en='date written as a typed xsd literal: dct:issued: "04.07.2012" → '
        '"2012-07-04"^^xsd:date',
    )
    added = next(c for c in result.changes if c.rule == "political-geocoding-default")
    assert added.before is None
    assert added.after in {
        f"<{CONTEXT.political_geocoding_uri}>",
        f"<{CONTEXT.political_geocoding_level_uri}>",
    }
    assert "ergänzt" in added.message_de and "added" in added.message_en
    for change in result.changes:
        assert change.subject and change.property.startswith("http")
        assert change.message_de != change.message_en
