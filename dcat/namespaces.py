"""The RDF namespaces of DCAT-AP.de, bound once so every module writes the same prefixes."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ODRL2, OWL, PROV, RDF, RDFS, SKOS, XSD

DCT = DCTERMS
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
SCHEMA = Namespace("http://schema.org/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
TIME = Namespace("http://www.w3.org/2006/time#")
ODRL = ODRL2

# Earlier DCAT-AP.de releases used versioned namespaces; normalisation rewrites them to DCATDE.
LEGACY_DCATDE_NAMESPACES = (
    "http://dcat-ap.de/def/dcatde/1.0/",
    "http://dcat-ap.de/def/dcatde/1_0/",  # ckanext-dcatde's spelling of 1.0
    "http://dcat-ap.de/def/dcatde/1.0.1/",
    "http://dcat-ap.de/def/dcatde/1.1/",
)

PREFIXES: dict[str, Namespace] = {
    "dcat": Namespace(str(DCAT)),
    "dct": Namespace(str(DCT)),
    "dcatde": DCATDE,
    "dcatap": DCATAP,
    "adms": ADMS,
    "vcard": VCARD,
    "foaf": Namespace(str(FOAF)),
    "skos": Namespace(str(SKOS)),
    "spdx": SPDX,
    "locn": LOCN,
    "schema": SCHEMA,
    "hydra": HYDRA,
    "gsp": GSP,
    "time": TIME,
    "odrl": Namespace(str(ODRL)),
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}


def new_graph() -> Graph:
    """An empty graph with exactly our prefixes bound (rdflib's defaults would add others).

    Its store is rdflib's SimpleMemory: our graphs have no named graphs, and without the
    context bookkeeping of the default store adding and finding triples is about a third
    faster. pyshacl needs a context-aware store; dcat.validation copies into one.
    """
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


__all__ = [
    "ADMS",
    "DCAT",
    "DCATAP",
    "DCATDE",
    "DCT",
    "FOAF",
    "GSP",
    "HYDRA",
    "LEGACY_DCATDE_NAMESPACES",
    "LOCN",
    "ODRL",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SPDX",
    "TIME",
    "VCARD",
    "XSD",
    "new_graph",
]
