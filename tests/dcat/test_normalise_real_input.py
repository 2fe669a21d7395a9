"""The repairs real catalogs need (issue 14), each on the shape the defect has in the wild.

The graphs follow what real portals deliver (a federal statistics office's contributor ID as
text, a state catalog's identifiers as IRIs, Bremen's RDF/XML with relative references, an
opaque publisher key under a sub-catalog that names its publisher); the corpus test in
tests/harvesters/test_real_catalogs.py runs the same rules on the real files.
"""

from __future__ import annotations

import dataclasses

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS

import dcat.namespaces as ns
from dcat.normalise import NormalisationContext, SourceRules, normalise
from dcat.origin import AgentDescription, listing_catalog
from dcat.parsing import parse_rdf
from dcat.relative import RELATIVE_BASE, rebase_described_nodes
from dcat.split import split_catalog_into_datasets
from tests.dcat.test_normalise import CONTEXT, EX, turtle

LICENCE_DL_BY = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
FEDERAL = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/federal")
FILE_TYPE_CSV = URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")


def rules_of(result) -> set[str]:
    return {change.rule for change in result.changes}


# --- kinds the profile fixes ------------------------------------------------------------------


def test_a_contributor_id_written_as_text_becomes_the_iri_it_holds() -> None:
    graph = turtle(
        """
        ex:a a dcat:Dataset ; dct:title "t" ; dct:description "d" ;
            dcatde:contributorID "http://dcat-ap.de/def/contributors/destatis" .
        """
    )
    result = normalise(graph)
    values = set(result.graph.objects(URIRef(EX + "a"), ns.DCATDE.contributorID))
    assert values == {URIRef("http://dcat-ap.de/def/contributors/destatis")}
    assert "node-kind" in rules_of(result)


def test_an_identifier_given_as_an_iri_becomes_its_text() -> None:
    graph = turtle(
        """
        ex:a a dcat:Dataset ; dct:identifier <https://geoportal.example/id/4711> .
        """
    )
    result = normalise(graph)
    assert set(result.graph.objects(URIRef(EX + "a"), ns.DCT.identifier)) == {
        Literal("https://geoportal.example/id/4711")
    }


def test_a_bare_adms_identifier_iri_is_typed_and_keeps_itself_as_notation() -> None:
    graph = turtle(
        "ex:a a dcat:Dataset ;"
        " <http://www.w3.org/ns/adms#identifier> <https://register.example/4711> ."
    )
    result = normalise(graph)
    identifier = URIRef("https://register.example/4711")
    assert (URIRef(EX + "a"), ns.ADMS.identifier, identifier) in result.graph
    assert (identifier, ns.RDF.type, ns.ADMS.Identifier) in result.graph
    assert (identifier, SKOS.notation, Literal(str(identifier))) in result.graph


def test_text_that_is_not_an_address_stays_for_validation_to_report() -> None:
    graph = turtle('ex:a a dcat:Dataset ; dcatde:contributorID "Statistikamt Nord" .')
    result = normalise(graph)
    assert set(result.graph.objects(URIRef(EX + "a"), ns.DCATDE.contributorID)) == {
        Literal("Statistikamt Nord")
    }


def test_a_contact_typed_as_foaf_organisation_gets_its_vcard_name_as_foaf_name() -> None:
    graph = turtle(
        """
        ex:a a dcat:Dataset ; dcat:contactPoint ex:c .
        ex:c a foaf:Organization ; vcard:fn "Senator für Finanzen" ;
            vcard:hasEmail <mailto:office@finanzen.bremen.de> .
        """
    )
    result = normalise(graph)
    contact = URIRef(EX + "c")
    assert (contact, ns.FOAF.name, Literal("Senator für Finanzen")) in result.graph
    assert (contact, ns.VCARD.fn, Literal("Senator für Finanzen")) in result.graph  # kept
    assert (contact, ns.RDF.type, ns.VCARD.Kind) in result.graph  # dcat:contactPoint's range


# --- relative references ----------------------------------------------------------------------

BREMEN_STYLE_RDF_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/"
    xmlns:vcard="http://www.w3.org/2006/vcard/ns#">
  <dcat:Catalog rdf:about="catalog">
    <dcat:dataset>
      <dcat:Dataset rdf:about="dataset/haushalt">
        <dct:title>Haushalt</dct:title>
        <dct:description>Haushaltsdaten</dct:description>
        <dcat:contactPoint><vcard:Organization>
          <vcard:fn>Senator f\xc3\xbcr Finanzen</vcard:fn>
          <vcard:hasEmail rdf:resource="office@finanzen.bremen.de"/>
        </vcard:Organization></dcat:contactPoint>
        <dcat:distribution><dcat:Distribution>
          <dcat:accessURL rdf:resource="https://www.transparenz.bremen.de/haushalt.csv"/>
          <dct:format rdf:resource="CSV"/>
        </dcat:Distribution></dcat:distribution>
      </dcat:Dataset>
    </dcat:dataset>
  </dcat:Catalog>
</rdf:RDF>
"""


def harvested(data: bytes, address: str):
    graph = parse_rdf(data, content_type="application/rdf+xml", base=RELATIVE_BASE)
    rebase_described_nodes(graph, address)
    return graph


def test_relative_references_never_resolve_against_the_harvest_address() -> None:
    address = "https://daten.bremen.example/export/"
    graph = harvested(BREMEN_STYLE_RDF_XML, address)
    (dataset,) = split_catalog_into_datasets(graph)
    # Described nodes take the document's address: that is their identity.
    assert dataset.node == URIRef(address + "dataset/haushalt")
    result = normalise(dataset.graph)
    objects = set(result.graph.objects())
    assert not any(
        str(o).startswith((address + "CSV", address + "office", RELATIVE_BASE)) for o in objects
    )
    assert URIRef("mailto:office@finanzen.bremen.de") in objects
    assert FILE_TYPE_CSV in set(result.graph.objects(None, ns.DCT.format))
    assert "relative-reference" in rules_of(result)


def test_a_relative_reference_without_a_certain_meaning_is_kept_as_text() -> None:
    graph = turtle(f"ex:a a dcat:Dataset ; dcat:landingPage <{RELATIVE_BASE}info/seite.html> .")
    result = normalise(graph)
    assert set(result.graph.objects(URIRef(EX + "a"), ns.DCAT.landingPage)) == {
        Literal("info/seite.html")
    }


# --- publishers -------------------------------------------------------------------------------

STATE_CATALOG = """
ex:state a dcat:Catalog ; dct:title "Landesportal" ; dcat:catalog ex:sub .
ex:sub a dcat:Catalog ; dct:title "Geoportal des Landes" ;
    dct:publisher ex:geo ; dcat:dataset ex:a .
ex:geo a foaf:Agent ; foaf:name "Landesamt für Geoinformation" .
ex:a a dcat:Dataset ; dct:title "t" ; dct:description "d" ; dct:publisher "t173367" .
"""


def test_an_opaque_publisher_key_is_replaced_by_the_listing_catalogs_agent() -> None:
    page = turtle(STATE_CATALOG)
    (dataset,) = split_catalog_into_datasets(page)
    assert dataset.origin == listing_catalog(page, URIRef(EX + "a"))
    assert dataset.origin is not None and dataset.origin.title == "Geoportal des Landes"
    context = dataclasses.replace(CONTEXT, origin=dataset.origin, city_defaults=False)
    result = normalise(dataset.graph, context)
    publishers = set(result.graph.objects(URIRef(EX + "a"), ns.DCT.publisher))
    assert publishers == {URIRef(EX + "geo")}
    assert (URIRef(EX + "geo"), ns.FOAF.name, Literal("Landesamt für Geoinformation")) in (
        result.graph
    )
    notes = [c.message_en for c in result.changes if c.rule == "publisher-default"]
    assert any("Geoportal des Landes" in note for note in notes)


def test_the_sources_default_publisher_comes_before_the_catalogs() -> None:
    page = turtle(STATE_CATALOG)
    (dataset,) = split_catalog_into_datasets(page)
    source = SourceRules(
        publisher=AgentDescription("Stadtwerke Musterstadt", "https://stadtwerke.example/")
    )
    context = dataclasses.replace(CONTEXT, origin=dataset.origin, source=source)
    result = normalise(dataset.graph, context)
    agent = result.graph.value(URIRef(EX + "a"), ns.DCT.publisher)
    assert agent == URIRef("https://stadtwerke.example/")
    assert Literal("t173367") not in set(result.graph.objects())


def test_an_opaque_publisher_stays_when_nobody_configured_one() -> None:
    graph = turtle('ex:a a dcat:Dataset ; dct:publisher "t173367" .')
    context = dataclasses.replace(CONTEXT, city_defaults=False)
    result = normalise(graph, context)
    assert set(result.graph.objects(URIRef(EX + "a"), ns.DCT.publisher)) == {Literal("t173367")}


def test_a_publisher_written_as_a_name_becomes_an_agent_of_that_name() -> None:
    graph = turtle('ex:a a dcat:Dataset ; dct:publisher "Stadt Bonn" .')
    result = normalise(graph, dataclasses.replace(CONTEXT, city_defaults=False))
    agent = result.graph.value(URIRef(EX + "a"), ns.DCT.publisher)
    assert isinstance(agent, BNode)
    assert result.graph.value(agent, ns.FOAF.name) == Literal("Stadt Bonn")


# --- the city's values stay on the city's records ---------------------------------------------


def test_a_federal_record_never_receives_the_citys_geocoding_or_contributor_id() -> None:
    graph = turtle(
        """
        ex:a a dcat:Dataset ; dct:title "Bevölkerung" ; dct:description "d" ;
            dct:publisher [ a foaf:Agent ; foaf:name "Statistisches Bundesamt" ] ;
            dcatde:politicalGeocodingLevelURI
                <http://dcat-ap.de/def/politicalGeocoding/Level/federal> .
        """
    )
    result = normalise(graph, CONTEXT)  # city_defaults on, as for the city's own sources
    node = URIRef(EX + "a")
    assert set(result.graph.objects(node, ns.DCATDE.politicalGeocodingLevelURI)) == {FEDERAL}
    assert (node, ns.DCATDE.politicalGeocodingURI, None) not in result.graph
    assert (node, ns.DCATDE.contributorID, None) not in result.graph


def test_the_citys_own_department_record_gets_the_citys_values() -> None:
    graph = turtle(
        """
        ex:a a dcat:Dataset ; dct:publisher [ a foaf:Agent ; foaf:name "Umweltamt" ] .
        """
    )
    context = dataclasses.replace(CONTEXT, own_publishers=frozenset({"Umweltamt"}))
    result = normalise(graph, context)
    node = URIRef(EX + "a")
    assert (node, ns.DCATDE.contributorID, CONTEXT.contributor_id) in result.graph
    assert (node, ns.DCATDE.politicalGeocodingURI, CONTEXT.political_geocoding_uri) in (
        result.graph
    )


def test_a_source_with_city_defaults_off_gets_none_of_the_citys_values() -> None:
    graph = turtle('ex:a a dcat:Dataset ; dct:title "t" .')
    result = normalise(graph, dataclasses.replace(CONTEXT, city_defaults=False))
    node = URIRef(EX + "a")
    for predicate in (
        ns.DCATDE.contributorID,
        ns.DCATDE.politicalGeocodingURI,
        ns.DCT.publisher,
    ):
        assert (node, predicate, None) not in result.graph


# --- a steward's mappings and defaults --------------------------------------------------------


def test_mappings_replace_exactly_the_sources_own_values() -> None:
    graph = turtle(
        """
        ex:a a dcat:Dataset ;
            dcat:theme <https://portal.example/theme/Umwelt%20und%20Klima> ;
            dcat:distribution ex:d1, ex:d2 .
        ex:d1 a dcat:Distribution ; dct:license "Nutzungsbedingungen der LHP" ; dct:format "Shape" .
        ex:d2 a dcat:Distribution ; dct:license "Public" .
        """
    )
    source = SourceRules(
        license_map=(("Nutzungsbedingungen der LHP", LICENCE_DL_BY),),
        theme_map=(
            (
                "https://portal.example/theme/Umwelt%20und%20Klima",
                URIRef("http://publications.europa.eu/resource/authority/data-theme/ENVI"),
            ),
        ),
        format_map=(
            ("Shape", URIRef("http://publications.europa.eu/resource/authority/file-type/SHP")),
        ),
    )
    result = normalise(graph, NormalisationContext(source=source))
    g = result.graph
    assert g.value(URIRef(EX + "d1"), ns.DCT.license) == LICENCE_DL_BY
    assert g.value(URIRef(EX + "d2"), ns.DCT.license) == Literal("Public")  # not mapped
    assert g.value(URIRef(EX + "a"), ns.DCAT.theme) == URIRef(
        "http://publications.europa.eu/resource/authority/data-theme/ENVI"
    )
    assert g.value(URIRef(EX + "d1"), ns.DCT.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/SHP"
    )
    assert "source-mapping" in rules_of(result)


def test_source_defaults_fill_only_what_a_record_lacks() -> None:
    graph = turtle(
        """
        ex:a a dcat:Dataset ; dcat:theme theme:TRAN ; dcat:distribution ex:d1, ex:d2 .
        ex:d1 a dcat:Distribution ; dct:license <http://dcat-ap.de/def/licenses/cc-by/4.0> .
        ex:d2 a dcat:Distribution .
        """
    )
    source = SourceRules(
        license=LICENCE_DL_BY,
        themes=(URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE"),),
        contact_name="Open-Data-Team",
        contact_email=URIRef("mailto:opendata@stadtwerke.example"),
        contributor_id=URIRef("http://dcat-ap.de/def/contributors/stadtwerke"),
    )
    result = normalise(graph, NormalisationContext(source=source))
    g = result.graph
    assert g.value(URIRef(EX + "d1"), ns.DCT.license) == URIRef(
        "http://dcat-ap.de/def/licenses/cc-by/4.0"
    )
    assert g.value(URIRef(EX + "d2"), ns.DCT.license) == LICENCE_DL_BY
    assert set(g.objects(URIRef(EX + "a"), ns.DCAT.theme)) == {
        URIRef("http://publications.europa.eu/resource/authority/data-theme/TRAN")
    }
    contact = g.value(URIRef(EX + "a"), ns.DCAT.contactPoint)
    assert g.value(contact, ns.VCARD.hasEmail) == URIRef("mailto:opendata@stadtwerke.example")
    assert g.value(URIRef(EX + "a"), ns.DCATDE.contributorID) == source.contributor_id
    assert {c.rule for c in result.changes} >= {"source-defaults", "contributor-id-default"}


def test_every_new_repair_is_idempotent() -> None:
    page = turtle(STATE_CATALOG)
    (dataset,) = split_catalog_into_datasets(page)
    context = dataclasses.replace(CONTEXT, origin=dataset.origin)
    once = normalise(dataset.graph, context)
    twice = normalise(once.graph, context)
    assert twice.changes == []


def test_an_adms_identifier_given_as_text_becomes_an_identifier_with_that_notation() -> None:
    # ckanext-dcatde writes <adms:identifier>4635D337-4805-4C32-A211-13F8C038BF27</adms:identifier>
    graph = turtle(
        'ex:a a dcat:Dataset ; <http://www.w3.org/ns/adms#identifier> "4635D337-4805-4C32" .'
    )
    result = normalise(graph)
    (identifier,) = result.graph.objects(URIRef(EX + "a"), ns.ADMS.identifier)
    assert isinstance(identifier, BNode)
    assert (identifier, ns.RDF.type, ns.ADMS.Identifier) in result.graph
    assert (identifier, SKOS.notation, Literal("4635D337-4805-4C32")) in result.graph
    assert normalise(result.graph).changes == []


def test_an_empty_reference_is_removed_so_the_report_names_the_missing_value() -> None:
    # Bremen's export writes <dcat:accessURL rdf:resource=""/> where it has no address.
    graph = turtle(f"ex:d a dcat:Distribution ; dcat:accessURL <{RELATIVE_BASE}> .")
    result = normalise(graph)
    assert (URIRef(EX + "d"), ns.DCAT.accessURL, None) not in result.graph
    assert [c.before for c in result.changes] == [f"<{RELATIVE_BASE}>"]


def test_a_publisher_named_only_by_rdfs_label_is_typed_and_named_as_an_agent() -> None:
    # opendata.swiss: <dct:publisher><rdf:Description><rdfs:label>BFS/OFS</rdfs:label>…
    graph = turtle(
        """
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:a a dcat:Dataset ; dct:publisher [ rdfs:label "BFS/OFS" ] .
        """
    )
    result = normalise(graph, dataclasses.replace(CONTEXT, city_defaults=False))
    agent = result.graph.value(URIRef(EX + "a"), ns.DCT.publisher)
    assert (agent, ns.RDF.type, ns.FOAF.Agent) in result.graph
    assert result.graph.value(agent, ns.FOAF.name) == Literal("BFS/OFS")


def test_a_bare_publisher_iri_is_not_typed_since_that_would_not_name_it() -> None:
    graph = turtle("ex:a a dcat:Dataset ; dct:publisher <https://vendor.example/> .")
    result = normalise(graph, dataclasses.replace(CONTEXT, city_defaults=False))
    assert (URIRef("https://vendor.example/"), None, None) not in result.graph


def test_a_spatial_coverage_given_as_text_becomes_a_named_location() -> None:
    # opendata.swiss: <dct:spatial>Schweiz</dct:spatial>
    graph = turtle('ex:a a dcat:Dataset ; dct:spatial "Schweiz" .')
    result = normalise(graph)
    place = result.graph.value(URIRef(EX + "a"), ns.DCT.spatial)
    assert isinstance(place, BNode)
    assert (place, ns.RDF.type, ns.DCT.Location) in result.graph
    assert result.graph.value(place, SKOS.prefLabel) == Literal("Schweiz")


FOGGIA_STYLE_EMPTY_THEME = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/"
    xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <dcat:Dataset rdf:about="https://comune.example/dataset/matrimoni">
    <dct:title>Matrimoni</dct:title>
    <dct:description>Elenco</dct:description>
    <dcat:theme rdf:resource=""/>
  </dcat:Dataset>
  <skos:Concept rdf:about="">
    <skos:prefLabel>Popolazione e societ\xc3\xa0</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>
"""


def test_an_empty_theme_reference_is_dropped_with_its_description_not_made_the_document() -> None:
    address = "https://comune.example/catalog.rdf"
    graph = harvested(FOGGIA_STYLE_EMPTY_THEME, address)
    (dataset,) = split_catalog_into_datasets(graph)
    result = normalise(dataset.graph)
    assert (None, ns.DCAT.theme, None) not in result.graph
    assert URIRef(address) not in set(result.graph.all_nodes())
    assert not any(str(node).startswith(RELATIVE_BASE) for node in result.graph.all_nodes())


GEOJSON = URIRef("https://www.iana.org/assignments/media-types/application/vnd.geo+json")
WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")


def _place(coordinates: str) -> Graph:
    """A dataset whose place has a GeoJSON geometry and this WKT polygon beside it."""
    graph = turtle("ex:a a dcat:Dataset ; dct:spatial ex:place . ex:place a dct:Location .")
    place = URIRef(EX + "place")
    geojson = '{"type": "Polygon", "coordinates": ' + coordinates + "}"
    graph.add((place, ns.LOCN.geometry, Literal(geojson, datatype=GEOJSON)))
    wkt = "POLYGON ((9.7447 54.5364, 9.7393 54.5360, 9.7425 54.5299, 9.7447 54.5364))"
    graph.add((place, ns.LOCN.geometry, Literal(wkt, datatype=WKT)))
    return graph


def test_the_same_geometry_as_geojson_beside_wkt_keeps_only_the_wkt() -> None:
    # Schleswig-Holstein's CKAN (ckanext-dcatde) writes every place in both encodings.
    graph = _place("[[[9.7447, 54.5364], [9.7393, 54.536], [9.7425, 54.5299], [9.7447, 54.5364]]]")
    result = normalise(graph)
    geometries = list(result.graph.objects(URIRef(EX + "place"), ns.LOCN.geometry))
    assert len(geometries) == 1
    assert geometries[0].datatype == WKT


def test_different_geometries_are_all_kept_for_validation_to_report() -> None:
    graph = _place("[[[10.0, 53.0], [10.1, 53.0], [10.1, 53.1], [10.0, 53.0]]]")
    result = normalise(graph)
    assert len(list(result.graph.objects(URIRef(EX + "place"), ns.LOCN.geometry))) == 2


def test_ckans_notspecified_licence_is_removed_and_a_source_default_can_fill_it() -> None:
    # Münster's DKAN export: License "notspecified" on 11 datasets.
    graph = turtle('ex:d a dcat:Distribution ; dct:license "notspecified" .')
    alone = normalise(graph)
    assert (URIRef(EX + "d"), ns.DCT.license, None) not in alone.graph
    with_default = normalise(graph, NormalisationContext(source=SourceRules(license=LICENCE_DL_BY)))
    assert with_default.graph.value(URIRef(EX + "d"), ns.DCT.license) == LICENCE_DL_BY


def test_an_iri_with_square_brackets_is_stored_percent_encoded_as_published() -> None:
    # GovData's ckanext-dcatde example: a geoportal link with LAYER[zoom]=1 in its query.
    graph = turtle("ex:d a dcat:Distribution .")
    raw = URIRef("http://www.geoportal.rlp.de:80/portal/karten.html?LAYER[zoom]=1&LAYER[id]=38836")
    graph.add((URIRef(EX + "d"), ns.DCAT.accessURL, raw))
    result = normalise(graph)
    assert result.graph.value(URIRef(EX + "d"), ns.DCAT.accessURL) == URIRef(
        "http://www.geoportal.rlp.de:80/portal/karten.html?LAYER%5Bzoom%5D=1&LAYER%5Bid%5D=38836"
    )
    assert [c.rule for c in result.changes] == ["iri-escape"]
