"""Real records for search tests: DatasetInput -> graph -> RecordPreparer -> the store."""

from __future__ import annotations

from collections.abc import Sequence

from catalog.ingest import RecordPreparer
from catalog.models import DatasetRecord, RecordStatus
from catalog.organizations import get_organization_by_name
from catalog.records import Actor, create_record
from catalog.store import Store
from dcat.builder import build_dataset_graph
from dcat.model import DatasetInput, DistributionInput, LocationInput

STEWARD = Actor(label="test")
CC_BY = "http://dcat-ap.de/def/licenses/cc-by/4.0"
DL_ZERO = "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"


def add_dataset(
    store: Store,
    preparer: RecordPreparer,
    name: str,
    title: str,
    description: str = "Eine Beschreibung des Datensatzes.",
    *,
    keywords: Sequence[str] = (),
    themes: Sequence[str] = ("ENVI",),
    formats: Sequence[str] = ("CSV",),
    license: str = CC_BY,
    organization: str | None = "umweltamt",
    status: RecordStatus = RecordStatus.PUBLISHED,
    spatial: Sequence[str | LocationInput] = (),
    geocoding: str = "",
) -> DatasetRecord:
    """Save one valid dataset the way every save goes (normalise, validate, revision)."""
    uri = f"{preparer.settings.catalog.base_url}/dataset/{name}"
    data = DatasetInput(
        title={"de": title},
        description={"de": description},
        keywords=list(keywords),
        themes=[THEME + code for code in themes],
        distributions=[
            DistributionInput(
                access_url=f"https://daten.example/{name}.{fmt.lower()}",
                format=FILE_TYPE + fmt,
                license=license,
            )
            for fmt in formats
        ],
        spatial=spatial,
        geocoding_description={"de": geocoding} if geocoding else {},
    )
    graph, node = build_dataset_graph(data, uri=uri)
    prepared = preparer.prepare(graph, node)
    org = get_organization_by_name(store, organization) if organization else None
    return create_record(
        store,
        prepared.content,
        name=name,
        actor=STEWARD,
        status=status,
        organization_id=org.id if org else None,
    )
