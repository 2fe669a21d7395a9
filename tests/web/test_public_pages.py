"""The public pages on the harvested demo catalog: search, facets, dataset pages, languages,
and what crawlers and feed readers get."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from rdflib import URIRef
from rdflib.compare import isomorphic
from sqlalchemy import select

from catalog.models import DatasetRecord, ValidationState
from catalog.publication import public_records
from catalog.search.documents import Names
from catalog.settings import Settings
from catalog.store import Store
from dcat.parsing import parse_rdf

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _text(demo_client: FlaskClient, url: str, status: int = 200) -> str:
    response = demo_client.get(url)
    assert response.status_code == status, (url, response.data[:500])
    return response.get_data(as_text=True)


def _result_names(html: str) -> list[str]:
    return re.findall(r'class="dataset-title"><a href="/dataset/([^"]+)"', html)


def _count(html: str) -> int:
    found = re.search(r'class="result-count" role="status">\s*(\d+)', html)
    assert found, html[:2000]
    return int(found.group(1))


def test_the_results_pages_walk_every_public_dataset_once(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    public = {record.name for record in public_records(store, settings)}
    first = _text(demo_client, "/suche")
    assert _count(first) == len(public)
    walked = []
    for page in range(1, 10):
        names = _result_names(_text(demo_client, f"/suche?page={page}"))
        if not names:
            break
        walked.extend(names)
    assert sorted(walked) == sorted(public)
    assert len(walked) == len(set(walked))


def test_a_facet_link_narrows_and_its_chip_removes_the_filter(demo_client: FlaskClient) -> None:
    page = _text(demo_client, "/suche?q=Verkehr")
    total = _count(page)
    link = re.search(
        r'<a href="(/suche\?[^"]*theme=TRAN[^"]*)"><span class="facet-label">'
        r'[^<]+</span> <span class="count">(\d+)</span>',
        page,
    )
    assert link, "the theme facet offers Verkehr"
    url, expected = link.group(1).replace("&amp;", "&"), int(link.group(2))
    narrowed = _text(demo_client, url)
    assert _count(narrowed) == expected <= total
    chip = re.search(r'<a class="chip" href="([^"]+)"', narrowed)
    assert chip
    back = chip.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(back).query) == {"q": ["Verkehr"]}
    assert _count(_text(demo_client, back)) == total


@pytest.mark.parametrize("typed", ["Bäume", "baeume", "BAUM"])
def test_german_word_forms_find_the_tree_register(demo_client: FlaskClient, typed: str) -> None:
    assert "baumkataster" in _result_names(_text(demo_client, f"/suche?q={typed}"))


@pytest.mark.parametrize(
    "query",
    [
        'q="unbalanced',
        "q=AND+OR",
        "q=NOT",
        "q=(((",
        "q=*",
        "q=%00",
        "page=abc",
        "page=-3",
        "page=99999",
        "sort=nonsense",
        "theme=NOPE",
        "q=" + "x" * 2000,
        "organization=%22%3E<x>",
    ],
)
def test_odd_search_input_never_gives_an_error(demo_client: FlaskClient, query: str) -> None:
    html = _text(demo_client, f"/suche?{query}")
    assert "<x>" not in html


def test_a_misspelt_query_offers_a_correction(demo_client: FlaskClient) -> None:
    html = _text(demo_client, "/suche?q=Baumkatster")
    assert _count(html) == 0
    assert re.search(r"Meinten Sie <a href=\"/suche\?q=baumkataster\">", html)


def test_organisation_and_theme_pages_are_searches_with_a_fixed_filter(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    by_org: dict[str, int] = {}
    names = Names.load(store)
    for record in public_records(store, settings):
        org = names.organizations[record.organization_id].name
        by_org[org] = by_org.get(org, 0) + 1
    for org, count in by_org.items():
        assert _count(_text(demo_client, f"/organisation/{org}")) == count
    assert "Umwelt" in _text(demo_client, "/thema/ENVI")
    _text(demo_client, "/organisation/unbekannt", 404)
    _text(demo_client, "/thema/QQQQ", 404)


def test_the_dataset_page_shows_distributions_links_formats_and_schema_org(
    demo_client: FlaskClient,
) -> None:
    html = _text(demo_client, "/dataset/baumkataster")
    assert '<h1 id="dataset-title">Baumkataster</h1>' in html
    assert 'href="https://' in html and "Zum Zugang" in html
    for media_type in (
        "text/turtle",
        "application/rdf+xml",
        "application/ld+json",
        "application/n-triples",
    ):
        assert f'rel="alternate" type="{media_type}"' in html
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script
    document = json.loads(script.group(1))
    assert document["@type"] == "Dataset" and document["name"] == "Baumkataster"
    assert document["distribution"][0]["@type"] == "DataDownload"
    assert "Geprüft: gültig" in html


def test_records_that_are_not_public_have_no_page(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    with store.reading() as session:
        invalid = session.scalar(
            select(DatasetRecord.name).where(
                DatasetRecord.validation_state == ValidationState.INVALID
            )
        )
    assert invalid is not None
    _text(demo_client, f"/dataset/{invalid}", 404)
    assert invalid not in _text(demo_client, "/sitemap-datensaetze-1.xml")


def test_browsers_get_html_and_rdf_clients_get_rdf_from_the_same_address(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    browser = demo_client.get(
        "/dataset/baumkataster",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert browser.mimetype == "text/html" and "Accept" in browser.headers["Vary"]
    turtle = demo_client.get("/dataset/baumkataster", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and "Accept" in turtle.headers["Vary"]
    direct = demo_client.get("/dataset/baumkataster.ttl")
    assert isomorphic(
        parse_rdf(turtle.data, content_type="text/turtle"),
        parse_rdf(direct.data, content_type="text/turtle"),
    )
    refused = demo_client.get("/dataset/baumkataster", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    catalog_html = demo_client.get("/catalog", headers={"Accept": "text/html"})
    assert catalog_html.status_code == 303
    catalog_rdf = demo_client.get("/catalog", headers={"Accept": "application/n-triples"})
    graph = parse_rdf(catalog_rdf.data, content_type="application/n-triples")
    settings, _ = demo
    assert (URIRef(f"{settings.catalog.base_url}/catalog"), None, None) in graph


def test_english_on_request_and_remembered(demo_client: FlaskClient) -> None:
    german = _text(demo_client, "/")
    assert '<html lang="de">' in german and "Auf einen Blick" in german
    english = demo_client.get("/?lang=en")
    assert "lang=en" in english.headers["Set-Cookie"]
    text = english.get_data(as_text=True)
    assert '<html lang="en">' in text and "At a glance" in text and "Environment" in text
    assert '<html lang="en">' in _text(demo_client, "/suche")  # the cookie keeps it
    assert '<html lang="de">' in _text(demo_client, "/suche?lang=de")


def test_the_atom_feed_lists_changed_datasets_newest_first(demo_client: FlaskClient) -> None:
    response = demo_client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    stamps = [entry.find(f"{ATOM}updated").text for entry in entries]  # type: ignore[union-attr]
    assert stamps == sorted(stamps, reverse=True)
    assert all(entry.find(f"{ATOM}link").get("href", "").startswith("http") for entry in entries)  # type: ignore[union-attr]


def test_the_sitemap_lists_every_public_dataset_and_robots_points_to_it(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    base = settings.catalog.base_url
    index = ElementTree.fromstring(demo_client.get("/sitemap.xml").data)
    sitemaps = [loc.text or "" for loc in index.iter(f"{SITEMAP}loc")]
    listed = set()
    for sitemap in sitemaps:
        urlset = ElementTree.fromstring(demo_client.get(sitemap.removeprefix(base)).data)
        listed |= {loc.text for loc in urlset.iter(f"{SITEMAP}loc")}
    for record in public_records(store, settings):
        assert f"{base}/dataset/{record.name}" in listed
    assert f"Sitemap: {base}/sitemap.xml" in _text(demo_client, "/robots.txt")


def test_about_the_data_shows_the_figures(
    demo_client: FlaskClient, demo: tuple[Settings, Store]
) -> None:
    settings, store = demo
    html = _text(demo_client, "/ueber-die-daten")
    public = sum(1 for _ in public_records(store, settings))
    assert f"<dd>{public}</dd>" in html
    assert "Mit Verstößen (nicht öffentlich)" in html
    assert "umweltamt-ckan" in html
