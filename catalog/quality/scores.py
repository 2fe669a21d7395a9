"""A record's MQA score, written with every save and re-scored when link checks change.

Cheap by design: the facts come from the graph the save has in hand (catalog.ingest) and the
points are arithmetic on them; only a save without them (a restore, a hand-made content)
parses the stored N-Triples once.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rdflib import URIRef
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from catalog.models import DatasetRecord, RecordQuality, ValidationState, utcnow
from catalog.quality.links import LinkOutcomeReader, link_outcomes_for
from catalog.store import Store
from dcat.parsing import parse_rdf
from dcat.quality import QualityFacts, QualityScore, quality_facts, score_facts

log = logging.getLogger(__name__)

RESCORE_BATCH = 500


@dataclass(frozen=True)
class StoredQuality:
    """A record's score as stored, with when it was computed."""

    record_id: str
    score: QualityScore
    scored_at: datetime


@dataclass(frozen=True)
class ScoreInput:
    """What one record's score needs: its facts and its stored validation verdict."""

    record_id: str
    facts: QualityFacts
    compliant: bool | None


def compliance(state: ValidationState, violation_count: int) -> bool | None:
    """The DCAT-AP compliance indicator's input: no violations; None while not validated."""
    if state == ValidationState.UNKNOWN:
        return None
    return violation_count == 0


def facts_of_stored_graph(ntriples: str, uri: str) -> QualityFacts:
    """The facts of a stored record; an unreadable graph has none (and scores zero)."""
    try:
        graph = parse_rdf(ntriples, content_type="application/n-triples")
    except ValueError:  # RDFParseError
        log.exception("record %s: graph not readable for its quality score", uri)
        return QualityFacts()
    return quality_facts(graph, URIRef(uri))


def keep_quality(
    session: Session,
    inputs: Sequence[ScoreInput],
    *,
    link_outcomes: LinkOutcomeReader = link_outcomes_for,
) -> dict[str, QualityScore]:
    """Score records and store the scores, in the caller's transaction (the save's own)."""
    if not inputs:
        return {}
    urls = frozenset(url for item in inputs for url in item.facts.urls)
    outcomes = link_outcomes(session, urls) if urls else {}
    now = utcnow()
    scores = {
        item.record_id: score_facts(item.facts, outcomes, compliant=item.compliant)
        for item in inputs
    }
    # Upserted in record order: a re-scoring in another process (a link check run) may write
    # the same rows at the same time; a delete and insert would then clash on the key, and
    # rows taken in different orders would deadlock.
    dialect = session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(RecordQuality)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["record_id"],
            set_={
                column: statement.excluded[column]
                for column in ("points", "rating", "facts", "breakdown", "scored_at")
            },
        ),
        [
            {
                "record_id": item.record_id,
                "points": scores[item.record_id].points,
                "rating": scores[item.record_id].rating,
                "facts": item.facts.to_json(),
                "breakdown": scores[item.record_id].to_json(),
                "scored_at": now,
            }
            for item in sorted(inputs, key=lambda item: item.record_id)
        ],
    )
    return scores


def rescore_records(
    store: Store,
    record_ids: Iterable[str] | None = None,
    *,
    link_outcomes: LinkOutcomeReader = link_outcomes_for,
) -> int:
    """Score records again from their stored facts (all records when `record_ids` is None):
    after a link check changed outcomes, or after the methodology's weights changed.

    Records without stored facts (scored never) are read from their graph. Returns how many.
    """
    wanted = None if record_ids is None else list(dict.fromkeys(record_ids))
    done = 0
    for batch in _batches(store, wanted):
        with store.transaction() as session:
            keep_quality(session, _inputs(session, batch), link_outcomes=link_outcomes)
        done += len(batch)
    return done


def score_unscored(store: Store) -> int:
    """Score every record that has no score yet (records from before scores existed)."""
    with store.reading() as session:
        missing = list(
            session.scalars(
                select(DatasetRecord.id)
                .outerjoin(RecordQuality, RecordQuality.record_id == DatasetRecord.id)
                .where(RecordQuality.record_id.is_(None))
            )
        )
    return rescore_records(store, missing) if missing else 0


def records_with_urls(store: Store, urls: Collection[str]) -> list[str]:
    """The records that have any of these URLs as access or download URL: what a link check
    of them should re-score (`rescore_records(store, records_with_urls(store, checked))`)."""
    wanted = set(urls)
    found = []
    with store.reading() as session:
        for record_id, facts in session.execute(
            select(RecordQuality.record_id, RecordQuality.facts)
        ):
            if wanted & QualityFacts.from_json(facts).urls:
                found.append(record_id)
    return found


def record_quality(store: Store, record_id: str) -> StoredQuality | None:
    with store.reading() as session:
        row = session.get(RecordQuality, record_id)
        if row is None:
            return None
        return StoredQuality(record_id, QualityScore.from_json(row.breakdown), row.scored_at)


def qualities_of(store: Store, record_ids: Collection[str]) -> dict[str, StoredQuality]:
    if not record_ids:
        return {}
    with store.reading() as session:
        rows = session.scalars(
            select(RecordQuality).where(RecordQuality.record_id.in_(list(record_ids)))
        )
        return {
            row.record_id: StoredQuality(
                row.record_id, QualityScore.from_json(row.breakdown), row.scored_at
            )
            for row in rows
        }


def _batches(store: Store, wanted: list[str] | None) -> Iterable[list[str]]:
    if wanted is not None:
        for start in range(0, len(wanted), RESCORE_BATCH):
            yield wanted[start : start + RESCORE_BATCH]
        return
    with store.reading() as session:
        every = list(session.scalars(select(DatasetRecord.id).order_by(DatasetRecord.id)))
    yield from _batches(store, every)


def _inputs(session: Session, record_ids: list[str]) -> list[ScoreInput]:
    stored = {
        record_id: facts
        for record_id, facts in session.execute(
            select(RecordQuality.record_id, RecordQuality.facts).where(
                RecordQuality.record_id.in_(record_ids)
            )
        )
    }
    inputs = []
    for record in session.scalars(select(DatasetRecord).where(DatasetRecord.id.in_(record_ids))):
        facts_json = stored.get(record.id)
        facts = (
            QualityFacts.from_json(facts_json)
            if facts_json is not None
            else facts_of_stored_graph(record.graph, record.uri)
        )
        inputs.append(
            ScoreInput(
                record.id, facts, compliance(record.validation_state, record.violation_count)
            )
        )
    return inputs
