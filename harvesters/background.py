"""Harvests started from the steward area: jobs in a background thread, and the connection test.

Jobs start and run through catalog.jobs.claim_source and harvesters.service.run_started_job
like those of `catalog harvest`, so a job from the web behaves like one from cron. The job is
started in the request, so a steward whose source is being harvested elsewhere (cron, another
web worker, another machine) is told so at once (catalog.jobs.SourceBusy); only the work
runs in the thread.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import requests
from sqlalchemy import func, select

from catalog.jobs import claim_source
from catalog.models import HarvestJob, HarvestSource, JobStatus
from catalog.settings import Settings
from catalog.store import Store
from dcat.view import dataset_view
from harvesters.base import GatherError, HarvestContext, RecordError, RemoteRecord, cause_text
from harvesters.http import (
    ForbiddenTarget,
    HttpError,
    HttpPolicy,
    RequestFailed,
    RequestTimedOut,
    ResponseTooLarge,
    session_for,
)
from harvesters.registry import UnknownSourceType, harvester_type
from harvesters.service import http_policy, run_started_job
from harvesters.threads import KeyedThreads

log = logging.getLogger(__name__)

# The connection test: one try, short waits, a small page.
PROBE_CONNECT_TIMEOUT = 5.0
PROBE_READ_TIMEOUT = 10.0
PROBE_MAX_SECONDS = 15.0


class DeferringIndex(Protocol):
    """The part of catalog.search.service.SearchIndex a background job uses."""

    def deferred(self, every: int = 500) -> AbstractContextManager[None]: ...


class BackgroundHarvests(KeyedThreads):
    """Starts harvest jobs in threads of this process, one per source at a time."""

    def __init__(self, store: Store, settings: Settings, index: DeferringIndex | None) -> None:
        self.store = store
        self.settings = settings
        self.index = index
        super().__init__()

    def start(self, source: HarvestSource) -> int:
        """Start a job for the source and return its id; its work goes on in a thread.

        Raises catalog.jobs.SourceBusy if the source is being harvested, by any process.
        With a task queue (tasks.broker_url) the job is sent there and a worker runs it
        (harvesters.queue.enqueue.QueueUnavailable if the broker does not take it)."""
        if self.settings.tasks.queued:
            from harvesters.queue.enqueue import enqueue_harvest

            return enqueue_harvest(self.store, self.settings, source)
        with self._lock:
            job_id = claim_source(
                self.store, source.id, stale_after=self.settings.harvest.stale_after
            )
            thread = threading.Thread(
                target=self._run, args=(source, job_id), name=f"harvest-{source.name}", daemon=True
            )
            self._threads[source.id] = thread
            thread.start()
        return job_id

    def _run(self, source: HarvestSource, job_id: int) -> None:
        try:
            deferred = self.index.deferred() if self.index is not None else nullcontext()
            with deferred:
                run_started_job(self.store, self.settings, source, job_id)
        except Exception:  # the runner records job failures; this is for what lies around it
            log.exception("background harvest of %s failed", source.name)
        finally:
            with self._lock:
                if self._threads.get(source.id) is threading.current_thread():
                    del self._threads[source.id]


def running_job_id(store: Store, source_id: str) -> int | None:
    """The source's running job, if it has one."""
    with store.reading() as session:
        return session.scalar(
            select(func.max(HarvestJob.id)).where(
                HarvestJob.source_id == source_id, HarvestJob.status == JobStatus.RUNNING
            )
        )


# --- the connection test -------------------------------------------------------------------


@dataclass(frozen=True)
class ProbeResult:
    """What the connection test found. `outcome` is one of PROBE_OUTCOMES; the web layer
    says it in the page's language. `detail` is the harvester's own message for logs;
    `detail_de` and `detail_en` hold it per language where the cause says it in both.
    """

    outcome: str
    detail: str = ""
    detail_de: str = ""
    detail_en: str = ""
    record_key: str = ""
    record_title: str = ""
    content_type: str = ""
    http_status: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def detail_in(self, language: str) -> str:
        """The harvester's message in the reader's language, where it has one of its own."""
        return (self.detail_en if language == "en" else self.detail_de) or self.detail


PROBE_OUTCOMES = (
    "ok",  # the first record was read and mapped
    "empty",  # the source answered but lists no record
    "unmappable",  # the first record was read but cannot become DCAT-AP.de
    "timeout",
    "unreachable",  # no answer at all
    "http_status",  # an HTTP error status
    "forbidden",  # a private address or another scheme, refused by the harvest rules
    "too_large",
    "unreadable",  # an answer, but not a catalog the harvester can read
    "no_harvester",  # the source type has no harvester in this version
)


def probe_source(store: Store, settings: Settings, source: HarvestSource) -> ProbeResult:
    """The connection test of a saved source (see probe)."""
    options = dict(source.options or {})
    return probe(settings, source.type, source.url, options, path=source.path, name=source.name)


def probe(
    settings: Settings,
    type_name: str,
    url: str | None,
    options: dict[str, Any],
    *,
    path: str | None = None,
    name: str = "",
) -> ProbeResult:
    """Read a source's first record through its harvester, with short timeouts and no retry.

    The source need not be saved: the steward's form tests what it would save. Nothing is
    stored: the record is mapped to DCAT-AP.de to show its title, then dropped.
    """
    started = time.monotonic()
    try:
        harvester_class = harvester_type(type_name)
    except UnknownSourceType as exc:
        return ProbeResult("no_harvester", detail=str(exc))
    content_types: list[str] = []
    session = session_for(_probe_policy(settings))
    session.hooks["response"].append(_note_content_type(content_types))
    context = HarvestContext(
        base_url=settings.catalog.base_url,
        max_pages=1,
        http=session,
        options=options,
    )
    harvester = harvester_class(url, path, context)
    try:
        result = _first_record(harvester.gather(), harvester, settings.catalog.language)
    except (GatherError, HttpError) as exc:
        result = _failure(exc)
    except Exception as exc:  # a source that breaks the harvester: say so, keep the trace
        log.exception("connection test of %s failed unexpectedly", name or url)
        result = _failure(exc)
    finally:
        session.close()
    content_type = content_types[0] if content_types else _file_type(path)
    return replace(result, content_type=content_type, seconds=time.monotonic() - started)


def _probe_policy(settings: Settings) -> HttpPolicy:
    policy = http_policy(settings)
    return replace(
        policy,
        connect_timeout=min(policy.connect_timeout, PROBE_CONNECT_TIMEOUT),
        read_timeout=min(policy.read_timeout, PROBE_READ_TIMEOUT),
        max_seconds=min(policy.max_seconds, PROBE_MAX_SECONDS),
        retries=0,
    )


def _first_record(records: Iterator[RemoteRecord], harvester: Any, language: str) -> ProbeResult:
    try:
        record = next(records, None)
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
    if record is None:
        return ProbeResult("empty")
    try:
        graph, node = harvester.to_graph(record)
    except RecordError as exc:
        return ProbeResult(
            "unmappable",
            detail=str(exc),
            detail_de=exc.message.de,
            detail_en=exc.message.en,
            record_key=record.describe(),
        )
    title = dataset_view(graph, node, language).title
    return ProbeResult("ok", record_key=record.describe(), record_title=title)


def _failure(exc: Exception) -> ProbeResult:
    cause = _http_cause(exc)
    if cause is not None:
        return replace(
            _failure_outcome(cause, str(exc)),
            detail_de=cause.message_de,
            detail_en=cause.message_en,
        )
    text = cause_text(exc)
    return replace(_failure_outcome(cause, str(exc)), detail_de=text.de, detail_en=text.en)


def _failure_outcome(cause: HttpError | None, detail: str) -> ProbeResult:
    if isinstance(cause, RequestTimedOut):
        return ProbeResult("timeout", detail=detail)
    if isinstance(cause, ForbiddenTarget):
        return ProbeResult("forbidden", detail=detail)
    if isinstance(cause, ResponseTooLarge):
        return ProbeResult("too_large", detail=detail)
    if isinstance(cause, RequestFailed):
        if cause.status is not None:
            return ProbeResult("http_status", detail=detail, http_status=cause.status)
        return ProbeResult("unreachable", detail=detail)
    return ProbeResult("unreadable", detail=detail)


def _http_cause(exc: BaseException) -> HttpError | None:
    """The HttpError behind a GatherError (or the error itself), following the chain."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, HttpError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _note_content_type(found: list[str]) -> Any:
    def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if 200 <= response.status_code < 300 and response.headers.get("Content-Type"):
            found.append(response.headers["Content-Type"])

    return hook


def _file_type(path: str | None) -> str:
    if not path:
        return ""
    if Path(path).is_dir():
        return ""  # a folder of RDF files: each has its own type
    guessed, _ = mimetypes.guess_type(path)
    return guessed or ""
