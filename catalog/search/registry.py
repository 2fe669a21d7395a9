"""Search backends by name: a faster engine takes over with a module and a line here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from catalog.search.base import SearchBackend


def _whoosh(directory: Path) -> SearchBackend:
    from catalog.search.whoosh.backend import WhooshBackend

    return WhooshBackend(directory)


def _tantivy(directory: Path) -> SearchBackend:
    from catalog.search.tantivy.backend import TantivyBackend

    return TantivyBackend(directory)


# name -> factory taking the index directory (data_dir/search). Each factory's backend must
# keep the guarantees of catalog.search.base.SearchBackend; config.yaml's search.backend
# names the one the catalog opens (checked against these names when the config loads).
BACKENDS: dict[str, Callable[[Path], SearchBackend]] = {"whoosh": _whoosh, "tantivy": _tantivy}


def open_backend(name: str, directory: Path) -> SearchBackend:
    try:
        factory = BACKENDS[name]
    except KeyError:
        known = ", ".join(sorted(BACKENDS))
        raise LookupError(f"unknown search backend {name!r} (available: {known})") from None
    return factory(directory)
