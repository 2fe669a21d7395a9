"""The DCAT-AP.de controlled vocabularies, and what people write for their concepts.

Each vocabulary is a JSON file under dcat/vocab/ (compiled from the official lists; see the
"source" field of each file), loaded once on first use. `Vocabulary.resolve` turns what
departments actually write ("CC BY 4.0", "csv", "Umwelt", an IRI with a trailing slash) into a
concept IRI, and answers None when the text is unknown or could mean more than one concept:
a wrong licence or theme is worse than none, so nothing is guessed.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from dcat.namespaces import DCATDE, LEGACY_DCATDE_NAMESPACES

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
LEGACY_PLANNED_AVAILABILITY = "http://dcat-ap.de/def/plannedAvailability/"

# IRIs whose last part is itself text the vocabulary knows ("text/csv", "CC-BY-4.0").
_IRI_TEXT_PREFIXES = ("iana.org/assignments/media-types/", "spdx.org/licenses/")
_IRI_TEXT_SUFFIXES = (".html", ".json")
_CC_DEED_SUFFIX = re.compile(r"/(?:deed|legalcode)(?:\.[a-z_-]+)?$", re.IGNORECASE)
_MEDIA_TYPE_PARAMETERS = re.compile(r"^\s*([\w.+-]+/[\w.+-]+)\s*;.*$", re.DOTALL)
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class Concept:
    """One concept of a vocabulary, with the labels we show and what licences and formats need."""

    iri: str
    code: str
    label_de: str
    label_en: str
    scheme: str
    open: bool | None = None  # licences only: open by the Open Definition (GovData's flag)
    attribution: bool = False  # licences only: the rights holder must be named ("by" text)
    media_type: str | None = None  # file types only: the IANA media type, where one exists


def alias_key(text: str) -> str:
    """The lookup key of a text: case, accents, umlaut spelling, spaces and punctuation ignored.

    "CC-BY 4.0", "cc by 4.0" and "CC BY 4.0" share one key; so do "Bevölkerung" and
    "Bevoelkerung".
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(
        char for char in decomposed if char.isalnum() and not unicodedata.combining(char)
    )


def iri_key(text: str) -> str | None:
    """The lookup key of an http(s) IRI: scheme, "www.", case and a trailing slash ignored.

    Creative Commons deed and legal-code pages count as the licence itself. None for non-IRIs.
    """
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    path = _CC_DEED_SUFFIX.sub("", parts.path).rstrip("/")
    return f"{host}{path}".casefold()


@dataclass(frozen=True)
class _Index:
    concepts: dict[str, Concept]
    by_text: dict[str, str | None]  # None marks a key shared by two concepts
    by_iri: dict[str, str | None]
    ambiguous: frozenset[str]
    noise: tuple[str, ...]


class Vocabulary:
    """A controlled vocabulary: its concepts by IRI, their labels, and alias resolution."""

    def __init__(self, name: str, scheme: str, *, extra_namespaces: tuple[str, ...] = ()) -> None:
        self.name = name
        self.scheme = scheme
        self.namespaces = (scheme + "/", *extra_namespaces)

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {self.scheme!r})"

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and str(iri) in self._index.concepts

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._index.concepts.values())

    def __len__(self) -> int:
        return len(self._index.concepts)

    def get(self, iri: str) -> Concept | None:
        """The concept with exactly this IRI (no variants: validation must see what was written)."""
        return self._index.concepts.get(str(iri))

    def label(self, iri: str, lang: str = "de") -> str | None:
        """The concept's label in lang, else in the other language; IRI variants are accepted."""
        concept = self.get(iri)
        if concept is None:
            key = iri_key(str(iri))
            found = self._index.by_iri.get(key) if key else None
            concept = self._index.concepts.get(found) if found else None
        if concept is None:
            return None
        if lang == "en":
            return concept.label_en or concept.label_de
        return concept.label_de or concept.label_en

    def resolve(self, text: str) -> str | None:
        """The concept IRI for what people write; None if unknown or ambiguous."""
        text = str(text).strip()
        if not text:
            return None
        key = iri_key(text)
        if key is not None:
            return self._resolve_iri(key)
        media_type = _MEDIA_TYPE_PARAMETERS.match(text)
        if media_type:
            text = media_type.group(1)
        return self._resolve_key(alias_key(text))

    def _resolve_iri(self, key: str) -> str | None:
        if key in self._index.by_iri:
            return self._index.by_iri[key]
        for prefix in _IRI_TEXT_PREFIXES:
            if key.startswith(prefix):
                tail = key.removeprefix(prefix)
                for suffix in _IRI_TEXT_SUFFIXES:
                    tail = tail.removesuffix(suffix)
                return self._resolve_key(alias_key(tail))
        return None

    def _resolve_key(self, key: str) -> str | None:
        index = self._index
        if not key or key in index.ambiguous:
            return None
        if key in index.by_text:
            return index.by_text[key]
        # "CSV-Datei", "Lizenz: CC BY 4.0": one noise word before or after a known text.
        for noise in index.noise:
            for rest in (key.removeprefix(noise), key.removesuffix(noise)):
                if rest and rest != key and rest not in index.ambiguous and rest in index.by_text:
                    return index.by_text[rest]
        return None

    @functools.cached_property
    def _index(self) -> _Index:
        return _load_index(self)


def _load_index(vocabulary: Vocabulary) -> _Index:
    """Reads the vocabulary's JSON file and builds the lookup tables."""
    source = resources.files("dcat") / "vocab" / f"{vocabulary.name}.json"
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    if data["scheme"] != vocabulary.scheme:
        raise ValueError(f"{source}: scheme {data['scheme']} is not {vocabulary.scheme}")
    concepts: dict[str, Concept] = {}
    by_text: dict[str, str | None] = {}
    by_iri: dict[str, str | None] = {}
    for entry in data["concepts"]:
        concept = Concept(
            iri=entry["iri"],
            code=entry["code"],
            label_de=entry["label_de"],
            label_en=entry["label_en"],
            scheme=vocabulary.scheme,
            open=entry.get("open"),
            attribution=entry.get("attribution", False),
            media_type=entry.get("media_type"),
        )
        concepts[concept.iri] = concept
        texts = [concept.iri, concept.code, concept.label_de, concept.label_en]
        for text in [*texts, *entry.get("aliases", [])]:
            key = iri_key(text)
            if key is not None:
                _add(by_iri, key, concept.iri)
            else:
                _add(by_text, alias_key(text), concept.iri)
    ambiguous = frozenset(alias_key(text) for text in data.get("ambiguous", []))
    noise = tuple(alias_key(text) for text in data.get("noise", []))
    return _Index(concepts, by_text, by_iri, ambiguous, noise)


def _add(table: dict[str, str | None], key: str, iri: str) -> None:
    if not key:
        return
    if key in table and table[key] != iri:
        table[key] = None  # two concepts share the text: it names neither
    else:
        table[key] = iri


LICENSES = Vocabulary("licenses", "http://dcat-ap.de/def/licenses")
THEMES = Vocabulary("themes", EU_AUTHORITY + "data-theme")
FILE_TYPES = Vocabulary("file_types", EU_AUTHORITY + "file-type")
FREQUENCIES = Vocabulary("frequencies", EU_AUTHORITY + "frequency")
AVAILABILITY = Vocabulary(
    "availability",
    EU_AUTHORITY + "planned-availability",
    extra_namespaces=(LEGACY_PLANNED_AVAILABILITY,),
)
LANGUAGES = Vocabulary("languages", EU_AUTHORITY + "language")
GEOCODING_LEVELS = Vocabulary("geocoding_levels", "http://dcat-ap.de/def/politicalGeocoding/Level")
# The lists DCAT-AP.de 3.0 adds (dct:accessRights, adms:status, dct:type); 2.0 names none of them.
ACCESS_RIGHTS = Vocabulary("access_rights", EU_AUTHORITY + "access-right")
DISTRIBUTION_STATUS = Vocabulary("distribution_status", EU_AUTHORITY + "distribution-status")
DATASET_TYPES = Vocabulary("dataset_types", EU_AUTHORITY + "dataset-type")

VOCABULARIES: dict[str, Vocabulary] = {
    vocabulary.name: vocabulary
    for vocabulary in (
        LICENSES,
        THEMES,
        FILE_TYPES,
        FREQUENCIES,
        AVAILABILITY,
        LANGUAGES,
        GEOCODING_LEVELS,
        ACCESS_RIGHTS,
        DISTRIBUTION_STATUS,
        DATASET_TYPES,
    )
}


def vocabulary_of(iri: str) -> Vocabulary | None:
    """The vocabulary whose namespace holds the IRI, whether or not it names one of its concepts.

    Lets validation tell "a wrong licence IRI" from "not a licence IRI at all" without loading
    any vocabulary file.
    """
    text = str(iri)
    for vocabulary in VOCABULARIES.values():
        if text.startswith(vocabulary.namespaces):
            return vocabulary
    return None


def upgrade_dcatde_namespace(iri: str) -> str:
    """The IRI in the current dcatde namespace if it uses one of the versioned legacy ones."""
    text = str(iri)
    for legacy in LEGACY_DCATDE_NAMESPACES:
        if text.startswith(legacy):
            return str(DCATDE) + text.removeprefix(legacy)
    return text


__all__ = [
    "ACCESS_RIGHTS",
    "AVAILABILITY",
    "DATASET_TYPES",
    "DISTRIBUTION_STATUS",
    "FILE_TYPES",
    "FREQUENCIES",
    "GEOCODING_LEVELS",
    "LANGUAGES",
    "LICENSES",
    "THEMES",
    "VOCABULARIES",
    "Concept",
    "Vocabulary",
    "alias_key",
    "iri_key",
    "upgrade_dcatde_namespace",
    "vocabulary_of",
]
