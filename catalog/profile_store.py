"""Each record's DCAT-AP.de 3.0 rendering and verdict, stored beside its 2.0 graph.

Every save judges the record in 3.0 too (catalog.ingest), so 3.0 outputs filter by a column in
the query, as 2.0 outputs do, and stream the stored 3.0 text instead of rendering each record
on each request. Records saved before the columns existed are judged by `catalog validate
--profile 3.0 --store`; until then they stay out of the 3.0 outputs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph
from sqlalchemy import select, update

from catalog.models import DatasetRecord, utcnow
from catalog.store import Store
from dcat.parsing import parse_rdf
from dcat.profile_validation import ProfileValidator
from dcat.profiles import Profile, ntriples_text, render_graph, render_record_text
from dcat.validation import ValidationReport


@dataclass(frozen=True)
class V3Judgement:
    """A record's 3.0 rendering (N-Triples) and what our 3.0 shapes found in it."""

    text: str
    report: ValidationReport

    def columns(self) -> dict[str, Any]:
        return {
            "graph_v3": self.text,
            "violation_count_v3": len(self.report.violations),
            "validation_report_v3": self.report.to_json(),
        }


class V3Judge:
    """Renders a stored (2.0) graph in 3.0 and validates the rendering with our 3.0 shapes."""

    def __init__(self) -> None:
        self._validator = ProfileValidator(Profile.DCATAPDE_3)

    def judge(self, stored: Graph) -> V3Judgement:
        rendered, report = self._validator.render_and_validate(stored)
        return V3Judgement(ntriples_text(rendered), report)

    def judge_many(self, stored: Sequence[Graph]) -> list[V3Judgement]:
        """The verdicts of many graphs, validated together (faster; each report equals the
        one `judge` gives, see dcat.validation.Validator.validate_many)."""
        rendered = [render_graph(graph, Profile.DCATAPDE_3) for graph in stored]
        reports = self._validator.validate_rendered_many(rendered)
        return [
            V3Judgement(ntriples_text(graph), report)
            for graph, report in zip(rendered, reports, strict=True)
        ]

    def judge_text(self, ntriples: str) -> V3Judgement:
        return self.judge(parse_rdf(ntriples, content_type="application/n-triples"))


@functools.cache
def shared_v3_judge() -> V3Judge:
    """One judge per process: loading the shapes is the expensive part."""
    return V3Judge()


def record_text(store: Store, record: DatasetRecord, profile: Profile) -> str:
    """The record's stored N-Triples in the profile.

    A record judged before its 3.0 text was kept (or restored from a revision) is rendered
    once here and the text stored, unless the record changed meanwhile.
    """
    if profile is Profile.DCATAPDE_2:
        return record.graph
    if record.graph_v3 is not None:
        return record.graph_v3
    text = render_record_text(record.graph, profile)
    with store.transaction() as session:
        session.execute(
            update(DatasetRecord)
            .where(
                DatasetRecord.id == record.id,
                DatasetRecord.content_hash == record.content_hash,
                DatasetRecord.graph_v3.is_(None),
            )
            .values(graph_v3=text)
        )
    return text


def v3_report(record: DatasetRecord) -> ValidationReport:
    """The record's stored 3.0 report; one judged now (not stored) if it has none yet."""
    if record.validation_report_v3 is not None:
        return ValidationReport.from_json(record.validation_report_v3)
    return shared_v3_judge().judge_text(record.graph).report


@dataclass
class StoredVerdicts:
    """What `catalog validate --profile 3.0 --store` did: records judged, changed, withheld."""

    judged: int = 0
    changed: int = 0
    withheld: int = 0


def store_v3_verdicts(
    store: Store,
    judge: V3Judge | None = None,
    *,
    only_missing: bool = False,
    batch: int = 200,
    progress: Callable[[StoredVerdicts], None] | None = None,
) -> StoredVerdicts:
    """Judge every record (or those without a verdict) in 3.0 and store text and verdict.

    A record whose 3.0 verdict changes gets a new updated_at (no revision: the dataset is the
    same), so that a harvester paging the 3.0 catalog by change sees it appear or go. Records
    are read in id order, which that new updated_at does not disturb.
    """
    judge = judge or shared_v3_judge()
    outcome = StoredVerdicts()
    for record in _records_by_id(store, only_missing=only_missing, batch=batch):
        columns = judge.judge_text(record.graph).columns()
        outcome.judged += 1
        outcome.withheld += bool(columns["violation_count_v3"])
        if _verdict(columns["validation_report_v3"]) != _verdict(record.validation_report_v3):
            outcome.changed += 1
            columns["updated_at"] = utcnow()
        _store_judgement(store, record, columns)
        if progress is not None:
            progress(outcome)
    return outcome


def _verdict(report: dict[str, Any] | None) -> list[tuple[str, str, str]] | None:
    """A stored report without its focus nodes (blank node labels differ from parse to parse)."""
    if report is None:
        return None
    return sorted(
        (r["severity"], r.get("path") or "", r.get("message_en") or "")
        for r in report.get("results", [])
    )


def _records_by_id(store: Store, *, only_missing: bool, batch: int) -> Iterator[DatasetRecord]:
    last = ""
    while True:
        query = select(DatasetRecord).where(DatasetRecord.id > last).order_by(DatasetRecord.id)
        if only_missing:
            query = query.where(DatasetRecord.violation_count_v3.is_(None))
        with store.reading() as session:
            records = list(session.scalars(query.limit(batch)))
        yield from records
        if len(records) < batch:
            return
        last = records[-1].id


def _store_judgement(store: Store, record: DatasetRecord, columns: dict[str, Any]) -> None:
    with store.transaction() as session:
        session.execute(
            update(DatasetRecord)
            .where(
                DatasetRecord.id == record.id,
                DatasetRecord.content_hash == record.content_hash,
            )
            .values(**columns)
        )


def judge_restored(store: Store, record_id: str, judge: V3Judge | None = None) -> None:
    """After a revision was restored (which clears the 3.0 columns): judge the graph again."""
    with store.reading() as session:
        row = session.execute(
            select(DatasetRecord.graph, DatasetRecord.content_hash).where(
                DatasetRecord.id == record_id
            )
        ).one_or_none()
    if row is None:
        return
    graph, content_hash = row
    columns = (judge or shared_v3_judge()).judge_text(graph).columns()
    with store.transaction() as session:
        session.execute(
            update(DatasetRecord)
            .where(DatasetRecord.id == record_id, DatasetRecord.content_hash == content_hash)
            .values(**columns)
        )


__all__ = [
    "StoredVerdicts",
    "V3Judge",
    "V3Judgement",
    "judge_restored",
    "record_text",
    "shared_v3_judge",
    "store_v3_verdicts",
    "v3_report",
]
