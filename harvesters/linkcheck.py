"""Checking distribution URLs over the network: one request per URL (HEAD, else a ranged GET)
through the hardened session, politely per host.

Every request goes through harvesters.http (its SSRF rules apply to each redirect hop, so a
redirect into a private network is refused and reported). Politeness: at most `per_host`
requests to one host at a time, `delay` seconds between the starts of two requests to one host
(the fallback GET counts as a request), `parallel` in flight overall. The clock and the sleep
are injected, so tests and benchmarks decide how time passes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit

import requests

from catalog.link_checks import HTML_FORMATS, LinkResult, LinkTarget
from catalog.models import utcnow
from catalog.settings import LinkcheckSettings
from harvesters.http import (
    ForbiddenTarget,
    HttpError,
    HttpPolicy,
    RequestFailed,
    RequestTimedOut,
    ResponseTooLarge,
    session_for,
)

log = logging.getLogger(__name__)

# A sniff of the body is all a check reads: the status, the headers and these bytes.
PREFIX_BYTES = 1024
RANGE_HEADER = f"bytes=0-{PREFIX_BYTES - 1}"

# What can be wrong with a link; the steward pages say each in the page's language.
PROBLEMS = (
    "http_status",  # an answer, but 4xx/5xx (or a redirect that leads nowhere)
    "timeout",  # no connection or no data within linkcheck.timeout / deadline
    "unreachable",  # no answer at all (refused, reset, no such host)
    "forbidden",  # a private or local address, or not http(s): refused by the network rules
    "redirect_loop",  # more redirects than the session follows
    "html_instead_of_format",  # a download announced as CSV (or another format) serves HTML
)

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Politeness:
    per_host: int = 2
    delay: float = 1.0
    parallel: int = 8

    @classmethod
    def from_settings(cls, settings: LinkcheckSettings) -> Politeness:
        return cls(settings.per_host, settings.delay, settings.parallel)


def linkcheck_policy(base: HttpPolicy, settings: LinkcheckSettings) -> HttpPolicy:
    """The harvest's network rules with the link checker's waits: one try, a short sniff."""
    return replace(
        base,
        connect_timeout=settings.timeout,
        read_timeout=settings.timeout,
        max_seconds=settings.deadline,
        retries=0,  # a failing link is checked again next interval, not hammered now
        max_bytes=PREFIX_BYTES,
        body_prefix_only=True,
    )


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class HostSlots:
    """Hands out targets so that no host has more than `per_host` requests in flight and two
    starts on one host are at least `delay` apart; hosts take turns."""

    def __init__(
        self, targets: Iterable[LinkTarget], politeness: Politeness, clock: Clock, sleep: Sleep
    ) -> None:
        self._pending: dict[str, deque[LinkTarget]] = {}
        for target in targets:
            self._pending.setdefault(host_of(target.url), deque()).append(target)
        self._order = deque(self._pending)
        self._active: Counter[str] = Counter()
        self._next_start: dict[str, float] = {}
        self._politeness = politeness
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()

    def take(self) -> tuple[str, LinkTarget] | None:
        """The next target whose host may be asked now (waiting if need be); None when done."""
        while True:
            with self._cond:
                if not self._order:
                    return None
                wait = self._try_take()
                if isinstance(wait, tuple):
                    return wait
                if wait is None:
                    self._cond.wait()  # every host with work is busy: a release wakes us
                    continue
            self._sleep(wait)

    def _try_take(self) -> tuple[str, LinkTarget] | float | None:
        now = self._clock()
        shortest: float | None = None
        for _ in range(len(self._order)):
            host = self._order[0]
            self._order.rotate(-1)
            if self._active[host] >= self._politeness.per_host:
                continue
            ready_in = self._next_start.get(host, now) - now
            if ready_in > 0:
                shortest = ready_in if shortest is None else min(shortest, ready_in)
                continue
            self._active[host] += 1
            self._next_start[host] = now + self._politeness.delay
            target = self._pending[host].popleft()
            if not self._pending[host]:
                del self._pending[host]
                self._order.remove(host)
            return host, target
        return shortest

    def another_request(self, host: str) -> None:
        """Wait for the host's delay before a second request within one held slot."""
        while True:
            with self._cond:
                now = self._clock()
                ready_in = self._next_start.get(host, now) - now
                if ready_in <= 0:
                    self._next_start[host] = now + self._politeness.delay
                    return
            self._sleep(ready_in)

    def release(self, host: str) -> None:
        with self._cond:
            self._active[host] -= 1
            self._cond.notify_all()


@dataclass
class CheckRun:
    """What a run found: a result per checked URL, and the URLs whose check itself broke
    (a fault of ours, not of the link; they stay due and are checked next time)."""

    results: list[LinkResult]
    errors: list[tuple[str, str]]
    # URLs left unchecked because `claim` refused them (another run has or had them).
    not_claimed: list[str] = field(default_factory=list)


def check_links(
    targets: Sequence[LinkTarget],
    policy: HttpPolicy,
    politeness: Politeness,
    *,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
    now: Callable[[], datetime] = utcnow,
    claim: Callable[[LinkTarget], bool] | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
) -> CheckRun:
    """Check every target once; results in the order they finished.

    `claim`, if given, is asked just before each check; a target it refuses is left out
    (another process checks it). `on_result` is called from the worker threads (under a lock)
    as each check ends, so a caller can store results while the run goes on.
    """
    slots = HostSlots(targets, politeness, clock, sleep)
    run = CheckRun([], [])
    lock = threading.Lock()

    def work() -> None:
        session = session_for(policy)
        try:
            while (taken := slots.take()) is not None:
                host, target = taken
                try:
                    if claim is not None and not claim(target):
                        with lock:
                            run.not_claimed.append(target.url)
                        continue
                    result = check_url(
                        session, target, clock=clock, now=now, pause=slots, host=host
                    )
                except Exception as exc:  # a bug must not end the run or lose the others
                    log.exception("link check of %s failed", target.url)
                    with lock:
                        run.errors.append((target.url, f"{type(exc).__name__}: {exc}"))
                    continue
                finally:
                    slots.release(host)
                with lock:
                    run.results.append(result)
                    if on_result is not None:
                        on_result(result)
        finally:
            session.close()

    threads = [
        threading.Thread(target=work, name=f"linkcheck-{n}", daemon=True)
        for n in range(max(1, min(politeness.parallel, len(targets))))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


def check_url(
    session: requests.Session,
    target: LinkTarget,
    *,
    clock: Clock = time.monotonic,
    now: Callable[[], datetime] = utcnow,
    pause: HostSlots | None = None,
    host: str = "",
) -> LinkResult:
    """HEAD the URL; when the server refuses HEAD (an error status or a dropped connection),
    GET its first bytes instead. Redirects are followed under the session's rules."""
    checked_at = now()
    started = clock()
    try:
        try:
            response = session.head(target.url, allow_redirects=True)
            refused_head = response.status_code >= 400
        except (RequestTimedOut, ForbiddenTarget):
            raise
        except RequestFailed as exc:
            if _too_many_redirects(exc):
                raise
            refused_head = True  # some servers drop a HEAD; a GET tells
        if refused_head:
            if pause is not None:
                pause.another_request(host)
            response = session.get(
                target.url, headers={"Range": RANGE_HEADER}, allow_redirects=True
            )
    except HttpError as exc:
        return _failed(target, exc, checked_at, _ms(clock() - started))
    return _answered(target, response, checked_at, _ms(clock() - started))


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _answered(
    target: LinkTarget, response: requests.Response, checked_at: datetime, elapsed_ms: int
) -> LinkResult:
    status = response.status_code
    ok = 200 <= status < 300
    content_type = response.headers.get("Content-Type")
    problem = None if ok else "http_status"
    error = "" if ok else f"HTTP {status}"
    if ok and _html_instead(content_type, target.announced):
        problem = "html_instead_of_format"
        wanted = ", ".join(target.announced)
        error = f"liefert HTML statt {wanted} / serves HTML instead of {wanted}"
    return LinkResult(
        url=target.url,
        checked_at=checked_at,
        ok=ok,
        status=status,
        final_url=response.url or target.url,
        content_type=content_type,
        size=_size(response),
        elapsed_ms=elapsed_ms,
        problem=problem,
        announced=target.announced,
        error=error,
    )


def _html_instead(content_type: str | None, announced: Sequence[str]) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in {"text/html", "application/xhtml+xml"} or not announced:
        return False
    return not any(code in HTML_FORMATS for code in announced)


def _size(response: requests.Response) -> int | None:
    """The whole file's size: from Content-Range of a ranged answer, else Content-Length."""
    content_range = response.headers.get("Content-Range", "")
    total = content_range.rsplit("/", 1)[-1] if "/" in content_range else ""
    if total.isdigit():
        return int(total)
    length = response.headers.get("Content-Length", "")
    if response.status_code != 206 and length.isdigit():
        return int(length)
    return None


def _too_many_redirects(exc: BaseException) -> bool:
    return isinstance(exc.__cause__, requests.exceptions.TooManyRedirects)


def _failed(
    target: LinkTarget, exc: HttpError, checked_at: datetime, elapsed_ms: int
) -> LinkResult:
    status = exc.status if isinstance(exc, RequestFailed) else None
    if isinstance(exc, RequestTimedOut):
        problem = "timeout"
    elif isinstance(exc, ForbiddenTarget):
        problem = "forbidden"
    elif _too_many_redirects(exc):
        problem = "redirect_loop"
    elif status is not None or isinstance(exc, ResponseTooLarge):
        problem = "http_status"
    else:
        problem = "unreachable"
    return LinkResult(
        url=target.url,
        checked_at=checked_at,
        ok=False,
        status=status,
        final_url=exc.url,
        content_type=None,
        size=None,
        elapsed_ms=elapsed_ms,
        problem=problem,
        announced=target.announced,
        error=str(exc),
    )
