"""The CKAN field table (dcat.ckan.fields): each written key survives parse and serialize."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dcat.ckan import fields as field
from dcat.ckan.fields import FIELDS, CkanField, Kind, Level, Slot, field_for
from dcat.ckan.parse import dataset_graph_from_ckan
from dcat.ckan.serialize import ckan_package_from_view
from dcat.namespaces import DCAT, DCATDE, DCT, VCARD
from dcat.view import dataset_view

DL_BY = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
BASE_RESOURCE = {"url": "https://daten.example/baeume.csv"}
BBOX = "POLYGON((11.3 48.0, 11.7 48.0, 11.7 48.3, 11.3 48.3, 11.3 48.0))"

SAMPLES_BY_KIND: dict[Kind, Any] = {
    Kind.TEXT: "Straßenbäume der Stadt",
    Kind.TEXTS: ["DIN 18916"],
    Kind.IRI: "https://daten.example/etwas",
    Kind.IRIS: ["http://dcat-ap.de/def/politicalGeocoding/districtKey/09162"],
    Kind.DATE: "2020-01-02",
    Kind.EMAIL: "umweltamt@daten.example",
    Kind.NUMBER: 1234,
}
# Values a vocabulary or a structure decides, and what comes back for them.
SAMPLES: dict[CkanField, Any] = {
    field.LICENSE_ID: DL_BY,
    field.LICENSE_URL: DL_BY,
    field.LICENSE_TITLE: "Datenlizenz Deutschland Namensnennung 2.0",
    field.THEME: ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
    field.LANGUAGE: ["http://publications.europa.eu/resource/authority/language/DEU"],
    field.FREQUENCY: "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
    field.AVAILABILITY: "http://publications.europa.eu/resource/authority/planned-availability/STABLE",
    field.TAGS: [{"name": "Bäume"}],
    field.GROUPS: [{"name": "envi"}],
    field.TEMPORAL_COVERAGE: [{"start": "2020-01-01", "end": "2020-12-31"}],
    field.SPATIAL_COVERAGE: [{"uri": "https://www.geonames.org/2867714", "bbox": BBOX}],
    field.SPATIAL: json.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[11.3, 48.0], [11.7, 48.0], [11.7, 48.3], [11.3, 48.3], [11.3, 48.0]]],
        }
    ),
    field.RESOURCES: [BASE_RESOURCE],
    field.RESOURCE_URL: "https://daten.example/baeume.json",
    field.RESOURCE_FORMAT: "CSV",
    field.RESOURCE_MIMETYPE: "text/csv",
    field.RESOURCE_LICENSE: DL_BY,
    field.RESOURCE_ID: "baeume-csv",
    field.RESOURCE_ACCESS_SERVICES: [
        {"title": "Baum-API", "endpoint_url": ["https://daten.example/api/baeume"]}
    ],
}
# Keys that only make something together with another: an agent needs its name, a contact
# point an e-mail address or a URL.
COMPANIONS: dict[CkanField, dict[str, Any]] = {
    field.AUTHOR_EMAIL: {field.AUTHOR.key: "Umweltamt"},
    field.PUBLISHER_URI: {field.PUBLISHER_NAME.key: "Umweltamt"},
    field.PUBLISHER_EMAIL: {field.PUBLISHER_NAME.key: "Umweltamt"},
    field.PUBLISHER_URL: {field.PUBLISHER_NAME.key: "Umweltamt"},
    field.CONTACT_NAME: {field.CONTACT_EMAIL.key: "umweltamt@daten.example"},
    field.CONTACT_PHONE: {field.CONTACT_EMAIL.key: "umweltamt@daten.example"},
}
# What of a list of objects has to come back.
KEPT_OF_OBJECTS = {
    field.TAGS: "name",
    field.GROUPS: "name",
    field.RESOURCES: "url",
    field.RESOURCE_ACCESS_SERVICES: "title",
}


def _sample(row: CkanField) -> Any:
    return SAMPLES[row] if row in SAMPLES else SAMPLES_BY_KIND[row.kind]


def _package_with(row: CkanField, value: Any) -> dict[str, Any]:
    package: dict[str, Any] = {"name": "baeume", "title": "Bäume", "resources": [BASE_RESOURCE]}
    if row.level is Level.RESOURCE:
        package["resources"] = [{**BASE_RESOURCE, row.key: value}]
    else:
        package.update({**COMPANIONS.get(row, {}), row.key: value})
    return package


def _written(package: dict[str, Any], row: CkanField) -> Any:
    if row.level is Level.RESOURCE:
        return package["resources"][0].get(row.key)
    if row.slot is Slot.EXTRA:
        extras = {extra["key"]: extra["value"] for extra in package["extras"]}
        text = extras.get(row.key)
        return json.loads(text) if text and text.startswith("[") else text
    return package.get(row.key)


def _kept(row: CkanField, value: Any) -> Any:
    if row in KEPT_OF_OBJECTS:
        return [entry[KEPT_OF_OBJECTS[row]] for entry in value]
    if row is field.TEMPORAL_COVERAGE or row is field.SPATIAL_COVERAGE:
        return sorted(value, key=repr)
    return value


@pytest.mark.parametrize("row", [row for row in FIELDS if row.written], ids=lambda row: row.key)
def test_every_written_key_comes_back_from_parse_and_serialize(row: CkanField) -> None:
    sent = _sample(row)
    graph, node = dataset_graph_from_ckan(_package_with(row, sent))
    back = json.loads(json.dumps(ckan_package_from_view(dataset_view(graph, node), name="b")))
    assert _kept(row, _written(back, row)) == _kept(row, sent)


def test_a_key_is_in_the_table_once_per_level() -> None:
    for level in Level:
        names = [row.key for row in FIELDS if row.level is level]
        assert len(names) == len(set(names)), level


def test_a_finding_names_the_first_row_of_its_property() -> None:
    assert field_for(Level.PACKAGE, DCT.description) is field.NOTES
    assert field_for(Level.PACKAGE, DCAT.contactPoint) is field.CONTACT_EMAIL
    assert field_for(Level.PACKAGE, DCAT.contactPoint, VCARD.fn) is field.CONTACT_NAME
    assert field_for(Level.PACKAGE, DCT.publisher, DCT.type) is field.PUBLISHER_TYPE
    assert field_for(Level.RESOURCE, DCAT.accessURL) is field.RESOURCE_URL
    assert field_for(Level.RESOURCE, DCATDE.plannedAvailability) is field.RESOURCE_AVAILABILITY
    assert field_for(Level.RESOURCE, DCATDE.contributorID) is None
