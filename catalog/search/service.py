"""The catalog's search: the one writer of the index, and the public rule on every query.

Saves write an entry into the search queue inside their own transaction (catalog.records);
after the commit the store tells this service, which applies every due entry to the index
under the index lock. Whichever process holds the lock applies the others' entries too, so
a harvest and the web app never fight over it and nothing queued is lost: `sync` can always
be called again, and `catalog reindex` rebuilds the whole index from the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import defer

from catalog.models import DatasetRecord
from catalog.search.base import IndexLocked, SearchBackend, SearchQuery, SearchResult
from catalog.search.documents import (
    Names,
    document_from_view,
    index_document,
    reindex_documents,
)
from catalog.search.queue import DueBatch, due_batch, mark_done, newest_entry, take_view
from catalog.search.registry import open_backend
from catalog.settings import Settings
from catalog.store import Store

log = logging.getLogger(__name__)

SEARCH_DIRECTORY = "search"
# A web request waits this long for the index lock before leaving its change queued.
DEFAULT_LOCK_WAIT = 3.0
# Searches look for forgotten queue entries (a writer that crashed) at most this often.
CATCH_UP_INTERVAL = 10.0


class SearchIndex:
    """Search over the catalog's records, kept in step with the database."""

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
        self._sync_lock = threading.Lock()
        # Deferral belongs to the thread that asked for it (a harvest running in the web
        # process), so a steward's save in another thread still reaches search at once.
        self._deferral = threading.local()
        self._last_catch_up = 0.0

    # --- queries ---------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        self._catch_up()
        return self.backend.search(query, publish_invalid=self.settings.validation.publish_invalid)

    def record_timeline(self, query: SearchQuery) -> list[tuple[datetime, str]]:
        """(updated, record id) of every matching record, ascending: keyset paging over a search."""
        self._catch_up()
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

    def sync(self, wait: float | None = None) -> int:
        """Apply every due queue entry; returns how many documents were written.

        Leaves the entries queued (and returns what it did so far) when another process
        holds the index lock longer than `wait`: that process applies them.
        """
        wait = self.lock_wait if wait is None else wait
        if not self._sync_lock.acquire(timeout=wait):
            return 0
        written = 0
        try:
            while (batch := due_batch(self.store)) is not None:
                try:
                    written += self._apply(batch, wait)
                except IndexLocked:
                    log.info("search index busy; %d changes stay queued", len(batch.record_ids))
                    return written
                mark_done(self.store, batch.last_entry)
        finally:
            self._sync_lock.release()
        return written

    def _apply(self, batch: DueBatch, wait: float) -> int:
        names = Names.load(self.store, self.settings.catalog.districts)
        lang = self.settings.catalog.language
        documents = []
        with self.store.reading() as session:
            # The graph is loaded only for records whose save handed no view over.
            query = select(DatasetRecord).options(defer(DatasetRecord.graph))
            records = list(session.scalars(query.where(DatasetRecord.id.in_(batch.record_ids))))
            for record in records:
                try:
                    view = take_view(self.store, record.id, record.content_hash)
                    documents.append(
                        index_document(record, names, lang)
                        if view is None
                        else document_from_view(record, view, names)
                    )
                except Exception:
                    # A record whose graph cannot be read stays out of search, not the catalog.
                    log.exception("record %s could not be indexed", record.id)
        found = {record.id for record in records}
        removed = [record_id for record_id in batch.record_ids if record_id not in found]
        return self.backend.apply(documents, removed, wait=wait)

    def reindex(self) -> int:
        """Rebuild the index from the database; changes saved meanwhile are applied after."""
        with self._sync_lock:
            started_at = newest_entry(self.store)
            names = Names.load(self.store, self.settings.catalog.districts)
            count = self.backend.rebuild(
                reindex_documents(self.store, names, self.settings.catalog.language)
            )
            if started_at:
                mark_done(self.store, started_at)
        self.sync()
        return count

    def _catch_up(self) -> None:
        """Entries left by a writer that died or gave up on the lock are applied eventually."""
        now = time.monotonic()
        if now - self._last_catch_up < CATCH_UP_INTERVAL:
            return
        self._last_catch_up = now
        if due_batch(self.store, limit=1) is not None:
            self.sync(wait=0.1)

    def close(self) -> None:
        if self._on_change in self.store.change_listeners:
            self.store.change_listeners.remove(self._on_change)
        self.backend.close()


def open_search_index(
    store: Store, settings: Settings, lock_wait: float = DEFAULT_LOCK_WAIT
) -> SearchIndex:
    """The catalog's search index in data_dir/search, on the engine the config names
    (search.backend), listening to the store's commits."""
    directory = settings.data_dir / SEARCH_DIRECTORY
    backend = open_backend(settings.search.backend, directory)
    return SearchIndex(store, settings, backend, lock_wait).attach()
