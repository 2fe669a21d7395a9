"""What is public is decided once (catalog.publication): the record check, the database
query, the permissions and the search index give the same answer for every status and
validation state, with and without validation.publish_invalid."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.permissions import Rights, may_see_record
from catalog.publication import public_record_conditions, record_is_public
from catalog.records import Actor, create_record
from catalog.search.base import SearchQuery
from catalog.search.service import SearchIndex, open_search_index
from catalog.settings import Settings
from catalog.store import Store
from tests.catalog.records_support import content

ANONYMOUS = Rights()


@pytest.fixture
def records(store: Store) -> list[DatasetRecord]:
    """One record for every status and validation state."""
    made = []
    for status in RecordStatus:
        for state in ValidationState:
            name = f"{status.value}-{state.value}"
            stored = dataclasses.replace(content(name), validation_state=state)
            record = create_record(store, stored, name=name, actor=Actor("test"), status=status)
            made.append(record)
    return made


@pytest.fixture
def index(store: Store, settings: Settings) -> Iterator[SearchIndex]:
    opened = open_search_index(store, settings)
    yield opened
    opened.close()


@pytest.mark.parametrize("publish_invalid", [False, True])
def test_every_reader_of_the_public_rule_agrees(
    store: Store, records: list[DatasetRecord], index: SearchIndex, publish_invalid: bool
) -> None:
    index.reindex()
    by_record = {r.name for r in records if record_is_public(r, publish_invalid=publish_invalid)}

    query = select(DatasetRecord.name).where(
        *public_record_conditions(publish_invalid=publish_invalid)
    )
    with store.reading() as session:
        by_query = set(session.scalars(query))
    by_permission = {
        r.name for r in records if may_see_record(ANONYMOUS, r, publish_invalid=publish_invalid)
    }
    found = index.backend.search(SearchQuery(limit=100), publish_invalid=publish_invalid)
    names = {r.id: r.name for r in records}
    by_search = {names[hit.record_id] for hit in found.hits}

    expected = {"published-valid", "published-warnings"}
    if publish_invalid:
        expected |= {"published-invalid", "published-unknown"}
    assert by_record == by_query == by_permission == by_search == expected
