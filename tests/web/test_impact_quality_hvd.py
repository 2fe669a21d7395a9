"""The impact page's quality and HVD figures: their numbers are what the stored scores, the
daily snapshots and the records' HVD marking say (counted here from the records, not through
the services the page uses), each CSV holds its table, and an organisation's page counts only
its own records."""

from __future__ import annotations

import csv
import html
import io
import re
import zlib
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import URIRef
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import (
    DatasetRecord,
    Organization,
    QualitySnapshot,
    RecordQuality,
    RecordStatus,
    Role,
    utcnow,
)
from catalog.publication import public_records
from catalog.quality.aggregates import take_snapshot
from catalog.quality.scores import rescore_records
from catalog.settings import Settings
from catalog.store import Store
from dcat.hvd import HVD_CATEGORIES, hvd_categories_of, is_hvd, top_categories, top_category
from dcat.parsing import parse_rdf
from dcat.quality import LinkOutcome, rating_for
from tests.conftest import build_demo_with_steward
from tests.web.steward.steward_support import log_in
from web import create_app

STEWARD = "ulla"
PASSWORD = "wirkung-geheim-2025"
ORGANIZATION = "umweltamt"
RATING_DE = {
    "excellent": "ausgezeichnet (351–405 Punkte)",
    "good": "gut (221–350 Punkte)",
    "sufficient": "ausreichend (121–220 Punkte)",
    "bad": "mangelhaft (0–120 Punkte)",
}
RATING_WORD = {
    "excellent": "ausgezeichnet",
    "good": "gut",
    "sufficient": "ausreichend",
    "bad": "mangelhaft",
}


def _reachable(session: Session, urls: Collection[str]) -> Mapping[str, LinkOutcome]:
    return {url: LinkOutcome(status=200, ok=True, checked_at=utcnow()) for url in urls}


def _half_reachable(session: Session, urls: Collection[str]) -> Mapping[str, LinkOutcome]:
    """Every other URL (by a stable checksum) answers, the rest are broken."""
    return {
        url: LinkOutcome(status=200, ok=zlib.crc32(url.encode()) % 2 == 0, checked_at=utcnow())
        for url in urls
    }


def _first_of_previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture(scope="module")
def quality_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    """The demo with an Umweltamt editor and quality snapshots in the two months before this
    one, each from different scores (link checks that all pass, then half of them), the
    scores afterwards as the demo scored them (no link checks)."""
    settings, store = build_demo_with_steward(
        Path(tmp_path_factory.mktemp("impact-quality")),
        STEWARD,
        PASSWORD,
        {ORGANIZATION: Role.EDITOR},
    )
    last_month = _first_of_previous_month(utcnow().date())
    take_snapshot(store, _first_of_previous_month(last_month).replace(day=10))
    rescore_records(store, link_outcomes=_reachable)
    take_snapshot(store, last_month.replace(day=5))  # not the month's last: never shown
    rescore_records(store, link_outcomes=_half_reachable)
    take_snapshot(store, last_month.replace(day=20))
    rescore_records(store)
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def quality_app(quality_demo: tuple[Settings, Store]) -> Iterator[Flask]:
    settings, store = quality_demo
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    yield app
    app.extensions["catalog.search"].close()


@pytest.fixture
def public(quality_app: Flask) -> FlaskClient:
    return quality_app.test_client()


@pytest.fixture
def steward(quality_app: Flask) -> FlaskClient:
    client = quality_app.test_client()
    assert log_in(client, STEWARD, PASSWORD).status_code == 302
    return client


def _organization_id(store: Store, name: str) -> str:
    with store.reading() as session:
        return session.scalars(select(Organization.id).where(Organization.name == name)).one()


def _csv(client: FlaskClient, path: str) -> list[list[str]]:
    answer = client.get(path)
    assert answer.status_code == 200, path
    assert answer.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(answer.get_data(as_text=True).removeprefix("\ufeff"))))


def _table(client: FlaskClient, path: str, key: str) -> tuple[list[list[str]], list[str | None]]:
    """The rows of a figure's table as the page shows them (head first), and each body row's
    link."""
    page = client.get(path).get_data(as_text=True)
    start = page.index(f'id="figur-{key}"')
    section = page[start : page.index("</section>", start)]
    head = [html.unescape(c) for c in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', section)]
    rows: list[list[str]] = [head]
    links: list[str | None] = []
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", section):
        link = re.match(r'<a href="([^"]+)">', row)
        links.append(html.unescape(link.group(1)) if link else None)
        cells = re.findall(r"(?:^|<t[dh][^>]*>)(.*?)</t[dh]>", row)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in cells])
    return rows, links


def _as_number(text: str) -> str:
    """A number as the page writes it in German ("1.234", "255,3") as the CSV writes it."""
    return text.replace(".", "").replace(",", ".")


def _same_table(table: list[list[str]], rows: list[list[str]], numeric: set[int]) -> None:
    assert table[0] == rows[0]
    assert len(table) == len(rows)
    for shown, written in zip(table[1:], rows[1:], strict=True):
        for index, (cell, value) in enumerate(zip(shown, written, strict=True)):
            if index in numeric:
                assert float(_as_number(cell)) == float(value), (shown, written)
            else:
                assert cell == value, (shown, written)


def _published_scores(store: Store, organization_id: str | None) -> list[tuple[float, str]]:
    """Points and rating of every published record (the population the snapshots count)."""
    query = (
        select(RecordQuality.points, RecordQuality.rating)
        .join(DatasetRecord, DatasetRecord.id == RecordQuality.record_id)
        .where(DatasetRecord.status == RecordStatus.PUBLISHED)
    )
    if organization_id is not None:
        query = query.where(DatasetRecord.organization_id == organization_id)
    with store.reading() as session:
        return [(float(points), rating) for points, rating in session.execute(query)]


def _month_end_snapshots(store: Store, organization_id: str | None) -> dict[str, QualitySnapshot]:
    scope, scope_id = ("organization", organization_id) if organization_id else ("catalog", "")
    found: dict[str, QualitySnapshot] = {}
    with store.reading() as session:
        for row in session.scalars(
            select(QualitySnapshot).where(
                QualitySnapshot.scope == scope, QualitySnapshot.scope_id == scope_id
            )
        ):
            month = row.day.strftime("%Y-%m")
            if month not in found or found[month].day < row.day:
                found[month] = row
    return found


def _snapshot_on(store: Store, organization_id: str | None, day: date) -> float:
    scope, scope_id = ("organization", organization_id) if organization_id else ("catalog", "")
    with store.reading() as session:
        return session.scalars(
            select(QualitySnapshot.mean_points).where(
                QualitySnapshot.scope == scope,
                QualitySnapshot.scope_id == scope_id,
                QualitySnapshot.day == day,
            )
        ).one()


def _check_quality_trend(rows: list[list[str]], store: Store, organization_id: str | None) -> None:
    today = utcnow().date()
    this_month = today.strftime("%Y-%m")
    snapshots = _month_end_snapshots(store, organization_id)
    past = sorted(month for month in snapshots if month != this_month)
    assert len(past) == 2  # the fixture's two months
    assert rows[0] == ["Monat", "Mittlere Punktzahl", "Bewertung", "Datensätze", "Stand vom"]
    assert [row[0] for row in rows[1:]] == [*past, this_month]
    for row in rows[1:-1]:
        snapshot = snapshots[row[0]]
        assert float(row[1]) == pytest.approx(snapshot.mean_points, abs=0.05)
        assert row[2] == RATING_WORD[rating_for(snapshot.mean_points)]
        assert int(row[3]) == snapshot.datasets
        assert row[4] == snapshot.day.isoformat()
    scores = _published_scores(store, organization_id)
    mean = sum(points for points, _ in scores) / len(scores)
    assert float(rows[-1][1]) == pytest.approx(mean, abs=0.05)
    assert rows[-1][2] == RATING_WORD[rating_for(mean)]
    assert int(rows[-1][3]) == len(scores)
    assert rows[-1][4] == today.isoformat()
    # Last month's end (half the links broken) is neither today's state nor its own earlier
    # snapshot (every link reachable): the row is that month's last day, not any other.
    earlier = _snapshot_on(store, organization_id, date.fromisoformat(rows[-2][4]).replace(day=5))
    assert float(rows[-2][1]) not in (float(rows[-1][1]), round(earlier, 1))


def _check_ratings(rows: list[list[str]], store: Store, organization_id: str | None) -> None:
    ratings = Counter(rating for _, rating in _published_scores(store, organization_id))
    total = sum(ratings.values())
    assert rows[0] == ["Bewertung", "Datensätze", "Anteil in %"]
    assert rows[1:] == [
        [RATING_DE[name], str(ratings[name]), str(round(100 * ratings[name] / total))]
        for name in ("excellent", "good", "sufficient", "bad")
    ]


def _public_hvd(store: Store, settings: Settings, organization_id: str | None) -> dict[str, set]:
    """The public records marked HVD, by top category ("hvd": all), read from their graphs."""
    found: dict[str, set[str]] = {"hvd": set(), **{iri: set() for iri in top_categories()}}
    for record in public_records(store, settings):
        if organization_id is not None and record.organization_id != organization_id:
            continue
        graph = parse_rdf(record.graph, content_type="application/n-triples")
        node = URIRef(record.uri)
        if not is_hvd(graph, node):
            continue
        found["hvd"].add(record.name)
        for category in hvd_categories_of(graph, node):
            found[top_category(category)].add(record.name)
    return found


def _check_hvd(
    client: FlaskClient,
    rows: list[list[str]],
    links: list[str | None],
    expected: dict[str, set[str]],
    organization: str | None,
) -> None:
    flags = ["hvd", *top_categories()]
    labels = ["Alle hochwertigen Datensätze"] + [
        HVD_CATEGORIES.label(iri, "de") for iri in top_categories()
    ]
    assert rows[0] == ["HVD-Kategorie", "Datensätze"]
    counts = [str(len(expected[flag])) for flag in flags]
    assert rows[1:] == [[label, count] for label, count in zip(labels, counts, strict=True)]
    for flag, link in zip(flags, links, strict=True):
        if not expected[flag]:
            assert link is None
            continue
        assert link is not None
        target = urlsplit(link)
        assert target.path == "/suche"
        asked = parse_qs(target.query)
        assert asked["flag"] == [flag]
        assert asked.get("organization") == ([organization] if organization else None)
        results = client.get(link).get_data(as_text=True)
        assert set(re.findall(r'href="/dataset/([^"/?]+)"', results)) == expected[flag]


def test_public_quality_trend_is_each_months_last_snapshot_and_todays_scores(
    public: FlaskClient, quality_demo: tuple[Settings, Store]
) -> None:
    rows = _csv(public, "/wirkung/qualitaet.csv")
    _check_quality_trend(rows, quality_demo[1], None)
    table, _ = _table(public, "/wirkung", "qualitaet")
    _same_table(table, rows, numeric={1, 3})
    assert public.get("/wirkung").get_data(as_text=True).count('id="figur-qualitaet"') == 1


def test_public_ratings_count_the_stored_score_of_every_published_record(
    public: FlaskClient, quality_demo: tuple[Settings, Store]
) -> None:
    rows = _csv(public, "/wirkung/qualitaet-bewertungen.csv")
    _check_ratings(rows, quality_demo[1], None)
    table, _ = _table(public, "/wirkung", "qualitaet-bewertungen")
    _same_table(table, rows, numeric={1, 2})


def test_public_hvd_figure_counts_the_marked_public_records_and_links_their_search(
    public: FlaskClient, quality_demo: tuple[Settings, Store]
) -> None:
    settings, store = quality_demo
    expected = _public_hvd(store, settings, None)
    assert len(expected["hvd"]) >= 4  # the demo marks several categories
    rows = _csv(public, "/wirkung/hvd.csv")
    table, links = _table(public, "/wirkung", "hvd")
    _same_table(table, rows, numeric={1})
    _check_hvd(public, rows, links, expected, None)


def test_organisation_page_counts_only_the_organisations_records(
    steward: FlaskClient, quality_demo: tuple[Settings, Store]
) -> None:
    settings, store = quality_demo
    org_id = _organization_id(store, ORGANIZATION)
    base = f"/verwaltung/organisationen/{ORGANIZATION}/wirkung"

    trend = _csv(steward, f"{base}/qualitaet.csv")
    _check_quality_trend(trend, store, org_id)
    _same_table(_table(steward, base, "qualitaet")[0], trend, numeric={1, 3})

    ratings = _csv(steward, f"{base}/qualitaet-bewertungen.csv")
    _check_ratings(ratings, store, org_id)
    _same_table(_table(steward, base, "qualitaet-bewertungen")[0], ratings, numeric={1, 2})
    catalog_wide = _csv(steward, "/wirkung/qualitaet-bewertungen.csv")
    assert sum(int(r[1]) for r in ratings[1:]) < sum(int(r[1]) for r in catalog_wide[1:])

    expected = _public_hvd(store, settings, org_id)
    everyone = _public_hvd(store, settings, None)
    assert expected["hvd"] and expected["hvd"] < everyone["hvd"]
    hvd = _csv(steward, f"{base}/hvd.csv")
    table, links = _table(steward, base, "hvd")
    _same_table(table, hvd, numeric={1})
    _check_hvd(steward, hvd, links, expected, ORGANIZATION)


def test_another_organisations_figures_stay_closed(steward: FlaskClient) -> None:
    assert steward.get("/verwaltung/organisationen/tiefbauamt/wirkung/hvd.csv").status_code == 403


def test_english_page_names_ratings_and_categories_in_english(public: FlaskClient) -> None:
    rows = _csv(public, "/wirkung/hvd.csv?lang=en")
    assert rows[0] == ["HVD category", "Datasets"]
    assert rows[1][0] == "All high-value datasets"
    assert [row[0] for row in rows[2:]] == [
        HVD_CATEGORIES.label(iri, "en") for iri in top_categories()
    ]
    ratings = _csv(public, "/wirkung/qualitaet-bewertungen.csv?lang=en")
    assert ratings[1][0].endswith("(351–405 points)")
