"""The record store's promises, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.models import DatasetRecord, RecordStatus, Revision
from catalog.records import (
    Actor,
    NewRecord,
    RecordConflict,
    RecordNotFound,
    create_record,
    create_records,
    get_record,
    get_record_by_name,
    get_record_by_uri,
    list_records,
    list_revisions,
    restore_revision,
    set_record_status,
    update_record,
    withdraw_record,
)
from catalog.store import Store
from tests.catalog.records_support import content

STEWARD = Actor(label="anna")


def _count(store: Store, model: type) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_every_save_writes_a_revision(store: Store) -> None:
    record = create_record(store, content("baeume"), name="baeume", actor=STEWARD)
    update_record(store, record.id, content("baeume", "Baumkataster"), actor=STEWARD)
    set_record_status(store, record.id, RecordStatus.PUBLISHED, actor=Actor(label="bob"))

    revisions = list_revisions(store, record.id)
    assert [r.number for r in revisions] == [1, 2, 3]
    assert [r.title for r in revisions] == ["Titel", "Baumkataster", "Baumkataster"]
    assert [r.status for r in revisions][-1] == RecordStatus.PUBLISHED
    assert [r.author for r in revisions] == ["anna", "anna", "bob"]
    assert get_record(store, record.id).revision_number == 3


def test_a_save_that_changes_nothing_writes_no_revision(store: Store) -> None:
    record = create_record(store, content("laerm"), name="laerm", actor=STEWARD)
    again = update_record(store, record.id, content("laerm"), actor=STEWARD)
    assert again.revision_number == 1
    assert len(list_revisions(store, record.id)) == 1


def test_restore_makes_an_earlier_revision_current_as_a_new_revision(store: Store) -> None:
    record = create_record(store, content("wahl", "Wahl 2021"), name="wahl", actor=STEWARD)
    update_record(store, record.id, content("wahl", "Wahl 2025"), actor=STEWARD)

    restored = restore_revision(store, record.id, 1, actor=Actor(label="carla"))

    assert restored.title == "Wahl 2021"
    assert restored.graph == content("wahl", "Wahl 2021").graph
    revisions = list_revisions(store, record.id)
    assert [r.title for r in revisions] == ["Wahl 2021", "Wahl 2025", "Wahl 2021"]
    assert "Revision 1" in revisions[-1].note


def test_restore_of_an_unknown_revision_is_refused(store: Store) -> None:
    record = create_record(store, content("x"), name="x", actor=STEWARD)
    with pytest.raises(RecordNotFound):
        restore_revision(store, record.id, 7, actor=STEWARD)
    assert len(list_revisions(store, record.id)) == 1


def test_withdraw_keeps_the_record_and_its_history(store: Store) -> None:
    record = create_record(
        store, content("parken"), name="parken", actor=STEWARD, status=RecordStatus.PUBLISHED
    )
    withdrawn = withdraw_record(store, record.id, actor=Actor(label="harvest", harvest_job_id=None))

    assert withdrawn.status == RecordStatus.WITHDRAWN
    assert get_record_by_name(store, "parken").graph == record.graph
    assert [r.status for r in list_revisions(store, record.id)] == [
        RecordStatus.PUBLISHED,
        RecordStatus.WITHDRAWN,
    ]
    restored = restore_revision(store, record.id, 1, actor=STEWARD)
    assert restored.status == RecordStatus.PUBLISHED


def test_records_are_found_by_id_name_and_uri(store: Store) -> None:
    record = create_record(store, content("radwege"), name="radwege", actor=STEWARD)
    assert get_record(store, record.id).name == "radwege"
    assert get_record_by_name(store, "radwege").id == record.id
    assert get_record_by_uri(store, "http://catalog.test/dataset/radwege").id == record.id
    assert get_record_by_name(store, "gibt-es-nicht") is None


def test_a_failing_save_leaves_nothing_behind(store: Store) -> None:
    create_record(store, content("seen"), name="seen", actor=STEWARD)
    with pytest.raises(RecordConflict, match="seen"):
        create_record(store, content("anders"), name="seen", actor=STEWARD)
    assert _count(store, DatasetRecord) == 1
    assert _count(store, Revision) == 1


def test_a_failing_batch_stores_none_of_its_records(store: Store) -> None:
    create_record(store, content("b"), name="b", actor=STEWARD)
    batch = [NewRecord(name=n, content=content(n)) for n in ("a", "b", "c")]
    with pytest.raises(RecordConflict):
        create_records(store, batch, actor=STEWARD)
    assert _count(store, DatasetRecord) == 1
    assert _count(store, Revision) == 1


def test_an_update_to_a_uri_of_another_record_is_refused_and_changes_nothing(store: Store) -> None:
    first = create_record(store, content("eins"), name="eins", actor=STEWARD)
    create_record(store, content("zwei"), name="zwei", actor=STEWARD)
    with pytest.raises(RecordConflict):
        update_record(store, first.id, content("zwei", "geklaut"), actor=STEWARD)
    assert get_record(store, first.id).title == "Titel"
    assert len(list_revisions(store, first.id)) == 1


def test_keyset_paging_over_10000_records_returns_each_exactly_once(store: Store) -> None:
    names = [f"ds-{i:05d}" for i in range(10_000)]
    for start in range(0, len(names), 2_000):
        create_records(
            store,
            [NewRecord(name=n, content=content(n)) for n in names[start : start + 2_000]],
            actor=STEWARD,
        )
    seen: list[str] = []
    cursor = None
    while True:
        page = list_records(store, after=cursor, limit=997)
        seen.extend(record.name for record in page.records)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(names)
    assert sorted(seen) == names


def test_paging_cursor_stays_valid_while_records_change(store: Store) -> None:
    records = [
        create_record(store, content(f"r{i}"), name=f"r{i}", actor=STEWARD) for i in range(6)
    ]
    page = list_records(store, limit=3)
    # A record already seen changes: it moves behind the cursor and is seen again at the end,
    # while no record that has not been seen yet is skipped.
    update_record(store, records[0].id, content("r0", "neu"), actor=STEWARD)
    rest: list[str] = []
    cursor = page.next_cursor
    while cursor:
        next_page = list_records(store, after=cursor, limit=3)
        rest.extend(r.name for r in next_page.records)
        cursor = next_page.next_cursor
    assert [r.name for r in page.records] == ["r0", "r1", "r2"]
    assert rest == ["r3", "r4", "r5", "r0"]


def test_listing_filters_by_status(store: Store) -> None:
    create_record(store, content("d"), name="d", actor=STEWARD)
    create_record(store, content("p"), name="p", actor=STEWARD, status=RecordStatus.PUBLISHED)
    page = list_records(store, statuses=[RecordStatus.PUBLISHED])
    assert [r.name for r in page.records] == ["p"]


def test_a_forged_cursor_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ValueError, match="cursor"):
        list_records(store, after="not-a-cursor")
