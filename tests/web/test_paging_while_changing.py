"""Walking /catalog.ttl by hydra:next while records are added, changed and withdrawn.

Pages follow (updated_at, id), and every save moves a record to the end of that order. What a
harvester walking the pages gets, and what these tests hold the endpoint to:

- every record that is public from the start to the end of the walk is listed at least once;
- a record that does not change during the walk is listed exactly once;
- a record changed after it was listed is listed again, with its new version, at the end;
  no version of a record is ever listed twice;
- a record added during the walk is listed;
- the last listing of every record shows the version it has when the walk ends (when the
  change came before the last page was read).

So the walk misses nothing, and what it repeats is only what changed behind it: the README's
"repeats nothing" holds for unchanged records only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from catalog.ingest import RecordPreparer
from catalog.models import RecordStatus
from catalog.organizations import sync_organizations
from catalog.records import (
    Actor,
    NewRecord,
    RecordContent,
    create_record,
    create_records,
    update_record,
    withdraw_record,
)
from catalog.settings import Settings
from catalog.store import Store
from dcat.builder import build_dataset_graph
from dcat.model import DatasetInput, DistributionInput
from dcat.namespaces import DCAT, DCT, HYDRA
from dcat.parsing import parse_rdf
from web import create_app

ACTOR = Actor(label="test")
EU = "http://publications.europa.eu/resource/authority/"
PAGE_SIZE = 4


@dataclass
class Catalog:
    """The store under test, the versions we wrote, and a way to write more."""

    store: Store
    settings: Settings
    preparer: RecordPreparer
    ids: dict[str, str] = field(default_factory=dict)  # uri -> record id
    versions: dict[str, int] = field(default_factory=dict)  # uri -> current version number

    def uri(self, number: int) -> str:
        return f"{self.settings.catalog.base_url}/dataset/datensatz-{number:02d}"

    def content(self, number: int, version: int) -> RecordContent:
        data = DatasetInput(
            title={"de": _title(number, version)},
            description={"de": f"Messwerte Nummer {number} der Teststadt, Fassung {version}."},
            keywords=["Messwerte", f"Reihe {number}"],
            themes=[EU + "data-theme/ENVI"],
            distributions=[
                DistributionInput(
                    access_url=f"https://daten.teststadt.example/{number}.csv",
                    format=EU + "file-type/CSV",
                    license="http://dcat-ap.de/def/licenses/dl-by-de/2.0",
                    license_attribution_by_text="Stadt Teststadt",
                )
            ],
        )
        graph, node = build_dataset_graph(data, uri=self.uri(number))
        prepared = self.preparer.prepare(graph, URIRef(node))
        assert prepared.report.conforms, prepared.summary()
        return prepared.content

    def add(self, number: int) -> None:
        record = create_record(
            self.store,
            self.content(number, 1),
            name=f"datensatz-{number:02d}",
            actor=ACTOR,
            status=RecordStatus.PUBLISHED,
        )
        self.ids[record.uri], self.versions[record.uri] = record.id, 1

    def add_batch(self, numbers: range) -> None:
        """One transaction: the records share one updated_at, their ids order them."""
        items = [
            NewRecord(
                name=f"datensatz-{n:02d}", content=self.content(n, 1), status=RecordStatus.PUBLISHED
            )
            for n in numbers
        ]
        for number, record_id in zip(
            numbers, create_records(self.store, items, actor=ACTOR), strict=True
        ):
            self.ids[self.uri(number)], self.versions[self.uri(number)] = record_id, 1

    def change(self, number: int) -> None:
        uri = self.uri(number)
        self.versions[uri] += 1
        update_record(
            self.store, self.ids[uri], self.content(number, self.versions[uri]), actor=ACTOR
        )

    def withdraw(self, number: int) -> None:
        uri = self.uri(number)
        withdraw_record(self.store, self.ids[uri], actor=ACTOR)
        del self.versions[uri]


def _title(number: int, version: int) -> str:
    return f"Messwerte {number:02d}, Fassung {version}"


@dataclass(frozen=True)
class Listing:
    page: int
    uri: str
    title: str


def _walk(
    client: FlaskClient,
    base_url: str,
    after_page: dict[int, Callable[[], None]],
    listings: list[Listing],
) -> list[Listing]:
    """Follow hydra:next from the first page, collecting into `listings`; after page n, run
    after_page[n] (the changes, which may look at what was listed so far)."""
    url: str | None = f"{base_url}/catalog.ttl?page_size={PAGE_SIZE}"
    page = 0
    while url is not None:
        page += 1
        assert page < 100, "the walk does not end"
        response = client.get(url.removeprefix(base_url))
        assert response.status_code == 200, response.data[:300]
        graph = parse_rdf(response.data, content_type=response.mimetype)
        listings.extend(_listed(graph, page, base_url))
        if page in after_page:
            after_page[page]()
        following = list(graph.objects(None, HYDRA.next))
        url = str(following[0]) if following else None
    return listings


def _listed(graph: Graph, page: int, base_url: str) -> list[Listing]:
    catalog = URIRef(f"{base_url}/catalog")
    return [
        Listing(page, str(uri), str(graph.value(uri, DCT.title)))
        for uri in graph.objects(catalog, DCAT.dataset)
    ]


@pytest.fixture
def catalog(store: Store, settings: Settings) -> Catalog:
    sync_organizations(store, settings.organizations)
    built = Catalog(store=store, settings=settings, preparer=RecordPreparer(settings))
    for number in range(1, 21):
        built.add(number)  # one transaction each: twenty distinct updated_at
    built.add_batch(range(21, 31))  # ten records with one updated_at
    return built


@pytest.fixture
def client(catalog: Catalog) -> FlaskClient:
    app = create_app(catalog.settings, store=catalog.store)
    app.config["TESTING"] = True
    return app.test_client()


def _changes(catalog: Catalog, listings: list[Listing]) -> dict[int, Callable[[], None]]:
    """Changes between pages: behind the walker, ahead of it, new records and withdrawals."""

    def after_first_page() -> None:
        behind = listings[1].uri  # listed already: it will come again
        catalog.change(int(behind[-2:]))
        catalog.change(30)  # not reached yet: it moves, and is listed once, in version 2
        catalog.add(31)

    def after_second_page() -> None:
        catalog.change(30)  # moves again before the walker got to it: still listed once
        catalog.add(32)
        catalog.withdraw(29)  # ahead of the walker: gone before it is reached

    def after_third_page() -> None:
        catalog.withdraw(1)  # behind the walker: listed once, as it was
        catalog.change(31)  # a record added during the walk, changed before it was reached

    return {1: after_first_page, 2: after_second_page, 3: after_third_page}


def test_a_walk_while_records_change_misses_nothing_and_repeats_only_what_changed(
    catalog: Catalog, client: FlaskClient
) -> None:
    at_start = set(catalog.versions)
    walked: list[Listing] = []

    _walk(client, catalog.settings.catalog.base_url, _changes(catalog, walked), walked)

    by_uri: dict[str, list[Listing]] = defaultdict(list)
    for listing in walked:
        by_uri[listing.uri].append(listing)
    public_at_end = set(catalog.versions)
    changed_during_walk = {catalog.uri(30), catalog.uri(31)} | {
        uri for uri, version in catalog.versions.items() if version > 1 and uri in at_start
    }

    # Everything public throughout the walk is listed; what was added during it, too.
    assert (at_start & public_at_end) <= set(by_uri)
    assert {catalog.uri(31), catalog.uri(32)} <= set(by_uri)
    # Unchanged records exactly once.
    for uri in (at_start & public_at_end) - changed_during_walk:
        assert len(by_uri[uri]) == 1, by_uri[uri]
    # No version twice; a record changed behind the walker comes again in its new version.
    versions = [(listing.uri, listing.title) for listing in walked]
    assert len(versions) == len(set(versions))
    repeated = {uri for uri, seen in by_uri.items() if len(seen) > 1}
    assert len(repeated) == 1
    (behind,) = repeated
    assert [listing.title for listing in by_uri[behind]] == [
        _title(int(behind[-2:]), 1),
        _title(int(behind[-2:]), 2),
    ]
    # Changed ahead of the walker: once, in the version it has now.
    assert [listing.title for listing in by_uri[catalog.uri(30)]] == [_title(30, 3)]
    assert [listing.title for listing in by_uri[catalog.uri(31)]] == [_title(31, 2)]
    # The last listing of each record is its current version.
    for uri in public_at_end:
        number = int(uri[-2:])
        assert by_uri[uri][-1].title == _title(number, catalog.versions[uri])
    # Withdrawn ahead of the walker: never listed; withdrawn behind it: listed once, as it was.
    assert catalog.uri(29) not in by_uri
    assert [listing.title for listing in by_uri[catalog.uri(1)]] == [_title(1, 1)]


def test_a_walk_without_changes_lists_every_public_record_exactly_once(
    catalog: Catalog, client: FlaskClient
) -> None:
    walked = _walk(client, catalog.settings.catalog.base_url, {}, [])

    uris = [listing.uri for listing in walked]
    assert sorted(uris) == sorted(catalog.versions)
    pages = max(listing.page for listing in walked)
    assert pages == -(-len(catalog.versions) // PAGE_SIZE)
