"""A DCAT-AP.de catalog of N generated datasets in one Turtle file, for harvests big enough to
spread over many batches and workers (tests/harvesters/queue, tests/web). Each dataset is
modelled on the demo's valid ones (catalog/demo/tiefbauamt) and conforms as they do."""

from __future__ import annotations

from pathlib import Path

BASE = "https://daten.musterstadt.example/generiert"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding"

PREFIXES = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""

CATALOG = """\
<{base}> a dcat:Catalog ;
    dct:title "Generierte Messreihen Musterstadt"@de ;
    dct:description "Viele gleichartige Datensätze für Tests mit mehreren Workern."@de ;
    dct:publisher [ a foaf:Agent ; foaf:name "Stadt Musterstadt – Umweltamt" ] ;
    dcat:dataset {datasets} .

"""

DATASET = """\
<{base}/dataset/{name}> a dcat:Dataset ;
    dct:title "Messreihe {number} der Station {station}"@de ;
    dct:description "Stündliche Messwerte der Station {station}, Reihe {number}."@de ;
    dct:identifier "{base}/dataset/{name}" ;
    dcat:keyword "Messreihe"@de, "Station {station}"@de ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:publisher [
        a foaf:Agent ;
        foaf:name "Stadt Musterstadt – Umweltamt" ;
        dct:type <http://purl.org/adms/publishertype/LocalAuthority>
    ] ;
    dcat:contactPoint [
        a vcard:Organization ;
        vcard:fn "Stadt Musterstadt, Umweltamt" ;
        vcard:hasEmail <mailto:umwelt@musterstadt.example>
    ] ;
    dct:issued "2020-01-01"^^xsd:date ;
    dct:modified "2025-06-02T04:30:00"^^xsd:dateTime ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DAILY> ;
    dcatde:contributorID <http://dcat-ap.de/def/contributors/musterstadt> ;
    dcatde:politicalGeocodingLevelURI <{geocoding}/Level/municipality> ;
    dcatde:politicalGeocodingURI <{geocoding}/municipalityKey/09999999> ;
    dcat:distribution <{base}/dataset/{name}/csv> .

<{base}/dataset/{name}/csv> a dcat:Distribution ;
    dct:title "Messwerte (CSV)"@de ;
    dcat:accessURL <{base}/download/{name}.csv> ;
    dcat:downloadURL <{base}/download/{name}.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
    dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;
    dcatde:licenseAttributionByText "Stadt Musterstadt, Umweltamt (2025)" .

"""


def dataset_name(number: int) -> str:
    return f"messreihe-{number:04d}"


def write_dcat_catalog(path: Path, count: int) -> list[str]:
    """Write a catalog of `count` datasets to `path`; returns their names (the last part of
    each dataset's URI, `{BASE}/dataset/{name}`)."""
    names = [dataset_name(number) for number in range(1, count + 1)]
    datasets = ", ".join(f"<{BASE}/dataset/{name}>" for name in names)
    parts = [PREFIXES, CATALOG.format(base=BASE, datasets=datasets)]
    parts += [
        DATASET.format(
            base=BASE,
            geocoding=GEOCODING,
            name=name,
            number=number,
            station=number % 17 + 1,
        )
        for number, name in enumerate(names, start=1)
    ]
    path.write_text("".join(parts), encoding="utf-8")
    return names
