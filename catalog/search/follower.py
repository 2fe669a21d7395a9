"""The follower thread: a web process keeps its node's index in step with the change log.

Saves of this process reach the index right after their commit (SearchIndex listens to the
store); what other processes and other nodes commit reaches it through this thread, which
looks at the log every `search.follow_seconds`. Every web process runs one; the node's writer
lock (catalog.search.position) lets one of them write at a time, and the others find nothing
left to do. It also builds the index of a new node, or of one whose index was deleted.
"""

from __future__ import annotations

import logging
import os
import threading

from catalog.search.service import SearchIndex

log = logging.getLogger(__name__)

# A rebuild of a large catalog may hold the writer for minutes; the follower waits this long.
FOLLOW_LOCK_WAIT = 1.0


class IndexFollower:
    """Calls SearchIndex.sync whenever the change log is ahead of the node's index."""

    def __init__(self, index: SearchIndex, interval: float) -> None:
        self.index = index
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopped = False  # for good: requests after stop() start no new thread

    def ensure_running(self) -> None:
        """Start the thread in this process if it does not run here yet.

        Called on requests rather than when the app is built: gunicorn with --preload builds
        the app in its master process, and a thread started there does not exist in the
        workers it forks.
        """
        if self._stopped or self.index.closed:
            return
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        self._pid = os.getpid()
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._loop, name="search-index-follower", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """End the thread (after the round it is in) and start none again."""
        self._stopped = True
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def follow_once(self) -> int:
        """Apply what the log holds beyond this node's position; documents written."""
        if not self.index.is_behind():
            return 0
        return self.index.sync(wait=FOLLOW_LOCK_WAIT)

    def _loop(self) -> None:
        while not self.index.closed:
            try:
                self.follow_once()
            except Exception:  # the next round tries again; the log says why this one failed
                log.exception("following the change log into the search index failed")
            if self._stop.wait(self.interval):
                return
