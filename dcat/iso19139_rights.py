"""Licence and access rights of an ISO 19139 record, after GDI-DE's open-data conventions.

GDI-DE ("Konventionen zu Metadaten", open data) writes the licence twice into the use
constraints' gmd:otherConstraints: as text, and as JSON such as
{"id": "dl-by-de/2.0", "name": "...", "url": "...", "quelle": "..."}, where "quelle" is the
attribution text the licence asks for. The JSON wins; without it every otherConstraints and
useLimitation text goes through the licence aliases (and any licence URL inside such a text).
Access constraints are read per gmd:MD_LegalConstraints block, because OWSLib merges the
otherConstraints of use and access blocks into one list, which would make the licence text
an access-rights statement too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from dcat.iso19139_xml import IDENTIFICATION, elements_at, text_at, texts_at
from dcat.vocabularies import LICENSES

ACCESS_LIMITATIONS = "metadata-codelist/LimitationsOnPublicAccess"
_URL = re.compile(r"https?://[^\s\"'<>,;)]+")
CONSTRAINTS = f"{IDENTIFICATION}/gmd:resourceConstraints/gmd:MD_LegalConstraints"
USE_CONSTRAINTS_PATH = (
    "gmd:identificationInfo/…/gmd:resourceConstraints/gmd:MD_LegalConstraints/gmd:otherConstraints"
)


@dataclass(frozen=True)
class Rights:
    """What the record says about use and access."""

    licence: str | None  # a DCAT-AP.de licence IRI
    licence_open: bool
    attribution: str | None
    access_rights: str | None
    unresolved: tuple[str, ...] = ()  # licence texts found but not recognised
    # The use-constraint text a steward's `mappings: license:` entry can name, when no
    # licence was recognised: the first otherConstraints that is no INSPIRE access statement,
    # else the first useLimitation.
    licence_text: str | None = None

    @property
    def described(self) -> str:
        return "; ".join(self.unresolved)[:300]


def rights_of(record: Any) -> Rights:
    licence, attribution, unresolved = _licence(record)
    return Rights(
        licence=licence,
        licence_open=licence_is_open(licence),
        attribution=attribution,
        access_rights=_access_rights(record),
        unresolved=unresolved,
        licence_text=None if licence else _licence_text(record),
    )


def licence_is_open(value: str | None) -> bool:
    """Whether a licence (IRI, DCAT-AP.de key or alias) is an open one of the vocabulary."""
    iri = _resolve(value)
    concept = LICENSES.get(iri) if iri else None
    return bool(concept and concept.open)


def _licence_text(record: Any) -> str | None:
    for element in elements_at(record, f"{CONSTRAINTS}/gmd:otherConstraints"):
        hrefs = [str(h) for h in elements_at(element, "gmx:Anchor/@xlink:href")]
        if any(ACCESS_LIMITATIONS in href for href in hrefs):
            continue  # an access statement: dct:accessRights, not a licence
        text = text_at(element, ".")
        if text and _licence_json(text) is None:
            return text
    return text_at(record, f"{IDENTIFICATION}/gmd:resourceConstraints/*/gmd:useLimitation")


def _licence(record: Any) -> tuple[str | None, str | None, tuple[str, ...]]:
    others = texts_at(record, f"{CONSTRAINTS}/gmd:otherConstraints")
    anchors = [
        str(href)
        for href in elements_at(
            record, f"{CONSTRAINTS}/gmd:otherConstraints/gmx:Anchor/@xlink:href"
        )
    ]
    for text in others:
        found = _licence_json(text)
        if found is not None:
            iri = _resolve(found.get("id")) or _resolve(found.get("url"))
            iri = iri or _resolve(found.get("name"))
            if iri:
                return iri, _clean(found.get("quelle")), ()
    limitations = texts_at(record, f"{IDENTIFICATION}/gmd:resourceConstraints/*/gmd:useLimitation")
    candidates = [*anchors, *others, *limitations]
    for text in candidates:
        iri = _resolve(text) or next(
            (hit for url in _URL.findall(text) if (hit := _resolve(url.rstrip("."))) is not None),
            None,
        )
        if iri:
            return iri, None, ()
    return None, None, tuple(candidates)


def _licence_json(text: str) -> dict[str, Any] | None:
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _resolve(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return LICENSES.resolve(value.strip())


def _clean(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _access_rights(record: Any) -> str | None:
    """The otherConstraints texts of the blocks that state access constraints, as one text
    (DCAT-AP.de allows one dct:accessRights); licence JSON is no access statement."""
    texts: list[str] = []
    for block in elements_at(record, CONSTRAINTS):
        if not elements_at(block, "gmd:accessConstraints"):
            continue
        for text in texts_at(block, "gmd:otherConstraints"):
            if _licence_json(text) is None and text not in texts:
                texts.append(text)
    if not texts:
        restriction = text_at(
            record, f"{CONSTRAINTS}/gmd:accessConstraints/gmd:MD_RestrictionCode/@codeListValue"
        )
        return None if restriction in (None, "otherRestrictions") else restriction
    return " ".join(texts)
