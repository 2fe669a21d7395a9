"""ISO 19139 -> DCAT-AP.de, field by field, on the real Berlin FIS-Broker and GeoNetwork records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from rdflib import Literal, URIRef
from rdflib.term import Node

from dcat.iso19139 import CRS84, IsoDataset, IsoMappingError, bbox_wkt, iso_dataset
from dcat.iso19139_xml import NAMESPACES, IsoXmlError, metadata_elements, parse_xml
from dcat.namespaces import DCAT, DCATDE, DCT, FOAF, RDFS, VCARD, XSD
from tests.conftest import SHARED

CSW = SHARED / "fixtures" / "csw"
DL_BY_DE_2 = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
THEME = "http://publications.europa.eu/resource/authority/data-theme/"


def _record(path: Path, number: int = 0) -> Any:
    return metadata_elements(parse_xml(path.read_bytes()))[number]


def _mapped(name: str, number: int = 0) -> IsoDataset:
    return iso_dataset(_record(CSW / name, number))


def _one(mapped: IsoDataset, predicate: URIRef) -> Node:
    values = list(mapped.graph.objects(mapped.node, predicate))
    assert len(values) == 1, (predicate, values)
    return values[0]


def test_berlin_dataset_record_maps_its_core_facts() -> None:
    mapped = _mapped("berlin-fisbroker/dataset-open-data.xml")
    assert mapped.file_identifier == "51022e98-12ab-47dd-897e-5d24136679d1"
    assert mapped.scope == "dataset" and mapped.warnings == []
    title = _one(mapped, DCT.title)
    assert isinstance(title, Literal) and title.language == "de"
    assert str(title).startswith("Kriterien zur Bewertung der Bodenfunktionen 2015")
    assert _one(mapped, DCT.issued) == Literal("2019-02-22", datatype=XSD.date)
    assert _one(mapped, DCT.created) == Literal("2018-08-13", datatype=XSD.date)
    assert _one(mapped, DCT.type) == URIRef(
        "http://inspire.ec.europa.eu/metadata-codelist/ResourceType/dataset"
    )
    keywords = {str(k) for k in mapped.graph.objects(mapped.node, DCAT.keyword)}
    assert {"opendata", "Geodaten", "Berlin"} <= keywords
    # The INSPIRE theme "Boden" (GEMET - INSPIRE themes) becomes the EU theme ENVI.
    assert URIRef(THEME + "ENVI") in set(mapped.graph.objects(mapped.node, DCAT.theme))
    statement = _one(mapped, DCT.provenance)
    assert str(mapped.graph.value(statement, RDFS.label)).startswith("- Lebensraumfunktion")


def test_gdi_de_licence_json_gives_licence_and_attribution_on_every_distribution() -> None:
    mapped = _mapped("berlin-fisbroker/wfs-open-data.xml")
    assert mapped.rights.licence == str(DL_BY_DE_2) and mapped.rights.licence_open
    distributions = list(mapped.graph.objects(mapped.node, DCAT.distribution))
    assert distributions
    for distribution in distributions:
        assert mapped.graph.value(distribution, DCT.license) == DL_BY_DE_2
        attribution = mapped.graph.value(distribution, DCATDE.licenseAttributionByText)
        assert str(attribution) == "Umweltatlas Berlin / [Titel des Datensatzes]"
    assert str(_one(mapped, DCT.accessRights)) == "Es gelten keine Bedingungen"


def test_licence_text_without_json_goes_through_the_licence_aliases() -> None:
    mapped = _mapped("berlin-fisbroker/wfs-no-license.xml")
    assert mapped.rights.licence == str(DL_BY_DE_2)
    assert mapped.rights.attribution is None


def test_unfinished_terms_of_use_are_no_open_licence() -> None:
    mapped = _mapped("berlin-fisbroker/csw_getrecords_01.xml", 2)
    assert mapped.file_identifier == "aac23975-94e4-3707-96fa-e447e43d6013"
    assert mapped.rights.licence is None and not mapped.rights.licence_open
    assert "noch nicht abschließend" in mapped.rights.described
    assert any("gmd:otherConstraints" in warning.de for warning in mapped.warnings)


def test_service_record_gives_a_data_service_with_endpoint_type_and_served_dataset() -> None:
    mapped = _mapped("berlin-fisbroker/wfs-open-data.xml")
    graph = mapped.graph
    (service,) = graph.subjects(DCAT.servesDataset, mapped.node)
    assert graph.value(service, DCT.conformsTo) == URIRef(
        "http://www.opengis.net/def/serviceType/ogc/wfs"
    )
    assert graph.value(service, DCAT.endpointURL) == URIRef(
        "https://fbinter.stadt-berlin.de/fb/wfs/data/senstadt/s01_11_07naehr2015"
    )
    (distribution,) = graph.subjects(DCAT.accessService, service)
    assert graph.value(distribution, DCT.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/WFS_SRVC"
    )
    # "information" links are pages about the data, not distributions.
    pages = {str(p) for p in graph.objects(mapped.node, FOAF.page)}
    assert "https://www.stadtentwicklung.berlin.de/umwelt/umweltatlas/dd11107.htm" in pages


def test_bounding_box_is_wkt_in_crs84_longitude_first() -> None:
    mapped = _mapped("berlin-fisbroker/wfs-open-data.xml")
    place = _one(mapped, DCT.spatial)
    box = mapped.graph.value(place, DCAT.bbox)
    assert box == Literal(
        bbox_wkt(13.079, 52.3284, 13.7701, 52.6877),
        datatype=URIRef("http://www.opengis.net/ont/geosparql#wktLiteral"),
    )
    assert str(box) == (
        f"<{CRS84}> POLYGON((13.079 52.3284, 13.7701 52.3284, 13.7701 52.6877, "
        "13.079 52.6877, 13.079 52.3284))"
    )
    period = _one(mapped, DCT.temporal)
    assert mapped.graph.value(period, DCAT.startDate) == Literal("2015-01-01", datatype=XSD.date)


def test_exchanged_east_and_west_bounds_are_put_right_and_reported() -> None:
    mapped = _mapped("geonetwork/geonetwork-iso19139-page-1.xml")
    place = _one(mapped, DCT.spatial)
    assert "1.31279 49.3855, 3.28134 49.3855" in str(mapped.graph.value(place, DCAT.bbox))
    assert any("westBoundLongitude" in warning.de for warning in mapped.warnings)
    # planningCadastre -> REGI; a French record keeps its language tag.
    assert URIRef(THEME + "REGI") in set(mapped.graph.objects(mapped.node, DCAT.theme))
    assert _one(mapped, DCT.title).language == "fr"  # type: ignore[union-attr]


def test_missing_contact_e_mail_and_publication_date_are_warnings_naming_the_element() -> None:
    no_email = _mapped("berlin-fisbroker/wfs-no-email.xml")
    assert any("gmd:electronicMailAddress" in w.de for w in no_email.warnings)
    contact = _one(no_email, DCAT.contactPoint)
    assert no_email.graph.value(contact, VCARD.hasEmail) is None
    no_date = _mapped("berlin-fisbroker/wfs-no-release-date.xml")
    assert (no_date.node, DCT.issued, None) not in no_date.graph
    assert any("gmd:date (publication)" in w.de for w in no_date.warnings)


def test_maintenance_frequency_becomes_the_eu_frequency() -> None:
    record = _record(CSW / "berlin-fisbroker/dataset-open-data.xml")
    (identification,) = record.xpath("gmd:identificationInfo/*", namespaces=NAMESPACES)
    gmd = "{" + NAMESPACES["gmd"] + "}"
    maintenance = etree.SubElement(identification, f"{gmd}resourceMaintenance")
    info = etree.SubElement(maintenance, f"{gmd}MD_MaintenanceInformation")
    frequency = etree.SubElement(info, f"{gmd}maintenanceAndUpdateFrequency")
    code = etree.SubElement(frequency, f"{gmd}MD_MaintenanceFrequencyCode")
    code.set("codeListValue", "annually")
    mapped = iso_dataset(record)
    assert _one(mapped, DCT.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    )


def test_missing_title_is_refused_naming_the_iso_element() -> None:
    record = _record(CSW / "berlin-fisbroker/dataset-open-data.xml")
    for title in record.xpath(
        "gmd:identificationInfo/*/gmd:citation/*/gmd:title", namespaces=NAMESPACES
    ):
        title.getparent().remove(title)
    with pytest.raises(IsoMappingError, match=r"gmd:citation/gmd:CI_Citation/gmd:title missing"):
        iso_dataset(record)


def test_xml_with_entity_declarations_is_refused_before_parsing() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(IsoXmlError, match="DOCTYPE"):
        parse_xml(bomb)
    external = b'<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/secret">]><x>&e;</x>'
    with pytest.raises(IsoXmlError):
        parse_xml(external)


def test_inspire_themes_follow_semics_alignment_by_either_label() -> None:
    from dcat.iso19139_codes import DATA_THEME, themes_for_inspire

    assert themes_for_inspire("Verwaltungseinheiten") == [DATA_THEME + "GOVE"]
    assert themes_for_inspire("Agricultural and  aquaculture facilities") == [DATA_THEME + "AGRI"]
    assert themes_for_inspire("Hydrography") == [DATA_THEME + "ENVI", DATA_THEME + "TECH"]
    assert themes_for_inspire("Stadtbäume") == []


def test_topic_categories_give_the_themes_of_the_german_convention() -> None:
    from dcat.iso19139_codes import DATA_THEME, themes_for_topic

    assert themes_for_topic("planningCadastre") == [DATA_THEME + "REGI", DATA_THEME + "GOVE"]
    assert themes_for_topic("intelligenceMilitary") == [DATA_THEME + "JUST"]
    assert themes_for_topic("unknownCategory") == []
