"""Opening the database: one engine per process, one transaction per service call."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# session.info key under which a transaction collects the ids of the records it changed.
CHANGED_RECORDS = "changed_records"
# What a transaction has at hand about the records it changed (their flat views), handed to
# the listeners' side after a successful commit: catalog.search.handover.hand_over_views.
HANDED_OVER = "handed_over"
# Hand-overs nobody took (no index listening, or its writer busy) are dropped oldest first.
MAX_HANDED_OVER = 5000
ChangeListener = Callable[[set[str]], None]


@dataclass
class Store:
    """The database of one catalog; services open their transactions through it."""

    engine: Engine
    sessions: sessionmaker[Session]
    # Told, after a commit, which records it changed (the search index listens here).
    change_listeners: list[ChangeListener] = field(default_factory=list)
    # record id -> what its last committed save handed over (see HANDED_OVER).
    handed_over: dict[str, Any] = field(default_factory=dict)
    # What runs on this store and must stop before it closes (a web app's threads), newest
    # first: a thread that outlived it would open new connections to a database that may be
    # gone by then.
    closers: list[Callable[[], None]] = field(default_factory=list)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any exception."""
        with self.sessions() as session:
            with session.begin():
                # On SQLite, take the write lock at BEGIN so concurrent writers queue
                # (busy_timeout) instead of failing when a read lock cannot be upgraded.
                session.connection(execution_options={"sqlite_begin_immediate": True})
                yield session
            changed: set[str] = session.info.pop(CHANGED_RECORDS, set())
            handed: dict[str, Any] = session.info.pop(HANDED_OVER, {})
        if handed and self.change_listeners:
            self._keep_handed_over(handed)
        if changed:
            self._announce(changed)

    def _keep_handed_over(self, handed: dict[str, Any]) -> None:
        kept = self.handed_over
        for key, value in handed.items():
            kept.pop(key, None)  # re-inserted last: the newest stays longest
            kept[key] = value
        while len(kept) > MAX_HANDED_OVER:
            kept.pop(next(iter(kept)), None)

    def _announce(self, changed: set[str]) -> None:
        for listener in self.change_listeners:
            try:
                listener(changed)
            except Exception:
                # Listeners keep derived data (the index); the change itself is committed.
                log.exception("a change listener failed; the change is saved")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; nothing it does is committed."""
        with self.sessions() as session:
            yield session

    def ping(self) -> None:
        """Raise if the database cannot be reached."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def on_close(self, closer: Callable[[], None]) -> None:
        """Have close() call `closer` first (it stops what uses the store)."""
        self.closers.append(closer)

    def close(self) -> None:
        """Stop what was registered with on_close, then let go of the connections."""
        while self.closers:
            closer = self.closers.pop()
            try:
                closer()
            except Exception:
                log.exception("stopping what runs on the store failed; closing it anyway")
        self.engine.dispose()


def open_store(database_url: str, **engine_options: Any) -> Store:
    """An engine set up for our use of SQLite (WAL, foreign keys) or PostgreSQL (psycopg 3)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(database_url, **engine_options)
    elif url.get_backend_name() == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        engine = create_engine(url, pool_pre_ping=True, **engine_options)
    else:
        raise ValueError(
            f"unsupported database {url.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://"
        )
    return Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _sqlite_engine(database_url: str, **engine_options: Any) -> Engine:
    database = make_url(database_url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(database_url, **engine_options)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINT and BEGIN; SQLAlchemy takes over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # 64 MB page cache (default 2 MB): index pages of a city-sized catalog stay in memory.
        cursor.execute("PRAGMA cache_size=-65536")
        # Checkpoint every 64 MB of WAL (default 4 MB): a batch of harvested records is then
        # copied into the database file, and fsynced, once instead of several times.
        cursor.execute("PRAGMA wal_autocheckpoint=16384")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_begin_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
