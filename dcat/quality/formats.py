"""Which EU file types count as machine-readable and as non-proprietary, and the access rights.

The MQA checks dct:format against data.europa.eu's own lists (EDP custom vocabularies
"edp-machine-readable-format" and "edp-non-proprietary-format"); these are those lists'
codes from the EU file-type authority table, as far as our file-type vocabulary
(dcat/vocab/file_types.json) knows them. Access rights: the EU access-right authority table.
"""

from __future__ import annotations

from dcat.vocabularies import EU_AUTHORITY

FILE_TYPE = EU_AUTHORITY + "file-type/"
ACCESS_RIGHT = EU_AUTHORITY + "access-right/"

# Open specifications anyone may implement without a licence fee.
NON_PROPRIETARY_CODES = frozenset(
    [
        "BMP",
        "CSV",
        "DBF",
        "ETSI_XML",
        "GEOJSON",
        "GPKG",
        "GZIP",
        "HTML",
        "ICS",
        "JPEG2000",
        "JSON",
        "JSON_LD",
        "KML",
        "KMZ",
        "NETCDF",
        "ODS",
        "PNG",
        "RDF_N_QUADS",
        "RDF_N_TRIPLES",
        "RDF_TRIG",
        "RDF_TURTLE",
        "RDF_XML",
        "RSS",
        "RTF",
        "TAR",
        "TIFF",
        "TSV",
        "TXT",
        "WMS_SRVC",
        "XML",
        "ZIP",
    ]
)

# Structured data a program can read without a person interpreting it (not PDF, DOC, images).
MACHINE_READABLE_CODES = frozenset(
    [
        "ATOM",
        "CSV",
        "DBF",
        "GEOJSON",
        "GML",
        "GPKG",
        "GRID",
        "GRID_ASCII",
        "GTFS",
        "HDF",
        "ICS",
        "JSON",
        "JSON_LD",
        "KML",
        "KMZ",
        "MDB",
        "N3",
        "NETCDF",
        "ODS",
        "RDF",
        "RDFA",
        "RDF_N_QUADS",
        "RDF_N_TRIPLES",
        "RDF_TRIG",
        "RDF_TURTLE",
        "RDF_XML",
        "RSS",
        "SDMX",
        "SHP",
        "SPARQLQ",
        "SPARQLQRES",
        "TAB",
        "TSV",
        "WCS_SRVC",
        "WFS_SRVC",
        "WMS_SRVC",
        "WMTS_SRVC",
        "XLS",
        "XLSX",
        "XML",
        "YAML",
    ]
)

ACCESS_RIGHTS = frozenset(
    ACCESS_RIGHT + code
    for code in ("PUBLIC", "RESTRICTED", "NON_PUBLIC", "CONFIDENTIAL", "SENSITIVE", "NORMAL")
)

IANA_MEDIA_TYPES = (
    "http://www.iana.org/assignments/media-types/",
    "https://www.iana.org/assignments/media-types/",
)


def file_type_code(iri: str) -> str | None:
    """The code of an EU file-type IRI ("CSV"), None for anything else."""
    if iri.startswith(FILE_TYPE):
        return iri[len(FILE_TYPE) :] or None
    return None
