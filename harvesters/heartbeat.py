"""A running job's heartbeat: how its process tells every other one that it still works.

A thread beats at an interval, so a source that answers slowly does not look dead; the runner
also beats after a record when one is due. A beat that finds the job no longer running means
another process took it for dead and may have started a new job: the runner then stops
(JobSuperseded) before it writes on or withdraws anything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from types import TracebackType

from catalog.job_liveness import beat
from catalog.models import utcnow
from catalog.store import Store

log = logging.getLogger(__name__)

# Beats per staleness period: a job is taken for dead only after this many missed beats.
BEATS_PER_STALE_PERIOD = 10

Clock = Callable[[], datetime]
# Waits up to the given seconds between two beats; True means: stop beating.
Pause = Callable[[float], bool]


class JobSuperseded(Exception):
    """The job was failed as abandoned while it still ran; another job may own its source."""

    def __init__(self, job_id: int) -> None:
        self.message_de = (
            f"Abgebrochen: Job {job_id} galt als tot (kein rechtzeitiges Lebenszeichen) und "
            "hat aufgehört"
        )
        self.message_en = (
            f"Aborted: job {job_id} was taken for dead (no heartbeat in time) and stopped"
        )
        # Apart for the job report (runner); str() joins them for logs, as InputError does.
        super().__init__(f"{self.message_de} / {self.message_en}")
        self.job_id = job_id


class JobHeartbeat:
    """Beats for one running job: from a thread while it is entered, and on `beat_if_due`."""

    def __init__(
        self,
        store: Store,
        job_id: int,
        *,
        stale_after: timedelta,
        clock: Clock = utcnow,
        pause: Pause | None = None,
    ) -> None:
        self.store = store
        self.job_id = job_id
        self.interval = stale_after / BEATS_PER_STALE_PERIOD
        self.clock = clock
        self._stopped = threading.Event()
        self._pause = pause or self._stopped.wait
        self._last = clock()
        self._lost = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> JobHeartbeat:
        self._thread = threading.Thread(
            target=self._beat_until_stopped, name=f"heartbeat-{self.job_id}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def beat_if_due(self) -> None:
        """Beat if the interval has passed; raise JobSuperseded if the job was taken over."""
        if not self._lost and self.clock() - self._last >= self.interval:
            self.beat()
        if self._lost:
            raise JobSuperseded(self.job_id)

    def beat(self) -> None:
        """Beat now; raise JobSuperseded if the job was taken over."""
        self._beat()
        if self._lost:
            raise JobSuperseded(self.job_id)

    def _beat(self) -> None:
        now = self.clock()
        if beat(self.store, self.job_id, now):
            self._last = now
        else:
            self._lost = True

    def _beat_until_stopped(self) -> None:
        while not self._pause(self.interval.total_seconds()):
            if self._stopped.is_set() or self._lost:
                return
            try:
                self._beat()
            except Exception:  # the database is away for a moment: the next beat may work
                log.exception("heartbeat of job %d failed", self.job_id)
