"""Records saved as a harvest saves them (prepared: normalised, judged in 2.0 and 3.0), some
valid in DCAT-AP.de 2.0 but not in 3.0."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from catalog.editing import graph_from_ckan
from catalog.ingest import RecordPreparer, rename_node
from catalog.models import DatasetRecord, RecordStatus
from catalog.names import slugify
from catalog.records import Actor, create_record
from catalog.settings import Settings
from catalog.store import Store

PACKAGE: dict[str, Any] = {
    "notes": "Alle Straßenbäume mit Art und Pflanzjahr.",
    "license_id": "dl-by-de/2.0",
    "tags": [{"name": "Bäume"}],
    "resources": [{"url": "https://daten.example/baeume.csv", "format": "CSV"}],
}
# No licence anywhere: DCAT-AP.de 2.0 only recommends one (a warning), 3.0 requires one per
# distribution (a violation).
WITHOUT_LICENCE: dict[str, Any] = {"license_id": ""}
HARVEST = Actor(label="harvest")


def save_prepared(
    store: Store, settings: Settings, title: str, source_id: str | None = None, **changes: Any
) -> DatasetRecord:
    """A record saved as the harvest saves one: prepared (normalised, judged in 2.0 and 3.0)."""
    graph, node = graph_from_ckan({**PACKAGE, **changes, "title": title}, settings)
    name = slugify(title)
    uri = URIRef(f"{settings.catalog.base_url}/dataset/{name}")
    prepared = RecordPreparer(settings).prepare(rename_node(graph, node, uri), uri)
    return create_record(
        store,
        prepared.content,
        name=name,
        actor=HARVEST,
        status=RecordStatus.PUBLISHED,
        source_id=source_id,
    )
