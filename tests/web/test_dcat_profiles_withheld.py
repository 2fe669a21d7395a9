"""Records valid in DCAT-AP.de 2.0 but not in 3.0 are absent from every 3.0 output, filtered in
the query (pages stay full, so a harvester's hydra:itemsPerPage check holds), and their 3.0
dataset document answers 406 with the reason while 2.0 still serves them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from catalog.models import DatasetRecord
from catalog.settings import Settings
from catalog.setup import bring_index_up_to_date
from catalog.store import Store
from dcat.namespaces import DCAT, HYDRA
from dcat.parsing import parse_rdf
from dcat.serialise import known_contexts
from tests.catalog.profile_records import WITHOUT_LICENCE, save_prepared
from web import create_app

V2 = "http://dcat-ap.de/def/dcatde/2.0"
V3 = "http://dcat-ap.de/def/dcatde/3.0"


@pytest.fixture
def records(settings: Settings, store: Store) -> dict[str, DatasetRecord]:
    """Seven public records in 2.0, interleaved: four valid in 3.0, three held back in it."""
    saved = {}
    for number in range(7):
        held_back = number % 2 == 1
        title = f"Bäume {2020 + number}" + (" ohne Lizenz" if held_back else "")
        saved[title] = save_prepared(
            store, settings, title, **(WITHOUT_LICENCE if held_back else {})
        )
    return saved


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[FlaskClient]:
    # Not counting use: its flush thread would outlive the test's PostgreSQL schema.
    quiet = settings.model_copy(
        update={"usage": settings.usage.model_copy(update={"enabled": False})}
    )
    app = create_app(quiet, store=store)
    app.config["TESTING"] = True
    yield app.test_client()


def _walk(client: FlaskClient, first: str, base_url: str) -> list[Graph]:
    pages, url = [], first
    while url:
        response = client.get(url.removeprefix(base_url))
        assert response.status_code == 200, response.data[:300]
        pages.append(
            parse_rdf(
                response.data,
                content_type=response.mimetype,
                known_contexts=known_contexts(base_url),
            )
        )
        following = list(pages[-1].objects(None, HYDRA.next))
        url = str(following[0]) if following else ""
    return pages


def _listed(pages: list[Graph]) -> list[list[str]]:
    return [sorted(str(o) for o in page.objects(None, DCAT.dataset)) for page in pages]


def _uris(records: dict[str, DatasetRecord], held_back: bool) -> set[str]:
    return {r.uri for title, r in records.items() if ("ohne Lizenz" in title) == held_back}


def test_3_0_pages_are_full_and_list_only_what_3_0_allows(
    settings: Settings, client: FlaskClient, records: dict[str, DatasetRecord]
) -> None:
    base_url = settings.catalog.base_url
    pages_v3 = _listed(_walk(client, "/catalog.ttl?profile=dcatapde-3&page_size=2", base_url))
    assert [len(page) for page in pages_v3] == [2, 2]
    assert {uri for page in pages_v3 for uri in page} == _uris(records, held_back=False)
    pages_v2 = _listed(_walk(client, "/catalog.ttl?page_size=2", base_url))
    assert [len(page) for page in pages_v2] == [2, 2, 2, 1]
    assert {uri for page in pages_v2 for uri in page} == {r.uri for r in records.values()}


def test_filtered_3_0_pages_are_full_too(
    settings: Settings, store: Store, client: FlaskClient, records: dict[str, DatasetRecord]
) -> None:
    bring_index_up_to_date(store, settings)
    base_url = settings.catalog.base_url
    first = "/catalog.nt?profile=dcatapde-3&page_size=2&keyword=B%C3%A4ume"
    pages = _listed(_walk(client, first, base_url))
    assert [len(page) for page in pages] == [2, 2]
    assert {uri for page in pages for uri in page} == _uris(records, held_back=False)


def test_the_3_0_dump_holds_back_what_3_0_does_not_allow(
    settings: Settings, client: FlaskClient, records: dict[str, DatasetRecord]
) -> None:
    dump = client.get("/catalog/dump.nt?profile=dcatapde-3")
    assert dump.headers["Content-Profile"] == f"<{V3}>"
    listed = set(
        map(
            str,
            parse_rdf(dump.data, content_type="application/n-triples").objects(None, DCAT.dataset),
        )
    )
    assert listed == _uris(records, held_back=False)


def test_a_dataset_held_back_in_3_0_is_406_in_3_0_with_the_reason_and_served_in_2_0(
    client: FlaskClient, records: dict[str, DatasetRecord]
) -> None:
    record = records["Bäume 2021 ohne Lizenz"]
    asked = client.get(f"/dataset/{record.name}.ttl?profile=dcatapde-3")
    assert asked.status_code == 406
    assert asked.mimetype == "text/plain"
    reason = asked.get_data(as_text=True)
    assert "dct:license" in reason and "?profile=dcatapde-2" in reason
    by_header = client.get(f"/dataset/{record.name}.ttl", headers={"Accept-Profile": f"<{V3}>"})
    assert by_header.status_code == 406
    negotiated = client.get(
        f"/dataset/{record.name}", headers={"Accept": "text/turtle", "Accept-Profile": f"<{V3}>"}
    )
    assert negotiated.status_code == 406

    v2 = client.get(f"/dataset/{record.name}.ttl?profile=dcatapde-2")
    assert v2.status_code == 200 and v2.headers["Content-Profile"] == f"<{V2}>"
    # A client that takes 2.0 as well gets 2.0, and is told so.
    either = client.get(
        f"/dataset/{record.name}.ttl", headers={"Accept-Profile": f"<{V3}>;q=1, <{V2}>;q=0.5"}
    )
    assert either.status_code == 200 and either.headers["Content-Profile"] == f"<{V2}>"
    valid = records["Bäume 2020"]
    served = client.get(f"/dataset/{valid.name}.ttl?profile=dcatapde-3")
    assert served.status_code == 200 and served.headers["Content-Profile"] == f"<{V3}>"


def test_the_406_reason_is_english_for_an_english_client(
    client: FlaskClient, records: dict[str, DatasetRecord]
) -> None:
    record = records["Bäume 2021 ohne Lizenz"]
    asked = client.get(
        f"/dataset/{record.name}.ttl?profile=dcatapde-3", headers={"Accept-Language": "en"}
    )
    assert "is not valid DCAT-AP.de 3.0 and is held back in it" in asked.get_data(as_text=True)
