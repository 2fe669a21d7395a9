"""The change log and the public change feed: every change once, in commit order, on both
databases, also while other threads write."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from catalog.change_feed import (
    BadCursor,
    PublicEvent,
    cloud_event,
    decode_cursor,
    encode_cursor,
    public_events,
)
from catalog.change_log import head_position, read_changes
from catalog.models import RecordStatus, ValidationState
from catalog.records import (
    Actor,
    NewRecord,
    create_record,
    create_records,
    set_record_status,
    update_record,
    withdraw_record,
)
from catalog.settings import Settings
from catalog.store import Store
from tests.catalog.records_support import content

ACTOR = Actor("test")
WRITERS = 3
RECORDS_PER_WRITER = 6
# What the public sees of each record's life in the writers below.
LIFE = ["published", "updated", "withdrawn", "restored"]


def valid(name: str, title: str = "Titel") -> object:
    return replace(content(name, title), validation_state=ValidationState.VALID)


def live_one_record(store: Store, name: str) -> None:
    """Publish, edit, withdraw and restore one record, each its own transaction."""
    record = create_record(
        store, valid(name), name=name, actor=ACTOR, status=RecordStatus.PUBLISHED
    )  # type: ignore[arg-type]
    update_record(store, record.id, valid(name, f"{name} neu"), actor=ACTOR)  # type: ignore[arg-type]
    withdraw_record(store, record.id, actor=ACTOR)
    set_record_status(store, record.id, RecordStatus.PUBLISHED, actor=ACTOR)


def walk_all(
    store: Store, settings: Settings, after: int = 0, limit: int = 1000
) -> list[PublicEvent]:
    events: list[PublicEvent] = []
    while True:
        page = public_events(store, settings, after=after, limit=limit)
        events.extend(page.events)
        if not page.events:
            return events
        after = page.next_position


def test_feed_walked_during_concurrent_writes_sees_every_change_once_in_order(
    store: Store, settings: Settings
) -> None:
    errors: list[BaseException] = []
    writers_done = threading.Event()
    seen: list[PublicEvent] = []

    def writer(number: int) -> None:
        try:
            for index in range(RECORDS_PER_WRITER):
                live_one_record(store, f"w{number}-r{index}")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def walker() -> None:
        cursor = encode_cursor(0)
        try:
            while True:
                finished = writers_done.is_set()
                page = public_events(store, settings, after=decode_cursor(cursor), limit=3)
                seen.extend(page.events)
                cursor = encode_cursor(page.next_position)
                if finished and not page.events:
                    return
        except BaseException as exc:
            errors.append(exc)

    walking = threading.Thread(target=walker)
    writing = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    walking.start()
    for thread in writing:
        thread.start()
    for thread in writing:
        thread.join()
    writers_done.set()
    walking.join()
    assert errors == []

    positions = [event.position for event in seen]
    assert positions == sorted(set(positions)), "each change once, in position order"
    assert seen == walk_all(store, settings), "the walk during the writes missed nothing"
    by_record: dict[str, list[str]] = {}
    for event in seen:
        by_record.setdefault(event.name, []).append(event.kind)
    assert len(by_record) == WRITERS * RECORDS_PER_WRITER
    assert all(kinds == LIFE for kinds in by_record.values()), by_record


def test_positions_follow_commit_order_and_end_at_the_head(store: Store) -> None:
    ids = create_records(
        store,
        [NewRecord(name=f"b{i}", content=content(f"b{i}")) for i in range(3)],
        actor=ACTOR,
    )
    update_record(store, ids[0], content("b0", "anders"), actor=ACTOR)
    page = read_changes(store, after=0, limit=100)
    assert [entry.position for entry in page.entries] == [1, 2, 3, 4]
    assert [entry.action for entry in page.entries] == ["created"] * 3 + ["updated"]
    assert page.entries[-1].changed == ["content", "title"]
    assert page.next_position == head_position(store) == 4


def test_drafts_and_held_back_records_stay_out_of_the_public_feed(
    store: Store, settings: Settings
) -> None:
    draft = create_record(store, valid("entwurf"), name="entwurf", actor=ACTOR)  # type: ignore[arg-type]
    update_record(store, draft.id, valid("entwurf", "noch ein Entwurf"), actor=ACTOR)  # type: ignore[arg-type]
    public = create_record(
        store, valid("offen"), name="offen", actor=ACTOR, status=RecordStatus.PUBLISHED
    )  # type: ignore[arg-type]
    # New violations hold the public record back: for the public it is withdrawn.
    held_back = replace(content("offen", "kaputt"), validation_state=ValidationState.INVALID)
    update_record(store, public.id, held_back, actor=ACTOR)
    update_record(store, public.id, valid("offen", "repariert"), actor=ACTOR)  # type: ignore[arg-type]

    events = walk_all(store, settings)
    assert [(event.name, event.kind) for event in events] == [
        ("offen", "published"),
        ("offen", "withdrawn"),
        ("offen", "published"),
    ]
    page = public_events(store, settings, after=0, limit=1000)
    assert page.next_position == head_position(store), "a reader moves past what it may not see"

    publish_invalid = settings.model_copy(
        update={"validation": settings.validation.model_copy(update={"publish_invalid": True})}
    )
    assert [e.kind for e in walk_all(store, publish_invalid)] == ["published", "updated", "updated"]


def test_a_cloud_event_names_the_dataset_and_links_its_views(
    store: Store, settings: Settings
) -> None:
    create_record(store, valid("baeume"), name="baeume", actor=ACTOR, status=RecordStatus.PUBLISHED)  # type: ignore[arg-type]
    (event,) = walk_all(store, settings)
    document = cloud_event(event, "http://catalog.test")
    assert document["specversion"] == "1.0"
    assert document["type"] == "de.stadtkatalog.dataset.published"
    assert document["id"] == event.event_id
    assert document["subject"] == "baeume"
    assert document["time"].endswith("Z")
    assert document["data"]["iri"] == "http://catalog.test/dataset/baeume"
    assert document["data"]["links"]["dcat"] == "http://catalog.test/dataset/baeume.ttl"
    assert document["data"]["links"]["ckan"] == (
        "http://catalog.test/api/3/action/package_show?id=baeume"
    )


@pytest.mark.parametrize("cursor", ["", "abc", encode_cursor(5)[:-1] + "!", "YzE6LTE"])
def test_a_cursor_the_feed_never_gave_is_refused(cursor: str) -> None:
    with pytest.raises(BadCursor):
        decode_cursor(cursor)


def test_cursors_are_stable() -> None:
    assert decode_cursor(encode_cursor(123456789)) == 123456789
    assert encode_cursor(42) == encode_cursor(42)
