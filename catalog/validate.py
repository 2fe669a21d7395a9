"""`catalog validate`: check RDF files or the stored catalog against DCAT-AP.de and report.

Files are split into their datasets and each is validated on its own, exactly as a harvest
would see it, so a steward can test a department's export before configuring it as a source.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click
from rdflib import Graph

from catalog.ingest import normalisation_context
from catalog.models import RecordStatus
from catalog.records import iter_records
from catalog.settings import Settings
from catalog.setup import open_current_store
from dcat.normalise import Change, normalise
from dcat.parse_errors import RDFParseError
from dcat.parsing import parse_rdf, parse_rdf_file
from dcat.split import split_catalog_into_datasets
from dcat.validation import ValidationReport, Validator

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2


def validate_files(
    settings: Settings, files: Sequence[str], *, normalised: bool, as_json: bool, lang: str
) -> int:
    """Validate every dataset of every file; returns the exit code."""
    validator = Validator(extra_shapes=settings.validation.shapes)
    context = normalisation_context(settings)
    worst = EXIT_OK
    totals = {"datasets": 0, "violations": 0, "warnings": 0}
    for name in files:
        try:
            graph = parse_rdf_file(Path(name))
        except (RDFParseError, OSError) as exc:
            click.echo(f"{name}: {exc}", err=True)
            worst = EXIT_UNREADABLE
            continue
        datasets = list(split_catalog_into_datasets(graph))
        if not datasets:
            click.echo(f"{name}: {_text(lang, 'kein dcat:Dataset gefunden', 'no dcat:Dataset')}")
        for dataset in datasets:
            own: Graph = dataset.graph
            changes: list[Change] = []
            if normalised:
                outcome = normalise(own, context)
                own, changes = outcome.graph, outcome.changes
            report = validator.validate(own)
            totals["datasets"] += 1
            totals["violations"] += len(report.violations)
            totals["warnings"] += len(report.warnings)
            _print(f"{name}: {dataset.identity}", report, changes, as_json=as_json, lang=lang)
            if report.violations and worst == EXIT_OK:
                worst = EXIT_VIOLATIONS
    if not as_json:
        click.echo(_totals(totals, lang))
    return worst


def validate_catalog(settings: Settings, *, as_json: bool, lang: str) -> int:
    """Re-validate every stored, not withdrawn record with the current shapes (read only)."""
    validator = Validator(extra_shapes=settings.validation.shapes)
    store = open_current_store(settings)
    totals = {"datasets": 0, "violations": 0, "warnings": 0}
    worst = EXIT_OK
    for record in iter_records(store, statuses=(RecordStatus.DRAFT, RecordStatus.PUBLISHED)):
        graph = parse_rdf(record.graph, content_type="application/n-triples")
        report = validator.validate(graph)
        totals["datasets"] += 1
        totals["violations"] += len(report.violations)
        totals["warnings"] += len(report.warnings)
        if report.results:
            _print(f"{record.name} <{record.uri}>", report, [], as_json=as_json, lang=lang)
        if report.violations:
            worst = EXIT_VIOLATIONS
    if not as_json:
        click.echo(_totals(totals, lang))
    return worst


def _print(
    title: str, report: ValidationReport, changes: list[Change], *, as_json: bool, lang: str
) -> None:
    if as_json:
        document: dict[str, object] = {"dataset": title, "report": report.to_json()}
        if changes:
            document["changes"] = [vars(change) for change in changes]
        click.echo(json.dumps(document, ensure_ascii=False))
        return
    verdict = (
        _text(lang, "gültig", "valid")
        if not report.violations
        else _text(lang, "ungültig", "invalid")
    )
    click.echo(f"{title}: {verdict}")
    for change in changes:
        message = change.message_de if lang == "de" else change.message_en
        click.echo(f"  ~ {change.rule}: {message}")
    for result in report.results:
        message = result.message_de if lang == "de" else result.message_en
        where = f" [{result.path}]" if result.path else ""
        value = f" = {result.value}" if result.value else ""
        click.echo(f"  {result.severity.value}{where}{value}: {message}")


def _totals(totals: dict[str, int], lang: str) -> str:
    if lang == "de":
        return (
            f"{totals['datasets']} Datensätze, {totals['violations']} Verstöße, "
            f"{totals['warnings']} Warnungen"
        )
    return (
        f"{totals['datasets']} datasets, {totals['violations']} violations, "
        f"{totals['warnings']} warnings"
    )


def _text(lang: str, german: str, english: str) -> str:
    return german if lang == "de" else english
