"""For machines that crawl or subscribe: sitemap, Atom feed of changes, robots.txt."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from catalog.organizations import organization_names
from catalog.publication import count_public_records, public_names_and_changes
from catalog.search.base import SearchQuery, SortOrder
from web.context import current_search, current_settings, current_store
from web.labels import themes_by_code

blueprint = Blueprint("feeds", __name__)

FEED_ENTRIES = 50
SITEMAP_CHUNK = 40_000  # the sitemap protocol allows 50,000 addresses per file
MAX_SITEMAPS = 50_000  # ... and 50,000 sitemaps per index: a higher number is a 404


@blueprint.get("/feed.atom")
def atom_feed() -> Response:
    """New and changed public datasets, the most recent first."""
    result = current_search().search(
        SearchQuery(sort=SortOrder.UPDATED, limit=FEED_ENTRIES, facets=())
    )
    body = render_template(
        "feed.xml",
        entries=result.hits,
        updated=result.hits[0].updated if result.hits else None,
        base_url=current_settings().catalog.base_url,
    )
    return Response(body, mimetype="application/atom+xml")


@blueprint.get("/sitemap.xml")
def sitemap_index() -> Response:
    count = count_public_records(current_store(), current_settings())
    chunks = range(1, max((count + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK, 1) + 1)
    base_url = current_settings().catalog.base_url
    body = render_template(
        "sitemap_index.xml",
        sitemaps=[base_url + url_for("feeds.sitemap_pages")]
        + [base_url + url_for("feeds.sitemap_datasets", number=n) for n in chunks],
    )
    return Response(body, mimetype="application/xml")


@blueprint.get("/sitemap-seiten.xml")
def sitemap_pages() -> Response:
    base_url = current_settings().catalog.base_url
    organizations = organization_names(current_store())
    urls = [
        url_for("public.index"),
        url_for("public.organizations"),
        url_for("public.themes"),
        url_for("public.about"),
        *(url_for("search_pages.organization", name=name) for name in organizations),
        *(url_for("search_pages.theme", code=code) for code in themes_by_code()),
    ]
    body = render_template("sitemap.xml", entries=[(base_url + url, None) for url in urls])
    return Response(body, mimetype="application/xml")


@blueprint.get(f"/sitemap-datensaetze-<int(min=1, max={MAX_SITEMAPS}):number>.xml")
def sitemap_datasets(number: int) -> Response:
    base_url = current_settings().catalog.base_url
    rows = public_names_and_changes(
        current_store(),
        current_settings(),
        offset=(number - 1) * SITEMAP_CHUNK,
        limit=SITEMAP_CHUNK,
    )
    entries = [
        (base_url + url_for("dataset_page.dataset", name=name), updated) for name, updated in rows
    ]
    body = render_template("sitemap.xml", entries=entries)
    return Response(body, mimetype="application/xml")


@blueprint.get("/robots.txt")
def robots() -> Response:
    base_url = current_settings().catalog.base_url
    lines = [
        "User-agent: *",
        "Disallow: /api/",
        "Disallow: /verwaltung/",
        "Allow: /",
        f"Sitemap: {base_url}{url_for('feeds.sitemap_index')}",
        "",
    ]
    return Response("\n".join(lines), mimetype="text/plain")
