"""The one CKAN -> DCAT-AP.de mapping: package dicts (portals, dumps, API input) to graphs.

Reads core CKAN fields, extras and top-level keys as ckanext-dcat, ckanext-scheming and
ckanext-dcatde (GovData) name them. Vocabulary values go through dcat.vocabularies; what
does not resolve is left out rather than written as a value the official shapes reject:
a format that is neither an EU file type nor an IANA media type is dropped (convention K32
allows only EU file-type IRIs in dct:format), an unknown licence leaves dct:license out.
A resource without any URL cannot become a dcat:Distribution (dcat:accessURL is mandatory)
and is skipped with a log line.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from rdflib import BNode, Graph, URIRef

from dcat.builder import build_dataset_graph
from dcat.ckan import fields as field
from dcat.ckan.fields import CkanField, keys
from dcat.model import (
    AgentInput,
    ContactInput,
    DataServiceInput,
    DatasetInput,
    DateValue,
    DistributionInput,
    InputError,
    LocationInput,
    PeriodInput,
    is_absolute_iri,
    parse_date_value,
)
from dcat.vocabularies import AVAILABILITY, FILE_TYPES, FREQUENCIES, LANGUAGES, LICENSES, THEMES

logger = logging.getLogger(__name__)

# Where the HVD category codes live ("c_ac64a52d" -> its IRI).
HVD_CATEGORY_BASE = "http://data.europa.eu/bna/"

_MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9.+\-]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^\s<>\"@]+@[^\s<>\"@]+$")
_ADMS_PUBLISHER_TYPES = "http://purl.org/adms/publishertype/"
# ISO 639-2 codes of the EU language vocabulary -> the tags we write on literals.
_LANGUAGE_TAGS = {"DEU": "de", "ENG": "en", "FRA": "fr", "ITA": "it", "NLD": "nl", "SPA": "es"}
# What a package needs one of to be told apart.
_NAMED_BY = keys(field.ID, field.PACKAGE_NAME, field.URI, field.IDENTIFIER)
# Each role's name, e-mail and homepage (ckanext-dcatde).
_CREATOR = (field.AUTHOR, field.AUTHOR_EMAIL, field.AUTHOR_URL)
_MAINTAINER = (field.MAINTAINER, field.MAINTAINER_EMAIL, field.MAINTAINER_URL)
_ORIGINATOR = (field.ORIGINATOR_NAME, field.ORIGINATOR_EMAIL, field.ORIGINATOR_URL)
# A publisher's name, IRI, e-mail, homepage and type: ckanext-dcat's, then its older names.
_PUBLISHER_SPELLINGS = (
    keys(
        field.PUBLISHER_NAME,
        field.PUBLISHER_URI,
        field.PUBLISHER_EMAIL,
        field.PUBLISHER_URL,
        field.PUBLISHER_TYPE,
    ),
    keys(
        field.DCAT_PUBLISHER_NAME,
        field.DCAT_PUBLISHER_URI,
        field.DCAT_PUBLISHER_EMAIL,
        field.DCAT_PUBLISHER_URL,
        field.DCAT_PUBLISHER_TYPE,
    ),
)
# A contact's name, e-mail, URL and phone; the maintainer's, then the author's, stand in.
_CONTACT_KEYS = keys(
    field.CONTACT_NAME, field.CONTACT_EMAIL, field.CONTACT_URL, field.CONTACT_PHONE
)
_ROLE_CONTACTS = (
    keys(field.MAINTAINER, field.MAINTAINER_EMAIL, field.MAINTAINER_URL, field.MAINTAINER_TEL),
    keys(field.AUTHOR, field.AUTHOR_EMAIL, field.AUTHOR_URL, field.AUTHOR_TEL),
)
_MEDIA_TYPE_KEYS = keys(field.RESOURCE_MEDIA_TYPE, field.RESOURCE_MIMETYPE)
_RESOURCE_LICENSE_KEYS = keys(field.RESOURCE_LICENSE, field.RESOURCE_LICENSE_ID)


class CkanMappingError(InputError):
    """A CKAN package that cannot become a dataset; the German and English texts name the field."""


# --- CKAN package -> graph ---------------------------------------------------------------


def dataset_graph_from_ckan(
    package: Mapping[str, Any], *, base_url: str | None = None, lang: str = "de"
) -> tuple[Graph, URIRef | BNode]:
    """The package's DCAT-AP.de graph; the node is its `uri` if absolute, else a blank node.

    base_url is the CKAN portal's address: relative resource URLs are resolved against it,
    and a package without `url` gets the portal's dataset page as dcat:landingPage.
    """
    data = dataset_input_from_ckan(package, base_url=base_url, lang=lang)
    return build_dataset_graph(data, uri=dataset_uri_from_ckan(package))


def dataset_uri_from_ckan(package: Mapping[str, Any]) -> str | None:
    """The dataset IRI the package declares (ckanext-dcat `uri`), if it is absolute."""
    uri = _text(ckan_fields(package).get(field.URI.key))
    return uri if is_absolute_iri(uri) else None


def dataset_input_from_ckan(
    package: Mapping[str, Any], *, base_url: str | None = None, lang: str = "de"
) -> DatasetInput:
    """The typed input for one CKAN package; CkanMappingError if it cannot be a dataset."""
    fields = ckan_fields(package)
    if not any(_text(fields.get(key)) for key in _NAMED_BY):
        raise CkanMappingError(
            "Das CKAN-Paket hat weder 'id' noch 'name' noch 'uri'.",
            "The CKAN package has neither 'id' nor 'name' nor 'uri'.",
        )
    lang = _text_language(fields, lang)
    title = _texts(fields, lang, field.TITLE.key)
    if not title:
        raise CkanMappingError(
            f"Das CKAN-Paket {_package_label(fields)} hat keinen Titel (Feld 'title').",
            f"The CKAN package {_package_label(fields)} has no title (field 'title').",
        )
    package_license = _first_resolved(
        LICENSES,
        fields,
        *keys(field.LICENSE_ID, field.LICENSE_URL, field.LICENSE_TITLE, field.LICENSE),
    )
    try:
        return DatasetInput(
            title=title,
            description=_texts(fields, lang, *keys(field.NOTES, field.DESCRIPTION)),
            identifier=_text(fields.get(field.IDENTIFIER.key)) or _text(fields.get(field.ID.key)),
            keywords=_keywords(fields, lang),
            themes=_themes(fields),
            publisher=_publisher(fields),
            contact=_contact(fields),
            creators=_role(fields, *_CREATOR),
            maintainers=_role(fields, *_MAINTAINER),
            originators=_role(fields, *_ORIGINATOR),
            contributor_id=next(iter(_iris(fields.get(field.CONTRIBUTOR_ID.key))), None),
            political_geocoding_uris=_iris(fields.get(field.POLITICAL_GEOCODING_URI.key)),
            political_geocoding_level_uri=_first_iri(
                fields.get(field.POLITICAL_GEOCODING_LEVEL_URI.key)
            ),
            geocoding_description=_texts(
                fields, lang, *keys(field.GEOCODING_TEXT, field.GEOCODING_DESCRIPTION)
            ),
            spatial=_spatial(fields),
            temporal=_temporal(fields),
            issued=_date(fields, *keys(field.ISSUED, field.DCAT_ISSUED, field.METADATA_CREATED)),
            modified=_date(
                fields, *keys(field.MODIFIED, field.DCAT_MODIFIED, field.METADATA_MODIFIED)
            ),
            accrual_periodicity=_first_resolved(
                FREQUENCIES,
                fields,
                *keys(field.FREQUENCY, field.ACCRUAL_PERIODICITY, field.FREQUENCY_OF_UPDATE),
            ),
            languages=_unique(LANGUAGES.resolve(code) for code in _language_codes(fields)),
            landing_page=_landing_page(fields, base_url),
            pages=_iris(fields.get(field.DOCUMENTATION.key)),
            access_rights=_text(fields.get(field.ACCESS_RIGHTS.key)),
            conforms_to=tuple(_strings(fields.get(field.CONFORMS_TO.key))),
            legal_basis=_texts(fields, lang, *keys(field.LEGALBASIS_TEXT, field.LEGAL_BASIS)),
            availability=_first_resolved(AVAILABILITY, fields, field.AVAILABILITY.key),
            version_info=_text(fields.get(field.VERSION.key)),
            version_notes=_texts(fields, lang, field.VERSION_NOTES.key),
            distributions=_distributions(package, fields, package_license, base_url, lang),
            applicable_legislation=_iris(fields.get(field.APPLICABLE_LEGISLATION.key)),
            hvd_categories=_hvd_categories(fields.get(field.HVD_CATEGORY.key)),
        )
    except InputError as error:
        label = _package_label(fields)
        raise CkanMappingError(
            f"{label}: {error.message_de}", f"{label}: {error.message_en}"
        ) from error


def ckan_fields(package: Mapping[str, Any]) -> dict[str, Any]:
    """Extras and top-level keys in one mapping; top-level (scheming) values win.

    Extras hold lists as JSON text (ckanext-dcat, ckanext-dcatde); those are decoded.
    """
    fields: dict[str, Any] = {}
    for extra in package.get("extras") or ():
        if isinstance(extra, Mapping) and isinstance(extra.get("key"), str):
            fields[extra["key"]] = _decode_json_text(extra.get("value"))
    for key, value in package.items():
        if key != "extras" and not _blank(value):
            fields[key] = value
    return fields


def _distributions(
    package: Mapping[str, Any],
    fields: Mapping[str, Any],
    package_license: str | None,
    base_url: str | None,
    lang: str,
) -> tuple[DistributionInput, ...]:
    attribution = _text(fields.get(field.LICENSE_ATTRIBUTION.key))
    result = []
    for position, resource in enumerate(package.get(field.RESOURCES.key) or ()):
        if not isinstance(resource, Mapping):
            continue
        try:
            distribution = _distribution(resource, package_license, attribution, base_url, lang)
        except InputError as error:
            logger.warning("%s resource %s: %s", _package_label(fields), position, error)
            continue
        if distribution is None:
            logger.info("%s resource %s has no URL, skipped", _package_label(fields), position)
        else:
            result.append(distribution)
    return tuple(result)


def _distribution(
    resource: Mapping[str, Any],
    package_license: str | None,
    attribution: str | None,
    base_url: str | None,
    lang: str,
) -> DistributionInput | None:
    access_url = _absolute_url(
        resource.get(field.RESOURCE_ACCESS_URL.key) or resource.get(field.RESOURCE_URL.key),
        base_url,
    )
    download_url = _absolute_url(resource.get(field.RESOURCE_DOWNLOAD_URL.key), base_url)
    access_url = access_url or download_url
    if access_url is None:
        return None
    format_text = _text(resource.get(field.RESOURCE_FORMAT.key))
    file_type = FILE_TYPES.resolve(format_text) if format_text else None
    media_types = [resource.get(key) for key in _MEDIA_TYPE_KEYS]
    if file_type is None:
        media_types.append(format_text)
    return DistributionInput(
        access_url=access_url,
        download_url=download_url,
        title=_texts(resource, lang, field.RESOURCE_NAME.key),
        description=_texts(resource, lang, field.RESOURCE_DESCRIPTION.key),
        format=file_type,
        media_type=next(filter(None, map(_media_type, media_types)), None),
        license=_first_resolved(LICENSES, resource, *_RESOURCE_LICENSE_KEYS) or package_license,
        license_attribution_by_text=_text(resource.get(field.RESOURCE_ATTRIBUTION.key))
        or attribution,
        byte_size=_byte_size(resource.get(field.RESOURCE_SIZE.key)),
        issued=_date(resource, *keys(field.RESOURCE_ISSUED, field.RESOURCE_CREATED)),
        modified=_date(resource, *keys(field.RESOURCE_MODIFIED, field.RESOURCE_LAST_MODIFIED)),
        availability=_first_resolved(AVAILABILITY, resource, field.RESOURCE_AVAILABILITY.key),
        languages=_unique(
            LANGUAGES.resolve(code)
            for key in keys(field.RESOURCE_LANGUAGE, field.RESOURCE_RESOURCE_LANGUAGE)
            for code in _strings(resource.get(key))
        ),
        conforms_to=tuple(_strings(resource.get(field.RESOURCE_CONFORMS_TO.key))),
        pages=_iris(resource.get(field.RESOURCE_DOCUMENTATION.key)),
        identifier=_text(resource.get(field.RESOURCE_ID.key)),
        uri=_first_iri(resource.get(field.RESOURCE_URI.key)),
        applicable_legislation=_iris(resource.get(field.RESOURCE_APPLICABLE_LEGISLATION.key)),
        access_services=_access_services(resource.get(field.RESOURCE_ACCESS_SERVICES.key), lang),
    )


def _hvd_categories(value: Any) -> tuple[str, ...]:
    """HVD category IRIs; a bare code ("c_ac64a52d", as some portals store it) gets its IRI."""
    found = []
    for text in _strings(value):
        if not is_absolute_iri(text) and text.startswith("c_"):
            text = HVD_CATEGORY_BASE + text
        if is_absolute_iri(text):
            found.append(text)
    return tuple(dict.fromkeys(found))


def _access_services(value: Any, lang: str) -> tuple[DataServiceInput, ...]:
    """ckanext-dcat's access_services objects; one without title or endpoint is left out.
    A service's publisher is read from its own `publisher` subfield only, never from the
    package's: who runs the service is the source's to say."""
    services = []
    for item in _mappings(value):
        endpoint = _first_iri(item.get("endpoint_url"))
        title = _texts(item, lang, "title")
        if endpoint is None or not title:
            logger.warning("access service without title or endpoint_url skipped: %s", item)
            continue
        services.append(
            DataServiceInput(
                title=title,
                endpoint_url=endpoint,
                endpoint_description=_first_iri(item.get("endpoint_description")),
                pages=_iris(item.get("documentation")),
                uri=_first_iri(item.get("uri")),
                publisher=_first_agent(item.get("publisher")),
            )
        )
    return tuple(services)


def _keywords(fields: Mapping[str, Any], lang: str) -> dict[str, tuple[str, ...]]:
    by_language: dict[str, list[str]] = {}
    for key in keys(field.TAGS_TRANSLATED, field.KEYWORDS):
        if isinstance(fields.get(key), Mapping):
            for language, words in fields[key].items():
                by_language.setdefault(language, []).extend(_strings(words))
    if not by_language:
        for tag in fields.get(field.TAGS.key) or ():
            name = (
                _text(tag.get("display_name") or tag.get("name"))
                if isinstance(tag, Mapping)
                else _text(tag)
            )
            if name:
                by_language.setdefault(lang, []).append(name)
    return {
        language: tuple(dict.fromkeys(w.strip() for w in words if w.strip()))
        for language, words in by_language.items()
        if any(w.strip() for w in words)
    }


def _themes(fields: Mapping[str, Any]) -> tuple[str, ...]:
    """EU data themes from `theme` values and from groups named or titled like one."""
    found = [THEMES.resolve(text) for text in _strings(fields.get(field.THEME.key))]
    for group in _mappings(fields.get(field.GROUPS.key)):
        keys = ("name", "title", "display_name")
        texts = (text for key in keys for text in _strings(group.get(key)))
        found.append(next(filter(None, map(THEMES.resolve, texts)), None))
    return _unique(found)


def _first_agent(value: Any) -> AgentInput | None:
    """The first named agent of ckanext-dcat's agent objects (a list, or one object):
    name, uri (or identifier), email, url, type, as its schemas name the subfields."""
    for entry in _mappings(value):
        agent = _agent(
            entry.get("name"),
            entry.get("uri") or entry.get("identifier"),
            entry.get("email"),
            entry.get("url"),
            entry.get("type"),
        )
        if agent:
            return agent
    return None


def _publisher(fields: Mapping[str, Any]) -> AgentInput | None:
    agent = _first_agent(fields.get(field.PUBLISHER.key))
    if agent:
        return agent
    for spelling in _PUBLISHER_SPELLINGS:
        agent = _agent(*(fields.get(key) for key in spelling))
        if agent:
            return agent
    organization = fields.get(field.ORGANIZATION.key)
    if isinstance(organization, Mapping):
        return _agent(organization.get("title") or organization.get("name"), None, None, None, None)
    return _dkan_group_publisher(fields)


def _dkan_group_publisher(fields: Mapping[str, Any]) -> AgentInput | None:
    """A DKAN package's publisher: its group, by title (the slug is no name). DCAT-AP.de allows
    one publisher; of several groups the first is taken, as DKAN's own outputs write one."""
    for group in _mappings(fields.get(field.GROUPS.key)):
        if field.is_dkan_group(group):
            agent = _agent(group.get("title") or group.get("display_name"), None, None, None, None)
            if agent:
                return agent
    return None


def _role(
    fields: Mapping[str, Any], name: CkanField, email: CkanField, homepage: CkanField
) -> tuple[AgentInput, ...]:
    """ckanext-dcatde: author -> dct:creator, maintainer -> dcatde:maintainer, originator."""
    values = (fields.get(name.key), fields.get(email.key), fields.get(homepage.key))
    agent = _agent(values[0], None, values[1], values[2], None)
    return (agent,) if agent else ()


def _agent(name: Any, uri: Any, email: Any, homepage: Any, kind: Any) -> AgentInput | None:
    if not _text(name):
        return None
    kind_text = _text(kind)
    return AgentInput(
        name=_text(name) or "",
        uri=_first_iri(uri),
        type=kind_text if kind_text and kind_text.startswith(_ADMS_PUBLISHER_TYPES) else None,
        email=_email(email),
        homepage=_first_iri(homepage),
    )


def _contact(fields: Mapping[str, Any]) -> ContactInput | None:
    """contact_* (ckanext-dcat), a contact list (scheming), else maintainer, else author."""
    own = tuple(fields.get(key) for key in _CONTACT_KEYS)
    listed = [
        (
            entry.get("name"),
            entry.get("email"),
            entry.get("url") or entry.get("uri"),
            entry.get("phone"),
        )
        for key in keys(field.CONTACT, field.CONTACT_POINTS)
        for entry in _mappings(fields.get(key))
    ]
    by_role = [tuple(fields.get(key) for key in spelling) for spelling in _ROLE_CONTACTS]
    for name, email, url, phone in (own, *listed, *by_role):
        values = (_text(name), _email(email), _first_iri(url), _text(phone))
        if values[1] or values[2]:  # convention K01: an e-mail address or a URL
            return ContactInput(*values)
    return None


def _spatial(fields: Mapping[str, Any]) -> tuple[str | LocationInput, ...]:
    places: list[str | LocationInput] = [*_iris(fields.get(field.SPATIAL_URI.key))]
    for entry in _mappings(fields.get(field.SPATIAL_COVERAGE.key)):
        wkts = {key: _wkt(entry.get(key)) for key in ("bbox", "centroid", "geom")}
        uri = _first_iri(entry.get("uri"))
        if any(wkts.values()):
            places.append(LocationInput(wkts["bbox"], wkts["centroid"], wkts["geom"], uri))
        elif uri:
            places.append(uri)
    if any(isinstance(place, LocationInput) for place in places):
        # ckanext-spatial's `spatial` beside spatial_coverage is a summary of the same places
        # (our own API writes it so): reading it too would add a copy of them.
        return tuple(dict.fromkeys(places))
    geometry = _wkt(fields.get(field.SPATIAL.key))
    bbox = _bbox_from_extras(fields)
    if geometry or bbox:
        places.append(LocationInput(bbox=bbox, geometry=geometry))
    return tuple(dict.fromkeys(places))


def _temporal(fields: Mapping[str, Any]) -> tuple[PeriodInput, ...]:
    periods = [
        (_parse_date(entry.get("start")), _parse_date(entry.get("end")))
        for entry in _mappings(fields.get(field.TEMPORAL_COVERAGE.key))
    ]
    periods.append(
        (
            _date(fields, *keys(field.TEMPORAL_START, field.TEMPORAL_COVERAGE_FROM)),
            _date(fields, *keys(field.TEMPORAL_END, field.TEMPORAL_COVERAGE_TO)),
        )
    )
    return tuple(dict.fromkeys(PeriodInput(s, e) for s, e in periods if s or e))


def _landing_page(fields: Mapping[str, Any], base_url: str | None) -> str | None:
    url = _text(fields.get(field.URL.key))
    if url and is_absolute_iri(url) and url.lower().startswith(("http://", "https://")):
        return url
    name = _text(fields.get(field.PACKAGE_NAME.key))
    if base_url and name:
        return f"{base_url.rstrip('/')}/dataset/{name}"
    return None


# --- small readers of CKAN values -------------------------------------------------------


def _text(value: Any) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _strings(value: Any) -> list[str]:
    """A list of texts from a list, a JSON list text, a comma list or one text."""
    value = _decode_json_text(value)
    if isinstance(value, Mapping):  # texts per language
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value if (text := _text(item))]
    text = _text(value)
    if text is None:
        return []
    if "," in text and not is_absolute_iri(text):
        return [part.strip() for part in text.split(",") if part.strip()]
    return [text]


def _texts(source: Mapping[str, Any], lang: str, *keys: str) -> dict[str, str]:
    """Language -> text from `key_translated`, a dict per language, or plain text in `lang`."""
    for key in keys:
        for candidate in (source.get(f"{key}_translated"), source.get(key)):
            if isinstance(candidate, Mapping):
                texts = {
                    str(language): text
                    for language, value in candidate.items()
                    if (text := _text(value))
                    and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", str(language))
                }
                if texts:
                    return texts
        text = _text(source.get(key))
        if text:
            return {lang: text}
    return {}


def _text_language(fields: Mapping[str, Any], default: str) -> str:
    """The tag for untranslated texts: the package's first language, else the default."""
    for code in _language_codes(fields):
        tail = code.rstrip("/").rsplit("/", 1)[-1]
        if re.fullmatch(r"[A-Za-z]{2}", tail):
            return tail.lower()
        if tail.upper() in _LANGUAGE_TAGS:
            return _LANGUAGE_TAGS[tail.upper()]
    return default


def _language_codes(fields: Mapping[str, Any]) -> list[str]:
    return _strings(fields.get(field.LANGUAGE.key))


def _iris(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for text in _strings(value) if is_absolute_iri(text)))


def _first_iri(value: Any) -> str | None:
    return next(iter(_iris(value)), None)


def _first_resolved(vocabulary: Any, source: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        for text in _strings(source.get(key)):
            resolved = vocabulary.resolve(text)
            if resolved:
                return str(resolved)
    return None


def _unique(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    value = _decode_json_text(value)
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def _media_type(value: Any) -> str | None:
    """A media type as "text/csv" or as its IANA IRI; anything else is no media type."""
    text = _text(value)
    if text and text.lower().startswith(("http://", "https://")):
        return text if "www.iana.org/assignments/media-types/" in text.lower() else None
    return text.lower() if text and _MEDIA_TYPE.match(text) else None


def _email(value: Any) -> str | None:
    text = _text(value)
    if text and text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text if text and _EMAIL.match(text) else None


def _parse_date(value: Any) -> DateValue | None:
    texts = _strings(value) if not isinstance(value, str) else [value]
    return parse_date_value(texts[0]) if texts else None


def _date(source: Mapping[str, Any], *keys: str) -> DateValue | None:
    for key in keys:
        parsed = _parse_date(source.get(key))
        if parsed is not None:
            return parsed
    return None


def _byte_size(value: Any) -> int | None:
    text = _text(value)
    if text and re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    return None


def _absolute_url(value: Any, base_url: str | None) -> str | None:
    text = _text(value)
    if text and base_url and text.startswith("/"):
        text = urljoin(base_url, text)
    return text if text and is_absolute_iri(text) else None


def _wkt(value: Any) -> str | None:
    """WKT from GeoJSON (Point, LineString, Polygon, MultiPolygon) or from WKT text."""
    value = _decode_json_text(value)
    if isinstance(value, str):
        upper = value.strip().upper()
        return value.strip() if upper.startswith(("POINT", "POLYGON", "MULTIPOLYGON")) else None
    if not isinstance(value, Mapping):
        return None

    def ring(points: Any) -> str:
        return ", ".join(f"{float(x)!r} {float(y)!r}" for x, y, *_ in points)

    coordinates: Any = value.get("coordinates")
    try:
        kind = value.get("type")
        if kind == "Point":
            return f"POINT({ring([coordinates])})"
        if kind == "LineString":
            return f"LINESTRING({ring(coordinates)})"
        if kind == "Polygon":
            return "POLYGON(" + ", ".join(f"({ring(r)})" for r in coordinates) + ")"
        if kind == "MultiPolygon":
            polygons = ("(" + ", ".join(f"({ring(r)})" for r in p) + ")" for p in coordinates)
            return "MULTIPOLYGON(" + ", ".join(polygons) + ")"
    except (TypeError, ValueError):
        return None
    return None


def _bbox_from_extras(fields: Mapping[str, Any]) -> str | None:
    """ckanext-spatial's bbox-west-long etc. as a WKT polygon."""
    sides = keys(field.BBOX_WEST, field.BBOX_SOUTH, field.BBOX_EAST, field.BBOX_NORTH)
    try:
        west, south, east, north = (float(fields[side]) for side in sides)
    except (KeyError, TypeError, ValueError):
        return None
    corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return "POLYGON((" + ", ".join(f"{x!r} {y!r}" for x, y in corners) + "))"


def _decode_json_text(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


@dataclass(frozen=True)
class UnusableResource:
    """A resource left out of the dataset because the address it gives is none."""

    position: int  # 1 for the package's first resource
    name: str
    value: str  # the address as delivered, e.g. "kein link"


def unusable_resources(
    package: Mapping[str, Any], *, base_url: str | None = None
) -> list[UnusableResource]:
    """The resources whose URL is given but is no address (after resolving relative ones as
    the mapping does), so that a harvest can name each one and its value."""
    found = []
    for position, resource in enumerate(package.get(field.RESOURCES.key) or (), start=1):
        if not isinstance(resource, Mapping):
            continue
        # The two addresses _distribution reads, in its order.
        primary = resource.get(field.RESOURCE_ACCESS_URL.key) or resource.get(
            field.RESOURCE_URL.key
        )
        candidates = (primary, resource.get(field.RESOURCE_DOWNLOAD_URL.key))
        given = [text for value in candidates if (text := _text(value))]
        if given and not any(_absolute_url(text, base_url) for text in given):
            name = _text(resource.get(field.RESOURCE_NAME.key)) or ""
            found.append(UnusableResource(position, name, given[0]))
    return found


def _package_label(fields: Mapping[str, Any]) -> str:
    return repr(_text(fields.get(field.PACKAGE_NAME.key)) or _text(fields.get(field.ID.key)) or "?")


__all__ = [
    "CkanMappingError",
    "UnusableResource",
    "ckan_fields",
    "dataset_graph_from_ckan",
    "dataset_input_from_ckan",
    "dataset_uri_from_ckan",
    "unusable_resources",
]
