"""Usage figures counted on a real served app: N requests make N counts, bots apart, the
download route redirects and counts, and nothing personal is stored in any usage table."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from flask import Flask
from sqlalchemy import func, inspect, select, text

from catalog.models import EndpointFetchCount, SearchTermCount, UsageCount
from catalog.records import get_record_by_name
from catalog.settings import Settings
from catalog.store import Store
from catalog.usage import UsageCounter
from tests.servers import served
from web import create_app

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PIVEAU = "piveau-consus/1.0 (+https://data.europa.eu)"
USAGE_TABLES = ("usage_counts", "endpoint_fetch_counts", "search_term_counts")


@pytest.fixture(scope="module")
def app(demo: tuple[Settings, Store]) -> Flask:
    settings, store = demo
    return create_app(settings, store=store)


@pytest.fixture(scope="module")
def address(app: Flask) -> Iterator[str]:
    with served(app) as base:
        yield base


def _counter(app: Flask) -> UsageCounter:
    counter: UsageCounter = app.extensions["catalog.usage"]
    return counter


def _first_dataset(address: str) -> str:
    page = requests.get(f"{address}/suche", timeout=10).text
    found = re.search(r'href="/dataset/([^"/.]+)"', page)
    assert found
    return found.group(1)


def _uses(store: Store, record_id: str, kind: str, audience: str) -> int:
    with store.reading() as session:
        return int(
            session.scalar(
                select(func.coalesce(func.sum(UsageCount.count), 0)).where(
                    UsageCount.record_id == record_id,
                    UsageCount.kind == kind,
                    UsageCount.audience == audience,
                )
            )
        )


def test_page_views_are_counted_once_each_and_bots_apart(
    app: Flask, address: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    name = _first_dataset(address)
    record = get_record_by_name(store, name)
    assert record is not None
    before = _uses(store, record.id, "view", "people"), _uses(store, record.id, "view", "bots")

    for _ in range(7):
        assert requests.get(f"{address}/dataset/{name}", headers={"User-Agent": BROWSER}).ok
    for _ in range(3):
        assert requests.get(f"{address}/dataset/{name}", headers={"User-Agent": CRAWLER}).ok
    assert requests.head(f"{address}/dataset/{name}", headers={"User-Agent": BROWSER}).ok
    _counter(app).flush()

    after = _uses(store, record.id, "view", "people"), _uses(store, record.id, "view", "bots")
    assert (after[0] - before[0], after[1] - before[1]) == (7, 3)


def test_download_route_counts_and_redirects_to_the_distribution(
    app: Flask, address: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    name = _first_dataset(address)
    record = get_record_by_name(store, name)
    assert record is not None
    page = requests.get(f"{address}/dataset/{name}", headers={"User-Agent": BROWSER}).text
    link = re.search(r'href="(/dataset/[^"]+/download/[^"]+)"', page)
    assert link, "the dataset page links its distributions through the download route"
    before = _uses(store, record.id, "download", "people")

    for _ in range(4):
        answer = requests.get(
            address + link.group(1), headers={"User-Agent": BROWSER}, allow_redirects=False
        )
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("http")
        assert "127.0.0.1" not in answer.headers["Location"]
    _counter(app).flush()

    assert _uses(store, record.id, "download", "people") - before == 4
    # The DCAT document keeps the original address, not our route.
    turtle = requests.get(f"{address}/dataset/{name}.ttl", timeout=10).text
    assert "/download/" not in turtle
    assert answer.headers["Location"] in turtle


def test_unknown_dataset_or_distribution_is_404_and_counts_nothing(
    app: Flask, address: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    name = _first_dataset(address)
    _counter(app).flush()
    with store.reading() as session:
        before = session.scalar(select(func.sum(UsageCount.count)))

    for path in (f"/dataset/{name}/download/keine-solche", "/dataset/gibt-es-nicht/download/x"):
        answer = requests.get(
            address + path, headers={"User-Agent": BROWSER}, allow_redirects=False
        )
        assert answer.status_code == 404
    _counter(app).flush()

    with store.reading() as session:
        assert session.scalar(select(func.sum(UsageCount.count))) == before


def test_catalog_fetches_by_harvesting_client_with_last_time(
    app: Flask, address: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    for _ in range(2):
        assert requests.get(f"{address}/catalog.ttl", headers={"User-Agent": PIVEAU}).ok
    _counter(app).flush()

    with store.reading() as session:
        row = session.execute(
            select(func.sum(EndpointFetchCount.count), func.max(EndpointFetchCount.last_at)).where(
                EndpointFetchCount.client == "piveau"
            )
        ).one()
    assert row[0] >= 2
    assert row[1] is not None


def test_searches_are_normalised_and_those_without_result_counted(
    app: Flask, address: str, demo: tuple[Settings, Store]
) -> None:
    _, store = demo
    for text_asked in ("  Quallen   IM  Hafen ", "quallen im hafen"):
        requests.get(f"{address}/suche", params={"q": text_asked}, headers={"User-Agent": BROWSER})
    _counter(app).flush()

    with store.reading() as session:
        rows = session.execute(
            select(SearchTermCount.searches, SearchTermCount.without_result).where(
                SearchTermCount.term == "quallen im hafen", SearchTermCount.audience == "people"
            )
        ).all()
    assert [tuple(row) for row in rows] == [(2, 2)]


def test_no_usage_table_stores_anything_personal(
    app: Flask, address: str, demo: tuple[Settings, Store]
) -> None:
    """Every column of every usage table, read after traffic from several clients: no
    address, no user agent (nor a part of one), no cookie or session."""
    _, store = demo
    name = _first_dataset(address)
    for agent in (BROWSER, CRAWLER, PIVEAU):
        requests.get(f"{address}/dataset/{name}", headers={"User-Agent": agent})
        requests.get(f"{address}/catalog.ttl", headers={"User-Agent": agent})
        requests.get(f"{address}/suche", params={"q": "Radwege"}, headers={"User-Agent": agent})
    _counter(app).flush()

    columns = {
        table: {column["name"] for column in inspect(store.engine).get_columns(table)}
        for table in USAGE_TABLES
    }
    assert columns == {
        "usage_counts": {"day", "kind", "record_id", "audience", "count"},
        "endpoint_fetch_counts": {"day", "client", "count", "last_at"},
        "search_term_counts": {"day", "term", "audience", "searches", "without_result"},
    }
    personal = ["127.0.0.1", "Mozilla", "Firefox", "Googlebot", "piveau-consus", "session"]
    with store.reading() as session:
        for table in USAGE_TABLES:
            rows = session.execute(text(f"SELECT * FROM {table}")).all()
            assert rows, table
            for row in rows:
                for value in row:
                    assert not any(part in str(value) for part in personal), (table, row)


def test_counts_survive_a_restart(demo: tuple[Settings, Store]) -> None:
    """What one app counted and closed with is in the database for the next app."""
    settings, store = demo
    first = create_app(settings, store=store)
    name = _first_dataset_of(first)
    record = get_record_by_name(store, name)
    assert record is not None
    before = _uses(store, record.id, "view", "people")
    client = first.test_client()
    for _ in range(5):
        client.get(f"/dataset/{name}", headers={"User-Agent": BROWSER})
    _counter(first).close()  # as at shutdown

    assert _uses(store, record.id, "view", "people") - before == 5


def test_usage_can_be_switched_off(demo: tuple[Settings, Store]) -> None:
    settings, store = demo
    off = settings.model_copy(
        update={"usage": settings.usage.model_copy(update={"enabled": False})}
    )
    app = create_app(off, store=store)
    name = _first_dataset_of(app)
    record = get_record_by_name(store, name)
    assert record is not None
    before = _uses(store, record.id, "view", "people")
    app.test_client().get(f"/dataset/{name}", headers={"User-Agent": BROWSER})
    _counter(app).close()

    assert _uses(store, record.id, "view", "people") == before


def _first_dataset_of(app: Flask) -> str:
    page = app.test_client().get("/suche").get_data(as_text=True)
    found = re.search(r'href="/dataset/([^"/.]+)"', page)
    assert found
    return found.group(1)
