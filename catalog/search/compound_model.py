"""CharSplit's German model compiled once into a SQLite file that every process reads.

The compound-split package keeps its n-gram model as three Python dicts in a 39 MB module,
and `char_split` imports the Dutch model beside it: about 320 MB resident and 2.5 to 12 s
(depending on load) in every process that splits a word, web workers and harvest workers
alike. Compiled into a SQLite table, the same numbers are read on demand through the page
cache, which all processes on a machine share, so a process pays a few MB and milliseconds.

The file is built once per machine and package version (the first process that needs it,
or `catalog init`) in a child process, so that the one-off 300 MB leave with that child.
`best_split` is CharSplit's own scoring (char_split.split_compound, German), run over the
compiled table; tests/catalog/search/test_compound_model.py checks it gives the package's
answers.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE = "compound-split"
_KINDS = ("prefix", "infix", "suffix")
_local = threading.local()


def model_path() -> Path:
    """Where the compiled model of the installed package version is kept (one per machine)."""
    return Path.home() / ".cache" / "stadtkatalog" / _file_name()


def ensure_model(path: Path | None = None) -> Path:
    """The compiled model's path, built first (in a child process) when it is missing.

    Where the home directory cannot be written (a service account, a read-only container),
    the system's temporary directory holds it instead.
    """
    candidates = [path] if path else [model_path(), Path(tempfile.gettempdir()) / _file_name()]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    for candidate in candidates:
        log.info("compiling CharSplit's German model into %s (once per machine)", candidate)
        try:
            subprocess.run(
                [sys.executable, "-m", "catalog.search.compound_model", str(candidate)],
                check=True,
            )
        except subprocess.CalledProcessError:
            log.warning("could not write the compound model to %s", candidate)
            continue
        return candidate
    raise RuntimeError(f"the compound model could not be written to {candidates}")


def _file_name() -> str:
    return f"compound-split-de-{metadata.version(PACKAGE)}.sqlite3"


def build_model(path: Path) -> None:
    """Write the package's German n-gram probabilities into a SQLite file at path.

    Written to a temporary name and renamed, so a reader never sees half a model and two
    processes building at once both end with a whole one.
    """
    from compound_split import de_ngram_probs  # the German model alone, not char_split's nl

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        for kind in _KINDS:
            connection.execute(f"CREATE TABLE {kind} (key TEXT PRIMARY KEY, p REAL) WITHOUT ROWID")
            table = getattr(de_ngram_probs, kind)
            connection.executemany(f"INSERT INTO {kind} VALUES (?, ?)", table.items())
        connection.commit()
    finally:
        connection.close()
    os.replace(partial, path)


def best_split(word: str) -> tuple[float, str, str]:
    """CharSplit's best split of a lower-case word: (score, body, head), both lower-case.

    (0, word, word) for a word too short to split, as the package answers.
    """
    if "-" in word:
        cut = word.rfind("-")
        return 1.0, word[:cut], word[cut + 1 :]
    positions = range(3, len(word) - 2)
    if not positions:
        return 0.0, word, word
    wanted: dict[str, set[str]] = {kind: set() for kind in _KINDS}
    for n in positions:
        wanted["suffix"].add(_cut_off_fugen_s(word[:n]))
        wanted["prefix"].add(_cut_off_fugen_s(word[n:]))
        wanted["infix"].update(word[n:k] for k in range(len(word), n + 2, -1))
    known = {kind: _lookup(kind, keys) for kind, keys in wanted.items()}
    scores = []
    for n in positions:
        pre = known["suffix"].get(_cut_off_fugen_s(word[:n]), -1.0)
        start = known["prefix"].get(_cut_off_fugen_s(word[n:]), -1.0)
        inner = min(known["infix"].get(word[n:k], 1.0) for k in range(len(word), n + 2, -1))
        scores.append((start - inner + pre, word[:n], word[n:]))
    return max(scores)


def _cut_off_fugen_s(part: str) -> str:
    """A linking s ("Verkehrs|zählung") dropped before the lookup, as CharSplit does."""
    if part.endswith(("ts", "gs", "ks", "hls", "ns")) and len(part) - 1 > 2:
        return part[:-1]
    return part


def _lookup(kind: str, keys: set[str]) -> dict[str, float]:
    keys_list = list(keys)
    marks = ",".join("?" * len(keys_list))
    rows = _connection().execute(f"SELECT key, p FROM {kind} WHERE key IN ({marks})", keys_list)
    return dict(rows.fetchall())


def _connection() -> sqlite3.Connection:
    """One read-only connection per thread and process (sqlite3 connections are shared by
    neither threads nor, after a fork such as gunicorn's, processes)."""
    opened: tuple[int, sqlite3.Connection] | None = getattr(_local, "opened", None)
    if opened is None or opened[0] != os.getpid():
        path = ensure_model()
        opened = os.getpid(), sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        _local.opened = opened
    return opened[1]


if __name__ == "__main__":
    build_model(Path(sys.argv[1]))
