"""What a job's report says: its errors filtered and in pages, and its DCAT-AP.de violations
grouped by rule across the job, each with the per-source setting that would repair it.

A rule is the SHACL shape that reported a violation (sh:sourceShape); a finding without one is
grouped by its path and message. Held-back records carry their full validation report
(harvesters.runner stores it with the error), so the groups count records, not guesses.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from catalog.models import JOB_STAGE, HarvestError
from catalog.report_hints import SettingHint, setting_hint
from catalog.store import Store
from dcat.namespaces import PREFIXES
from dcat.validation import Severity, ValidationReport, ValidationResult

STAGES = (JOB_STAGE, "gather", "map", "validate", "store", "warning")
VALUES_SHOWN = 5


@dataclass(frozen=True)
class ErrorQuery:
    """Which errors of a job: a stage (or all), a text (or none), a rule (or any), a page."""

    stage: str | None = None
    text: str = ""
    rule: str = ""
    page: int = 1
    per_page: int = 100

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (a stage, a text or a rule)."""
        return bool(self.stage or self.text or self.rule)


@dataclass(frozen=True)
class ErrorRows:
    rows: list[HarvestError]
    total: int  # matching the query
    page: int
    pages: int
    by_stage: dict[str, int]  # all errors of the job, per stage


@dataclass
class RuleGroup:
    """One rule's violations across a job: how many records, which values, what would fix it."""

    key: str
    path: str  # compact, e.g. dct:identifier
    message_de: str
    message_en: str
    records: int = 0
    findings: int = 0
    values: list[str] = field(default_factory=list)  # most frequent delivered values first
    hint: SettingHint | None = None

    def message(self, language: str) -> str:
        return (self.message_en if language == "en" else self.message_de) or self.message_de


@dataclass(frozen=True)
class ErrorDigest:
    """A job's errors (warnings apart) in brief: how many, and the first few."""

    total: int
    first: list[HarvestError]


def error_digest(store: Store, job_id: int, shown: int = 3) -> ErrorDigest:
    """How many errors the job has and its first `shown`, oldest first; warnings not counted."""
    errors = select(HarvestError).where(
        HarvestError.job_id == job_id, HarvestError.stage != "warning"
    )
    with store.reading() as session:
        total = session.scalar(select(func.count()).select_from(errors.subquery())) or 0
        first = list(session.scalars(errors.order_by(HarvestError.id).limit(shown)))
    return ErrorDigest(total, first)


def rule_key(result: ValidationResult) -> str:
    """The shape that reported the finding, else a digest of its path and message."""
    if result.source_shape:
        return result.source_shape
    text = f"{result.path or ''}\n{result.message_de}\n{result.message_en}"
    return "finding:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def compact_iri(iri: str) -> str:
    """dct:license for http://purl.org/dc/terms/license; other IRIs as they are.

    Each part of an alternative path (a|b) is compacted on its own.
    """
    if "|" in iri:
        return "|".join(compact_iri(part) for part in iri.split("|"))
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri


def report_results(report: dict[str, Any] | None) -> list[ValidationResult]:
    """The findings of a stored report; an unreadable or missing report has none."""
    if not report:
        return []
    try:
        return ValidationReport.from_json(report).results
    except (KeyError, TypeError, ValueError):
        return []


def violations(report: dict[str, Any] | None) -> list[ValidationResult]:
    return [r for r in report_results(report) if r.severity is Severity.VIOLATION]


def rule_groups(store: Store, job_id: int, limit: int | None = None) -> list[RuleGroup]:
    """The job's violations by rule, the rule with the most records first."""
    groups: dict[str, RuleGroup] = {}
    values: dict[str, Counter[str]] = {}
    hints: dict[str, Counter[SettingHint]] = {}
    for _, report in _reports(store, job_id):
        seen_here: set[str] = set()
        for result in violations(report):
            key = rule_key(result)
            group = groups.get(key)
            if group is None:
                group = groups[key] = RuleGroup(
                    key, compact_iri(result.path or ""), result.message_de, result.message_en
                )
                values[key], hints[key] = Counter(), Counter()
            group.findings += 1
            if key not in seen_here:
                seen_here.add(key)
                group.records += 1
            if result.value:
                values[key][result.value] += 1
            hint = setting_hint(result)
            if hint is not None:
                hints[key][hint] += 1
    for key, group in groups.items():
        group.values = [value for value, _ in values[key].most_common(VALUES_SHOWN)]
        group.hint = hints[key].most_common(1)[0][0] if hints[key] else None
    ordered = sorted(groups.values(), key=lambda g: (-g.records, -g.findings, g.path, g.key))
    return ordered[:limit] if limit is not None else ordered


def error_rows(store: Store, job_id: int, query: ErrorQuery) -> ErrorRows:
    """One page of the job's errors that match the query, oldest first."""
    matching = _matching(job_id, query)
    with store.reading() as session:
        if query.rule:
            ids = [
                error_id
                for error_id, report in session.execute(
                    matching.with_only_columns(HarvestError.id, HarvestError.report).order_by(
                        HarvestError.id
                    )
                )
                if any(rule_key(result) == query.rule for result in violations(report))
            ]
            total = len(ids)
        else:
            total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
        pages = max(1, -(-total // query.per_page))
        page = min(query.page, pages)
        start = (page - 1) * query.per_page
        if query.rule:
            wanted = ids[start : start + query.per_page]
            rows_query = select(HarvestError).where(HarvestError.id.in_(wanted))
        else:
            rows_query = matching.offset(start).limit(query.per_page)
        rows = list(session.scalars(rows_query.order_by(HarvestError.id)))
        by_stage = dict(
            session.execute(
                select(HarvestError.stage, func.count())
                .where(HarvestError.job_id == job_id)
                .group_by(HarvestError.stage)
            ).all()
        )
    return ErrorRows(rows, total, page, pages, {stage: by_stage.get(stage, 0) for stage in STAGES})


def _reports(store: Store, job_id: int) -> Iterator[tuple[int, dict[str, Any]]]:
    query = (
        select(HarvestError.id, HarvestError.report)
        .where(HarvestError.job_id == job_id, HarvestError.report.is_not(None))
        .order_by(HarvestError.id)
    )
    with store.reading() as session:
        rows = list(session.execute(query))
    for error_id, report in rows:
        if isinstance(report, dict):
            yield error_id, report


def _matching(job_id: int, query: ErrorQuery) -> Select[HarvestError]:
    matching = select(HarvestError).where(HarvestError.job_id == job_id)
    if query.stage is not None:
        matching = matching.where(HarvestError.stage == query.stage)
    if query.text:
        matching = matching.where(_text_matches(query.text))
    return matching


def _text_matches(text: str) -> ColumnElement[bool]:
    needle = text.lower()
    return or_(
        func.lower(HarvestError.message).contains(needle, autoescape=True),
        func.lower(HarvestError.message_en).contains(needle, autoescape=True),
        func.lower(HarvestError.record_key).contains(needle, autoescape=True),
    )
