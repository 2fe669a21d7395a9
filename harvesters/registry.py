"""The source types by name: adding one is a module in this package and a line here."""

from __future__ import annotations

from harvesters.base import Harvester
from harvesters.ckan import CkanHarvester
from harvesters.dcat import DcatHarvester
from harvesters.spreadsheet import SpreadsheetHarvester

HARVESTER_TYPES: dict[str, type[Harvester]] = {
    CkanHarvester.type_name: CkanHarvester,
    DcatHarvester.type_name: DcatHarvester,
    SpreadsheetHarvester.type_name: SpreadsheetHarvester,
}


class UnknownSourceType(LookupError):
    """A source type the config allows but this installation has no harvester for."""


def harvester_type(name: str) -> type[Harvester]:
    try:
        return HARVESTER_TYPES[name]
    except KeyError:
        known = ", ".join(sorted(HARVESTER_TYPES))
        raise UnknownSourceType(
            f"no harvester for source type {name!r} in this version (available: {known})"
        ) from None
