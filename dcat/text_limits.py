"""How long a value may be, per property: the one table the steward form, the CKAN API and
the harvest check against, and the findings for the values that are longer.

Without limits one 1 MB title makes every page that lists it 1 MB. The limits are far above
what a real record needs (the longest titles in the recorded portals are under 300 characters)
and well below what hurts; geometries alone may be long, as a city's outline is.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import ADMS, DCAT, DCATDE, DCT, FOAF, LOCN, OWL, VCARD
from dcat.validation import Severity, ValidationResult

TITLE_LIMIT = 1_000
DESCRIPTION_LIMIT = 100_000
NAME_LIMIT = 1_000
KEYWORD_LIMIT = 200
# Web servers commonly refuse request lines over 8 KB, so a longer address works nowhere.
URL_LIMIT = 8_000
EMAIL_LIMIT = 400
PHONE_LIMIT = 200
GEOMETRY_LIMIT = 10_000_000
OTHER_LIMIT = 100_000  # every value of a property the table does not name

TEXT_LIMITS: dict[URIRef, int] = {
    DCT.title: TITLE_LIMIT,
    DCT.description: DESCRIPTION_LIMIT,
    DCAT.keyword: KEYWORD_LIMIT,
    FOAF.name: NAME_LIMIT,
    VCARD.fn: NAME_LIMIT,
    DCATDE.licenseAttributionByText: NAME_LIMIT,
    DCATDE.geocodingDescription: NAME_LIMIT,
    OWL.versionInfo: KEYWORD_LIMIT,
    ADMS.versionNotes: DESCRIPTION_LIMIT,
    DCATDE.legalBasis: DESCRIPTION_LIMIT,
    DCAT.accessURL: URL_LIMIT,
    DCAT.downloadURL: URL_LIMIT,
    DCAT.landingPage: URL_LIMIT,
    FOAF.homepage: URL_LIMIT,
    FOAF.page: URL_LIMIT,
    VCARD.hasURL: URL_LIMIT,
    FOAF.mbox: EMAIL_LIMIT,
    VCARD.hasEmail: EMAIL_LIMIT,
    VCARD.hasTelephone: PHONE_LIMIT,
    LOCN.geometry: GEOMETRY_LIMIT,
    DCAT.bbox: GEOMETRY_LIMIT,
    DCAT.centroid: GEOMETRY_LIMIT,
}


def limit_for(predicate: URIRef) -> int:
    """The most characters a value of this property may have."""
    return TEXT_LIMITS.get(predicate, OTHER_LIMIT)


def overlong_values(graph: Graph) -> list[ValidationResult]:
    """A violation for every text or address in `graph` longer than its property's limit."""
    findings = []
    for subject, predicate, value in graph:
        if not isinstance(value, Literal | URIRef) or not isinstance(predicate, URIRef):
            continue
        limit = limit_for(predicate)
        if len(value) > limit:
            findings.append(_finding(_node_text(subject), predicate, value, limit))
    return findings


def too_long_message(length: int, limit: int) -> tuple[str, str]:
    """What a steward reads about a value that is too long (German, English)."""
    return (
        f"Zu lang: {_german_number(length)} Zeichen, höchstens {_german_number(limit)} "
        "sind erlaubt. Bitte kürzen.",
        f"Too long: {length:,} characters, at most {limit:,} are allowed. Please shorten it.",
    )


def _finding(
    focus: str, predicate: URIRef, value: Literal | URIRef, limit: int
) -> ValidationResult:
    message_de, message_en = too_long_message(len(value), limit)
    return ValidationResult(
        severity=Severity.VIOLATION,
        focus_node=focus,
        path=str(predicate),
        value=f"{str(value)[:80]}…",
        message_de=message_de,
        message_en=message_en,
        source_shape=None,
    )


def _node_text(node: Node) -> str:
    """A node as validation reports name it ("_:label" for a blank node)."""
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _german_number(number: int) -> str:
    return f"{number:,}".replace(",", ".")


__all__ = ["TEXT_LIMITS", "limit_for", "overlong_values", "too_long_message"]
