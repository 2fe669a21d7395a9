"""Which records have a distribution with a given CKAN resource id: kept with the record.

resource_show and resource_update find a resource by its id. The ids are derived from the
record's graph as the CKAN view derives them (dcat.ckan.serialize.resource_id) and written in
the transaction that saves the graph (catalog.records), so the lookup answers from the
database: it neither waits for the search index's lock nor misses while the index lags behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from rdflib import URIRef
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from catalog.models import RESOURCE_KEY_LENGTH, RecordResource
from catalog.settings import CATALOG_LANGUAGES
from catalog.store import Store
from dcat.ckan.serialize import resource_id
from dcat.parsing import parse_rdf
from dcat.view import DistributionView, dataset_view

log = logging.getLogger(__name__)


def resource_ids(record_id: str, distributions: Iterable[DistributionView]) -> set[str]:
    """The CKAN resource ids of these distributions of the record `record_id`."""
    return {resource_id(distribution, record_id) for distribution in distributions}


def resource_ids_in_graph(record_id: str, graph: str, uri: str) -> set[str]:
    """The resource ids of a stored graph's distributions, as the CKAN view shows them in any
    catalog language (an identifier given in several languages is read per language).

    A graph that cannot be read has none: the record stays, as it stays out of search.
    """
    try:
        parsed = parse_rdf(graph, content_type="application/n-triples")
    except ValueError:  # RDFParseError
        log.exception("record %s: resource ids not readable from its graph", record_id)
        return set()
    found: set[str] = set()
    for lang in CATALOG_LANGUAGES:
        found |= resource_ids(record_id, dataset_view(parsed, URIRef(uri), lang).distributions)
    return found


def resource_key(resource_id: str) -> str:
    """What the table keeps of an id: its start, so an index entry has a bounded size."""
    return resource_id[:RESOURCE_KEY_LENGTH]


def resource_rows(record_id: str, ids: Iterable[str]) -> list[dict[str, str]]:
    keys = dict.fromkeys(resource_key(i) for i in ids)
    return [{"record_id": record_id, "resource_id": key} for key in keys]


def keep_resource_ids(session: Session, record_id: str, ids: Iterable[str]) -> None:
    """Inside the transaction that saves the record's graph: these are now its resource ids."""
    session.execute(delete(RecordResource).where(RecordResource.record_id == record_id))
    rows = resource_rows(record_id, ids)
    if rows:
        session.execute(insert(RecordResource), rows)


def record_ids_for_resource(store: Store, resource_id: str) -> list[str]:
    """The records (any status) that may have a distribution with this CKAN resource id.

    The caller confirms against the record's graph: an id longer than the kept key may name
    a record whose id only starts the same.
    """
    query = (
        select(RecordResource.record_id)
        .where(RecordResource.resource_id == resource_key(resource_id))
        .order_by(RecordResource.record_id)
    )
    with store.reading() as session:
        return list(session.scalars(query))
