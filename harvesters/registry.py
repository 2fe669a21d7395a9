"""The source types by name: adding one is a module in this package and a line here.

This is the one list of source types. Config loading (catalog.settings), the steward's
source form and its labels read it. `catalog` may not import `harvesters` (dcat <- catalog <-
harvesters), so catalog.settings only knows the types the composition root declares to it:
the CLI and the web app factory call `declare_source_types()` before they load config.yaml;
from then on every load checks each source's type and validates its `options` with the type's
model (an unknown key or a wrong type is a config error naming the key, exit code 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from catalog.settings import use_source_types
from harvesters import ckan, csw, dcat, spreadsheet
from harvesters.base import Harvester, SourceType

SOURCE_TYPES: dict[str, SourceType] = {
    source_type.name: source_type
    for source_type in (
        ckan.SOURCE_TYPE,
        dcat.SOURCE_TYPE,
        spreadsheet.SOURCE_TYPE,
        csw.SOURCE_TYPE,
    )
}


class UnknownSourceType(LookupError):
    """A source type the config allows but this installation has no harvester for."""


def declare_source_types() -> None:
    """Make config loading check source types and their options against this registry.

    The registry itself is handed over, not a copy: a type registered later is known too.
    """
    use_source_types(SOURCE_TYPES)


def harvestable_types() -> list[str]:
    """The types that have a harvester, in registry order: those a steward may choose."""
    return [name for name, source_type in SOURCE_TYPES.items() if source_type.harvester]


def harvester_type(name: str) -> type[Harvester]:
    source_type = SOURCE_TYPES.get(name)
    if source_type is None or source_type.harvester is None:
        known = ", ".join(sorted(harvestable_types()))
        raise UnknownSourceType(
            f"no harvester for source type {name!r} in this version (available: {known})"
        )
    return source_type.harvester


@contextmanager
def registered(source_type: SourceType) -> Iterator[SourceType]:
    """The registry with one more type for the length of a `with` (tests, experiments)."""
    if source_type.name in SOURCE_TYPES:
        raise ValueError(f"source type {source_type.name!r} is registered already")
    SOURCE_TYPES[source_type.name] = source_type
    try:
        yield source_type
    finally:
        del SOURCE_TYPES[source_type.name]
