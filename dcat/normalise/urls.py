"""URL rules: web addresses and e-mail addresses written as text become IRIs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rdflib import Graph, URIRef

from dcat.iri import escaped_iri
from dcat.namespaces import DCAT, DCT, FOAF, VCARD
from dcat.normalise.base import Change, NormalisationContext, Rule, replace_literals, replace_object

URL_PROPERTIES = (
    DCAT.accessURL,
    DCAT.downloadURL,
    DCAT.endpointURL,
    DCAT.landingPage,
    FOAF.page,
    FOAF.homepage,
    VCARD.hasURL,
    DCT.conformsTo,
)

# Characters that never occur in an IRI (RFC 3987): a value holding one is not a single address.
_NOT_IN_IRI = re.compile(r"[\s<>\"{}|\\^`]")
_HOST = re.compile(
    r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def iri_from_text(text: str) -> str | None:
    """The IRI a text stands for, if it is exactly one absolute http(s) address.

    "www.example.de/pfad" gets "http://": a bare www host is read with http by every browser and
    every server that also speaks https redirects from there, while a made-up "https://" can name
    an address that does not exist. Anything else without a scheme stays text.
    """
    text = text.strip()
    if not text or _NOT_IN_IRI.search(text):
        return None
    if text.lower().startswith("www."):
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if not _HOST.match(parts.hostname) and not parts.hostname.startswith("["):
        return None
    return text


def mailto_from_text(text: str) -> str | None:
    """The mailto: IRI of an address written "a@b.de" or "mailto:a@b.de"; else None."""
    text = text.strip()
    address = text[len("mailto:") :] if text.lower().startswith("mailto:") else text
    return f"mailto:{address}" if _EMAIL.match(address) else None


def url_literals_to_iris(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for predicate in URL_PROPERTIES:
        changes += replace_literals(
            graph,
            predicate,
            iri_from_text,
            URL_RULE.name,
            "Adresse als IRI statt als Text geschrieben",
            "address written as an IRI instead of text",
        )
    return changes


def email_literals_to_mailto(graph: Graph, context: NormalisationContext) -> list[Change]:
    return replace_literals(
        graph,
        VCARD.hasEmail,
        mailto_from_text,
        MAILTO_RULE.name,
        "E-Mail-Adresse als mailto:-IRI geschrieben",
        "e-mail address written as a mailto: IRI",
    )


URL_RULE = Rule(
    name="url-literal-to-iri",
    label_de="Adressen als Verweis",
    label_en="addresses as links",
    description_de=(
        "Als Text geschriebene http(s)-Adressen in accessURL, downloadURL, endpointURL, "
        "landingPage, foaf:page, foaf:homepage, vcard:hasURL und dct:conformsTo werden IRIs; "
        '"www.…" ohne Schema erhält "http://".'
    ),
    description_en=(
        "http(s) addresses written as text in accessURL, downloadURL, endpointURL, landingPage, "
        'foaf:page, foaf:homepage, vcard:hasURL and dct:conformsTo become IRIs; "www.…" '
        'without a scheme gets "http://".'
    ),
    apply=url_literals_to_iris,
)


def escape_invalid_iris(graph: Graph, context: NormalisationContext) -> list[Change]:
    """IRIs with characters no IRI may hold, percent-encoded as every reader needs them.

    The serialisers write them so anyway; doing it here records it in the revision, so the
    stored record is exactly what is published.
    """
    changes: list[Change] = []
    for subject, predicate, obj in list(graph):
        if not isinstance(obj, URIRef) or not isinstance(predicate, URIRef):
            continue
        escaped = escaped_iri(str(obj))
        if escaped != str(obj):
            changes.append(
                replace_object(
                    graph,
                    subject,
                    predicate,
                    obj,
                    URIRef(escaped),
                    IRI_ESCAPE_RULE.name,
                    "unzulässige Zeichen der IRI prozentkodiert",
                    "characters not allowed in an IRI percent-encoded",
                )
            )
    return changes


IRI_ESCAPE_RULE = Rule(
    name="iri-escape",
    label_de="Sonderzeichen in Adressen",
    label_en="special characters in addresses",
    description_de=(
        "Zeichen, die eine IRI nicht enthalten darf (Leerzeichen, eckige Klammern), werden "
        "prozentkodiert, wie jeder Leser sie braucht."
    ),
    description_en=(
        "Characters an IRI may not hold (spaces, square brackets) are percent-encoded, as "
        "every reader needs them."
    ),
    apply=escape_invalid_iris,
)


MAILTO_RULE = Rule(
    name="email-to-mailto",
    label_de="E-Mail-Adressen als mailto:",
    label_en="e-mail addresses as mailto:",
    description_de='vcard:hasEmail als Text ("a@b.de") wird zur IRI <mailto:a@b.de>.',
    description_en='vcard:hasEmail written as text ("a@b.de") becomes the IRI <mailto:a@b.de>.',
    apply=email_literals_to_mailto,
)
