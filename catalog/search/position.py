"""Where this node's index stands in the change log, and the lock that makes one writer of it.

Every node keeps its own index under its own data_dir/search and follows the change log
(catalog.change_log) into it. The position it has applied up to is a file in that same
directory, so deleting the index deletes the position with it and the next sync rebuilds from
the database. The file is written after the index commit it describes: a crash in between
makes the next sync apply those changes again, which is harmless (documents are replaced by
record id and built from the record as it is now), whereas the other order could skip them.

Several processes of one node (gunicorn workers, a harvest, `catalog reindex`) share the
directory. The lock below is held from reading the position to writing the next one, so only
one of them follows the log at a time and a slower one can never commit documents older
than what a faster one already wrote. It is an advisory lock on a file (fcntl.flock), which
the kernel releases when its holder dies, so a killed worker never blocks the node.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

POSITION_FILE = "follow-position.json"
LOCK_FILE = "follow.lock"
_LOCK_RETRY = 0.02


@dataclass(frozen=True)
class AppliedPosition:
    """The change-log position up to which the index holds every change, and its engine.

    An index built by another engine (search.backend changed) does not count as applied.
    """

    position: int
    backend: str


def read_position(directory: Path) -> AppliedPosition | None:
    """The position stored with the index in `directory`; None: rebuild before following."""
    try:
        raw = json.loads((directory / POSITION_FILE).read_text(encoding="utf-8"))
        return AppliedPosition(position=int(raw["position"]), backend=str(raw["backend"]))
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        # Missing or unreadable (a crash while a disk filled up): rebuilding is always right.
        return None


def write_position(directory: Path, applied: AppliedPosition) -> None:
    """Store the position atomically (write aside, then rename over)."""
    directory.mkdir(parents=True, exist_ok=True)
    aside = directory / f".{POSITION_FILE}.{os.getpid()}"
    aside.write_text(
        json.dumps({"position": applied.position, "backend": applied.backend}), encoding="utf-8"
    )
    os.replace(aside, directory / POSITION_FILE)


@contextmanager
def node_writer_lock(directory: Path, wait: float) -> Iterator[bool]:
    """Hold this node's index-writer lock; yields False when another process kept it `wait` s."""
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(_LOCK_RETRY)
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
