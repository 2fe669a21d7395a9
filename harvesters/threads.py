"""Background threads of this process, at most one per key (a source, a link selection)."""

from __future__ import annotations

import threading
import time


class KeyedThreads:
    """The bookkeeping harvests and link checks share: which key has a thread running, and
    waiting for all of them at shutdown or in tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._threads: dict[str, threading.Thread] = {}

    def is_running(self, key: str) -> bool:
        with self._lock:
            thread = self._threads.get(key)
            return thread is not None and thread.is_alive()

    def join(self, timeout: float) -> bool:
        """Wait until every thread of this process has ended; False if some still run."""
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)
