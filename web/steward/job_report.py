"""The job report of the steward area: a job's errors, filtered by stage and text, in pages,
each with its SHACL findings as the validator wrote them (German and English)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from catalog.models import HarvestError
from catalog.store import Store
from dcat.namespaces import PREFIXES
from dcat.validation import Severity, ValidationReport, ValidationResult

STAGES = ("gather", "map", "validate", "store", "warning")
ERRORS_PER_PAGE = 100
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class ErrorFilter:
    """What the job page was asked for: a stage (or all), a text (or none), a page."""

    stage: str | None = None
    text: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> ErrorFilter:
        stage = args.get("stage") or None
        try:
            page = max(1, int(args.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            stage=stage if stage in STAGES else None,
            text=(args.get("q") or "").strip()[:MAX_QUERY_LENGTH],
            page=page,
        )


@dataclass(frozen=True)
class Finding:
    """One SHACL result as the page shows it."""

    severity: str
    message: str
    path: str
    value: str


@dataclass(frozen=True)
class ShownError:
    error: HarvestError
    findings: list[Finding]


@dataclass(frozen=True)
class ErrorPage:
    errors: list[ShownError]
    total: int  # matching the filter
    page: int
    pages: int
    by_stage: dict[str, int]  # all errors of the job, per stage


def error_page(store: Store, job_id: int, wanted: ErrorFilter, language: str) -> ErrorPage:
    """One page of the job's errors that match the filter, oldest first."""
    matching = _matching(job_id, wanted)
    with store.reading() as session:
        total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
        pages = max(1, -(-total // ERRORS_PER_PAGE))
        page = min(wanted.page, pages)
        rows = list(
            session.scalars(
                matching.order_by(HarvestError.id)
                .offset((page - 1) * ERRORS_PER_PAGE)
                .limit(ERRORS_PER_PAGE)
            )
        )
        by_stage = dict(
            session.execute(
                select(HarvestError.stage, func.count())
                .where(HarvestError.job_id == job_id)
                .group_by(HarvestError.stage)
            ).all()
        )
    shown = [ShownError(error, findings(error.report, language)) for error in rows]
    return ErrorPage(shown, total, page, pages, {stage: by_stage.get(stage, 0) for stage in STAGES})


def _matching(job_id: int, wanted: ErrorFilter) -> Select[HarvestError]:
    query = select(HarvestError).where(HarvestError.job_id == job_id)
    if wanted.stage is not None:
        query = query.where(HarvestError.stage == wanted.stage)
    if wanted.text:
        query = query.where(_text_matches(wanted.text))
    return query


def _text_matches(text: str) -> ColumnElement[bool]:
    needle = text.lower()
    return or_(
        func.lower(HarvestError.message).contains(needle, autoescape=True),
        func.lower(HarvestError.record_key).contains(needle, autoescape=True),
    )


def findings(report: dict[str, Any] | None, language: str) -> list[Finding]:
    """Violations first, then warnings and notes, in the page's language."""
    if not report:
        return []
    try:
        results = ValidationReport.from_json(report).results
    except (KeyError, TypeError, ValueError):
        return []
    order = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return [
        _finding(result, language)
        for result in sorted(results, key=lambda result: order[result.severity])
    ]


def _finding(result: ValidationResult, language: str) -> Finding:
    message = result.message_en if language == "en" else result.message_de
    return Finding(
        severity=result.severity.value,
        message=message or result.message_de or result.message_en,
        path=compact_iri(result.path or ""),
        value=result.value or "",
    )


def compact_iri(iri: str) -> str:
    """dct:license for http://purl.org/dc/terms/license; other IRIs as they are."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri
