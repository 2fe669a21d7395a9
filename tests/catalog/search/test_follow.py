"""Every node's index follows the change log: nothing skipped under concurrent commits, a new
or wiped node rebuilt from the database and then followed, the position kept with the index."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from catalog.change_log import head_position
from catalog.ingest import RecordPreparer
from catalog.models import RecordStatus
from catalog.records import Actor, set_record_status
from catalog.search.base import SearchQuery
from catalog.search.follower import IndexFollower
from catalog.search.position import POSITION_FILE, AppliedPosition, write_position
from catalog.search.service import SEARCH_DIRECTORY, SearchIndex, open_search_index
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store, open_store
from tests.catalog.search.support import add_dataset
from tests.conftest import minimal_config

STEWARD = Actor(label="test")
WRITERS = 4
RECORDS_PER_WRITER = 12
EVENTUALLY = 30.0


def _node_settings(tmp_path: Path, node: str, engine: str) -> Settings:
    return settings_from_mapping(
        minimal_config(storage={"data_dir": str(tmp_path / node)}, search={"backend": engine}),
        base_dir=tmp_path,
        env={},
    )


@contextmanager
def _node(
    database_url: tuple[str, dict[str, Any]], settings: Settings
) -> Iterator[tuple[Store, SearchIndex]]:
    """Another node on the same database: its own connections and its own data_dir."""
    url, options = database_url
    store = open_store(url, **options)
    index = open_search_index(store, settings)
    try:
        yield store, index
    finally:
        index.close()
        store.close()


def _public_names(index: SearchIndex, text: str = "") -> set[str]:
    result = index.search(SearchQuery(text=text, limit=1000))
    return {hit.name for hit in result.hits}


def _eventually(condition: Callable[[], bool]) -> bool:
    """Poll until the condition holds; False after EVENTUALLY seconds (not a timing claim)."""
    deadline = time.monotonic() + EVENTUALLY
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_node_following_during_concurrent_commits_skips_no_change(
    store: Store,
    index: SearchIndex,
    preparer: RecordPreparer,
    database_url: tuple[str, dict[str, Any]],
    tmp_path: Path,
    engine: str,
) -> None:
    """Writers create drafts and publish them from several threads while node B, started
    without an index, rebuilds and follows; a change the follower stepped over would stay
    out of B's index for good (its position is past it), so B must end with every record
    published."""
    errors: list[BaseException] = []
    writers_done = threading.Event()

    def writer(number: int) -> None:
        try:
            for item in range(RECORDS_PER_WRITER):
                record = add_dataset(
                    store,
                    preparer,
                    f"w{number}-r{item}",
                    f"Messreihe {number} {item}",
                    status=RecordStatus.DRAFT,
                )
                set_record_status(store, record.id, RecordStatus.PUBLISHED, actor=STEWARD)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    with _node(database_url, _node_settings(tmp_path, "node-b", engine)) as (_, node_b):

        def follower() -> None:
            try:
                while not writers_done.is_set():
                    node_b.sync(wait=5.0)
                node_b.sync(wait=30.0)
            except BaseException as exc:
                errors.append(exc)

        following = threading.Thread(target=follower)
        writing = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        following.start()
        for thread in writing:
            thread.start()
        for thread in writing:
            thread.join()
        writers_done.set()
        following.join()
        assert errors == []

        expected = {f"w{n}-r{i}" for n in range(WRITERS) for i in range(RECORDS_PER_WRITER)}
        assert node_b.applied_position() == head_position(store)
        assert _public_names(node_b) == expected
        # Nothing doubled: one document per record.
        assert node_b.backend.document_count() == len(expected)
    index.sync(wait=30.0)
    assert _public_names(index) == expected


def test_a_save_on_one_node_is_found_on_another_and_a_wiped_node_rebuilds(
    store: Store,
    index: SearchIndex,
    preparer: RecordPreparer,
    database_url: tuple[str, dict[str, Any]],
    tmp_path: Path,
    engine: str,
) -> None:
    add_dataset(store, preparer, "radwege", "Radwege")
    node_b_settings = _node_settings(tmp_path, "node-b", engine)
    with _node(database_url, node_b_settings) as (_, node_b):
        assert node_b.sync() == 1  # built from the database
        add_dataset(store, preparer, "parkplaetze", "Parkplätze")
        assert _public_names(node_b, "Parkplätze") == set()
        assert node_b.is_behind()
        assert node_b.sync() == 1  # only the new change
        assert _public_names(node_b) == {"radwege", "parkplaetze"}
        assert node_b.applied_position() == head_position(store)

    shutil.rmtree(node_b_settings.data_dir / SEARCH_DIRECTORY)
    add_dataset(store, preparer, "spielplaetze", "Spielplätze")
    with _node(database_url, node_b_settings) as (_, node_b):
        assert node_b.applied_position() is None
        assert node_b.sync() == 3
        assert _public_names(node_b) == {"radwege", "parkplaetze", "spielplaetze"}
        assert (node_b_settings.data_dir / SEARCH_DIRECTORY / POSITION_FILE).exists()


def test_the_follower_thread_brings_another_nodes_save_into_search(
    store: Store,
    index: SearchIndex,
    preparer: RecordPreparer,
    database_url: tuple[str, dict[str, Any]],
    tmp_path: Path,
    engine: str,
) -> None:
    with _node(database_url, _node_settings(tmp_path, "node-b", engine)) as (_, node_b):
        follower = IndexFollower(node_b, interval=0.05)
        follower.ensure_running()
        try:
            add_dataset(store, preparer, "haltestellen", "Haltestellen")
            assert _eventually(lambda: _public_names(node_b, "Haltestellen") == {"haltestellen"})
        finally:
            follower.stop()


def test_an_index_of_another_engine_or_ahead_of_the_log_is_rebuilt(
    store: Store, index: SearchIndex, preparer: RecordPreparer, settings: Settings, engine: str
) -> None:
    add_dataset(store, preparer, "radwege", "Radwege")
    directory = settings.data_dir / SEARCH_DIRECTORY
    other = "tantivy" if engine == "whoosh" else "whoosh"
    write_position(directory, AppliedPosition(head_position(store), other))
    assert index.applied_position() is None  # a position of another engine does not count
    assert index.sync() == 1

    # A database restored from an older backup: the index claims changes the log lacks.
    write_position(directory, AppliedPosition(head_position(store) + 50, engine))
    assert index.sync() == 1
    assert index.applied_position() == head_position(store)
    assert _public_names(index) == {"radwege"}


def test_a_deleted_index_loses_nothing_and_a_save_meanwhile_is_followed(
    store: Store, index: SearchIndex, preparer: RecordPreparer, settings: Settings
) -> None:
    add_dataset(store, preparer, "eins", "Radwege")
    index.close()
    shutil.rmtree(settings.data_dir / SEARCH_DIRECTORY)
    reopened = open_search_index(store, settings)
    try:
        # The first save after the wipe rebuilds the index and then follows the log.
        add_dataset(store, preparer, "zwei", "Parkplätze")
        assert _public_names(reopened) == {"eins", "zwei"}
        assert not reopened.is_behind()
    finally:
        reopened.close()
