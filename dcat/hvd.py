"""High-Value Datasets (Implementing Regulation (EU) 2023/138): the marking, its vocabulary, and
the regulation's checks that SHACL shapes cannot see.

A dataset is HVD when it names the regulation as dcatap:applicableLegislation or names an HVD
category (DCAT-AP 3.0.0-hvd). The marking lives in the stored graph only; the builder writes it
on the dataset, its distributions and their access services, as the HVD guideline wants.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from rdflib import Graph, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCT, RDF, VCARD
from dcat.vocabularies import FILE_TYPES, LICENSES, Vocabulary

# DCAT-AP 3's namespace ends in "/" (DCAT-AP.de 2.0 writes dcatap:availability with "#").
DCATAP3 = "http://data.europa.eu/r5r/"
APPLICABLE_LEGISLATION = URIRef(DCATAP3 + "applicableLegislation")
HVD_CATEGORY = URIRef(DCATAP3 + "hvdCategory")
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
ELI_LEGAL_RESOURCE = URIRef("http://data.europa.eu/eli/ontology#LegalResource")

HVD_CATEGORIES = Vocabulary(
    "hvd_categories",
    "http://data.europa.eu/bna/asd487ae75",
    extra_namespaces=("http://data.europa.eu/bna/c_",),
)

# Art. 4(4) of the regulation: CC BY 4.0 "or any equivalent or less restrictive open licence";
# CC0 is named too. From the dcat-ap.de licences: CC0 and CC BY 4.0 themselves, and the
# Datenlizenz Deutschland Zero/Namensnennung 2.0, which ask at most for attribution like
# CC BY 4.0. Not open enough: share-alike (cc-by-sa, odbl: more conditions), the unversioned
# cc-by and dl-by-de/1.0 (whose terms differ by version), GeoNutzV (its own conditions), and
# "other-open" (nobody can tell which terms).
HVD_OPEN_LICENCE_CODES = ("cc-zero", "cc-by/4.0", "dl-zero-de/2.0", "dl-by-de/2.0")
HVD_OPEN_LICENCES = frozenset(f"{LICENSES.scheme}/{code}" for code in HVD_OPEN_LICENCE_CODES)

# File types that are an API, though written as a distribution's format (OGC services).
SERVICE_FORMATS = frozenset(
    FILE_TYPES.scheme + "/" + code for code in ("WMS_SRVC", "WFS_SRVC", "WMTS_SRVC", "WCS_SRVC")
)


@dataclass(frozen=True)
class RegulationGap:
    """One regulation check an HVD dataset fails: where, on which property, why (de, en)."""

    focus: Node
    path: URIRef
    value: str | None
    message_de: str
    message_en: str


def is_hvd(graph: Graph, node: Node) -> bool:
    """Whether the dataset is marked HVD (the regulation named, or an HVD category)."""
    return (node, APPLICABLE_LEGISLATION, URIRef(HVD_LEGISLATION)) in graph or (
        graph.value(node, HVD_CATEGORY) is not None
    )


def hvd_dataset_nodes(graph: Graph) -> list[Node]:
    """The HVD datasets of a graph (the subset the HVD shapes may judge)."""
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    return sorted((node for node in datasets if is_hvd(graph, node)), key=str)


def hvd_categories_of(graph: Graph, node: Node) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(node, HVD_CATEGORY)))


@functools.cache
def _broader() -> dict[str, str]:
    source = resources.files("dcat") / "vocab" / "hvd_categories.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    return {entry["iri"]: entry["broader"] for entry in data["concepts"] if "broader" in entry}


def ancestors(iri: str) -> tuple[str, ...]:
    """The categories above a category, nearest first (a third-level inland-waterway concept
    has two); none for a top category or an IRI outside the vocabulary."""
    broader = _broader()
    found: list[str] = []
    current = broader.get(iri)
    while current is not None and current not in found:
        found.append(current)
        current = broader.get(current)
    return tuple(found)


def top_category(iri: str) -> str:
    """The top category (one of the regulation's six) a category belongs to; itself if top."""
    above = ancestors(iri)
    return above[-1] if above else iri


def top_categories() -> list[str]:
    """The six categories of Annex I, in the vocabulary's order."""
    broader = _broader()
    return [concept.iri for concept in HVD_CATEGORIES if concept.iri not in broader]


def hvd_flags(categories: Iterable[str]) -> tuple[str, ...]:
    """Search flags of an HVD dataset: "hvd", and each category with the ones above it (top
    category first), so a filter on any level finds it."""
    chosen = [str(c) for c in categories]
    named = dict.fromkeys(
        c for category in chosen for c in (*reversed(ancestors(category)), category)
    )
    return ("hvd", *named)


def mark_hvd(graph: Graph, node: Node, categories: Sequence[str]) -> None:
    """Set the dataset's HVD categories and the marking that follows from them, in place.

    With categories: the dataset and each access service get exactly these categories, and
    the regulation is named on the dataset, its distributions and their access services (the
    DCAT-AP 3.0.0-hvd rules). Without: the categories and the regulation are removed from all
    of them, while any other legislation they name stays.
    """
    regulation = URIRef(HVD_LEGISLATION)
    parts = [node, *graph.objects(node, DCAT.distribution)]
    services = [s for d in parts[1:] for s in graph.objects(d, DCAT.accessService)]
    for part in [node, *services]:
        graph.remove((part, HVD_CATEGORY, None))
        for category in categories:
            graph.add((part, HVD_CATEGORY, URIRef(category)))
    for part in [*parts, *services]:
        if categories:
            graph.add((part, APPLICABLE_LEGISLATION, regulation))
        else:
            graph.remove((part, APPLICABLE_LEGISLATION, regulation))
    contact = graph.value(node, DCAT.contactPoint)
    if categories and contact is not None:
        for service in services:
            if graph.value(service, DCAT.contactPoint) is None:
                graph.add((service, DCAT.contactPoint, contact))


def regulation_gaps(graph: Graph, node: Node) -> list[RegulationGap]:
    """What Art. 3 and 4 of the regulation ask that the HVD shapes do not check: an API or a
    bulk download, a licence at least as open as CC BY 4.0, and a contact point."""
    gaps: list[RegulationGap] = []
    distributions = list(graph.objects(node, DCAT.distribution))
    if not any(_is_api(graph, d) or _is_bulk_download(graph, d) for d in distributions):
        gaps.append(
            RegulationGap(
                node,
                DCAT.distribution,
                None,
                "HVD: Es fehlt eine API (dcat:accessService mit dcat:DataService) oder ein "
                "Massen-Download (dcat:downloadURL), wie Art. 3 der Durchführungsverordnung "
                "(EU) 2023/138 verlangt.",
                "HVD: an API (dcat:accessService with a dcat:DataService) or a bulk download "
                "(dcat:downloadURL) is missing, as Art. 3 of Implementing Regulation (EU) "
                "2023/138 requires.",
            )
        )
    for distribution in distributions:
        for licence in graph.objects(distribution, DCT.license):
            if str(licence) not in HVD_OPEN_LICENCES:
                gaps.append(
                    RegulationGap(
                        distribution,
                        DCT.license,
                        str(licence),
                        "HVD: Die Lizenz ist nicht mindestens so offen wie CC BY 4.0 (erlaubt: "
                        "CC0, CC BY 4.0, dl-zero-de/2.0, dl-by-de/2.0; Art. 4 Abs. 4 der "
                        "Verordnung (EU) 2023/138).",
                        "HVD: the licence is not at least as open as CC BY 4.0 (allowed: CC0, "
                        "CC BY 4.0, dl-zero-de/2.0, dl-by-de/2.0; Art. 4(4) of Regulation (EU) "
                        "2023/138).",
                    )
                )
        if graph.value(distribution, DCT.license) is None:
            gaps.append(
                RegulationGap(
                    distribution,
                    DCT.license,
                    None,
                    "HVD: Die Distribution nennt keine Lizenz; verlangt ist CC BY 4.0 oder "
                    "offener (Art. 4 Abs. 4 der Verordnung (EU) 2023/138).",
                    "HVD: the distribution names no licence; CC BY 4.0 or more open is "
                    "required (Art. 4(4) of Regulation (EU) 2023/138).",
                )
            )
    if not _has_reachable_contact(graph, node):
        gaps.append(
            RegulationGap(
                node,
                DCAT.contactPoint,
                None,
                "HVD: Es fehlt ein Kontakt (dcat:contactPoint mit E-Mail oder Web-Adresse), "
                "den die HVD-Leitlinie für Rückfragen zu den Daten verlangt.",
                "HVD: a contact point (dcat:contactPoint with an e-mail or web address) is "
                "missing, which the HVD guideline requires for questions about the data.",
            )
        )
    return gaps


def _is_api(graph: Graph, distribution: Node) -> bool:
    services = list(graph.objects(distribution, DCAT.accessService))
    if any(graph.value(service, DCAT.endpointURL) is not None for service in services):
        return True
    return any(str(f) in SERVICE_FORMATS for f in graph.objects(distribution, DCT.format))


def _is_bulk_download(graph: Graph, distribution: Node) -> bool:
    return graph.value(distribution, DCAT.downloadURL) is not None


def _has_reachable_contact(graph: Graph, node: Node) -> bool:
    return any(
        graph.value(contact, VCARD.hasEmail) is not None
        or graph.value(contact, VCARD.hasURL) is not None
        for contact in graph.objects(node, DCAT.contactPoint)
    )


__all__ = [
    "APPLICABLE_LEGISLATION",
    "ELI_LEGAL_RESOURCE",
    "HVD_CATEGORIES",
    "HVD_CATEGORY",
    "HVD_LEGISLATION",
    "HVD_OPEN_LICENCES",
    "RegulationGap",
    "ancestors",
    "hvd_categories_of",
    "hvd_dataset_nodes",
    "hvd_flags",
    "is_hvd",
    "mark_hvd",
    "regulation_gaps",
    "top_categories",
    "top_category",
]
