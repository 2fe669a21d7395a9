"""schema.org Dataset JSON-LD for dataset pages, so web search engines understand them."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from dcat.view import DatasetView
from web.public.descriptions import plain_description


def dataset_json_ld(
    view: DatasetView, page_url: str, catalog_url: str, catalog_name: str
) -> Markup:
    """The <script type="application/ld+json"> body: JSON with "<" escaped, safe in HTML."""
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": view.uri or page_url,
        "name": view.title,
        # Plain text: search engines show it as a snippet (schema.org allows up to 5,000 chars).
        "description": plain_description(view.description, 5000) or view.title,
        "url": page_url,
        "isAccessibleForFree": True,
        "includedInDataCatalog": {"@type": "DataCatalog", "name": catalog_name, "url": catalog_url},
    }
    optional: dict[str, Any] = {
        "identifier": view.identifier,
        "keywords": list(view.keywords) or None,
        "license": view.licenses[0].iri if view.licenses else None,
        "dateModified": view.modified.isoformat() if view.modified else None,
        "datePublished": view.issued.isoformat() if view.issued else None,
        "temporalCoverage": _period(view),
        "spatialCoverage": view.geocoding_description,
        "publisher": _organization(view.publisher.name, view.publisher.uri)
        if view.publisher
        else None,
        "creator": _organization(view.creator.name, view.creator.uri) if view.creator else None,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": distribution.title or None,
                "contentUrl": distribution.download_url or distribution.access_url,
                "encodingFormat": distribution.media_type
                or (distribution.format.label if distribution.format else None),
            }
            for distribution in view.distributions
            if distribution.download_url or distribution.access_url
        ]
        or None,
    }
    document.update({key: value for key, value in optional.items() if value})
    for item in document.get("distribution", []):
        for key in [key for key, value in item.items() if value is None]:
            del item[key]
    text = json.dumps(document, ensure_ascii=False, indent=1)
    # "</script>" inside a string must not end the element: escape every "<".
    return Markup(text.replace("<", "\\u003c"))


def _organization(name: str, uri: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Organization", "name": name}
    if uri:
        found["url"] = uri
    return found


def _period(view: DatasetView) -> str | None:
    start, end = view.temporal_start, view.temporal_end
    if start is None and end is None:
        return None
    return f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"
