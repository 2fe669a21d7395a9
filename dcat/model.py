"""Typed input for one DCAT-AP.de dataset, as a steward form or a harvester provides it.

Texts are mappings from a language code ("de", "en") to the text; the empty code "" means
"language unknown" and becomes an untagged literal. Values that belong to a controlled
vocabulary are concept IRIs: callers resolve what people write ("CC BY 4.0", "csv") with
dcat.vocabularies first, so the builder never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

DateValue = date | datetime

# RFC 3987 in short: a scheme, a colon, and no characters an IRI may never contain.
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_EMAIL = re.compile(r"^(mailto:)?[^\s<>\"@]+@[^\s<>\"@]+$", re.IGNORECASE)


class InputError(ValueError):
    """Input that cannot become a DCAT-AP.de graph; why, in German and in English.

    The two texts stay apart so that a page can show the reader's language; str() joins
    them (German / English) for logs and reports.
    """

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(message_de, message_en)
        self.message_de = message_de
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_de} / {self.message_en}"


def is_absolute_iri(value: object) -> bool:
    """Whether the value can be written as an IRI node (RDF has no relative IRIs)."""
    return isinstance(value, str) and bool(_ABSOLUTE_IRI.match(value))


def parse_date_value(text: str | None) -> DateValue | None:
    """A date or datetime from what portals write; None when it is not one.

    Accepts ISO dates and datetimes (with "Z", offsets, a space instead of "T", fractions),
    a bare year or year-month (the first day is meant). Portals also write things like
    "mar, 10/12/2019 - 09:23"; guessing their day/month order would invent data, so no.
    """
    if text is None:
        return None
    value = str(text).strip()
    if not value:
        return None
    if _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    if _YEAR.match(value):
        return date(int(value), 1, 1)
    year_month = _YEAR_MONTH.match(value)
    if year_month:
        try:
            return date(int(year_month[1]), int(year_month[2]), 1)
        except ValueError:
            return None
    candidate = value.replace(" ", "T", 1) if "T" not in value else value
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _require_iri(value: str | None, where: str) -> None:
    if value is not None and not is_absolute_iri(value):
        raise InputError(
            f"{where}: {value!r} ist keine absolute IRI (z. B. https://…).",
            f"{where}: {value!r} is not an absolute IRI (e.g. https://…).",
        )


def _require_iris(values: Iterable[str], where: str) -> None:
    for value in values:
        _require_iri(value, where)


def _require_email(value: str | None, where: str) -> None:
    if value is not None and not _EMAIL.match(value.strip()):
        raise InputError(
            f"{where}: {value!r} ist keine E-Mail-Adresse.",
            f"{where}: {value!r} is no e-mail address.",
        )


def _require_languages(texts: Mapping[str, object], where: str) -> None:
    for language in texts:
        if language and not _LANGUAGE_TAG.match(language):
            raise InputError(
                f"{where}: {language!r} ist kein Sprach-Tag (z. B. de, en).",
                f"{where}: {language!r} is no language tag (e.g. de, en).",
            )


def _has_text(texts: Mapping[str, str]) -> bool:
    return any(text.strip() for text in texts.values())


@dataclass(frozen=True, slots=True)
class AgentInput:
    """A foaf:Agent: publisher, creator, maintainer, originator or contributor."""

    name: str
    uri: str | None = None
    type: str | None = None  # ADMS publisher type IRI (http://purl.org/adms/publishertype/…)
    email: str | None = None
    homepage: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InputError(
                "Eine Organisation oder Person braucht einen Namen (foaf:name).",
                "An agent needs a name (foaf:name).",
            )
        _require_email(self.email, "agent email")
        _require_iri(self.uri, "agent uri")
        _require_iri(self.type, "agent type")
        _require_iri(self.homepage, "agent homepage")


@dataclass(frozen=True, slots=True)
class ContactInput:
    """A vcard:Kind contact point; convention K01 wants an e-mail address or a URL."""

    name: str | None = None
    email: str | None = None
    url: str | None = None
    phone: str | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        if not any((self.name, self.email, self.url, self.phone)):
            raise InputError(
                "Ein Kontakt braucht Name, E-Mail, URL oder Telefon.",
                "A contact point needs a name, e-mail, URL or phone.",
            )
        _require_email(self.email, "contact email")
        _require_iri(self.url, "contact url")
        _require_iri(self.uri, "contact uri")


@dataclass(frozen=True, slots=True)
class PeriodInput:
    """A dct:PeriodOfTime; the official shapes want at least one of start and end."""

    start: DateValue | None = None
    end: DateValue | None = None

    def __post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise InputError(
                "Ein Zeitraum braucht Beginn oder Ende.", "A period needs a start or an end."
            )


@dataclass(frozen=True, slots=True)
class LocationInput:
    """A dct:Location given as WKT (gsp:wktLiteral) geometries."""

    bbox: str | None = None
    centroid: str | None = None
    geometry: str | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        if not any((self.bbox, self.centroid, self.geometry)):
            raise InputError(
                "Ein Ort braucht bbox, centroid oder geometry (WKT).",
                "A location needs a bbox, centroid or geometry (WKT).",
            )
        _require_iri(self.uri, "location uri")


@dataclass(frozen=True, slots=True)
class DataServiceInput:
    """A dcat:DataService that gives access to a distribution (an API); DCAT-AP wants its
    title and endpoint, the HVD guideline its documentation page (foaf:page) too, and
    DCAT-AP.de 3.0 its publisher (DE_DataService_dcterms_publisher_v_Min). The publisher is
    never taken from the dataset: who runs a service is a fact of its own (a state geoportal
    may serve a city's data), so it comes from the source or the steward."""

    title: Mapping[str, str]
    endpoint_url: str
    endpoint_description: str | None = None
    pages: Sequence[str] = ()
    uri: str | None = None
    publisher: AgentInput | None = None

    def __post_init__(self) -> None:
        _freeze(self, ("pages",))
        if not _has_text(self.title):
            raise InputError(
                "Ein Datendienst braucht einen Titel (dct:title).",
                "A data service needs a title (dct:title).",
            )
        _require_languages(self.title, "data service title")
        for name in ("endpoint_url", "endpoint_description", "uri"):
            _require_iri(getattr(self, name), f"data service {name}")
        _require_iris(self.pages, "data service pages")


@dataclass(frozen=True, slots=True)
class DistributionInput:
    """One dcat:Distribution; dcat:accessURL is its only mandatory property."""

    access_url: str
    download_url: str | None = None
    title: Mapping[str, str] = field(default_factory=dict)
    description: Mapping[str, str] = field(default_factory=dict)
    format: str | None = None  # EU file-type IRI
    media_type: str | None = None  # IANA media type, as "text/csv" or as its IANA IRI
    license: str | None = None  # dcat-ap.de licence IRI
    license_attribution_by_text: str | None = None
    byte_size: int | None = None
    issued: DateValue | None = None
    modified: DateValue | None = None
    availability: str | None = None  # EU planned-availability IRI
    languages: Sequence[str] = ()
    conforms_to: Sequence[str] = ()
    pages: Sequence[str] = ()
    identifier: str | None = None
    uri: str | None = None
    applicable_legislation: Sequence[str] = ()  # ELI IRIs (dcatap:applicableLegislation)
    access_services: Sequence[DataServiceInput] = ()

    def __post_init__(self) -> None:
        _freeze(self, ("languages", "conforms_to", "pages", "applicable_legislation"))
        _freeze(self, ("access_services",))
        _require_iris(self.applicable_legislation, "distribution applicable_legislation")
        _require_iri(self.access_url, "distribution access_url")
        _require_iri(self.download_url, "distribution download_url")
        for name in ("format", "license", "availability", "uri"):
            _require_iri(getattr(self, name), f"distribution {name}")
        _require_languages(self.title, "distribution title")
        _require_languages(self.description, "distribution description")
        _require_iris(self.languages, "distribution languages")
        _require_iris(self.pages, "distribution pages")
        if self.byte_size is not None and self.byte_size < 0:
            raise InputError(
                "dcat:byteSize darf nicht negativ sein.", "dcat:byteSize must not be negative."
            )


@dataclass(frozen=True, slots=True)
class DatasetInput:
    """One dcat:Dataset with what belongs to it; only title and description are mandatory.

    The title is enforced here; a missing description is left to validation so that a
    harvested record without one is still stored with its report.
    """

    title: Mapping[str, str]
    description: Mapping[str, str] = field(default_factory=dict)
    identifier: str | None = None
    # Per language, or a flat list of words in keyword_language.
    keywords: Mapping[str, Sequence[str]] | Sequence[str] = field(default_factory=dict)
    keyword_language: str = "de"
    themes: Sequence[str] = ()
    publisher: AgentInput | None = None
    contact: ContactInput | None = None
    creators: Sequence[AgentInput] = ()
    maintainers: Sequence[AgentInput] = ()
    originators: Sequence[AgentInput] = ()
    contributors: Sequence[AgentInput] = ()
    contributor_id: str | None = None
    political_geocoding_uris: Sequence[str] = ()
    political_geocoding_level_uri: str | None = None
    geocoding_description: Mapping[str, str] = field(default_factory=dict)
    spatial: Sequence[str | LocationInput] = ()
    temporal: Sequence[PeriodInput] = ()
    issued: DateValue | None = None
    modified: DateValue | None = None
    accrual_periodicity: str | None = None
    languages: Sequence[str] = ()
    landing_page: str | None = None
    pages: Sequence[str] = ()
    access_rights: str | None = None  # IRI or statement text
    conforms_to: Sequence[str] = ()  # IRIs or standard names
    legal_basis: Mapping[str, str] = field(default_factory=dict)
    availability: str | None = None
    version_info: str | None = None
    version_notes: Mapping[str, str] = field(default_factory=dict)
    distributions: Sequence[DistributionInput] = ()
    # High-Value Datasets (dcat.hvd): ELI IRIs, and HVD category IRIs, whose presence makes
    # the builder name Regulation (EU) 2023/138 on the dataset, distributions and services.
    applicable_legislation: Sequence[str] = ()
    hvd_categories: Sequence[str] = ()

    def __post_init__(self) -> None:
        _freeze(self, _DATASET_SEQUENCES)
        object.__setattr__(
            self, "keywords", _keywords_by_language(self.keywords, self.keyword_language)
        )
        if not _has_text(self.title):
            raise InputError(
                "Ein Datensatz braucht einen Titel (dct:title).",
                "A dataset needs a title (dct:title).",
            )
        for name in ("title", "description", "keywords", "geocoding_description", "legal_basis"):
            _require_languages(getattr(self, name), name)
        for name in (
            "contributor_id",
            "political_geocoding_level_uri",
            "accrual_periodicity",
            "landing_page",
            "availability",
        ):
            _require_iri(getattr(self, name), name)
        for name in (
            "themes",
            "political_geocoding_uris",
            "languages",
            "pages",
            "applicable_legislation",
            "hvd_categories",
        ):
            _require_iris(getattr(self, name), name)
        _require_iris((place for place in self.spatial if isinstance(place, str)), "spatial")

    @property
    def keywords_by_language(self) -> Mapping[str, tuple[str, ...]]:
        """The keywords per language tag, whichever form they were given in."""
        return _keywords_by_language(self.keywords, self.keyword_language)


_DATASET_SEQUENCES = (
    "themes",
    "creators",
    "maintainers",
    "originators",
    "contributors",
    "political_geocoding_uris",
    "spatial",
    "temporal",
    "languages",
    "pages",
    "conforms_to",
    "distributions",
    "applicable_legislation",
    "hvd_categories",
)


def _freeze(instance: object, names: Iterable[str]) -> None:
    """Lists become tuples, so an input stays what it was when it was checked."""
    for name in names:
        value = getattr(instance, name)
        object.__setattr__(instance, name, (value,) if isinstance(value, str) else tuple(value))


def _keywords_by_language(
    keywords: Mapping[str, Sequence[str]] | Sequence[str], language: str
) -> dict[str, tuple[str, ...]]:
    if isinstance(keywords, Mapping):
        cleaned = {lang: keywords_in(lang, words) for lang, words in keywords.items()}
        return {lang: words[lang] for lang, words in cleaned.items() if words}
    return keywords_in(language, [keywords] if isinstance(keywords, str) else keywords)


def keywords_in(language: str, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """A flat keyword list in one language, as DatasetInput.keywords wants it."""
    cleaned = tuple(dict.fromkeys(word.strip() for word in words if word.strip()))
    return {language: cleaned} if cleaned else {}


__all__ = [
    "AgentInput",
    "ContactInput",
    "DataServiceInput",
    "DatasetInput",
    "DateValue",
    "DistributionInput",
    "InputError",
    "LocationInput",
    "PeriodInput",
    "is_absolute_iri",
    "keywords_in",
    "parse_date_value",
]
