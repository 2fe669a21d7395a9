"""How a gathered record travels from the gather to its batch: JSON in a staged batch
(catalog.harvest_batches), with what was stored for it when the job began."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from catalog.models import RecordStatus
from dcat.origin import AgentDescription, CatalogOrigin
from harvesters.runner import StoredState

# --- staged items ---------------------------------------------------------------------------


def stored_json(stored: StoredState | None) -> dict[str, Any] | None:
    if stored is None:
        return None
    return {**asdict(stored), "status": stored.status.value}


def stored_from_json(data: Mapping[str, Any] | None) -> StoredState | None:
    if data is None:
        return None
    return StoredState(**{**data, "status": RecordStatus(data["status"])})


def origin_json(origin: CatalogOrigin | None) -> dict[str, Any] | None:
    return asdict(origin) if origin is not None else None


def origin_from_json(data: Mapping[str, Any] | None) -> CatalogOrigin | None:
    if data is None:
        return None
    publisher = data.get("publisher")
    return CatalogOrigin(
        iri=data["iri"],
        title=data["title"],
        publisher=AgentDescription(**publisher) if publisher else None,
    )
