"""The job report of the steward area: a job's errors, filtered by stage, text and rule, in
pages, each with every SHACL finding as the validator wrote it (German and English), and the
job's violations grouped by rule with the setting that would repair them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.job_findings import (
    STAGES,
    ErrorQuery,
    RuleGroup,
    compact_iri,
    error_rows,
    report_results,
    rule_groups,
)
from catalog.models import HarvestError
from catalog.store import Store
from dcat.validation import Severity, ValidationResult

__all__ = ["STAGES", "error_filter", "error_page", "findings", "rule_groups", "selected_rule"]

ERRORS_PER_PAGE = 100
MAX_QUERY_LENGTH = 200
MAX_RULE_LENGTH = 2000


def error_filter(args: Any) -> ErrorQuery:
    """What the job page was asked for: a stage (or all), a text, a rule (or none), a page."""
    stage = args.get("stage") or None
    try:
        page = max(1, int(args.get("page", "1")))
    except ValueError:
        page = 1
    return ErrorQuery(
        stage=stage if stage in STAGES else None,
        text=(args.get("q") or "").strip()[:MAX_QUERY_LENGTH],
        rule=(args.get("rule") or "").strip()[:MAX_RULE_LENGTH],
        page=page,
        per_page=ERRORS_PER_PAGE,
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


def error_page(store: Store, job_id: int, wanted: ErrorQuery, language: str) -> ErrorPage:
    """One page of the job's errors that match the filter, oldest first."""
    found = error_rows(store, job_id, wanted)
    shown = [ShownError(error, findings(error.report, language)) for error in found.rows]
    return ErrorPage(shown, found.total, found.page, found.pages, found.by_stage)


def selected_rule(groups: list[RuleGroup], wanted: ErrorQuery) -> RuleGroup | None:
    """The rule the list is filtered by, if the job has violations of it."""
    return next((group for group in groups if group.key == wanted.rule), None)


def findings(report: dict[str, Any] | None, language: str) -> list[Finding]:
    """Every finding: violations first, then warnings and notes, in the page's language."""
    order = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}
    results = sorted(report_results(report), key=lambda result: order[result.severity])
    return [_finding(result, language) for result in results]


def _finding(result: ValidationResult, language: str) -> Finding:
    message = result.message_en if language == "en" else result.message_de
    return Finding(
        severity=result.severity.value,
        message=message or result.message_de or result.message_en,
        path=compact_iri(result.path or ""),
        value=result.value or "",
    )
