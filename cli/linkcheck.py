"""`catalog linkcheck`: which records, the run, a summary on the terminal, the exit code.

Broken links are what a link check is for: they are findings about other servers, listed in
the summary and in the steward area, and the command still exits 0. Exit code 1 means the
check itself was incomplete (a record's graph could not be read, or checking a URL failed in
our code), so a cron mail tells the operator only when the catalog needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.exit_codes import EXIT_OK, EXIT_RECORD_ERRORS

if TYPE_CHECKING:
    from catalog.link_checks import LinkResult
    from catalog.settings import Settings
    from catalog.store import Store
    from harvesters.link_service import LinkRunSummary, LinkSelection


def run_linkcheck(store: Store, settings: Settings, selection: LinkSelection) -> int:
    """Check the due links of the selection, print the summary, return the exit code."""
    from harvesters.link_service import run_link_check

    summary = run_link_check(store, settings, selection)
    print_summary(summary, settings)
    return EXIT_OK if summary.complete else EXIT_RECORD_ERRORS


def print_summary(summary: LinkRunSummary, settings: Settings) -> None:
    hours = f"{settings.linkcheck.interval:g}"
    click.echo(
        f"Linkprüfung / link check: {summary.records} Datensätze / datasets, "
        f"{summary.urls} Adressen / URLs, {summary.checked} geprüft / checked, "
        f"{summary.not_due} nicht fällig (in den letzten {hours} h geprüft) / "
        f"not due (checked in the last {hours} h)"
    )
    broken, problems = summary.broken, summary.problems
    click.echo(
        f"  {len(broken)} nicht erreichbar / unreachable, "
        f"{len(problems)} mit Problem (z. B. HTML statt CSV) / with a problem"
    )
    for result in sorted(broken + problems, key=lambda r: r.url):
        click.echo(f"  {_reason(result)}  {result.url}")
    for name in summary.unreadable:
        click.echo(f"  Fehler / error: Datensatz {name}: Graph nicht lesbar / graph not readable")
    for url, message in summary.errors:
        click.echo(f"  Fehler / error: {url}: {message}")


def _reason(result: LinkResult) -> str:
    if result.problem == "http_status" and result.status is not None:
        return f"HTTP {result.status}"
    if result.problem == "html_instead_of_format":
        return "HTML statt / instead of " + ", ".join(result.announced)
    return result.problem or "?"
