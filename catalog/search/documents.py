"""From a stored record to the document the search index holds (the one place that decides)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import defer

from catalog.ingest import as_utc_datetime
from catalog.models import DatasetRecord, HarvestSource, Organization
from catalog.search.base import IndexDocument
from catalog.settings import DistrictSettings
from catalog.store import Store
from catalog.stored_views import ViewToStore, current_views, store_views
from dcat.bounding_box import BoundingBox, bounding_box_of_locations
from dcat.ckan.serialize import format_code, resource_id
from dcat.hvd import HVD_LEGISLATION, hvd_flags
from dcat.stored import stored_view
from dcat.view import DatasetView
from dcat.vocabularies import LICENSES, THEMES

log = logging.getLogger(__name__)

OPEN_LICENSE = "open-license"
# Records read (and missing views stored) per transaction during a reindex.
REINDEX_BATCH = 1000
MACHINE_READABLE = "machine-readable"
# EU file types a program can read without a person (tables, structured data, geodata, APIs).
MACHINE_READABLE_FORMATS = frozenset(
    [
        "CSV",
        "TSV",
        "JSON",
        "JSON_LD",
        "GEOJSON",
        "XML",
        "RDF",
        "RDF_XML",
        "RDF_TURTLE",
        "RDF_N_TRIPLES",
        "XLSX",
        "XLS",
        "ODS",
        "SHP",
        "GML",
        "KML",
        "KMZ",
        "GPKG",
        "WMS_SRVC",
        "WFS_SRVC",
        "WMTS_SRVC",
        "NETCDF",
        "SPARQLQ",
    ]
)


@dataclass(frozen=True)
class Names:
    """Organisation and source names by id, read once per batch of documents; the boxes of
    the city's districts (config.yaml) by the district's uri and by its name."""

    organizations: Mapping[str, Organization]
    sources: Mapping[str, str]
    district_boxes: Mapping[str, BoundingBox] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, districts: Iterable[DistrictSettings] = ()) -> Names:
        with store.reading() as session:
            organizations = {org.id: org for org in session.scalars(select(Organization))}
            sources = dict(session.execute(select(HarvestSource.id, HarvestSource.name)).all())
        return cls(organizations, sources, district_boxes(districts))


def district_boxes(districts: Iterable[DistrictSettings]) -> dict[str, BoundingBox]:
    """Each district's box under its name and its uri (what a dataset may name it by)."""
    return {
        key: district.box
        for district in districts
        if district.box is not None
        for key in (district.name, district.uri)
        if key
    }


def index_document(record: DatasetRecord, names: Names, lang: str = "de") -> IndexDocument:
    """The document of a record read from the database: its stored graph parsed again."""
    return document_from_view(record, stored_view(record.graph, record.uri, lang), names)


def document_from_view(record: DatasetRecord, view: DatasetView, names: Names) -> IndexDocument:
    """The one place that makes a record's document: from the flat view of its graph (which a
    save has at hand, catalog.search.handover.ViewInHand) and the record's own columns."""
    organization = names.organizations.get(record.organization_id or "")
    formats = tuple(dict.fromkeys(filter(None, map(format_code, view.distributions))))
    return IndexDocument(
        record_id=record.id,
        name=record.name,
        title=view.title or record.title or record.name,
        description=view.description,
        keywords=view.keywords,
        organization=organization.name if organization else None,
        organization_id=record.organization_id,
        organization_title=organization.title if organization else "",
        themes=tuple(_theme_code(theme.iri) for theme in view.themes),
        theme_labels=_theme_labels(view),
        formats=formats,
        licenses=tuple(licence.iri for licence in view.licenses),
        places=_places(view),
        publisher=view.publisher.name if view.publisher else "",
        status=record.status.value,
        validation_state=record.validation_state.value,
        source=names.sources.get(record.source_id or ""),
        catalog=record.origin_catalog,
        resource_ids=tuple(resource_id(d, record.id) for d in view.distributions),
        flags=_flags(view, formats),
        modified=record.modified or as_utc_datetime(view.modified),
        issued=record.issued or as_utc_datetime(view.issued),
        updated=record.updated_at,
        created=record.created_at,
        bbox=dataset_bounding_box(view, names.district_boxes),
    )


def reindex_documents(
    store: Store, names: Names, lang: str = "de", batch: int = REINDEX_BATCH
) -> Iterator[IndexDocument]:
    """Every record's document for a rebuild, from its stored view where that is current.

    A record without one (stored before views were kept, or by older view code) has its graph
    parsed once here and its view stored, so the next reindex reads JSON only. A record whose
    graph cannot be read stays out of search (logged), not out of the catalog.
    """
    after = ""
    while True:
        with store.reading() as session:
            query = (
                select(DatasetRecord)
                .options(defer(DatasetRecord.graph), defer(DatasetRecord.validation_report))
                .where(DatasetRecord.id > after)
                .order_by(DatasetRecord.id)
                .limit(batch)
            )
            records = list(session.scalars(query))
            hashes = {record.id: record.content_hash for record in records}
            views = current_views(session, hashes, lang)
            missing = [record.id for record in records if record.id not in views]
            graphs = (
                dict(
                    session.execute(
                        select(DatasetRecord.id, DatasetRecord.graph).where(
                            DatasetRecord.id.in_(missing)
                        )
                    ).all()
                )
                if missing
                else {}
            )
        if not records:
            return
        made = _views_from_graphs(records, graphs, lang)
        if made:
            with store.transaction() as session:
                store_views(session, made)
            views.update((item.record_id, item.view) for item in made)
        for record in records:
            view = views.get(record.id)
            if view is not None:
                yield document_from_view(record, view, names)
        after = records[-1].id


def _views_from_graphs(
    records: Iterable[DatasetRecord], graphs: Mapping[str, str], lang: str
) -> list[ViewToStore]:
    made = []
    for record in records:
        graph = graphs.get(record.id)
        if graph is None:
            continue
        try:
            view = stored_view(graph, record.uri, lang)
        except Exception:
            log.exception("record %s could not be indexed", record.id)
            continue
        made.append(ViewToStore(record.id, record.content_hash, lang, view))
    return made


def dataset_bounding_box(
    view: DatasetView, district_boxes: Mapping[str, BoundingBox] | None = None
) -> BoundingBox | None:
    """The box around the dataset's places (dcat.bounding_box.bounding_box_of_locations)
    and the box of each district it names (by dct:spatial IRI or in the place description,
    where the stewards' form writes the chosen districts' names, comma-separated)."""
    found = bounding_box_of_locations(view.locations)
    if district_boxes:
        named = (view.geocoding_description or "").split(",")
        for key in (*view.spatial_uris, *(part.strip() for part in named)):
            box = district_boxes.get(key)
            if box is not None:
                found = box if found is None else found.union(box)
    return found


def _flags(view: DatasetView, formats: tuple[str, ...]) -> tuple[str, ...]:
    """What the "about the data" figures count (an open licence, a machine-readable format),
    and the High-Value Datasets marking the HVD filters find."""
    flags = []
    if any((concept := LICENSES.get(licence.iri)) and concept.open for licence in view.licenses):
        flags.append(OPEN_LICENSE)
    if MACHINE_READABLE_FORMATS.intersection(formats):
        flags.append(MACHINE_READABLE)
    categories = [category.iri for category in view.hvd_categories]
    if categories or HVD_LEGISLATION in view.applicable_legislation:
        # "hvd", and each HVD category IRI with its top category (dcat.hvd.hvd_flags).
        flags.extend(hvd_flags(categories))
    return tuple(flags)


def _theme_code(iri: str) -> str:
    concept = THEMES.get(iri)
    return concept.code if concept else iri


def _theme_labels(view: DatasetView) -> tuple[str, ...]:
    """Both languages, so "Umwelt" and "environment" find the same datasets."""
    labels: list[str] = []
    for theme in view.themes:
        concept = THEMES.get(theme.iri)
        labels.extend([concept.label_de, concept.label_en] if concept else [theme.label])
    return tuple(dict.fromkeys(label for label in labels if label))


def _places(view: DatasetView) -> tuple[str, ...]:
    """Place names the description gives in words (dcatde:geocodingDescription)."""
    return (view.geocoding_description,) if view.geocoding_description else ()
