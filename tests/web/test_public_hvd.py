"""High-Value Datasets on the public search page: the "Merkmal" facet offers the HVD marking
and the HVD categories with exact counts, and its filters find exactly the HVD records."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

from flask.testing import FlaskClient
from rdflib import URIRef

from catalog.publication import public_records
from catalog.settings import Settings
from catalog.store import Store
from dcat.hvd import ancestors, hvd_categories_of, is_hvd
from dcat.parsing import parse_rdf

MOBILITY = "http://data.europa.eu/bna/c_b79e35eb"


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:500])
    return response.get_data(as_text=True)


def _result_names(html: str) -> set[str]:
    return set(re.findall(r'class="dataset-title"><a href="/dataset/([^"]+)"', html))


def _facet_count(html: str, value: str) -> int | None:
    """The count the facet link that adds flag=value shows, None when there is no link."""
    link = re.search(
        r'<a href="/suche\?[^"]*flag=(?:'
        + "|".join(re.escape(v) for v in (value, quote(value, safe="")))
        + r')(?:&amp;[^"]*)?">'
        r'<span class="facet-label">[^<]+</span> <span class="count">(\d+)</span>',
        html,
    )
    return int(link.group(1)) if link else None


def _public_hvd(settings: Settings, store: Store) -> tuple[set[str], Counter[str]]:
    """The public HVD records by name, and how many records each category (with the ones
    above it) has, read from the stored graphs, not from the index."""
    names: set[str] = set()
    per_category: Counter[str] = Counter()
    for record in public_records(store, settings):
        graph = parse_rdf(record.graph, content_type="application/n-triples")
        node = URIRef(record.uri)
        if is_hvd(graph, node):
            names.add(record.name)
            categories = hvd_categories_of(graph, node)
            per_category.update({c for cat in categories for c in (cat, *ancestors(cat))})
    return names, per_category


def test_the_hvd_filter_finds_exactly_the_public_hvd_records_and_the_facet_counts_them(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    names, per_category = _public_hvd(*demo)
    assert len(names) >= 4  # the demo marks one per category the city plausibly has
    page = _text(demo_client, "/suche")
    assert "Merkmal" in page and "Hochwertiger Datensatz (HVD)" in page
    assert _facet_count(page, "hvd") == len(names)

    filtered = _text(demo_client, "/suche?flag=hvd")
    assert _result_names(filtered) == names
    assert (
        '<a class="chip" href="/suche"><span>Merkmal: Hochwertiger Datensatz (HVD)</span>'
        in filtered
    )
    # Within the HVD records, each category's facet count is its number of records.
    assert _facet_count(filtered, MOBILITY) == per_category[MOBILITY] > 0


def test_one_hvd_category_filters_to_its_records_with_its_label(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    _, per_category = _public_hvd(*demo)
    page = _text(demo_client, "/suche?flag=" + quote(MOBILITY, safe=""))
    assert len(_result_names(page)) == per_category[MOBILITY]
    assert "HVD: Mobilität" in page
    english = _text(demo_client, "/suche?lang=en&flag=" + quote(MOBILITY, safe=""))
    assert "HVD: Mobility" in english and "High-value dataset (HVD)" in english
