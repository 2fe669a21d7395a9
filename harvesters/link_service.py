"""Link check runs: which public records, which of their URLs are due, the check, the results
kept; for `catalog linkcheck` and for the steward area's buttons (in a background thread).

A URL checked within linkcheck.interval is not checked again by any run; a URL named by
several records is checked once, also when runs in several processes find it due at the same
moment (each URL is claimed in the database just before its check: catalog.link_checks). The
URLs each record names are kept as the run read them, for the organisation's list of broken
links.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from catalog.link_checks import (
    LinkResult,
    LinkTarget,
    checked_since,
    claim_link,
    keep_link_results,
    links_of_record,
    public_records_to_check,
    release_link_claims,
    remember_record_links,
)
from catalog.models import utcnow
from catalog.quality.scores import records_with_urls, rescore_records
from catalog.settings import Settings
from catalog.store import Store
from harvesters.linkcheck import Clock, Politeness, Sleep, check_links, linkcheck_policy
from harvesters.service import http_policy
from harvesters.threads import KeyedThreads

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkSelection:
    """Which public records a run looks at: all, some by name, or one organisation's."""

    record_names: tuple[str, ...] = ()
    organization_id: str | None = None


@dataclass
class LinkRunSummary:
    records: int = 0
    unreadable: list[str] = field(default_factory=list)  # record names whose graph failed
    urls: int = 0
    not_due: int = 0
    results: list[LinkResult] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return len(self.results)

    @property
    def broken(self) -> list[LinkResult]:
        return [result for result in self.results if not result.ok]

    @property
    def problems(self) -> list[LinkResult]:
        """Reachable, but not what was announced (HTML for CSV)."""
        return [result for result in self.results if result.ok and result.problem]

    @property
    def complete(self) -> bool:
        """Every record read and every due URL checked (broken links are results, not faults)."""
        return not self.unreadable and not self.errors


def collect_targets(
    store: Store, settings: Settings, selection: LinkSelection, summary: LinkRunSummary
) -> list[LinkTarget]:
    """The distinct URLs of the selected public records; each record's URLs are kept."""
    by_url: dict[str, LinkTarget] = {}
    per_record: dict[str, list[LinkTarget]] = {}
    for record in public_records_to_check(
        store,
        settings,
        record_names=selection.record_names,
        organization_id=selection.organization_id,
    ):
        summary.records += 1
        try:
            targets = links_of_record(record)
        except Exception:  # RDF parse errors of a stored graph: name the record, go on
            log.exception("record %s: links not readable from its graph", record.name)
            summary.unreadable.append(record.name)
            continue
        per_record[record.id] = targets
        for target in targets:
            by_url[target.url] = _merged(by_url.get(target.url), target)
        if len(per_record) >= 500:
            remember_record_links(store, per_record)
            per_record = {}
    remember_record_links(store, per_record)
    return list(by_url.values())


def _merged(known: LinkTarget | None, target: LinkTarget) -> LinkTarget:
    if known is None:
        return target
    role = "download" if "download" in (known.role, target.role) else "access"
    return LinkTarget(target.url, role, tuple(sorted(set(known.announced) | set(target.announced))))


def run_link_check(
    store: Store,
    settings: Settings,
    selection: LinkSelection = LinkSelection(),
    *,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
    now: Callable[[], datetime] = utcnow,
    progress: Callable[[int, int], None] | None = None,
) -> LinkRunSummary:
    """Check the due URLs of the selected public records and keep the results."""
    summary = LinkRunSummary()
    targets = collect_targets(store, settings, selection, summary)
    summary.urls = len(targets)
    recheck_after = settings.linkcheck.recheck_after
    recent = checked_since(store, [t.url for t in targets], now() - recheck_after)
    due = [target for target in targets if target.url not in recent]
    run_id = uuid.uuid4().hex

    def claim(target: LinkTarget) -> bool:
        return claim_link(store, target.url, run_id, now(), recheck_after)

    def keep(result: LinkResult) -> None:  # called under check_links' lock
        # One transaction per result: the URL's claim ends as soon as its check does.
        keep_link_results(store, [result])
        summary.results.append(result)
        if progress is not None:
            progress(len(summary.results), len(due))

    run = check_links(
        due,
        linkcheck_policy(http_policy(settings), settings.linkcheck),
        Politeness.from_settings(settings.linkcheck),
        clock=clock,
        sleep=sleep,
        now=now,
        claim=claim,
        on_result=keep,
    )
    # Found checked or being checked by another run when its turn came.
    summary.not_due = len(targets) - len(due) + len(run.not_claimed)
    summary.errors = run.errors
    release_link_claims(store, [url for url, _ in run.errors], run_id)
    # The quality score's reachability indicators read these results (catalog.quality).
    checked = {result.url for result in summary.results}
    if checked:
        rescore_records(store, records_with_urls(store, checked))
    return summary


class BackgroundLinkChecks(KeyedThreads):
    """Link checks started from the steward area, in threads of this process: one per
    dataset or organisation at a time (a second start while one runs is refused)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        super().__init__()

    def start(self, key: str, selection: LinkSelection) -> bool:
        """Start a check of the selection under `key`; False if one of that key runs."""
        with self._lock:
            running = self._threads.get(key)
            if running is not None and running.is_alive():
                return False
            thread = threading.Thread(
                target=self._run, args=(key, selection), name=f"linkcheck-{key}", daemon=True
            )
            self._threads[key] = thread
            thread.start()
        return True

    def _run(self, key: str, selection: LinkSelection) -> None:
        try:
            summary = run_link_check(self.store, self.settings, selection)
            log.info(
                "link check %s: %d checked, %d broken, %d not due",
                key,
                summary.checked,
                len(summary.broken),
                summary.not_due,
            )
        except Exception:
            log.exception("background link check %s failed", key)
        finally:
            with self._lock:
                if self._threads.get(key) is threading.current_thread():
                    del self._threads[key]


def record_selection(names: Sequence[str]) -> LinkSelection:
    return LinkSelection(record_names=tuple(names))
