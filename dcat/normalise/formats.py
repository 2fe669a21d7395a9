"""Format rules: dct:format becomes an EU file type IRI, dcat:mediaType an IANA media type IRI."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from dcat.namespaces import DCAT, DCT
from dcat.normalise.base import (
    Change,
    NormalisationContext,
    Rule,
    add_object,
    replace_literals,
    replace_object,
)
from dcat.normalise.vocabulary_aliases import concept_for
from dcat.vocabularies import FILE_TYPES

# The form the DCAT-AP.de 2.0 examples use; the german-additions shape
# Distribution_dcat_mediaType_v_List accepts "^https?://www.iana.org/assignments/media-types/".
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
_IANA_IRI = re.compile(r"^https?://www\.iana\.org/assignments/media-types/(?P<type>.+)$", re.I)
_MEDIA_TYPE = re.compile(
    r"^(application|audio|font|image|message|model|multipart|text|video)"
    r"/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$"
)


def media_type_of(value: Node) -> str | None:
    """The media type a value names ("text/csv", or its IANA IRI), lower-cased; else None."""
    if isinstance(value, URIRef):
        match = _IANA_IRI.match(str(value))
        text = match["type"] if match else ""
    elif isinstance(value, Literal):
        text = str(value)
    else:
        return None
    text = text.strip().lower()
    return text if _MEDIA_TYPE.match(text) else None


def iana_iri(media_type: str) -> URIRef:
    return URIRef(IANA_MEDIA_TYPES + media_type)


def _plain_media_type(text: str | None) -> str | None:
    if not text:
        return None
    match = _IANA_IRI.match(text)
    return (match["type"] if match else text).strip().lower()


def map_formats(graph: Graph, context: NormalisationContext) -> list[Change]:
    changes: list[Change] = []
    for subject, value in list(graph.subject_objects(DCT.format)):
        if isinstance(value, URIRef) and str(value) in FILE_TYPES:
            continue
        media_type = media_type_of(value)
        iri = FILE_TYPES.resolve(media_type) if media_type else concept_for(value, FILE_TYPES)
        if iri is None:
            continue
        changes.append(
            replace_object(
                graph,
                subject,
                DCT.format,
                value,
                URIRef(iri),
                FORMAT_RULE.name,
                "Format auf das EU-Dateitypen-Vokabular abgebildet",
                "format mapped to the EU file type vocabulary",
            )
        )
        if media_type and (subject, DCAT.mediaType, None) not in graph:
            # The publisher stated this media type; the file type alone would lose it.
            changes.append(
                add_object(
                    graph,
                    subject,
                    DCAT.mediaType,
                    iana_iri(media_type),
                    FORMAT_RULE.name,
                    "als Format angegebener Medientyp als dcat:mediaType erhalten",
                    "media type given as format kept as dcat:mediaType",
                )
            )
    return changes


def media_types_to_iris(graph: Graph, context: NormalisationContext) -> list[Change]:
    return replace_literals(
        graph,
        DCAT.mediaType,
        _media_type_iri,
        MEDIA_TYPE_RULE.name,
        "Medientyp als IANA-IRI geschrieben",
        "media type written as an IANA IRI",
    )


def _media_type_iri(text: str) -> str | None:
    media_type = media_type_of(Literal(text)) or _media_type_of_file_type(text)
    return str(iana_iri(media_type)) if media_type else None


def _media_type_of_file_type(text: str) -> str | None:
    """The IANA type of a file type written as media type ("ZIP"), if the file type has one."""
    iri = FILE_TYPES.resolve(text.strip())
    concept = FILE_TYPES.get(iri) if iri else None
    media_type = _plain_media_type(concept.media_type) if concept else None
    return media_type if media_type and _MEDIA_TYPE.match(media_type) else None


FORMAT_RULE = Rule(
    name="format-alias",
    label_de="Dateiformat aus dem Vokabular",
    label_en="file format from the vocabulary",
    description_de=(
        'dct:format als Text ("csv"), Medientyp ("text/csv", IANA-IRI) oder abweichende IRI '
        "wird zur EU-Dateityp-IRI; ein angegebener Medientyp bleibt als dcat:mediaType erhalten, "
        "wenn keiner angegeben ist."
    ),
    description_en=(
        'dct:format as text ("csv"), media type ("text/csv", IANA IRI) or variant IRI becomes '
        "the EU file type IRI; a media type given there is kept as dcat:mediaType if none is set."
    ),
    apply=map_formats,
)

MEDIA_TYPE_RULE = Rule(
    name="media-type-iri",
    label_de="Medientyp als IANA-Adresse",
    label_en="media type as IANA address",
    description_de=(
        'dcat:mediaType als Text ("text/csv", "ZIP") wird zur IANA-IRI, die die '
        "DCAT-AP.de-Shapes verlangen."
    ),
    description_en=(
        'dcat:mediaType written as text ("text/csv", "ZIP") becomes the IANA IRI the '
        "DCAT-AP.de shapes require."
    ),
    apply=media_types_to_iris,
)
