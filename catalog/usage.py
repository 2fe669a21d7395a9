"""Usage figures the catalog counts itself: daily sums in memory, written in the background.

A request only adds one to a dictionary entry under a lock (benchmarks/usage.py measures the
cost); a thread writes the sums every `usage.flush_seconds` and at shutdown, adding them to
what the tables hold, so several web workers and restarts add up. What is kept is a day, a
dataset, a kind of use, people or bots, a kind of harvesting client and normalised search
words: never an address, a user agent, a cookie or anything else about who asked. The user
agent is read once, to tell bots from people and harvesters apart, and then forgotten.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from catalog.models import EndpointFetchCount, SearchTermCount, UsageCount, utcnow
from catalog.store import Store

log = logging.getLogger(__name__)

MAX_TERM_LENGTH = 200


class Use(StrEnum):
    VIEW = "view"  # the public dataset page
    DOWNLOAD = "download"  # a distribution opened through /dataset/<name>/download/<id>
    API_READ = "api_read"  # CKAN package_show


class Audience(StrEnum):
    PEOPLE = "people"
    BOTS = "bots"  # crawlers, harvesters, scripts: anything that says so in its user agent


class Client(StrEnum):
    """Who fetches the DCAT catalog, as far as the user agent tells."""

    GOVDATA = "govdata"
    PIVEAU = "piveau"  # data.europa.eu and other piveau portals
    CKANEXT_DCAT = "ckanext-dcat"  # state and city CKAN portals harvesting with ckanext-dcat
    OTHER = "other"


# Words in a user agent that no person's browser sends. Case is ignored. Harvesting clients
# (CLIENT_PATTERNS) and command-line tools count as bots too: they are not people reading.
_BOT_WORDS = re.compile(
    r"bot|crawl|spider|slurp|archiver|harvest|fetch|scrape|monitor|preview|headless|"
    r"python|requests|httpx|aiohttp|curl|wget|java/|okhttp|go-http|libwww|perl|ruby|php|"
    r"node-fetch|axios|postman|insomnia|ckan|piveau|govdata|lighthouse|pingdom|uptime",
    re.IGNORECASE,
)
# Checked in this order; the first that matches names the client.
CLIENT_PATTERNS: tuple[tuple[Client, re.Pattern[str]], ...] = (
    (Client.GOVDATA, re.compile(r"govdata", re.IGNORECASE)),
    (Client.PIVEAU, re.compile(r"piveau|data\.europa\.eu|europeandataportal", re.IGNORECASE)),
    (Client.CKANEXT_DCAT, re.compile(r"ckanext-dcat|ckan", re.IGNORECASE)),
)


def audience_of(user_agent: str | None) -> Audience:
    """People use browsers, which always name themselves as Mozilla/...; an empty user agent
    or one with a bot's words is a program."""
    if not user_agent or not user_agent.startswith("Mozilla/") or _BOT_WORDS.search(user_agent):
        return Audience.BOTS
    return Audience.PEOPLE


def client_of(user_agent: str | None) -> Client:
    for client, pattern in CLIENT_PATTERNS:
        if user_agent and pattern.search(user_agent):
            return client
    return Client.OTHER


def normalised_terms(text: str) -> str:
    """A search as it is counted: lower case, single spaces, at most MAX_TERM_LENGTH."""
    return " ".join(text.casefold().split())[:MAX_TERM_LENGTH].strip()


@dataclass
class _Sums:
    """What has been counted since the last flush."""

    uses: Counter[tuple[date, str, str, str]] = field(default_factory=Counter)
    fetches: Counter[tuple[date, str]] = field(default_factory=Counter)
    last_fetch: dict[tuple[date, str], datetime] = field(default_factory=dict)
    searches: Counter[tuple[date, str, str]] = field(default_factory=Counter)
    without_result: Counter[tuple[date, str, str]] = field(default_factory=Counter)

    def __bool__(self) -> bool:
        return bool(self.uses or self.fetches or self.searches)

    def add(self, other: _Sums) -> None:
        self.uses.update(other.uses)
        self.fetches.update(other.fetches)
        for key, at in other.last_fetch.items():
            self.last_fetch[key] = max(at, self.last_fetch.get(key, at))
        self.searches.update(other.searches)
        self.without_result.update(other.without_result)


class UsageCounter:
    """The counts of one process. `enabled=False` (setting `usage.enabled`) counts nothing."""

    def __init__(
        self,
        store: Store,
        *,
        enabled: bool = True,
        flush_seconds: float = 30.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.enabled = enabled
        self.flush_seconds = flush_seconds
        self.clock = clock
        self._sums = _Sums()
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_pid: int | None = None
        if enabled:
            atexit.register(self.close)

    # --- counting (in the request: a dictionary update, nothing else) ---------------------

    def dataset_used(self, use: Use, record_id: str, user_agent: str | None) -> None:
        if not self.enabled:
            return
        key = (self.clock().date(), use.value, record_id, audience_of(user_agent).value)
        with self._lock:
            self._sums.uses[key] += 1
        self._ensure_thread()

    def catalog_fetched(self, user_agent: str | None) -> None:
        if not self.enabled:
            return
        now = self.clock()
        key = (now.date(), client_of(user_agent).value)
        with self._lock:
            self._sums.fetches[key] += 1
            self._sums.last_fetch[key] = max(now, self._sums.last_fetch.get(key, now))
        self._ensure_thread()

    def searched(self, text: str, found: int, user_agent: str | None) -> None:
        terms = normalised_terms(text)
        if not self.enabled or not terms:
            return
        key = (self.clock().date(), terms, audience_of(user_agent).value)
        with self._lock:
            self._sums.searches[key] += 1
            if found == 0:
                self._sums.without_result[key] += 1
        self._ensure_thread()

    # --- writing -----------------------------------------------------------------------

    def flush(self) -> None:
        """Add what was counted to the tables; on a database error the sums are kept for the
        next flush, so nothing counted is lost while the database is away."""
        with self._flushing:
            with self._lock:
                taken, self._sums = self._sums, _Sums()
            if not taken:
                return
            try:
                with self.store.transaction() as session:
                    _write(session, taken)
            except Exception:
                log.exception("usage figures not written; kept for the next try")
                with self._lock:
                    taken.add(self._sums)
                    self._sums = taken

    def close(self) -> None:
        """Stop the writer thread and write what is left (when the app or its store closes,
        and by atexit); counts after this are not written."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout=self.flush_seconds + 5)
        self.flush()
        if self.enabled:
            atexit.unregister(self.close)

    def _ensure_thread(self) -> None:
        """Started at the first count, and again in a forked worker (gunicorn), whose copy of
        the parent's thread does not run."""
        if self._thread_pid == os.getpid() or self._stop.is_set():
            return
        with self._lock:
            if self._thread_pid == os.getpid():
                return
            self._thread_pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="usage-figures", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.flush_seconds):
            self.flush()


def _write(session: Session, sums: _Sums) -> None:
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert  # type: ignore[union-attr]
    if sums.uses:
        rows = [
            {"day": d, "kind": k, "record_id": r, "audience": a, "count": n}
            for (d, k, r, a), n in sums.uses.items()
        ]
        statement: Any = insert(UsageCount)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "kind", "record_id", "audience"],
                set_={"count": UsageCount.count + statement.excluded.count},
            ),
            rows,
        )
    if sums.fetches:
        rows = [
            {"day": d, "client": c, "count": n, "last_at": sums.last_fetch[(d, c)]}
            for (d, c), n in sums.fetches.items()
        ]
        statement = insert(EndpointFetchCount)
        later = statement.excluded.last_at > EndpointFetchCount.last_at
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "client"],
                set_={
                    "count": EndpointFetchCount.count + statement.excluded.count,
                    "last_at": case(
                        (later, statement.excluded.last_at), else_=EndpointFetchCount.last_at
                    ),
                },
            ),
            rows,
        )
    if sums.searches:
        rows = [
            {
                "day": d,
                "term": t,
                "audience": a,
                "searches": n,
                "without_result": sums.without_result.get((d, t, a), 0),
            }
            for (d, t, a), n in sums.searches.items()
        ]
        statement = insert(SearchTermCount)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "term", "audience"],
                set_={
                    "searches": SearchTermCount.searches + statement.excluded.searches,
                    "without_result": SearchTermCount.without_result
                    + statement.excluded.without_result,
                },
            ),
            rows,
        )
