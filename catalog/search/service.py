"""The catalog's search: each node's index follows the change log, and the public rule on queries.

Every save appends its change to the change log in its own transaction (catalog.change_log);
each node's index applies the log's entries after the position stored with it
(catalog.search.position) and then stores the new position. The saving process follows
right after its commit (the store tells it), and a follower thread in every web process
(catalog.search.follower) picks up what other processes and other nodes committed. The
node's writer lock makes one process at a time the writer, so Whoosh's single writer is
never fought over; whoever holds it applies everybody's changes, and `sync` can always be
called again. An index without a position (new node, deleted directory, other engine) is
rebuilt from the database first, then follows the log from the head read before the rebuild.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import defer

from catalog.change_log import head_position, read_changes
from catalog.models import DatasetRecord
from catalog.search.base import (
    IndexDocument,
    IndexLocked,
    SearchBackend,
    SearchQuery,
    SearchResult,
)
from catalog.search.documents import (
    Names,
    document_from_view,
    index_document,
    reindex_documents,
)
from catalog.search.handover import take_view
from catalog.search.position import (
    AppliedPosition,
    node_writer_lock,
    read_position,
    write_position,
)
from catalog.search.registry import open_backend
from catalog.settings import Settings
from catalog.store import Store

log = logging.getLogger(__name__)

SEARCH_DIRECTORY = "search"
# A web request waits this long for the index lock before leaving its change to the writer.
DEFAULT_LOCK_WAIT = 3.0
# Change-log entries applied in one index commit.
FOLLOW_BATCH = 1000


class SearchIndex:
    """Search over the catalog's records on this node, following the change log."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        backend: SearchBackend,
        lock_wait: float = DEFAULT_LOCK_WAIT,
    ) -> None:
        self.store = store
        self.settings = settings
        self.backend = backend
        self.lock_wait = lock_wait
        # The index's directory: the position and the node's writer lock live beside it.
        self.directory = settings.data_dir / SEARCH_DIRECTORY
        self._sync_lock = threading.Lock()
        # Deferral belongs to the thread that asked for it (a harvest running in the web
        # process), so a steward's save in another thread still reaches search at once.
        self._deferral = threading.local()
        self.closed = False

    # --- queries ---------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        return self.backend.search(query, publish_invalid=self.settings.validation.publish_invalid)

    def record_timeline(self, query: SearchQuery) -> list[tuple[datetime, str]]:
        """(updated, record id) of every matching record, ascending: keyset paging over a search."""
        return self.backend.record_timeline(
            query, publish_invalid=self.settings.validation.publish_invalid
        )

    # --- keeping the index current -----------------------------------------------------

    def attach(self) -> SearchIndex:
        """Listen to the store's commits: every saved change reaches the index right after."""
        if self._on_change not in self.store.change_listeners:
            self.store.change_listeners.append(self._on_change)
        return self

    def _on_change(self, record_ids: set[str]) -> None:
        deferral = self._deferral
        if getattr(deferral, "depth", 0):
            deferral.pending += len(record_ids)
            if deferral.pending < deferral.every:
                return
            deferral.pending = 0
        self.sync(self.lock_wait)

    @contextmanager
    def deferred(self, every: int = 500) -> Iterator[None]:
        """Apply this thread's changes every `every` records instead of after each (harvests)."""
        deferral = self._deferral
        deferral.depth = getattr(deferral, "depth", 0) + 1
        deferral.every, deferral.pending = every, 0
        try:
            yield
        finally:
            deferral.depth -= 1
            self.sync(wait=60.0)

    def applied_position(self) -> int | None:
        """The change-log position this node's index holds every change up to; None: none yet."""
        applied = self._applied()
        return None if applied is None else applied.position

    def _applied(self) -> AppliedPosition | None:
        applied = read_position(self.directory)
        if applied is None or applied.backend != self.settings.search.backend:
            return None
        return applied

    def is_behind(self) -> bool:
        """Whether the log holds changes this node's index has not applied (or it has none)."""
        applied = self._applied()
        return applied is None or applied.position < head_position(self.store)

    def sync(self, wait: float | None = None) -> int:
        """Apply the log after this node's position; returns how many documents were written.

        Without a stored position the index is rebuilt first. Gives up (returning what it did
        so far) when another process of this node holds the writer longer than `wait`: that
        process applies the same entries, since it follows the same position.
        """
        wait = self.lock_wait if wait is None else wait
        if not self._sync_lock.acquire(timeout=wait):
            return 0
        try:
            with node_writer_lock(self.directory, wait) as held:
                if not held:
                    return 0
                return self._follow(wait)
        finally:
            self._sync_lock.release()

    def _follow(self, wait: float) -> int:
        """Under the node's writer lock: rebuild if need be, then apply the log to its head."""
        written = 0
        applied = self._applied()
        if applied is not None and not self._believable(applied):
            applied = None
        if applied is None:
            try:
                written, position = self._rebuild(wait)
            except IndexLocked:
                log.info("search index busy; its rebuild waits for the next sync")
                return 0
        else:
            position = applied.position
        while True:
            page = read_changes(self.store, after=position, limit=FOLLOW_BATCH)
            if page.next_position == position:
                return written
            record_ids = list(dict.fromkeys(entry.record_id for entry in page.entries))
            try:
                written += self._apply(record_ids, wait)
            except IndexLocked:
                # Something outside our lock (a tool, an older process) holds the engine.
                log.info("search index busy; %d changes wait in the log", len(record_ids))
                return written
            position = page.next_position
            self._store_position(position)

    def _believable(self, applied: AppliedPosition) -> bool:
        """Whether the index really holds what its position says."""
        if applied.position > head_position(self.store):
            # Ahead of the log: the database was restored from a backup or is another one.
            log.warning("search index %s is ahead of the change log: rebuilt", self.directory)
            return False
        if applied.position > 0 and self.backend.document_count() == 0:
            # Records are never deleted, so a log with entries means records to find: the
            # engine replaced this index by an empty one (older schema, unreadable files).
            log.warning("search index %s is empty but has a position: rebuilt", self.directory)
            return False
        return True

    def _store_position(self, position: int) -> None:
        write_position(self.directory, AppliedPosition(position, self.settings.search.backend))

    def _apply(self, record_ids: list[str], wait: float) -> int:
        if not record_ids:
            return 0
        names = Names.load(self.store, self.settings.catalog.districts)
        with self.store.reading() as session:
            # The graph is loaded only for records whose save handed no view over.
            query = select(DatasetRecord).options(defer(DatasetRecord.graph))
            records = list(session.scalars(query.where(DatasetRecord.id.in_(record_ids))))
            documents = list(self._documents(records, names))
        found = {record.id for record in records}
        removed = [record_id for record_id in record_ids if record_id not in found]
        return self.backend.apply(documents, removed, wait=wait)

    def _documents(self, records: Iterable[DatasetRecord], names: Names) -> Iterator[IndexDocument]:
        """Each record's document, from the view its save handed over where there is one."""
        lang = self.settings.catalog.language
        for record in records:
            try:
                view = take_view(self.store, record.id, record.content_hash)
                yield (
                    index_document(record, names, lang)
                    if view is None
                    else document_from_view(record, view, names)
                )
            except Exception:
                # A record whose graph cannot be read stays out of search, not the catalog.
                log.exception("record %s could not be indexed", record.id)

    def _rebuild(self, wait: float) -> tuple[int, int]:
        """Under the writer lock: the whole index from the database, and the position it
        holds. The head is read before the records: every change up to it is committed and
        so in what the rebuild reads; later ones are applied after it (again, if the rebuild
        saw them already: documents are replaced by id, so nothing is doubled)."""
        position = head_position(self.store)
        names = Names.load(self.store, self.settings.catalog.districts)
        documents = reindex_documents(self.store, names, self.settings.catalog.language)
        count = self.backend.rebuild(self._without_handover(documents), wait=wait)
        self._store_position(position)
        return count, position

    def _without_handover(self, documents: Iterable[IndexDocument]) -> Iterator[IndexDocument]:
        """The rebuild reads stored views; a view a save handed over for the same record is
        not needed any more, so it is let go instead of waiting in memory."""
        for document in documents:
            self.store.handed_over.pop(document.record_id, None)
            yield document

    def reindex(self) -> int:
        """Rebuild the index from the database, then apply what was saved meanwhile.

        Searches answer from the old index until the new one is committed."""
        with self._sync_lock, node_writer_lock(self.directory, wait=600.0) as held:
            if not held:
                raise IndexLocked(f"search index {self.directory} is being written")
            count, _ = self._rebuild(wait=600.0)
            self._follow(self.lock_wait)
        return count

    def close(self) -> None:
        self.closed = True
        if self._on_change in self.store.change_listeners:
            self.store.change_listeners.remove(self._on_change)
        self.backend.close()


def open_search_index(
    store: Store, settings: Settings, lock_wait: float = DEFAULT_LOCK_WAIT
) -> SearchIndex:
    """This node's search index in data_dir/search, on the engine the config names
    (search.backend), listening to the store's commits."""
    directory = settings.data_dir / SEARCH_DIRECTORY
    backend = open_backend(settings.search.backend, directory)
    return SearchIndex(store, settings, backend, lock_wait).attach()
